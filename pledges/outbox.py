"""The durable outbox: emails are rows first, SMTP second.

queue_email() writes the message in the caller's transaction and, once that
commits, nudges a Celery worker on the message's lane (transactional or bulk).

Sending, and the promises it keeps:
- **One sender per message.** A worker claims rows with a conditional UPDATE that
  records its name and a lease. Just before each send it renews that row's lease, and
  sends only if the row is still its own (one conditional UPDATE); a batch slow enough
  to spend half a lease renews the rest of itself. The sweep re-queues only rows
  whose lease has run out. The one duplicate left possible is a worker killed between
  the server accepting a message and the row being marked sent: the message goes
  again with the same Message-ID, which mail clients treat as the same message.
- **Transactional first.** Rows are claimed in priority order, and the transactional
  lane has its own queue, so a broadcast never holds up a confirmation.
- **Retries that outlast an outage.** A refused or dropped connection is the server's
  state, not a message's: workers stop, wait with growing, jittered pauses (capped at
  MAIL_SERVER_MAX_BACKOFF) and probe again. A temporary refusal of one message (4xx)
  is retried with its own growing waits; a permanent one (5xx for that recipient)
  fails at once with the reply stored. Nothing is given up before OUTBOX_RETRY_WINDOW.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import random
import smtplib
import socket
import threading
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from enum import Enum
from urllib.parse import urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, F, Min, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

from pausecampaign import jobs
from pausecampaign.mail import redact_secrets, render_html, render_subject, render_text, wrap_text
from pledges.hashing import recipient_hash
from pledges.models import Email, MailServerStatus, Signature

log = logging.getLogger(__name__)

NUDGE_GRACE = timedelta(seconds=10)
WORKER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    context = {"SITE_URL": settings.SITE_URL, "SITE_NAME": settings.SITE_NAME, **context}
    subject = render_subject(f"emails/{template}_subject.txt", context)
    text = wrap_text(render_text(f"emails/{template}.txt", context))
    html = render_html(f"emails/{template}.html", context)
    return subject, text, html


def queue_email(key: str, to: str, template: str, context: dict, **kwargs) -> Email | None:
    """Render templates/emails/<template>* and queue the result (see queue_message)."""
    subject, text, html = render_email(template, context)
    return queue_message(key, to, subject, text, html, **kwargs)


# Templates the worker renders at send time: template → builds its context from the stored one.
RENDERED_WHEN_SENT: dict[str, Callable[[dict], dict]] = {}


def rendered_when_sent(template: str):
    """Register how the worker builds `template`'s context from the ids and words stored with the row."""

    def register(build: Callable[[dict], dict]) -> Callable[[dict], dict]:
        RENDERED_WHEN_SENT[template] = build
        return build

    return register


def queue_to_render(key: str, to: str, template: str, stored: dict, **kwargs) -> Email | None:
    """Queue an email the worker renders when it sends it: off the request's path (see queue_message).

    `stored` must be JSON: ids and words, never objects; RENDERED_WHEN_SENT[template] turns it
    into the template's context at send time.
    """
    if template not in RENDERED_WHEN_SENT:
        raise LookupError(f"no context builder registered for the {template!r} email")
    return queue_message(key, to, "", "", template=template, context=stored, **kwargs)


def render_stored(email: Email) -> None:
    """Fill in a row queued by queue_to_render: its subject, text and HTML, from its stored context."""
    if not email.template or email.text:
        return
    context = RENDERED_WHEN_SENT[email.template](email.context)
    email.subject, email.text, email.html = render_email(email.template, context)


def queue_message(
    key: str,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    *,
    signature: Signature | None = None,
    user=None,
    headers: dict | None = None,
    scrub_after_send: bool = False,
    priority: int = Email.Priority.TRANSACTIONAL,
    template: str = "",
    context: dict | None = None,
) -> Email | None:
    """Record an email to send once the current transaction commits; None if the key exists.

    The key decides in the database (ON CONFLICT DO NOTHING): no savepoint, no error to catch.
    """
    email = Email(
        key=key,
        to=to,
        to_hash=recipient_hash(to),
        subject=subject,
        text=text,
        html=html,
        headers=headers or {},
        signature=signature,
        user=user,
        scrub_after_send=scrub_after_send,
        priority=priority,
        template=template,
        context=context or {},
    )
    if not Email.objects.insert_unless_keyed(email):
        return None
    transaction.on_commit(lambda: nudge(email.pk, priority))
    return email


NUDGE_EVERY = 0.1
LINGER = 0.3
_last_nudge: dict[int, float] = {}


