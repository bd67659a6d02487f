"""Every email the pledge flow sends: one function each, three templates each."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from pledges.models import Email, Pledge, Signature
from pledges.outbox import queue_email
from pledges.tokens import make_token

REPEAT_QUIET_PERIOD = timedelta(minutes=2)


def link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def signing_round(signature: Signature) -> str:
    """Which signing of this row an email belongs to: signing again after withdrawing starts a new round.

    Part of every pre-confirmation key, so the first round's keys can never swallow
    the second round's emails.
    """
    return f"{signature.created_at:%Y%m%d%H%M%S%f}"


def unconfirmed_key(signature: Signature, kind: str) -> str:
    # Concurrent senders read the same emails_sent, so a burst collides on this key: one email.
    return f"sig:{signature.pk}:{signing_round(signature)}:{kind}:{signature.emails_sent}"


def may_email_unconfirmed(signature: Signature) -> bool:
    """The cap on emails to a mailbox that has not proved it wants them, across all its signatures.

    Each signature counts what it caused while unconfirmed (confirm() resets its count),
    so signing each pledge separately, or signing again, cannot multiply the cap.
    """
    sent = Signature.objects.filter(canonical_email=signature.canonical_email).aggregate(n=Sum("emails_sent"))["n"]
    return (sent or 0) < settings.MAX_EMAILS_BEFORE_CONFIRMATION


def send_confirmation(signatures: list[Signature], *, repeat: bool = False) -> bool:
    first = signatures[0]
    if not may_email_unconfirmed(first):
        return False
    quiet_since = timezone.now() - REPEAT_QUIET_PERIOD
    if repeat and Email.objects.filter(signature=first, created_at__gte=quiet_since).exists():
        # A burst of identical submissions (double clicks, a bot) gets one email, not five.
        return False
    token = make_token("confirm", [s.pk for s in signatures])
    context = {"name": first.name, "signatures": signatures, "confirm_url": link("pledges:confirm", token)}
    queued = queue_email(unconfirmed_key(first, "confirm"), first.email, "confirm", context, signature=first)
    if queued:
        first.note_email_sent()
    return queued is not None


def send_already_signed(signature: Signature) -> bool:
    token = make_token("manage", [signature.pk])
    context = {"signature": signature, "manage_url": link("pledges:manage", token)}
    # One a day at most: the address is proved, but a stranger can trigger this email at will.
    key = f"sig:{signature.pk}:already:{timezone.localdate():%Y%m%d}"
    return queue_email(key, signature.email, "already_signed", context, signature=signature) is not None


def send_unconfirmed_reminder(signature: Signature, number: int) -> bool:
    if not may_email_unconfirmed(signature):
        return False
    token = make_token("confirm", [signature.pk])
    context = {"signature": signature, "confirm_url": link("pledges:confirm", token)}
    key = unconfirmed_key(signature, f"reminder-{number}")
    queued = queue_email(
        key, signature.email, "confirm_reminder", context, signature=signature, priority=Email.Priority.BULK
    )
    if queued:
        signature.note_email_sent()
    return queued is not None


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
