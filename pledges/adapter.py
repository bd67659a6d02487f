"""django-allauth, adapted: accounts come from confirmed signatures, and mail goes through the outbox."""

from __future__ import annotations

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest

from pledges.outbox import queue_message


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # An account is created when someone confirms a signature; there is nothing else to sign up for.
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {"email": email, "SITE_URL": settings.SITE_URL, **context}
        message = self.render_mail(template_prefix, email, context)
        html = next((body for body, kind in getattr(message, "alternatives", []) if kind == "text/html"), "")
        # Each login code or link is a new message: a fresh key, sent once like every other row.
        queue_message(f"account:{uuid.uuid4()}", email, message.subject, message.body, html)
