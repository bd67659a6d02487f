"""Thin Celery tasks: they take ids and call the code that does the work."""

from __future__ import annotations

from celery import shared_task

from pledges import accounts, counting, invalidation, ledger, outbox, retention, services
from pledges.action_plan import services as action_plan
from pledges.models import Pledge


# A drain stops claiming after 20 s and a single send can wait on the server for about
# two minutes (six timeouts), so these limits are never reached by a working drain.
@shared_task(ignore_result=True, soft_time_limit=240, time_limit=300)
def deliver_email(email_id: int) -> None:
    outbox.deliver(email_id)


@shared_task(ignore_result=True, soft_time_limit=240, time_limit=300)
def deliver_waiting(priority: int = 0) -> int:
    return outbox.drain(priority=priority)


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    return outbox.sweep()


@shared_task(ignore_result=True)
def remind_unconfirmed() -> int:
    return services.remind_unconfirmed()


@shared_task(ignore_result=True)
def purge_expired() -> tuple[int, int]:
    return services.expire_and_purge()


@shared_task(ignore_result=True)
def apply_retention() -> dict:
    return retention.apply_retention()


@shared_task(ignore_result=True)
def recount() -> None:
    counting.recount_all()


@shared_task(ignore_result=True)
def notify_threshold(pledge_id: int) -> int:
    pledge = Pledge.objects.filter(pk=pledge_id).first()
    return services.notify_threshold_reached(pledge) if pledge else 0


@shared_task(ignore_result=True)
def run_invalidation(invalidation_id: int) -> int:
    return invalidation.run_invalidation(invalidation_id)


@shared_task(ignore_result=True)
def send_step_reminders() -> int:
    return action_plan.send_step_reminders()


@shared_task(ignore_result=True, acks_late=True)
def fan_out_broadcast(broadcast_id: int) -> int:
    return action_plan.fan_out(broadcast_id)


@shared_task(ignore_result=True)
def activate_commitments(ofsted_region: str | None = None) -> int:
    return ledger.activate_commitments(ofsted_region) if ofsted_region else ledger.activate_all()


@shared_task(ignore_result=True)
def link_accounts(emails: list[str]) -> None:
    for email in emails:
        accounts.link_account(email)


@shared_task(ignore_result=True)
def link_account(email: str) -> None:
    """What the release before link_accounts queued: kept while such messages may still wait."""
    accounts.link_account(email)


@shared_task(ignore_result=True)
def link_missing_accounts() -> int:
    return services.link_missing_accounts()
