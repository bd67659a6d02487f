"""Every email the site builds: one function each, three templates each (subject, text, HTML).

Queued through the outbox (pledges/outbox.py) in the caller's transaction. Transactional
mail (confirmations, replies, the threshold) goes in the fast lane; reminders, broadcasts
and invitations in the bulk lane.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from briefings.markdown import render as render_markdown
from pausecampaign.mail import absolute_links, html_to_text
from pledges.hashing import recipient_hash, signer_key
from pledges.models import (
    ActionStep,
    BoardResolution,
    Broadcast,
    Email,
    Invitation,
    OfstedRegion,
    Pledge,
    Region,
    Role,
    Signature,
)
from pledges.outbox import queue_email, queue_to_render, rendered_when_sent
from pledges.tokens import make_token

REPEAT_QUIET_PERIOD = timedelta(minutes=2)


def link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def signer_token(signature: Signature) -> str:
    return make_token("signer", [signature.pk])


def unsubscribe_headers(signature: Signature) -> dict:
    """RFC 8058 one-click unsubscribe, for every email that is not transactional."""
    url = link("pledges:unsubscribe", signer_token(signature))
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def footer_context(signature: Signature) -> dict:
    token = signer_token(signature)
    return {
        "unsubscribe_url": link("pledges:unsubscribe", token),
        "preferences_url": link("pledges:preferences", token),
        "share_url": link("pledges:pledge", signature.pledge.slug) + "?src=email",
    }


# Before confirmation: capped per mailbox


def signing_round(signature: Signature) -> str:
    """Which signing of this row an email belongs to: signing again after withdrawing starts a new round.

    Part of every pre-confirmation key, so the first round's keys can never swallow
    the second round's emails.
    """
    return f"{signature.created_at:%Y%m%d%H%M%S%f}"


def unconfirmed_key(signature: Signature, kind: str, sent: int | None = None) -> str:
    # Concurrent senders read the same emails_sent, so a burst collides on this key: one email.
    # `sent`: the count before this email, when the row already counts it (a new signature's).
    sent = signature.emails_sent if sent is None else sent
    return f"sig:{signature.pk}:{signing_round(signature)}:{kind}:{sent}"


def may_email_unconfirmed(signature: Signature) -> bool:
    """The cap on emails to a mailbox that has not proved it wants them, across all its signatures.

    Each signature counts what it caused while unconfirmed (confirm() resets its count),
    so signing each pledge separately, or signing again, cannot multiply the cap. A new
    signature applies the same cap in the statement that inserts it (insert_unsigned).
    """
    sent = Signature.objects.filter(canonical_email=signature.canonical_email).aggregate(n=Sum("emails_sent"))["n"]
    return (sent or 0) < settings.MAX_EMAILS_BEFORE_CONFIRMATION


def send_confirmation(signatures: list[Signature], *, repeat: bool = False, counted: bool = False) -> bool:
    """Queue the link that confirms these signatures; the worker renders it when it sends.

    `counted`: the first signature was inserted already counting this email, within the cap.
    """
    first = signatures[0]
    if not counted and not may_email_unconfirmed(first):
        return False
    quiet_since = timezone.now() - REPEAT_QUIET_PERIOD
    if repeat and recent_link_to(first.email, since=quiet_since):
        # A burst of identical submissions (double clicks, a bot) gets one email, not five.
        return False
    key = unconfirmed_key(first, "confirm", sent=first.emails_sent - 1 if counted else None)
    stored = {"name": first.name, "signatures": [s.pk for s in signatures]}
    queued = queue_to_render(key, first.email, "confirm", stored, signature=first)
    if queued and not counted:
        first.note_email_sent()
    return queued is not None


def recent_link_to(address: str, *, since) -> bool:
    """A confirmation link went to this mailbox since then, whichever signatures it named.

    By mailbox, not by signature: a link is filed under its first signature only, so a
    signature listed second would otherwise never see the link that named it.
    """
    links = Email.objects.filter(to_hash=recipient_hash(address), key__contains=":confirm:")
    return links.filter(created_at__gte=since).exists()


@rendered_when_sent("confirm")
def confirmation_context(stored: dict) -> dict:
    """The confirmation email's context, built by the worker as it sends: the link is made then."""
    ids = stored["signatures"]
    found = Signature.objects.filter(pk__in=ids).select_related("pledge").in_bulk()
    signatures = [found[pk] for pk in ids if pk in found]
    confirm_url = link("pledges:confirm", make_token("confirm", ids))
    return {"name": stored["name"], "signatures": signatures, "confirm_url": confirm_url}


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


# Replies and news to confirmed signers


def send_already_signed(signatures: list[Signature]) -> bool:
    """Tell the inbox that these confirmed signatures were signed again: one email naming them all."""
    first = signatures[0]
    signed = [{"signature": s, "manage_url": link("pledges:manage", make_token("manage", [s.pk]))} for s in signatures]
    context = {"signature": first, "signed": signed}
    # One a day at most to a mailbox, however many pledges and signings: the address is proved, but
    # a stranger can trigger this email at will.
    key = f"already:{recipient_hash(first.email)}:{timezone.localdate():%Y%m%d}"
    return queue_email(key, first.email, "already_signed", context, signature=first) is not None


