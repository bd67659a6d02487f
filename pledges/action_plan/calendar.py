"""When each action is due, from the signer's confirmation: in days, or on the school calendar.

"Within the next half term" is due at the end of the first half term that starts after the
signer confirmed; "within the next term", at the end of the first term that starts after it.
Past the last term staff have entered, the step's days stand in. Because a later confirmation
is never due earlier, "everyone due by a date" is everyone confirmed before one cut-off, which
the database can answer.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from pledges.models import ActionStep, SchoolTerm


def periods(step: ActionStep) -> list[tuple[date, date]]:
    """(start, end) of each half term or term the step's rule counts, in order."""
    terms = list(SchoolTerm.objects.order_by("starts_on"))
    if step.due_rule == ActionStep.DueRule.NEXT_TERM:
        return [(t.starts_on, t.ends_on) for t in terms]
    if step.due_rule == ActionStep.DueRule.NEXT_HALF_TERM:
        halves = []
        for t in terms:
            halves += [(t.starts_on, t.half_term_starts_on - timedelta(days=1)), (t.returns_on, t.ends_on)]
        return halves
    return []


def due_on(step: ActionStep, confirmed: date, known: list[tuple[date, date]] | None = None) -> date:
    for start, end in periods(step) if known is None else known:
        if start > confirmed:
            return end
    return confirmed + timedelta(days=step.due_after_days)


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def due_by(step: ActionStep, day: date) -> Q:
    """Signatures (by confirmed_at) whose step is due on or before `day`."""
    by_days = Q(confirmed_at__lt=local_midnight(day - timedelta(days=step.due_after_days) + timedelta(days=1)))
    known = periods(step)
    if not known:
        return by_days
    # Confirmed before a period's start: due at that period's end at the latest (or an earlier one's).
    reached = [start for start, end in known if end <= day]
    last_start = known[-1][0]
    calendar = Q(confirmed_at__lt=local_midnight(max(reached))) if reached else Q(pk__in=[])
    beyond = Q(confirmed_at__gte=local_midnight(last_start)) & by_days
    return calendar | beyond
