"""django-allauth, adapted: accounts come from confirmed signatures, and mail goes through the outbox."""

from __future__ import annotations

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import RequestLoginCodeForm
from allauth.core import context as globals_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.utils.translation import gettext as _

from pausecampaign.client_ip import client_ip
from pausecampaign.mail import render_html, render_subject, render_text
from pledges.addresses import clean_address
from pledges.outbox import queue_message
from pledges.sign_in import mark_recent


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's rate limits key on the same address as ours: never a proxy's, never a forged one.
        return client_ip(request)

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # An account is created when someone confirms a signature; there is nothing else to sign up for.
        return False

    def clean_email(self, email: str) -> str:
        # The password reset form's address, held to the rules of the sign form: a code or link
        # for Kelvin-sign kate@ would reach a catch-all, though allauth's lower() finds kate@'s account.
        return super().clean_email(clean_address(email))

    def login(self, request: HttpRequest, user) -> None:
        super().login(request, user)
        # Signing in is itself a fresh proof of who someone is. allauth 65 counts only a
        # re-authentication as recent, so a new staff member adding their authenticator app
        # straight after signing in was asked for the password a second time.
        mark_recent(request, user)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = globals_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "SITE_URL": settings.SITE_URL,
            **context,
        }
        subject = self.format_email_subject(render_subject(f"{template_prefix}_subject.txt", context))
        text = render_text(f"{template_prefix}_message.txt", context).strip()
        html = render_html(f"{template_prefix}_message.html", context)
        # Each login code or link is a new message: a fresh key, sent once like every other row.
        queue_message(f"account:{uuid.uuid4()}", email, subject, text, html)


class LoginCodeForm(RequestLoginCodeForm):
    """allauth's form asking for a sign-in code, held to the sign form's rules for an address (clean_email above)."""

    def clean_email(self) -> str:
        if self.cleaned_data.get("email"):
            clean_address(self.cleaned_data["email"])
        return super().clean_email()


def user_display(user) -> str:
    """How allauth names a person in its pages and messages: by their address, never the internal username."""
    return user.email or _("you")
