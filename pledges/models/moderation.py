"""Staff records: the audit trail, rejection reasons, blocked domains, invalidation jobs, site switches."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pausecampaign.local_cache import forget, local_cached
from pledges.addresses import wire_domain
from pledges.models.pledges import Pledge


class AuditEntry(models.Model):
    """Who did what, when and why: staff decisions and signers' data requests.

    Data requests are logged without their content: an erasure keeps no trace of who was erased.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    action = models.CharField(max_length=40, db_index=True)
    signature = models.ForeignKey(
        "pledges.Signature", null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    reason = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


def log_action(action: str, *, actor=None, signature=None, reason: str = "", note: str = "") -> AuditEntry:
    """The one way to write an audit row."""
    return AuditEntry.objects.create(action=action, actor=actor, signature=signature, reason=reason, note=note)


class RejectionReason(models.Model):
    text = models.CharField(max_length=200, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "text"]

    def __str__(self) -> str:
        return self.text


class BlockedDomain(models.Model):
    domain = models.CharField(max_length=254, unique=True)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs) -> None:
        self.domain = wire_domain(self.domain.strip().lstrip("@"))
        super().save(*args, **kwargs)
        forget("blocked-domains")


class BackgroundJob(models.Model):
    """What a staff-started background job records: who started it and when it ran."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class Invalidation(BackgroundJob):
    """Staff invalidate every signature matching some criteria, as a cancellable background job."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft: check the count, then start")
        RUNNING = "running", _("Running")
        CANCELLED = "cancelled", _("Cancelled")
        DONE = "done", _("Done")

    summary = models.CharField(max_length=200, help_text=_("Why: shown in every signature's audit trail."))
    pledge = models.ForeignKey(Pledge, null=True, blank=True, on_delete=models.CASCADE)
    ip_address = models.GenericIPAddressField(null=True, blank=True, verbose_name="IP address")
    network = models.CharField(
        max_length=50, blank=True, help_text=_("Any address in the network, e.g. 203.0.113.0/24 (IPv4 /24, IPv6 /48).")
    )
    network_hash = models.CharField(max_length=64, blank=True, help_text=_("Filled in from the trending page."))
    email_domain = models.CharField(max_length=254, blank=True)
    name_contains = models.CharField(max_length=100, blank=True)
    created_from = models.DateTimeField(null=True, blank=True)
    created_to = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    matched = models.PositiveIntegerField(default=0, editable=False)
    invalidated = models.PositiveIntegerField(default=0, editable=False)

    def __str__(self) -> str:
        return f"Invalidation #{self.pk}: {self.summary}"

    def progress(self) -> dict:
        return {
            "running": self.state == self.State.RUNNING,
            "done": self.invalidated,
            "total": self.matched,
            "text": f"{self.invalidated:,} of {self.matched:,} invalidated",
        }

    def start(self) -> bool:
        if self.state != self.State.DRAFT:
            return False
        won = Invalidation.objects.filter(pk=self.pk, state=self.State.DRAFT).update(
            state=self.State.RUNNING, started_at=timezone.now()
        )
        self.refresh_from_db()
        return bool(won)

    def cancel(self) -> bool:
        if self.state not in {self.State.DRAFT, self.State.RUNNING}:
            return False
        won = Invalidation.objects.filter(pk=self.pk, state__in=[self.State.DRAFT, self.State.RUNNING]).update(
            state=self.State.CANCELLED, finished_at=timezone.now()
        )
        self.refresh_from_db()
        return bool(won)


class SiteSwitches(models.Model):
    """Switches staff flip without a deploy. One row."""

    signing_paused = models.BooleanField(default=False, help_text=_("Stop all new signatures."))
    pause_message = models.TextField(
        blank=True, default="Signing is paused for a short while. Please come back later: nothing you sent is lost."
    )
    counts_frozen = models.BooleanField(default=False, help_text=_("Show the public the counts as they were."))
    campaign_ended_on = models.DateField(
        null=True,
        blank=True,
        help_text=_(
            "Set when the campaign ends. Every signer's personal data is deleted or anonymised "
            "RETAIN_AFTER_CAMPAIGN_DAYS after this date, as the privacy notice promises."
        ),
    )
    frozen_counts = models.JSONField(default=dict, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "site switches"

    def __str__(self) -> str:
        return "Site switches"

    def save(self, *args, **kwargs) -> None:
        # Freezing takes a snapshot of the counts: pledges.moderation.set_switches does that.
        super().save(*args, **kwargs)
        forget("site-switches")

    @classmethod
    def current(cls) -> SiteSwitches:
        return local_cached("site-switches", lambda: cls.objects.get_or_create(pk=1)[0])
