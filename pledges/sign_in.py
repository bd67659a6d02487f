"""What a sign-in proves, recorded in the session the way django-allauth reads it."""

from __future__ import annotations

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY, get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from django.http import HttpRequest


def mark_recent(request: HttpRequest, user) -> None:
    """Let the authentication just recorded in this session count as recent for allauth's reauthentication."""
    records = [dict(record) for record in get_authentication_records(request, user)]
    if records:
        records[-1]["reauthenticated"] = True
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records


def record_second_factor(request: HttpRequest, user, authenticator) -> None:
    """Activating an authenticator app proves the person holds it: that is their second factor for this session.

    Without this the admin asked for a second code from the app straight after the first.
    """
    if request is None or authenticator.type != authenticator.Type.TOTP:
        return
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, reauthenticated=True)