def nudge(email_id: int, priority: int = Email.Priority.TRANSACTIONAL, *, whole_lane: bool = False) -> None:
    """Tell a worker on the message's lane there is mail. Under a surge, one nudge per NUDGE_EVERY per lane.

    A skipped nudge loses nothing: it is skipped only within NUDGE_EVERY of a published
    one, and the drain that nudge starts looks again LINGER (> NUDGE_EVERY) after it
    finds the outbox empty. The sweep is the backstop for anything else.
    """
    try:
        if jobs.eager():
            # In-process: a request sends its own message; the sweep drains the lane.
            if whole_lane:
                drain(priority=priority)
            else:
                deliver(email_id)
            return
        now = time.monotonic()
        if now - _last_nudge.get(priority, 0.0) < NUDGE_EVERY:
            return
        _last_nudge[priority] = now
        jobs.enqueue_on("pledges.tasks.deliver_waiting", lane_queue(priority), priority=priority)
    except Exception:
        log.warning("could not queue email %s; the outbox sweep will send it", email_id, exc_info=True)


def lane_queue(priority: int) -> str:
    return "mail" if priority == Email.Priority.TRANSACTIONAL else "bulk"


def message_id(email: Email) -> str:
    digest = hashlib.sha256(email.key.encode()).hexdigest()[:32]
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{digest}@{domain}>"


_smtp = threading.local()


def smtp_connection():
    """One SMTP connection per worker thread, kept open between messages.

    A handshake per message costs the worker and the mail server more than the
    message itself; under a surge that is the difference that matters.
    """
    connection = getattr(_smtp, "connection", None)
    if connection is None:
        connection = _smtp.connection = get_connection()
    connection.open()
    return connection


def drop_smtp_connection() -> None:
    connection = getattr(_smtp, "connection", None)
    _smtp.connection = None
    if connection is not None:
        # It is broken already; we only want it gone.
        with contextlib.suppress(Exception):
            connection.close()


# The mail server's state


def server_status() -> MailServerStatus:
    return MailServerStatus.objects.get_or_create(pk=1)[0]


def server_wait() -> float:
    """Seconds until the mail server may be tried again (0 when it is believed up)."""
    retry_at = MailServerStatus.objects.filter(pk=1).values_list("retry_at", flat=True).first()
    if retry_at is None:
        return 0.0
    return max((retry_at - timezone.now()).total_seconds(), 0.0)


def note_server_down(exc: Exception) -> None:
    status = server_status()
    failures = status.failures + 1
    pause = min(settings.MAIL_SERVER_FIRST_BACKOFF * 2 ** (failures - 1), settings.MAIL_SERVER_MAX_BACKOFF)
    pause *= random.uniform(0.75, 1.0)  # jitter: workers do not all come back at once
    now = timezone.now()
    MailServerStatus.objects.filter(pk=1).update(
        failures=failures,
        down_since=status.down_since or now,
        retry_at=now + timedelta(seconds=pause),
        last_error=describe(exc),
    )
    log.warning("mail server unavailable (%s failures in a row): %s; next try in %.0f s", failures, exc, pause)


def note_server_up() -> None:
    if (
        MailServerStatus.objects.filter(pk=1)
        .exclude(failures=0)
        .update(failures=0, down_since=None, retry_at=None, last_error="")
    ):
        log.info("mail server reachable again")
        # Messages parked behind the outage go now, not at their own later times.
        Email.objects.filter(state=Email.State.PENDING, next_attempt_at__gt=timezone.now(), attempts__gt=0).filter(
            last_error__startswith="server:"
        ).update(next_attempt_at=timezone.now())


# Claiming and sending


class Outcome(Enum):
    SENT = "sent"
    LOST_CLAIM = "lost claim"
    TEMPORARY = "temporary"
    PERMANENT = "permanent"
    SERVER = "server"


def lease() -> timedelta:
    # Longer than one send can take, so a live worker never loses a row mid-send: a send
    # waits on the server up to six times (connect, EHLO, MAIL, RCPT, DATA, end of data).
    timeout = getattr(settings, "EMAIL_TIMEOUT", None) or 0
    return max(settings.OUTBOX_LEASE, timedelta(seconds=6 * timeout + 10))


