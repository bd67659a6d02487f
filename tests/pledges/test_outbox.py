"""The outbox: once per key, one sender per message, retries that outlast an outage, transactional first."""

from __future__ import annotations

import logging
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from pledges.models import AuditEntry, Email, MailServerStatus, Signature
from pledges.outbox import (
    claim_waiting,
    deliver,
    drain,
    message_id,
    queue_email,
    queue_message,
    queue_to_render,
    send_batch,
    server_wait,
    sweep,
)
from tests.pledges.conftest import confirm_link, form_data
from tests.smtp import SMTPServer


def queue(key: str = "test:1", to: str = "someone@example.org", priority: int = 0) -> Email | None:
    return queue_email(key, to, "confirm", {"name": "Someone", "signatures": [], "confirm_url": "u"}, priority=priority)


@pytest.fixture
def smtp(settings):
    server = SMTPServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    yield server
    server.stop()


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
    assert email.state == Email.State.SENT and email.sent_at is not None and email.claimed_by == ""


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
def test_it_resends_a_row_whose_worker_died_only_once_its_lease_has_run_out(settings):
    email = queue()
    claim_waiting(10, [0], owner="dead-worker")
    with time_machine.travel(timedelta(seconds=30)):
        sweep()
        assert Email.objects.get(pk=email.pk).state == Email.State.SENDING, "a live lease is never taken away"
    with time_machine.travel(settings.OUTBOX_LEASE + timedelta(seconds=5)):
        sweep()  # hands the row to a live worker (here, in-process)
    assert Email.objects.get(pk=email.pk).state == Email.State.SENT
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [message_id(email)]


@pytest.mark.django_db
def test_it_never_sends_a_row_it_no_longer_holds(settings):
    email = queue()
    mine = claim_waiting(10, [0], owner="slow-worker")
    # The slow worker's lease runs out; the sweep hands the row on and another worker sends it.
    with time_machine.travel(settings.OUTBOX_LEASE + timedelta(seconds=5)):
        sweep()
        assert Email.objects.get(pk=email.pk).state == Email.State.SENT
        assert send_batch(mine, owner="slow-worker") == 0, "it checks its claim before sending"
    assert len(mail.outbox) == 1
    assert Email.objects.get(pk=email.pk).state == Email.State.SENT


@pytest.mark.django_db
def test_it_checks_each_row_just_before_its_send_with_one_statement_not_the_whole_batch():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(20):
        queue(f"batch:{n}")
    mine = claim_waiting(50, [0])
    with CaptureQueriesContext(connection) as queries:
        assert send_batch(mine) == 20
    # Per email: hold (renew this row, if still ours) and mark it sent. Renewing the rest of the
    # batch before every send made it 3 statements and up to 49 row rewrites per email; the
    # mail server is noted as up once a batch, not once an email.
    assert len(queries.captured_queries) <= 2 * 20 + 1, [q["sql"][:60] for q in queries.captured_queries][:6]
    assert all(q["sql"].count(" IN (") == 0 for q in queries.captured_queries), "one row per statement"


@pytest.mark.django_db
def test_it_renews_the_rest_of_a_batch_slow_enough_to_spend_half_its_lease(monkeypatch):
    import time

    from pledges import outbox

    for n in range(3):
        queue(f"slow:{n}")
    mine = claim_waiting(50, [0])
    monkeypatch.setattr(outbox, "lease", lambda: timedelta(seconds=0.2))
    real_attempt = outbox.attempt
    monkeypatch.setattr(outbox, "attempt", lambda email: time.sleep(0.15) or real_attempt(email))
    renewed = []
    real_renew = outbox.renew
    monkeypatch.setattr(outbox, "renew", lambda rest, owner: renewed.append(len(rest)) or real_renew(rest, owner))
    assert send_batch(mine) == 3
    assert renewed and renewed[0] == 1, "after the first slow send, the one row still to come was held on"


@pytest.mark.django_db
def test_it_claims_transactional_mail_before_older_bulk_mail():
    bulk = [queue(f"bulk:{n}", priority=Email.Priority.BULK) for n in range(3)]
    with time_machine.travel(timedelta(seconds=5)):
        confirmation = queue("confirm:1")
        assert [e.pk for e in claim_waiting(2, [0, 1])] == [confirmation.pk, bulk[0].pk]
        assert claim_waiting(10, [0]) == [], "the transactional lane never takes bulk mail"


