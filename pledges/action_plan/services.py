"""The action plan: step reminders, done marks, email choices, invitations and broadcasts.

Each "exactly once" rests on a unique row: StepStatus per signer and step, Invitation
per recipient, and the outbox key per message, so two beat processes or a restarted
task cannot send anything twice. The emails themselves are built in pledges/emails.py.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from pledges import emails
from pledges.action_plan import calendar
from pledges.addresses import canonical_email
from pledges.disclosure import suppress_rows
from pledges.hashing import hash_value, signer_key
from pledges.models import ActionStep, Broadcast, EmailPreference, Invitation, Region, Signature, StepStatus
from pledges.ratelimit import hit


class ActionError(Exception):
    pass


DAY = 24 * 60 * 60


def preferences_for(canonical: str) -> EmailPreference:
    return EmailPreference.objects.filter(canonical_email=canonical).first() or EmailPreference(
        canonical_email=canonical
    )


def one_signature_per_signer(signatures: QuerySet[Signature]) -> QuerySet[Signature]:
    """The first signature of each canonical address: a person is reminded once, not once per pledge."""
    firsts = signatures.values("canonical_email").annotate(first=Min("pk")).values("first")
    return Signature.objects.filter(pk__in=firsts)


# Which mark a reminder and a chaser leave on the signer's StepStatus row.
MARKS = {"reminder": "reminded_at", "chaser": "chased_at"}


def due_for(step: ActionStep, now, kind: str = "reminder") -> QuerySet[Signature]:
    """Signers owed the reminder (the step falls due within its lead time) or the chaser (overdue by its grace)."""
    today = timezone.localtime(now).date()
    if kind == "reminder":
        due = calendar.due_by(step, today + timedelta(days=step.remind_days_before))
    else:
        due = calendar.due_by(step, today - timedelta(days=step.chase_days_after))
    mine = StepStatus.objects.filter(step=step, canonical_email=OuterRef("canonical_email"))
    settled = mine.filter(Q(done_at__isnull=False) | Q(**{f"{MARKS[kind]}__isnull": False}))
    opted_out = EmailPreference.objects.filter(canonical_email=OuterRef("canonical_email"), reminders=False)
    signatures = (
        Signature.objects.counted()
        .filter(due, pledge__in=step.pledges.all())
        .exclude(Exists(settled))
        .exclude(Exists(opted_out))
    )
    if kind == "chaser":
        # A chaser follows a reminder sent at least two days before: never both in one beat.
        signatures = signatures.filter(Exists(mine.filter(reminded_at__lte=now - timedelta(days=2))))
    return one_signature_per_signer(signatures)


def claim_reminder(canonical: str, step: ActionStep, now, kind: str = "reminder") -> bool:
    """True for exactly one caller per signer, step and kind, however many run at once."""
    try:
        with transaction.atomic():
            StepStatus.objects.get_or_create(canonical_email=canonical, step=step)
    except IntegrityError:
        pass  # another process made the row; the conditional update below decides
    mark = MARKS[kind]
    won = StepStatus.objects.filter(
        canonical_email=canonical, step=step, done_at__isnull=True, **{f"{mark}__isnull": True}
    ).update(**{mark: now})
    return bool(won)


def send_step_reminders(now=None, batch: int = 500) -> int:
    """One reminder before each step is due and one chaser after, per signer, each sent once."""
    now = now or timezone.now()
    sent = 0
    for step in ActionStep.objects.prefetch_related("pledges"):
        known = calendar.periods(step)
        for kind in ("reminder", "chaser"):
            for signature in due_for(step, now, kind).select_related("pledge").order_by("pk")[:batch]:
                with transaction.atomic():
                    if claim_reminder(signature.canonical_email, step, now, kind):
                        due = calendar.due_on(step, timezone.localtime(signature.confirmed_at).date(), known)
                        sent += emails.send_step_reminder(signature, step, due=due, chaser=kind == "chaser")
    return sent


def step_progress(today=None) -> list[dict]:
    """For organisers: per step and region, how many signers have done it and how many are overdue."""
    today = today or timezone.localdate()
    rows = []
    for step in ActionStep.objects.prefetch_related("pledges"):
        signers = one_signature_per_signer(Signature.objects.counted().filter(pledge__in=step.pledges.all()))
        done = StepStatus.objects.filter(step=step, canonical_email=OuterRef("canonical_email"), done_at__isnull=False)
        by_region = {
            row["region"]: row
            for row in signers.annotate(is_done=Exists(done))
            .values("region")
            .annotate(
                done=Count("pk", filter=Q(is_done=True)),
                overdue=Count("pk", filter=Q(calendar.due_by(step, today), is_done=False)),
            )
        }
        regions = [
            {
                "region": r.label,
                "done": by_region.get(r.value, {}).get("done", 0),
                "overdue": by_region.get(r.value, {}).get("overdue", 0),
            }
            for r in Region
        ]
        regions = suppress_rows(suppress_rows(regions, "done", with_total=False), "overdue", with_total=False)
        rows.append({"step": step, "regions": regions})
    return rows


def mark_done(signature: Signature, step: ActionStep) -> bool:
    try:
        with transaction.atomic():
            StepStatus.objects.get_or_create(canonical_email=signature.canonical_email, step=step)
    except IntegrityError:
        pass
    won = StepStatus.objects.filter(canonical_email=signature.canonical_email, step=step, done_at__isnull=True).update(
        done_at=timezone.now()
    )
    return bool(won)


def is_done(signature: Signature, step: ActionStep) -> bool:
    return StepStatus.objects.filter(
        canonical_email=signature.canonical_email, step=step, done_at__isnull=False
    ).exists()


def set_preferences(signature: Signature, *, reminders: bool, updates: bool) -> EmailPreference:
    preference, _ = EmailPreference.objects.update_or_create(
        canonical_email=signature.canonical_email, defaults={"reminders": reminders, "updates": updates}
    )
    return preference


PLACEHOLDER = re.compile(r"\{(name|school|role|pledges|union)\}")


def letter_for(signature: Signature, step: ActionStep) -> str:
    """The step's template letter, filled in. Only known placeholders are replaced: no format() tricks."""
    signed = Signature.objects.counted().filter(canonical_email=signature.canonical_email).select_related("pledge")
    values = {
        "name": signature.name,
        "school": signature.school.name if signature.school else "my school",
        "role": signature.get_role_display().lower(),
        "pledges": "; ".join(f"“{s.pledge.title}”" for s in signed) or f"“{signature.pledge.title}”",
        "union": signature.get_union_display() if signature.union else "my union",
    }
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], step.template_letter)