def claim_waiting(batch: int, priorities: list[int], owner: str = WORKER) -> list[Email]:
    """Take up to `batch` due rows, transactional first; concurrent workers skip each other's rows."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Email.objects.select_for_update(skip_locked=True)
            .filter(state=Email.State.PENDING, next_attempt_at__lte=now, priority__in=priorities)
            .order_by("priority", "next_attempt_at", "pk")
            .values_list("pk", flat=True)[:batch]
        )
        Email.objects.filter(pk__in=ids).update(
            state=Email.State.SENDING,
            claimed_by=owner,
            claimed_at=now,
            lease_until=now + lease(),
            attempts=F("attempts") + 1,
        )
    return list(Email.objects.filter(pk__in=ids).order_by("priority", "next_attempt_at", "pk"))


def hold(email: Email, owner: str = WORKER) -> bool:
    """Just before its send: renew this row's lease if it is still this worker's; False if it is not.

    One conditional UPDATE of one row: renewing the whole rest of the batch before every send
    rewrote up to 49 rows per email, which under a surge was most of what the outbox cost PostgreSQL.
    """
    now = timezone.now()
    return bool(
        Email.objects.filter(pk=email.pk, state=Email.State.SENDING, claimed_by=owner, lease_until__gt=now).update(
            lease_until=now + lease()
        )
    )


def renew(emails: list[Email], owner: str = WORKER) -> None:
    """Extend the lease on those of these rows this worker still holds (each is checked again by hold)."""
    now = timezone.now()
    Email.objects.filter(
        pk__in=[e.pk for e in emails], state=Email.State.SENDING, claimed_by=owner, lease_until__gt=now
    ).update(lease_until=now + lease())


def drain(batch: int = 50, max_seconds: float = 20, priority: int = Email.Priority.TRANSACTIONAL) -> int:
    """Send what is due, batch by batch, until the lane stays empty for LINGER seconds.

    A bulk drain also takes transactional rows first, so a long broadcast gives way.
    """
    priorities = [Email.Priority.TRANSACTIONAL] + ([Email.Priority.BULK] if priority == Email.Priority.BULK else [])
    deadline = time.monotonic() + max_seconds
    sent = 0
    lingered = False
    while time.monotonic() < deadline:
        wait = server_wait()
        if wait:
            if wait > deadline - time.monotonic():
                return sent  # the sweep wakes a drain once the pause is over
            time.sleep(wait)
        emails = claim_waiting(batch, priorities)
        if not emails:
            if lingered:
                return sent
            lingered = True
            time.sleep(LINGER)
            continue
        lingered = False
        sent += send_batch(emails, deadline=deadline)
    nudge(0, priority, whole_lane=True)  # out of time with mail still waiting: hand over to the next drain
    return sent


def deliver(email_id: int) -> bool:
    """Send one outbox row if it is due; True if this call sent it."""
    if server_wait():
        return False
    now = timezone.now()
    claimed = Email.objects.filter(pk=email_id, state=Email.State.PENDING, next_attempt_at__lte=now).update(
        state=Email.State.SENDING,
        claimed_by=WORKER,
        claimed_at=now,
        lease_until=now + lease(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return False
    return send_batch([Email.objects.get(pk=email_id)]) == 1


def send_batch(emails: list[Email], owner: str = WORKER, deadline: float | None = None) -> int:
    """Send rows this worker claimed, checking before each that it still holds it.

    Past the drain's deadline the untried rest goes back at once, so a slow server
    never carries a batch into the task's time limit.
    """
    sent = 0
    renewed = time.monotonic()  # the batch was claimed (or its leases renewed) just now
    told_up = False
    for index, email in enumerate(emails):
        if deadline is not None and time.monotonic() > deadline:
            give_back(emails[index:], None, owner, untried=True)
            return sent
        if time.monotonic() - renewed > lease().total_seconds() / 2:
            # A slow batch: the rest of it, held on, so the sweep never hands on rows this worker will reach.
            renew(emails[index + 1 :], owner)
            renewed = time.monotonic()
        if not hold(email, owner):
            continue  # the lease ran out and another worker has it now: never send twice
        outcome, exc = attempt(email)
        if outcome is Outcome.SENT:
            if mark_sent(email, owner):
                sent += 1
            if not told_up:
                note_server_up()  # once a batch: the first message through says the server is back
                told_up = True
        elif outcome is Outcome.SERVER:
            note_server_down(exc)
            give_back([email], exc, owner, server=True)
            give_back(emails[index + 1 :], None, owner, untried=True)
            return sent
        else:
            settle_failure(email, outcome, exc, owner)
    return sent


def attempt(email: Email) -> tuple[Outcome, Exception | None]:
    persistent = settings.EMAIL_BACKEND.endswith("smtp.EmailBackend")
    for retry in (False, True):
        try:
            connection = smtp_connection() if persistent else None
            message(email, connection).send()
            return Outcome.SENT, None
        except SoftTimeLimitExceeded:
            # The task is out of time mid-send: the server may have the message. Keep the
            # row as it is; its lease runs out and it goes again with the same Message-ID.
            raise
        except Exception as exc:  # noqa: BLE001 - classified below; nothing may escape the loop
            drop_smtp_connection()
            outcome = classify(exc)
            if outcome is Outcome.SERVER and persistent and not retry:
                continue  # the kept connection may have been closed by the server: reconnect once
            return outcome, exc
    raise AssertionError("unreachable")


def classify(exc: Exception) -> Outcome:
    """Is this failure the server's, this message's for now, or this message's for good?"""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return Outcome.PERMANENT if codes and all(500 <= c < 600 for c in codes) else Outcome.TEMPORARY
    if isinstance(exc, (smtplib.SMTPSenderRefused, smtplib.SMTPAuthenticationError, smtplib.SMTPHeloError)):
        return Outcome.SERVER  # our sender or login is refused: every message would be, so wait for staff
    if isinstance(exc, smtplib.SMTPResponseException):
        # A 421 after the greeting answers this message (its content or recipient), not the
        # server for everyone: it waits its own turn, so it can never hold up all mail.
        return Outcome.PERMANENT if 500 <= exc.smtp_code < 600 else Outcome.TEMPORARY
    if isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError)):
        return Outcome.SERVER
    return Outcome.TEMPORARY


