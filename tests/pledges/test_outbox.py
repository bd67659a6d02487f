from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from pledges.models import Email
from pledges.outbox import deliver, message_id, queue_email, sweep


def queue(key: str = "test:1") -> Email | None:
    return queue_email(key, "someone@example.org", "confirm", {"name": "Someone", "signatures": [], "confirm_url": "u"})


@pytest.mark.django_db
def test_it_queues_a_key_only_once():
    assert queue() is not None
    assert queue() is None
    assert Email.objects.count() == 1


@pytest.mark.django_db
def test_it_sends_a_row_once_however_often_it_is_nudged():
    email = queue()
    assert deliver(email.pk) is True
    assert deliver(email.pk) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == message_id(email)
    email.refresh_from_db()
    assert email.state == Email.State.SENT and email.sent_at is not None


@pytest.mark.django_db
def test_it_sweeps_a_row_whose_nudge_was_lost(django_capture_on_commit_callbacks):
    email = queue()  # outside on_commit capture: the nudge never fires, as when the broker is down
    assert sweep() == 0, "too fresh: its nudge may still be on the way"
    with time_machine.travel(timedelta(seconds=30)), django_capture_on_commit_callbacks(execute=True):
        assert sweep() == 1
    email.refresh_from_db()
    assert email.state == Email.State.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_it_resends_a_row_abandoned_by_a_dead_worker_with_the_same_message_id(settings):
    email = queue()
    Email.objects.filter(pk=email.pk).update(state=Email.State.SENDING, claimed_at=email.created_at)
    with time_machine.travel(timedelta(seconds=5)):
        assert sweep() == 0
    with time_machine.travel(settings.OUTBOX_STUCK_AFTER + timedelta(seconds=5)):
        assert sweep() == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == message_id(email)


@pytest.mark.django_db
def test_it_retries_a_failed_send_then_gives_up(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens on 9
    email = queue()
    assert deliver(email.pk) is False
    email.refresh_from_db()
    assert (email.state, email.attempts) == (Email.State.PENDING, 1)
    assert email.last_error
    Email.objects.filter(pk=email.pk).update(attempts=8)
    deliver(email.pk)
    email.refresh_from_db()
    assert email.state == Email.State.FAILED


@pytest.mark.django_db
def test_it_drains_every_waiting_row_in_batches_once():
    rows = [queue(f"test:{n}") for n in range(5)]
    from pledges.outbox import drain

    assert drain(batch=2) == 5
    assert drain(batch=2) == 0
    assert len(mail.outbox) == 5
    assert {m.extra_headers["Message-ID"] for m in mail.outbox} == {message_id(r) for r in rows}
    assert set(Email.objects.values_list("state", flat=True)) == {Email.State.SENT}