def send_threshold_reached(signature: Signature, pledge: Pledge) -> bool:
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


def send_commitment_active(signature: Signature) -> bool:
    """Told once: the region reached the number the signer chose (pledges.ledger.activate_commitments)."""
    from_region = OfstedRegion(signature.ofsted_region)
    others = Signature.objects.stood_down().in_ofsted_region(from_region).exclude(pk=signature.pk)
    context = {
        "signature": signature,
        "region": from_region.label,
        "others": others.values("canonical_email").distinct().count(),
        "my_pledges_url": link("pledges:my_pledges"),
        **footer_context(signature),
    }
    # One per activation: a signer who makes a new commitment is told again when that one is met.
    key = f"sig:{signature.pk}:commitment-active:{signature.commitment_active_at:%Y%m%d%H%M%S%f}"
    headers = unsubscribe_headers(signature)
    email = queue_email(key, signature.email, "commitment_active", context, signature=signature, headers=headers)
    return email is not None


def send_resolution_confirmation(resolution: BoardResolution) -> bool:
    token = make_token("resolution", [resolution.pk])
    context = {"resolution": resolution, "confirm_url": link("pledges:confirm_resolution", token)}
    # A repeat within the hour gets no second email; a later one gets a fresh link.
    key = f"resolution:{resolution.pk}:confirm:{timezone.now():%Y%m%d%H}"
    return queue_email(key, resolution.recorder_email, "resolution_confirm", context) is not None


# The action plan's mail


def send_step_reminder(signature: Signature, step: ActionStep, *, due=None, chaser: bool = False) -> bool:
    """The reminder before a step is due, or (once) the chaser after; each has its own key."""
    token = make_token("step", [signature.pk, step.pk])
    context = {
        "signature": signature,
        "step": step,
        "due": due,
        "chaser": chaser,
        "step_url": link("pledges:step", token),
        **footer_context(signature),
    }
    key = f"step:{step.pk}:{signer_key(signature.canonical_email)}" + (":chaser" if chaser else "")
    email = queue_email(
        key,
        signature.email,
        "step_reminder",
        context,
        signature=signature,
        headers=unsubscribe_headers(signature),
        priority=Email.Priority.BULK,
    )
    return email is not None


def send_invitation(signature: Signature, invitation: Invitation, address: str) -> bool:
    """The one invitation this address will ever get; no text the signer typed goes in the subject."""
    refuse_url = link("pledges:refuse_invitations", make_token("invitee", [invitation.pk]))
    context = {
        "signature": signature,
        "sign_url": link("pledges:pledge", signature.pledge.slug),
        "refuse_url": refuse_url,
    }
    headers = {"List-Unsubscribe": f"<{refuse_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    email = queue_email(
        f"invite:{invitation.recipient_hash}",
        address,
        "invitation",
        context,
        signature=signature,
        headers=headers,
        scrub_after_send=True,
        priority=Email.Priority.BULK,
    )
    return email is not None


def broadcast_bodies(broadcast: Broadcast) -> dict:
    """The staff's Markdown as HTML and as clean plain text, every link absolute."""
    # An email's own heading is the subject: a "# heading" in the body becomes the next level down.
    body = re.sub(r"^# ", "## ", broadcast.body, flags=re.M)
    html, _ = render_markdown(body, figures={})
    html = mark_safe(absolute_links(html, settings.SITE_URL))
    return {"html_body": html, "text_body": html_to_text(html)}


def send_broadcast(broadcast: Broadcast, signature: Signature, key: str, to: str) -> Email | None:
    context = {
        "broadcast": broadcast,
        "signature": signature,
        **broadcast_bodies(broadcast),
        **footer_context(signature),
    }
    headers = unsubscribe_headers(signature)
    return queue_email(
        key, to, "broadcast", context, signature=signature, headers=headers, priority=Email.Priority.BULK
    )


EXAMPLE_TOKEN = "staff-test-copy"  # noqa: S105 - not a secret, not a signed token: the links open the "link does not work" page


def example_signer(broadcast: Broadcast) -> Signature:
    """An invented signer, never saved: a test copy names nobody real and its links act on nobody."""
    pledge = broadcast.pledge or Pledge.objects.order_by("position", "pk").first()
    return Signature(
        name="Sam Example",
        email="sam@example.invalid",
        pledge=pledge,
        role=broadcast.role or Role.HEADTEACHER,
        region=broadcast.region or Region.LONDON,
    )


def send_broadcast_test(broadcast: Broadcast, user) -> None:
    """Send the broadcast to the staff member as an invented signer would get it."""
    context = {
        "broadcast": broadcast,
        **broadcast_bodies(broadcast),
        "signature": example_signer(broadcast),
        "unsubscribe_url": link("pledges:unsubscribe", EXAMPLE_TOKEN),
        "preferences_url": link("pledges:preferences", EXAMPLE_TOKEN),
    }
    key = f"broadcast:{broadcast.pk}:test:{timezone.now().timestamp()}"
    with transaction.atomic():
        queue_email(key, user.email, "broadcast", context, user=user)