def describe(exc: Exception | None) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        text = "; ".join(f"{code} {reply.decode(errors='replace')}" for code, reply in exc.recipients.values())
    elif isinstance(exc, smtplib.SMTPResponseException):
        reply = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        text = f"{exc.smtp_code} {reply}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return " ".join(text.split())[:280]


def message(email: Email, connection) -> EmailMultiAlternatives:
    render_stored(email)
    built = EmailMultiAlternatives(
        email.subject,
        email.text,
        settings.DEFAULT_FROM_EMAIL,
        [email.to],
        headers={"Message-ID": message_id(email), **email.headers},
        connection=connection,
    )
    if email.html:
        built.attach_alternative(email.html, "text/html")
    return built


def mark_sent(email: Email, owner: str = WORKER) -> bool:
    # Links and sign-in codes are gone the moment the message is: nobody who reads the
    # outbox later (staff, a backup, a subject access export) can act as its reader.
    sent = {
        "state": Email.State.SENT,
        "sent_at": timezone.now(),
        "last_error": "",
        "claimed_by": "",
        "lease_until": None,
        "text": redact_secrets(email.text),
        "html": redact_secrets(email.html),
        "headers": {},
        # What the worker rendered is kept as any other sent email's is (links redacted); the ids go.
        "subject": email.subject,
        "context": {},
    }
    if email.scrub_after_send:
        # An invitation to a colleague: their address is not ours to keep.
        sent.update(to="", text="", html="", subject="(invitation, content removed after sending)")
    return bool(Email.objects.filter(pk=email.pk, claimed_by=owner, state=Email.State.SENDING).update(**sent))


def give_back(
    emails: list[Email], exc: Exception | None, owner: str = WORKER, *, server: bool = False, untried: bool = False
) -> None:
    """Return rows this worker holds to the queue; a server failure is not the messages' fault.

    Untried rows keep their place and their count of attempts. The row that met a down
    server waits until the next probe, so the others go first once it is back.
    """
    mine = Email.objects.filter(pk__in=[e.pk for e in emails], claimed_by=owner, state=Email.State.SENDING)
    if untried:
        mine.update(state=Email.State.PENDING, claimed_by="", lease_until=None, attempts=F("attempts") - 1)
        return
    retry_at = timezone.now() + timedelta(seconds=server_wait())
    mine.update(
        state=Email.State.PENDING,
        claimed_by="",
        lease_until=None,
        last_error=("server: " if server else "") + describe(exc),
        next_attempt_at=retry_at,
    )


def backoff(attempts: int) -> float:
    """Seconds before a message's next try: growing, jittered, capped."""
    pause = min(settings.OUTBOX_FIRST_BACKOFF * 2 ** max(attempts - 1, 0), settings.OUTBOX_MAX_BACKOFF)
    return pause * random.uniform(0.75, 1.25)


