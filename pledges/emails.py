"""Every email the pledge flow sends: one function each, three templates each."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from pledges.models import Email, Pledge, Signature
from pledges.outbox import queue_email
from pledges.tokens import make_token

RESEND_WINDOW_SECONDS = 15 * 60
REPEAT_QUIET_PERIOD = timedelta(minutes=2)


def window() -> int:
    # Part of the key of repeat emails: concurrent repeats in one window collide
    # on the unique key, so a burst of identical submissions sends one email.
    return int(time.time() // RESEND_WINDOW_SECONDS)


def link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def send_confirmation(signatures: list[Signature], *, repeat: bool = False) -> bool:
    first = signatures[0]
    if first.emails_sent >= settings.MAX_EMAILS_BEFORE_CONFIRMATION:
        return False
    quiet_since = timezone.now() - REPEAT_QUIET_PERIOD
    if repeat and Email.objects.filter(signature=first, created_at__gte=quiet_since).exists():
        # A burst of identical submissions (double clicks, a bot) gets one email, not five.
        return False
    token = make_token("confirm", [s.pk for s in signatures])
    # Concurrent repeats read the same emails_sent, so they collide on this key.
    key = f"sig:{first.pk}:confirm:{first.emails_sent}"
    context = {"name": first.name, "signatures": signatures, "confirm_url": link("pledges:confirm", token)}
    return queue_email(key, first.email, "confirm", context, signature=first) is not None


def send_already_signed(signature: Signature) -> bool:
    token = make_token("manage", [signature.pk])
    context = {"signature": signature, "manage_url": link("pledges:manage", token)}
    key = f"sig:{signature.pk}:already:{window()}"
    return queue_email(key, signature.email, "already_signed", context, signature=signature) is not None


def send_unconfirmed_reminder(signature: Signature, number: int) -> bool:
    token = make_token("confirm", [signature.pk])
    context = {"signature": signature, "confirm_url": link("pledges:confirm", token)}
    key = f"sig:{signature.pk}:reminder:{number}"
    return queue_email(key, signature.email, "confirm_reminder", context, signature=signature) is not None


def send_threshold_reached(signature: Signature, pledge: Pledge) -> bool:
    from pledges.actions import footer_context, unsubscribe_headers

    token = make_token("manage", [signature.pk])
    context = {
        "signature": signature,
        "pledge": pledge,
        "manage_url": link("pledges:manage", token),
        **footer_context(signature),
    }
    key = f"sig:{signature.pk}:threshold"
    headers = unsubscribe_headers(signature)
    email = queue_email(key, signature.email, "threshold_reached", context, signature=signature, headers=headers)
    return email is not None