@pytest.mark.django_db
def test_it_fails_a_permanently_refused_recipient_at_once_and_sends_the_rest(smtp):
    smtp.refuse["nobody@"] = "550 5.1.1 No such user here"
    refused = queue("a", to="nobody@school.example")
    fine = queue("b", to="head@school.example")
    assert drain(max_seconds=3) == 1
    refused.refresh_from_db()
    assert refused.state == Email.State.FAILED and refused.failed_at is not None
    assert refused.last_error == "550 5.1.1 No such user here"
    assert Email.objects.get(pk=fine.pk).state == Email.State.SENT
    assert smtp.recipients() == ["head@school.example"]


@pytest.mark.django_db
def test_it_retries_a_temporarily_refused_recipient_with_growing_waits(smtp, settings):
    smtp.refuse["busy@"] = "450 4.2.1 Mailbox busy, try later"
    email = queue("a", to="busy@school.example")
    waits = []
    now = timezone.now()
    for _ in range(4):
        with time_machine.travel(now, tick=False):
            deliver(email.pk)
        email.refresh_from_db()
        assert email.state == Email.State.PENDING and email.last_error.startswith("450")
        waits.append((email.next_attempt_at - now).total_seconds())
        now = email.next_attempt_at
    assert waits == sorted(waits) and waits[0] >= settings.OUTBOX_FIRST_BACKOFF * 0.75
    with time_machine.travel(email.created_at + settings.OUTBOX_RETRY_WINDOW + timedelta(minutes=1)):
        deliver(email.pk)
    email.refresh_from_db()
    assert email.state == Email.State.FAILED and "gave up after" in email.last_error


@pytest.mark.django_db
def test_it_waits_out_a_mail_server_outage_without_spending_the_messages_retry_window(smtp, settings):
    smtp.stop()  # connections refused
    rows = [queue(f"k{n}", to=f"p{n}@school.example") for n in range(5)]
    assert drain(max_seconds=0.5) == 0
    status = MailServerStatus.objects.get()
    assert status.down_since is not None and status.failures == 1 and server_wait() > 0
    assert sum(Email.objects.get(pk=r.pk).attempts for r in rows) == 1, "one probe fails; the rest keep their tries"
    assert set(Email.objects.values_list("state", flat=True)) == {Email.State.PENDING}
    smtp.start()
    with time_machine.travel(timedelta(seconds=settings.MAIL_SERVER_MAX_BACKOFF + 1)):
        assert drain(max_seconds=3) == 5
    assert MailServerStatus.objects.get().down_since is None
    assert sorted(smtp.message_ids()) == sorted(message_id(r) for r in rows)


@pytest.mark.django_db
def test_it_lets_staff_send_a_failed_message_again_with_an_audit_row(smtp, django_capture_on_commit_callbacks):
    from tests.staff import staff_client

    smtp.refuse["nobody@"] = "550 No such user"
    email = queue("a", to="nobody@school.example")
    deliver(email.pk)
    lead = staff_client("Campaign lead")
    page = lead.get("/admin/pledges/email/").content.decode()
    assert "550 No such user" in page and "Oldest waiting" in page
    smtp.refuse.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lead.post("/admin/pledges/email/", {"action": "retry", "_selected_action": [email.pk]})
    email.refresh_from_db()
    assert email.state == Email.State.SENT
    entry = AuditEntry.objects.get(action="retry email")
    assert entry.actor == lead.user and entry.note == "a"
    moderator = staff_client("Moderator")
    assert moderator.get("/admin/pledges/email/").status_code == 403


@pytest.mark.django_db
def test_it_drains_every_waiting_row_in_batches_once():
    rows = [queue(f"test:{n}") for n in range(5)]
    assert drain(batch=2) == 5
    assert drain(batch=2) == 0
    assert len(mail.outbox) == 5
    assert {m.extra_headers["Message-ID"] for m in mail.outbox} == {message_id(r) for r in rows}


