"""The outbox's tables: every email as a row, and the mail server's state."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pledges.models.inserts import insert_skipping_conflicts, mark_stored


class EmailQuerySet(models.QuerySet):
    def insert_unless_keyed(self, email: Email) -> bool:
        """Store email unless a message with its key exists (the unique key decides); True if stored."""
        rows = insert_skipping_conflicts([email], ("id",), using=self.db)
        if rows:
            email.pk = rows[0][0]
            mark_stored(email, self.db)
        return bool(rows)


class Email(models.Model):
    """An email that must be sent: the outbox.

    Written in the same transaction as its cause; the broker only nudges the
    sender, and a periodic sweep delivers whatever the nudge did not.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to send")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Priority(models.IntegerChoices):
        # Lower goes first: a broadcast to every signer never holds up a confirmation.
        TRANSACTIONAL = 0, _("Transactional: confirmations, sign-in codes, replies")
        BULK = 1, _("Bulk: reminders, broadcasts, invitations")

    key = models.CharField(max_length=200, unique=True, help_text=_("One message per key, ever."))
    to = models.EmailField(max_length=254, blank=True)
    to_hash = models.CharField(
        max_length=64, blank=True, help_text=_("A keyed hash of the address, kept after it is removed.")
    )
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    # The database defaults let a web process still on the release before this one queue email while a
    # deploy's migration has run: its INSERT names neither column.
    template = models.CharField(
        max_length=60,
        blank=True,
        default="",
        db_default="",
        help_text=_("Rendered by the worker when it sends, from the context below (templates/emails/<template>*)."),
    )
    context = models.JSONField(
        default=dict,
        db_default={},
        blank=True,
        help_text=_("Ids and words for the template; emptied once the email is sent."),
    )
    headers = models.JSONField(default=dict, blank=True)
    signature = models.ForeignKey(
        "pledges.Signature", null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="outbox_emails"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.TRANSACTIONAL)
    next_attempt_at = models.DateTimeField(default=timezone.now, help_text=_("Not tried again before this."))
    claimed_by = models.CharField(max_length=100, blank=True, help_text=_("The worker that holds this message."))
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text=_("The worker's hold ends then, unless it renews it.")
    )
    failed_at = models.DateTimeField(null=True, blank=True)
    scrub_after_send = models.BooleanField(
        default=False, help_text=_("Forget the address and content once sent (invitations to colleagues).")
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = EmailQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["state", "priority", "next_attempt_at"], name="outbox_claim_order"),
            # Looked up by equality only: a plain index, without Django's "_like" twin (key keeps its
            # own, for the broadcasts' key__startswith).
            models.Index(fields=["to_hash"], name="email_to_hash"),
        ]
        permissions = [("retry_email", "Can send failed email again")]

    def __str__(self) -> str:
        return self.key

    def retry(self) -> bool:
        """A failed message back into the queue, as if new (staff, after mending its cause)."""
        if self.state != self.State.FAILED:
            return False
        won = Email.objects.filter(pk=self.pk, state=self.State.FAILED).update(
            state=self.State.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            failed_at=None,
            created_at=timezone.now(),
        )
        if won:
            self.state = self.State.PENDING
        return bool(won)


class MailServerStatus(models.Model):
    """One row: whether the mail server is refusing us, and when to try it again.

    A refused connection is the server's state, not any one message's: while it lasts,
    workers wait and probe with one message instead of spending every message's tries.
    """

    failures = models.PositiveIntegerField(default=0)
    down_since = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "mail server status"

    def __str__(self) -> str:
        return "Mail server: down" if self.down_since else "Mail server: up"