def settle_failure(email: Email, outcome: Outcome, exc: Exception | None, owner: str = WORKER) -> None:
    now = timezone.now()
    reason = describe(exc)
    mine = Email.objects.filter(pk=email.pk, claimed_by=owner, state=Email.State.SENDING)
    if outcome is Outcome.PERMANENT or now - email.created_at > settings.OUTBOX_RETRY_WINDOW:
        if outcome is not Outcome.PERMANENT:
            reason = f"gave up after {settings.OUTBOX_RETRY_WINDOW}: {reason}"
        mine.update(state=Email.State.FAILED, failed_at=now, last_error=reason[:300], claimed_by="", lease_until=None)
        log.error("email %s failed for good: %s", email.pk, reason)
        return
    mine.update(
        state=Email.State.PENDING,
        next_attempt_at=now + timedelta(seconds=backoff(email.attempts)),
        last_error=reason,
        claimed_by="",
        lease_until=None,
    )
    log.warning("email %s not sent (attempt %s), will retry: %s", email.pk, email.attempts, reason)


# The sweep: lost nudges, dead workers, retries falling due, outages that outlast the window


def stuck_emails(now=None):
    """Rows due to go that no worker holds: never nudged, retry due, or left by a dead worker."""
    now = now or timezone.now()
    due = Q(state=Email.State.PENDING, next_attempt_at__lte=now - NUDGE_GRACE)
    abandoned = Q(state=Email.State.SENDING, lease_until__lt=now)
    return Email.objects.filter(due | abandoned)


def sweep(limit: int = 500) -> int:
    """Re-queue abandoned rows, give up on rows past their window, nudge each lane with work."""
    now = timezone.now()
    abandoned = Email.objects.filter(state=Email.State.SENDING, lease_until__lt=now)
    lanes = set(abandoned.values_list("priority", flat=True))
    requeued = abandoned.update(state=Email.State.PENDING, claimed_by="", lease_until=None)
    if requeued:
        log.warning("re-queued %d email(s) whose worker stopped holding them", requeued)
    expired = Email.objects.filter(
        state=Email.State.PENDING, attempts__gt=0, created_at__lt=now - settings.OUTBOX_RETRY_WINDOW
    ).update(state=Email.State.FAILED, failed_at=now, last_error=Concat(Value("gave up: "), F("last_error")))
    if expired:
        log.error("gave up on %d email(s) still failing after %s", expired, settings.OUTBOX_RETRY_WINDOW)
    alert_if_stuck(now)
    ids = list(stuck_emails(now).order_by("priority", "next_attempt_at").values_list("pk", "priority")[:limit])
    for priority in sorted(lanes | {p for _, p in ids}):
        nudge(0, priority, whole_lane=True)
    return len(ids) + requeued


def oldest_waiting_age(priority: int = Email.Priority.TRANSACTIONAL, now=None) -> float:
    """Seconds the longest-waiting message of this lane has been ready to go and not gone (0 when none).

    A message never tried, or held back by a mail server that refuses us, counts from when
    it was queued. A message its own recipient's server asked us to hold (a 4xx) counts
    only from when its next try fell due: one greylisting domain is not an outage.
    """
    now = now or timezone.now()
    pending = Email.objects.filter(state=Email.State.PENDING, priority=priority)
    blocked = pending.filter(Q(attempts=0) | Q(last_error__startswith="server:"))
    deferred = pending.filter(attempts__gt=0, next_attempt_at__lte=now).exclude(last_error__startswith="server:")
    queued = blocked.aggregate(t=Min("created_at"))["t"]
    due = deferred.aggregate(t=Min("next_attempt_at"))["t"]
    ages = [(now - t).total_seconds() for t in (queued, due) if t]
    return max([*ages, 0.0])


def alert_if_stuck(now) -> None:
    """An error an operator's log alerting catches (and ADMINS get by email), at most once per interval."""
    age = oldest_waiting_age(now=now)
    if age <= settings.OUTBOX_ALERT_AFTER.total_seconds():
        return
    status = server_status()
    if status.alerted_at and now - status.alerted_at < settings.OUTBOX_ALERT_EVERY:
        return
    MailServerStatus.objects.filter(pk=1).update(alerted_at=now)
    log.error(
        "transactional email stuck: the oldest has waited %.0f s (server: %s)",
        age,
        status.last_error or "reachable",
    )


def summary() -> dict:
    """The outbox at a glance, for staff: counts by state, the oldest waiting per lane, the server's state."""
    counts = dict(Email.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    status = MailServerStatus.objects.filter(pk=1).first()
    return {
        "by_state": [{"label": state.label, "value": state, "n": counts.get(state.value, 0)} for state in Email.State],
        "oldest": [
            {"lane": p.label.split(":")[0], "seconds": round(oldest_waiting_age(p.value))} for p in Email.Priority
        ],
        "server": status,
        "alert_after": int(settings.OUTBOX_ALERT_AFTER.total_seconds()),
    }