@pytest.mark.django_db
def test_it_dates_mail_in_london_time(smtp):
    long_line = "word " * 40 + "https://pauseofsted.example/a/very/long/link/that/must/stay/whole/" * 2
    with time_machine.travel("2026-07-01 12:00 +0000", tick=False):
        queue_message("wrap", "a@school.example", "Subject", long_line)
        assert drain(max_seconds=0.1) == 1
    (message,) = smtp.messages
    assert message["Date"].endswith("+0100"), message["Date"]
    assert parsedate_to_datetime(message["Date"]).utcoffset() == timedelta(hours=1)


@pytest.mark.django_db
def test_it_wraps_rendered_text_at_78_columns_but_keeps_links_whole(
    client, support, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support], name="A" + "b" * 60 + " " + "C" * 30))
    body = mail.outbox[0].body
    for line in body.splitlines():
        assert len(line) <= 78 or line.startswith("http"), line


@pytest.mark.django_db
def test_it_reports_waiting_confirmations_in_readiness_and_logs_once(client, settings, caplog):
    assert client.get("/healthz/ready").status_code == 200
    queue()
    with time_machine.travel(settings.OUTBOX_ALERT_AFTER + timedelta(seconds=30)):
        ready = client.get("/healthz/ready")
        assert ready.status_code == 503 and ready.json()["down"] == ["mail"]
        assert "oldest confirmation waiting" in ready.json()["mail"]
        assert client.get("/healthz/live").status_code == 200, "liveness never depends on mail"
        with caplog.at_level(logging.ERROR, logger="pledges.outbox"):
            sweep()
            sweep()
    stuck = [r for r in caplog.records if "transactional email stuck" in r.getMessage()]
    assert len(stuck) == 1 and stuck[0].levelno == logging.ERROR


@pytest.mark.django_db
@pytest.mark.parametrize("reply", ["421 4.7.0 Try again later, closing connection", "452 4.2.2 Mailbox full"])
def test_it_never_lets_one_deferred_message_hold_up_the_rest(smtp, reply):
    smtp.refuse["poison@"] = reply
    poison = queue("a", to="poison@school.example")
    others = [queue(f"b{n}", to=f"ok{n}@school.example") for n in range(3)]
    assert drain(max_seconds=1) == 3
    assert sorted(smtp.recipients()) == [f"ok{n}@school.example" for n in range(3)]
    poison.refresh_from_db()
    assert poison.state == Email.State.PENDING and poison.next_attempt_at > timezone.now()
    assert not MailServerStatus.objects.filter(down_since__isnull=False).exists(), "the server is not down"
    assert all(Email.objects.get(pk=o.pk).state == Email.State.SENT for o in others)


@pytest.mark.django_db
def test_it_stays_ready_while_one_recipient_s_server_defers(client, smtp, settings):
    smtp.refuse["defer@"] = "450 4.2.0 Greylisted, try later"
    queue("a", to="defer@school.example")
    drain(max_seconds=0.5)
    with time_machine.travel(settings.OUTBOX_ALERT_AFTER + timedelta(seconds=20)):
        assert client.get("/healthz/ready").status_code == 200, "a recipient's own deferral is not an outage"


@pytest.mark.django_db
def test_it_gives_back_what_it_has_not_tried_when_its_time_is_up():
    rows = [queue(f"k{n}") for n in range(3)]
    claimed = claim_waiting(10, [0])
    assert send_batch(claimed, deadline=0) == 0
    for row in rows:
        row.refresh_from_db()
        assert (row.state, row.attempts, row.claimed_by) == (Email.State.PENDING, 0, "")
    assert mail.outbox == []


def test_it_holds_a_row_longer_than_one_slow_send_can_take(settings):
    from pledges.outbox import lease

    settings.EMAIL_TIMEOUT = 20
    assert lease().total_seconds() >= 6 * 20