def invite_colleagues(signature: Signature, addresses: list[str], ip_hash: str) -> int:
    """Email up to three colleagues an invitation naming the signer; returns how many were accepted.

    Each address is invited once, ever, by anyone, and never after it has asked for no
    more (the Invitation row, by hashed address, is the guarantee). A signer may send
    INVITES_PER_SIGNER_PER_DAY in any 24 hours. The answer never says which colleague
    was invited before, so the form cannot be used to learn who knows the campaign.
    """
    if len(addresses) > 3:
        raise ActionError("You can invite up to three colleagues at a time")
    if hit(f"invite-ip:{ip_hash}", window_seconds=DAY) > settings.INVITES_PER_IP_PER_DAY:
        raise ActionError("You have sent a lot of invitations today. Please try again tomorrow.")
    own = signature.canonical_email
    colleagues = {canonical_email(a): a for a in addresses if canonical_email(a) != own}
    cap = settings.INVITES_PER_SIGNER_PER_DAY
    with transaction.atomic():
        # Hold the signer's rows so that two forms sent at once cannot both pass the daily cap.
        list(Signature.objects.select_for_update().filter(canonical_email=own).values_list("pk", flat=True))
        since = timezone.now() - timedelta(days=1)
        today = Invitation.objects.filter(signature__canonical_email=own, created_at__gte=since).count()
        if today + len(colleagues) > cap:
            raise ActionError(f"You can invite up to {cap} colleagues a day. Please try again tomorrow.")
        for colleague, address in colleagues.items():
            digest = hash_value("invitee", colleague)
            try:
                with transaction.atomic():
                    invitation = Invitation.objects.create(recipient_hash=digest, signature=signature)
            except IntegrityError:
                continue  # invited before, by anyone, or asked for no more: never again
            emails.send_invitation(signature, invitation, address)
    return len(colleagues)


def steps_done() -> list[dict]:
    """How many signers have done each step (for the public counts page)."""
    steps = ActionStep.objects.annotate(done=Count("statuses", filter=Q(statuses__done_at__isnull=False)))
    return suppress_rows([{"title": step.title, "done": step.done} for step in steps], "done", with_total=False)


# Broadcasts


def audience(broadcast: Broadcast) -> QuerySet[Signature]:
    signatures = Signature.objects.counted()
    if broadcast.pledge_id:
        signatures = signatures.filter(pledge_id=broadcast.pledge_id)
    if broadcast.region:
        signatures = signatures.filter(region=broadcast.region)
    if broadcast.role:
        signatures = signatures.filter(role=broadcast.role)
    if broadcast.step_id and broadcast.step_filter != Broadcast.StepFilter.ANY:
        done = StepStatus.objects.filter(
            step_id=broadcast.step_id, canonical_email=OuterRef("canonical_email"), done_at__isnull=False
        )
        signatures = signatures.filter(Exists(done) if broadcast.step_filter == "done" else ~Exists(done))
    opted_out = EmailPreference.objects.filter(canonical_email=OuterRef("canonical_email"), updates=False)
    return one_signature_per_signer(signatures.exclude(Exists(opted_out)))


def fan_out(broadcast_id: int, batch: int = 500) -> int:
    """Queue the broadcast for its whole audience, in batches; safe to run again after a crash."""
    broadcast = Broadcast.objects.get(pk=broadcast_id)
    if broadcast.state != Broadcast.State.SENDING:
        return 0
    recipients = audience(broadcast).order_by("pk")
    Broadcast.objects.filter(pk=broadcast_id).update(audience_size=recipients.count())
    queued = 0
    last_pk = 0
    while True:
        page = list(recipients.filter(pk__gt=last_pk).select_related("pledge")[:batch])
        if not page:
            break
        with transaction.atomic():
            for signature in page:
                key = f"broadcast:{broadcast_id}:{signer_key(signature.canonical_email)}"
                queued += emails.send_broadcast(broadcast, signature, key, signature.email) is not None
        last_pk = page[-1].pk
        Broadcast.objects.filter(pk=broadcast_id).update(queued=broadcast.emails().count())
    Broadcast.objects.filter(pk=broadcast_id).update(state=Broadcast.State.SENT, finished_at=timezone.now())
    return queued
