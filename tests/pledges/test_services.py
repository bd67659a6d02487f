"""Against the real PostgreSQL and Redis: races and a broker that goes away."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import redis
from django.core import mail
from django.db import connection
from django.test import Client

from pausecampaign.celery import app
from pledges.counting import current_counts, total
from pledges.models import Email, Pledge, Signature
from pledges.tasks import sweep_outbox
from tests.conftest import use_broker, wait_until
from tests.pledges.conftest import confirm_link, form_data

SERVICE_DB = pytest.mark.django_db(transaction=True)


def all_at_once(count: int, action) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = action(index)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.mark.services
@SERVICE_DB
def test_it_keeps_one_signature_and_sends_one_email_for_twenty_concurrent_signings(postgres):
    support = Pledge.objects.get(slug="support-the-pause")
    data = form_data([support])
    statuses = all_at_once(20, lambda i: Client().post("/sign/", data).status_code)
    assert statuses == [302] * 20
    assert Signature.objects.count() == 1
    assert Email.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.services
@SERVICE_DB
def test_it_counts_a_link_clicked_twice_at_once_only_once(postgres):
    support = Pledge.objects.get(slug="support-the-pause")
    Client().post("/sign/", form_data([support]))
    link = confirm_link(mail.outbox[0])
    statuses = all_at_once(10, lambda i: Client().post(link).status_code)
    assert statuses == [200] * 10
    assert total(current_counts(), support.pk) == 1
    assert Signature.objects.counted().count() == 1


@pytest.mark.services
@SERVICE_DB
def test_it_keeps_a_signing_while_redis_is_down_and_sends_its_email_once_it_is_back(
    own_redis, start_worker, tmp_path, settings
):
    support = Pledge.objects.get(slug="support-the-pause")
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    app.conf.task_always_eager = False
    use_broker(own_redis.url)
    try:
        own_redis.stop()
        started = time.monotonic()
        response = Client().post("/sign/", form_data([support]))
        assert response.status_code == 302
        assert time.monotonic() - started < 5, "signing must not hang on a dead broker"
        email = Email.objects.get()
        assert email.state == Email.State.PENDING

        own_redis.start()
        start_worker(own_redis.url, mail_dir)
        old = email.created_at.replace(year=2000)  # as if its nudge had been lost long ago
        Email.objects.filter(pk=email.pk).update(created_at=old, next_attempt_at=old)
        sweep_outbox.delay()
        assert wait_until(lambda: Email.objects.get(pk=email.pk).state == Email.State.SENT)
        sweep_outbox.delay()  # a second sweep finds nothing to send
        time.sleep(1)
    finally:
        use_broker(settings.CELERY_BROKER_URL)
    sent = list(Path(mail_dir).iterdir())
    assert len(sent) == 1
    text = sent[0].read_text()
    assert "To: jane@example.com" in text
    assert "Confirm your #PauseOfsted signature" in text
    assert Signature.objects.get().state == Signature.State.PENDING


@pytest.mark.services
@SERVICE_DB
def test_it_sends_one_reminder_per_signer_when_two_beats_run_at_once(postgres):
    from datetime import timedelta

    import time_machine

    from pledges.action_plan.services import send_step_reminders
    from pledges.models import ActionStep
    from tests.factories import ConfirmedSignatureFactory

    support = Pledge.objects.get(slug="support-the-pause")
    signers = ConfirmedSignatureFactory.create_batch(30, pledge=support)
    step = ActionStep.objects.get(slug="write-to-your-union")
    with time_machine.travel(timedelta(days=step.due_after_days + 1)):
        sent = all_at_once(4, lambda i: send_step_reminders())
    assert sum(sent) == 30
    reminders = [m.to[0] for m in mail.outbox if m.subject.startswith("Next step")]
    assert sorted(reminders) == sorted(s.email for s in signers)


@pytest.mark.django_db
def test_it_makes_the_account_of_a_confirmed_address_after_the_confirmation_commits(
    client, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    support = Pledge.objects.get(slug="support-the-pause")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support]))
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        client.post(confirm_link(mail.outbox[0]))
    assert Signature.objects.get().state == Signature.State.CONFIRMED
    assert not EmailAddress.objects.exists(), "not on the confirmation's own path"
    for callback in after_commit:
        callback()
    assert EmailAddress.objects.get(email="jane@example.com").verified


@pytest.mark.django_db
def test_the_sweep_makes_an_account_whose_nudge_was_lost(client, django_capture_on_commit_callbacks):
    from allauth.account.models import EmailAddress

    from pledges.services import link_missing_accounts

    support = Pledge.objects.get(slug="support-the-pause")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support], email="Lost.Nudge@Example.org"))
    client.post(confirm_link(mail.outbox[0]))  # its after-commit work never runs: a lost nudge
    assert not EmailAddress.objects.exists()
    assert link_missing_accounts() == 1
    assert EmailAddress.objects.get(email="lost.nudge@example.org").verified
    assert link_missing_accounts() == 0, "once"


@pytest.mark.services
@SERVICE_DB
def test_it_links_the_accounts_of_confirmations_made_together_through_one_message(
    own_redis, start_worker, tmp_path, monkeypatch, settings
):
    from allauth.account.models import EmailAddress

    from pausecampaign import jobs
    from pledges import services

    support = Pledge.objects.get(slug="support-the-pause")
    addresses = [f"together{n}@example.org" for n in range(3)]
    for address in addresses:
        Client().post("/sign/", form_data([support], email=address))
    links = [confirm_link(message) for message in mail.outbox]
    monkeypatch.setattr(services, "accounts_to_link", jobs.Gathered("pledges.tasks.link_accounts", every=1.0))
    app.conf.task_always_eager = False
    use_broker(own_redis.url)
    try:
        for link in links:
            assert Client().post(link).status_code == 200
        time.sleep(1.5)
        assert redis.Redis.from_url(own_redis.url).llen("celery") == 2, "the first at once, the other two together"
        start_worker(own_redis.url, tmp_path)
        assert wait_until(lambda: EmailAddress.objects.filter(verified=True).count() == 3)
    finally:
        use_broker(settings.CELERY_BROKER_URL)
    assert sorted(EmailAddress.objects.values_list("email", flat=True)) == addresses