@pytest.mark.django_db
def test_it_lets_the_task_time_limit_through_instead_of_calling_it_a_failed_send(monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    from pledges import outbox

    email = queue()
    claimed = claim_waiting(10, [0])

    def out_of_time(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(outbox, "message", out_of_time)
    with pytest.raises(SoftTimeLimitExceeded):
        send_batch(claimed)
    email.refresh_from_db()
    assert email.state == Email.State.SENDING and email.last_error == "", "left for its lease to run out"


@pytest.mark.django_db
def test_it_renders_a_confirmation_when_it_sends_it_not_when_it_is_queued(
    client, support, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        assert client.post("/sign/", form_data([support], name="Jane O'Brien")).status_code == 302
    queued = Email.objects.get()
    signature = queued.signature
    assert (queued.template, queued.subject, queued.text, queued.html) == ("confirm", "", "", "")
    assert queued.context == {"name": "Jane O'Brien", "signatures": [signature.pk]}, "ids and words, no objects"
    assert deliver(queued.pk) is True
    [sent] = mail.outbox
    assert sent.subject == "Confirm your #PauseOfsted signature" and "Dear Jane O'Brien," in sent.body
    assert support.title in sent.body and "Jane O&#x27;Brien" in sent.alternatives[0][0]
    assert client.post(confirm_link(sent)).status_code == 200
    signature.refresh_from_db()
    assert signature.state == signature.State.CONFIRMED, "the link the worker made works"
    queued.refresh_from_db()
    assert queued.context == {} and queued.subject == sent.subject
    assert "/confirm/" not in queued.text and "Dear Jane O'Brien," in queued.text, "kept as sent, its link redacted"


@pytest.mark.django_db
def test_it_lists_only_the_signatures_still_there_when_it_renders(
    client, support, stand_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        client.post("/sign/", form_data([support, stand_down]))
    queued = Email.objects.get()
    Signature.objects.exclude(pk=queued.signature_id).delete()
    other = stand_down if queued.signature.pledge == support else support
    assert deliver(queued.pk) is True
    assert queued.signature.pledge.title in mail.outbox[0].body and other.title not in mail.outbox[0].body


@pytest.mark.django_db
def test_it_sends_nothing_for_a_signature_erased_before_its_email_went(
    client, support, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        client.post("/sign/", form_data([support]))
    queued = Email.objects.get()
    queued.signature.delete()
    assert deliver(queued.pk) is False and mail.outbox == []


def test_it_refuses_to_queue_an_email_no_worker_could_render():
    with pytest.raises(LookupError):
        queue_to_render("k", "a@example.org", "no_such_template", {})


@pytest.mark.django_db
def test_it_takes_a_row_from_the_release_before_rendering_moved_to_the_worker():
    # During a deploy the old web process still queues email after the migration has run; its
    # INSERT names neither template nor context, and the database fills them in.
    from django.db import connection

    old_columns = [f for f in Email._meta.concrete_fields if f.name not in {"id", "template", "context"}]
    values = {
        "key": "old:1", "to": "a@example.org", "to_hash": "h", "subject": "Hello", "text": "Body", "html": "",
        "headers": "{}", "state": "pending", "priority": 0, "next_attempt_at": timezone.now(), "claimed_by": "",
        "scrub_after_send": False, "attempts": 0, "last_error": "", "created_at": timezone.now(),
    }  # fmt: skip
    names = [f for f in old_columns if f.attname in values]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO pledges_email ({', '.join(quote(f.column) for f in names)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(names))})",
            [f.get_db_prep_save(values[f.attname], connection) if f.name != "headers" else "{}" for f in names],
        )
    email = Email.objects.get(key="old:1")
    assert (email.template, email.context) == ("", {})
    assert deliver(email.pk) is True and mail.outbox[0].subject == "Hello" and mail.outbox[0].body == "Body"


@pytest.mark.django_db
def test_it_shows_staff_an_unwritten_confirmation_by_its_template_and_never_its_stored_context(
    client, support, django_capture_on_commit_callbacks
):
    from tests.staff import staff_client

    with django_capture_on_commit_callbacks(execute=False):
        client.post("/sign/", form_data([support], name="Priya Unwritten"))
    email = Email.objects.get()
    lead = staff_client("Campaign lead")
    listing = lead.get("/admin/pledges/email/").content.decode()
    assert "(written when sent, from the “confirm” email)" in listing
    page = lead.get(f"/admin/pledges/email/{email.pk}/change/").content.decode()
    assert "(written when sent" in page and "Context:" not in page and 'name="context"' not in page
