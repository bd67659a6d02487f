"""The durable outbox: emails are rows first, SMTP second.

queue_email() writes the message in the caller's transaction and, once that
commits, nudges a Celery worker. deliver() claims a row with a conditional
UPDATE so that two workers can never both send it. Every message carries a
Message-ID derived from its key: if a worker dies between handing a message to
SMTP and recording it, the sweep sends it again with the same Message-ID, which
mail clients treat as the same message.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from pausecampaign.mail import render_html, render_subject, render_text
from pledges.models import Email, Signature

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
NUDGE_GRACE = timedelta(seconds=10)


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    context = {"SITE_URL": settings.SITE_URL, "SITE_NAME": settings.SITE_NAME, **context}
    subject = render_subject(f"emails/{template}_subject.txt", context)
    text = render_text(f"emails/{template}.txt", context)
    html = render_html(f"emails/{template}.html", context)
    return subject, text, html


def queue_email(key: str, to: str, template: str, context: dict, **kwargs) -> Email | None:
    """Render templates/emails/<template>* and queue the result (see queue_message)."""
    subject, text, html = render_email(template, context)
    return queue_message(key, to, subject, text, html, **kwargs)


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
) -> Email | None:
    """Record an email to send once the current transaction commits; None if the key exists."""
    try:
        with transaction.atomic():
            email = Email.objects.create(
                key=key,
                to=to,
                subject=subject,
                text=text,
                html=html,
                headers=headers or {},
                signature=signature,
                user=user,
                scrub_after_send=scrub_after_send,
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: nudge(email.pk))
    return email


NUDGE_EVERY = 0.1
LINGER = 0.3
_last_nudge = [0.0]


def nudge(email_id: int) -> None:
    """Tell a worker there is mail. Under a surge, one nudge per NUDGE_EVERY seconds per process.

    A skipped nudge loses nothing: it is skipped only within NUDGE_EVERY of a published
    one, and the drain that nudge starts looks again LINGER (> NUDGE_EVERY) after it
    finds the outbox empty. The sweep is the backstop for anything else.
    """
    from pausecampaign.celery import app
    from pledges.tasks import deliver_email, deliver_waiting

    try:
        if app.conf.task_always_eager:
            deliver_email.delay(email_id)
            return
        now = time.monotonic()
        if now - _last_nudge[0] < NUDGE_EVERY:
            return
        _last_nudge[0] = now
        deliver_waiting.delay()
    except Exception:
        log.warning("could not queue email %s; the outbox sweep will send it", email_id, exc_info=True)


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


def claim_waiting(batch: int) -> list[Email]:
    """Take up to `batch` waiting rows, oldest first; concurrent workers skip each other's rows."""
    with transaction.atomic():
        ids = list(
            Email.objects.select_for_update(skip_locked=True)
            .filter(state=Email.State.PENDING)
            .order_by("created_at")
            .values_list("pk", flat=True)[:batch]
        )
        Email.objects.filter(pk__in=ids).update(
            state=Email.State.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
    return list(Email.objects.filter(pk__in=ids).order_by("created_at"))


def drain(batch: int = 50, max_seconds: float = 20) -> int:
    """Send whatever is waiting, batch by batch, until the outbox stays empty for LINGER seconds."""
    deadline = time.monotonic() + max_seconds
    sent = 0
    lingered = False
    while time.monotonic() < deadline:
        emails = claim_waiting(batch)
        if not emails:
            if lingered:
                return sent
            lingered = True
            time.sleep(LINGER)
            continue
        lingered = False
        sent += sum(send_claimed(email) for email in emails)
    nudge(0)  # out of time with mail still waiting: hand over to the next drain
    return sent


def deliver(email_id: int) -> bool:
    """Send one outbox row if it is still waiting; True if this call sent it."""
    claimed = Email.objects.filter(pk=email_id, state=Email.State.PENDING).update(
        state=Email.State.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    return send_claimed(Email.objects.get(pk=email_id))


def send_claimed(email: Email) -> bool:
    """Send a row this worker has claimed; record the outcome."""
    persistent = settings.EMAIL_BACKEND.endswith("smtp.EmailBackend")
    for attempt in (1, 2):
        try:
            connection = smtp_connection() if persistent else None
            message(email, connection).send()
            break
        except Exception as exc:  # noqa: BLE001 - SMTP and socket errors are all worth a retry
            drop_smtp_connection()
            if attempt == 2 or not persistent:
                give_back(email, exc)
                return False
            # The kept connection may have been closed by the server: reconnect once.
    mark_sent(email)
    return True


def message(email: Email, connection) -> EmailMultiAlternatives:
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


def mark_sent(email: Email) -> None:
    sent = {"state": Email.State.SENT, "sent_at": timezone.now(), "last_error": ""}
    if email.scrub_after_send:
        # An invitation to a colleague: their address is not ours to keep.
        sent.update(to="removed@invalid", text="", html="", subject="(invitation, content removed after sending)")
    Email.objects.filter(pk=email.pk).update(**sent)


def give_back(email: Email, exc: Exception) -> None:
    """Return a row for a later try, or give up on it after MAX_ATTEMPTS."""
    failed = email.attempts >= MAX_ATTEMPTS
    Email.objects.filter(pk=email.pk).update(
        state=Email.State.FAILED if failed else Email.State.PENDING, last_error=str(exc)[:300]
    )
    log.warning("email %s not sent (attempt %s): %s", email.pk, email.attempts, exc)


def stuck_emails(now=None):
    """Rows whose nudge was lost, whose worker died, or whose last try failed a while ago."""
    now = now or timezone.now()
    never_tried = Q(state=Email.State.PENDING, claimed_at__isnull=True, created_at__lt=now - NUDGE_GRACE)
    retry_due = Q(state=Email.State.PENDING, claimed_at__lt=now - NUDGE_GRACE * 3)
    abandoned = Q(state=Email.State.SENDING, claimed_at__lt=now - settings.OUTBOX_STUCK_AFTER)
    return Email.objects.filter(never_tried | retry_due | abandoned)


def sweep(limit: int = 500) -> int:
    """Queue the stuck rows again; returns how many were queued."""
    ids = list(stuck_emails().order_by("created_at").values_list("pk", flat=True)[:limit])
    stuck_emails().filter(pk__in=ids, state=Email.State.SENDING).update(state=Email.State.PENDING)
    for email_id in ids:
        nudge(email_id)
    return len(ids)
