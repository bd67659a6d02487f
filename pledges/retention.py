"""Retention: what the privacy notice promises to delete, deleted on schedule.

Every period is a setting, and the privacy notice shows the same settings, so the
two cannot drift. Each run logs what it removed, as numbers only.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from pledges.models import AuditEntry, Email, EmailPreference, Invitation, Signature, SiteSwitches, StepStatus

log = logging.getLogger(__name__)

REFUSED = [Signature.State.FRAUDULENT, Signature.State.REJECTED, Signature.State.INVALIDATED]


def purge_refused(now) -> int:
    """Held, rejected and invalidated signatures: never counted, deleted after RETAIN_REFUSED."""
    old = Signature.objects.annotate(decided=Coalesce("moderated_at", "created_at")).filter(
        state__in=REFUSED, decided__lt=now - settings.RETAIN_REFUSED
    )
    AuditEntry.objects.filter(signature__in=old).update(note="")
    deleted, _ = Signature.objects.filter(pk__in=old.values("pk")).delete()
    return deleted


def reduce_withdrawn(now) -> int:
    """Withdrawn rows keep only what the counts and statistics need (withdraw() does this at once)."""
    reduced = 0
    for signature in Signature.objects.filter(state=Signature.State.WITHDRAWN).exclude(name="").iterator():
        reduced += signature.reduce()
    return reduced


def scrub_sent_mail(now) -> int:
    """Sent (or given-up) messages lose their body and address after RETAIN_SENT_EMAIL; key, subject, times stay."""
    finished = Q(state=Email.State.SENT, sent_at__lt=now - settings.RETAIN_SENT_EMAIL) | Q(
        state=Email.State.FAILED, failed_at__lt=now - settings.RETAIN_SENT_EMAIL
    )
    return Email.objects.filter(finished).exclude(to="", text="", html="").update(to="", text="", html="", headers={})


def clear_sessions(now) -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=now).delete()
    return deleted


def end_of_campaign(now) -> int:
    """RETAIN_AFTER_CAMPAIGN after the end date staff set: no signer's personal data is left."""
    ended = SiteSwitches.current().campaign_ended_on
    if ended is None or now.date() < ended + settings.RETAIN_AFTER_CAMPAIGN:
        return 0
    with transaction.atomic():
        anonymised = sum(s.reduce(keep_link=False) for s in Signature.objects.iterator())
        Email.objects.exclude(to="").update(to="", text="", html="", headers={})
        StepStatus.objects.all().delete()
        EmailPreference.objects.all().delete()
        Invitation.objects.update(signature=None)
        AuditEntry.objects.exclude(note="").filter(signature__isnull=False).update(note="")
        get_user_model().objects.filter(is_staff=False, is_superuser=False).delete()
    return anonymised


JOBS = {
    "held, rejected or invalidated signatures deleted": purge_refused,
    "withdrawn signatures reduced": reduce_withdrawn,
    "sent emails scrubbed": scrub_sent_mail,
    "expired sessions cleared": clear_sessions,
    "signatures anonymised after the campaign ended": end_of_campaign,
}


def apply_retention(now=None) -> dict[str, int]:
    now = now or timezone.now()
    done = {name: job(now) for name, job in JOBS.items()}
    log.info("retention: %s", "; ".join(f"{n} {name}" for name, n in done.items()))
    return done
