"""Staff decisions that touch more than one row: each checks state, writes its audit row and queues work on commit.

Decisions about one signature (approve, hide, reject, restore …) are model methods on
Signature; the admin only calls these and shows the result.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from pausecampaign import jobs
from pledges.counting import COUNTS_CACHE_KEY, stored_counts
from pledges.invalidation import matching
from pledges.kept_pages import forget_kept_pages
from pledges.models import Broadcast, Invalidation, Pledge, PledgeVersion, SiteSwitches, log_action
from pledges.models.pledges import forget_pledges
from pledges.outbox import nudge


class ModerationError(Exception):
    pass


def set_switches(switches: SiteSwitches, changed: list[str], *, by) -> None:
    """Save the site switches; freezing takes a snapshot the public sees until staff unfreeze."""
    with transaction.atomic():
        switches.frozen_counts = {str(k): v for k, v in stored_counts().items()} if switches.counts_frozen else {}
        switches.save()
        log_action("site switches", actor=by, note=", ".join(changed))
    cache.delete(COUNTS_CACHE_KEY)


def revise_statement(pledge, statement: str, *, by) -> bool:
    """A pledge's words after people have signed them are a new version; before, the same one, corrected."""
    statement = statement.strip()
    with transaction.atomic():
        current = pledge.current_version()
        if current.statement == statement:
            return False
        if current.signatures.exists():
            PledgeVersion.objects.create(pledge=pledge, number=current.number + 1, statement=statement)
            log_action("new pledge version", actor=by, note=f"{pledge.slug} v{current.number + 1}")
        else:
            PledgeVersion.objects.filter(pk=current.pk).update(statement=statement)
        Pledge.objects.filter(pk=pledge.pk).update(statement=statement)
        pledge.statement = statement
        forget_pledges()
        forget_kept_pages()
    return True


def count_invalidation(invalidation: Invalidation) -> int:
    invalidation.matched = matching(invalidation).count()
    invalidation.save(update_fields=["matched"])
    return invalidation.matched


def start_invalidation(invalidation: Invalidation, *, by) -> bool:
    with transaction.atomic():
        if not invalidation.start():
            return False
        log_action("start invalidation", actor=by, note=str(invalidation))
        transaction.on_commit(lambda: jobs.enqueue("pledges.tasks.run_invalidation", invalidation.pk))
    return True


def cancel_invalidation(invalidation: Invalidation, *, by) -> bool:
    with transaction.atomic():
        if not invalidation.cancel():
            return False
        log_action("cancel invalidation", actor=by, note=str(invalidation))
    return True


def send_broadcast(broadcast: Broadcast, *, by) -> bool:
    """Start (or resume) a broadcast; each person still gets it once (pledges.action_plan.services.fan_out)."""
    with transaction.atomic():
        if not broadcast.start():
            return False
        log_action("send broadcast", actor=by, note=str(broadcast))
        transaction.on_commit(lambda: jobs.enqueue("pledges.tasks.fan_out_broadcast", broadcast.pk))
    return True


def retry_emails(emails, *, by) -> int:
    """Send failed messages again after mending the cause; each retry is audited."""
    retried = 0
    for email in emails:
        with transaction.atomic():
            if email.retry():
                log_action("retry email", actor=by, reason=email.last_error[:200], note=email.key)
                transaction.on_commit(lambda pk=email.pk, priority=email.priority: nudge(pk, priority))
                retried += 1
    return retried
