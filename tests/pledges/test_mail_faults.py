"""Mail that always arrives, on the real stack: PostgreSQL, Redis, real Celery workers and an SMTP server we control.

Each test counts what the mail server received, by Message-ID and by recipient.
MAIL_OUTAGE_SECONDS shortens the outage test locally (CI runs the full two minutes).
"""

from __future__ import annotations

import os
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from pausecampaign.celery import app
from pledges.action_plan import services as actions
from pledges.models import Broadcast, Email, Pledge, Signature
from pledges.outbox import sweep
from tests.conftest import use_broker, wait_until
from tests.factories import ConfirmedSignatureFactory
from tests.pledges.conftest import form_data
from tests.smtp import SMTPServer

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

OUTAGE = float(os.environ.get("MAIL_OUTAGE_SECONDS", "120"))


@pytest.fixture
def stack(own_redis, start_worker, settings):
    """The test process publishes to a Redis of its own; workers are started by each test."""
    settings.SIGNING_RATE_PER_IP = 1_000_000
    settings.SIGNING_RATE_PER_DOMAIN = 1_000_000
    app.conf.task_always_eager = False
    use_broker(own_redis.url)
    server = SMTPServer()
    yield own_redis, start_worker, server
    server.stop()
    use_broker(settings.CELERY_BROKER_URL)


class Beat:
    """The sweep every few seconds, as Celery beat runs it in production."""

    def __init__(self, every: float) -> None:
        self.every = every
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.wait(self.every):
            try:
                sweep()
            finally:
                connection.close()

    def __enter__(self) -> Beat:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(10)


def sign(number: int, support: Pledge) -> int:
    return Client().post("/sign/", form_data([support], email=f"signer{number}@school{number % 7}.example")).status_code


def sent_count(**filters) -> int:
    return Email.objects.filter(state=Email.State.SENT, **filters).count()


def test_a_two_minute_mail_server_outage_loses_nothing_and_sends_nothing_twice(stack):
    redis, start_worker, server = stack
    support = Pledge.objects.get(slug="support-the-pause")
    start_worker(redis.url, email_url=server.url)
    with Beat(every=5):
        outage_started = time.monotonic()
        statuses = [sign(n, support) for n in range(200)]
        assert statuses == [302] * 200
        time.sleep(max(OUTAGE - (time.monotonic() - outage_started), 0))
        assert sent_count() == 0 and Email.objects.filter(state=Email.State.FAILED).count() == 0
        server.start()
        recovered = time.monotonic()
        assert wait_until(lambda: sent_count() == 200, timeout=150)
        delivered_after = time.monotonic() - recovered
    time.sleep(2)
    assert delivered_after < 120, f"all delivered {delivered_after:.0f} s after the server came back"
    assert len(server.message_ids()) == 200 and len(set(server.message_ids())) == 200
    assert len(set(server.recipients())) == 200
    assert Signature.objects.pending().count() == 200


def test_a_slow_mail_server_with_two_workers_and_the_sweep_sends_each_message_once(stack):
    redis, start_worker, server = stack
    server.delay = 2.0
    server.start()
    support = Pledge.objects.get(slug="support-the-pause")
    for _ in range(2):
        start_worker(redis.url, email_url=server.url, OUTBOX_LEASE_SECONDS="3")
    with Beat(every=1):
        assert [sign(n, support) for n in range(20)] == [302] * 20
        assert wait_until(lambda: sent_count() == 20, timeout=120)
        time.sleep(5)  # anything sent twice would arrive now
    assert len(server.message_ids()) == 20, "no message was delivered twice"
    assert len(set(server.recipients())) == 20


def test_a_recipient_refused_for_good_fails_with_the_reply_and_the_rest_arrive(stack):
    redis, start_worker, server = stack
    server.refuse["signer1@"] = "550 5.1.1 signer1: no such mailbox"
    server.start()
    support = Pledge.objects.get(slug="support-the-pause")
    start_worker(redis.url, email_url=server.url)
    with Beat(every=2):
        assert [sign(n, support) for n in range(3)] == [302] * 3
        assert wait_until(lambda: sent_count() == 2 and Email.objects.filter(state=Email.State.FAILED).exists())
    failed = Email.objects.get(state=Email.State.FAILED)
    assert failed.to == "signer1@school1.example"
    assert failed.last_error == "550 5.1.1 signer1: no such mailbox"
    assert sorted(server.recipients()) == ["signer0@school0.example", "signer2@school2.example"]


def test_confirmations_overtake_a_five_thousand_recipient_broadcast(stack):
    redis, start_worker, server = stack
    server.delay = 0.005
    server.start()
    support = Pledge.objects.get(slug="support-the-pause")
    ConfirmedSignatureFactory.create_batch(5000, pledge=support)
    start_worker(redis.url, email_url=server.url, queues="celery,mail")
    start_worker(redis.url, email_url=server.url, queues="bulk")
    broadcast = Broadcast.objects.create(subject="Update", body="An update for everyone.")
    broadcast.start()
    from pledges.tasks import fan_out_broadcast

    with Beat(every=5):
        fan_out_broadcast.delay(broadcast.pk)
        assert wait_until(lambda: sent_count(priority=Email.Priority.BULK) >= 200, timeout=120)
        signed_at = timezone.now()
        assert [sign(n, support) for n in range(50)] == [302] * 50
        transactional = Email.objects.filter(priority=Email.Priority.TRANSACTIONAL)
        assert wait_until(lambda: transactional.filter(state=Email.State.SENT).count() == 50, timeout=60)
        last_confirmation = max(transactional.values_list("sent_at", flat=True))
        assert wait_until(lambda: sent_count(priority=Email.Priority.BULK) == 5000, timeout=300)
    last_broadcast = max(Email.objects.filter(priority=Email.Priority.BULK).values_list("sent_at", flat=True))
    assert last_confirmation < last_broadcast, "every confirmation went before the broadcast finished"
    assert (last_confirmation - signed_at).total_seconds() < 15
    assert len(set(server.message_ids())) == len(server.message_ids()) == 5050
    assert actions.audience(broadcast).count() == 5000
