"""What no petition site counts: inspectors' stand-down history, and board resolutions that cover schools."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pledges.models.pledges import School
from pledges.models.signatures import Signature


class InspectorStatusChange(models.Model):
    """A change to what an inspector has done, dated as they gave it. The status at signing needs no row:
    it took effect when the signature was confirmed."""

    signature = models.ForeignKey(Signature, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=20, choices=Signature.InspectorStatus.choices)
    previous = models.CharField(max_length=20, choices=Signature.InspectorStatus.choices, blank=True)
    on = models.DateField(default=timezone.localdate, help_text=_("The date it took effect."))
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signature", "on", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} from {self.on:%-d %B %Y}"


class BoardResolutionQuerySet(models.QuerySet):
    def approved(self) -> BoardResolutionQuerySet:
        return self.filter(state=BoardResolution.State.APPROVED)

    def to_check(self) -> BoardResolutionQuerySet:
        return self.filter(state=BoardResolution.State.CONFIRMED).order_by("confirmed_at")

    def named(self) -> BoardResolutionQuerySet:
        return self.approved().filter(named=True)

    def covered_schools(self) -> models.QuerySet[School]:
        """Every open school these resolutions cover: its own school, or each open school of its trust now.

        A trust's resolution follows the register: an academy that has closed, or left the trust,
        is not covered; one that joins later is.
        """
        schools = self.filter(body=BoardResolution.Body.GOVERNORS).values("school")
        trusts = self.filter(body=BoardResolution.Body.TRUST).exclude(trust_name="").values("trust_name")
        return School.objects.filter(is_open=True).filter(Q(urn__in=schools) | Q(trust_name__in=trusts))


class BoardResolution(models.Model):
    """A governing body or trust board resolved to stop releasing staff to inspect."""

    class Body(models.TextChoices):
        GOVERNORS = "governors", _("The school's governing body")
        TRUST = "trust", _("The trust board, for every school in the trust")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for email confirmation")
        CONFIRMED = "confirmed", _("Waiting for staff to check")
        APPROVED = "approved", _("Checked: it counts")
        REJECTED = "rejected", _("Not counted")

    class RecorderRole(models.TextChoices):
        HEAD = "head", _("Headteacher or principal")
        CHAIR = "chair", _("Chair of governors")
        TRUST_LEADER = "trust_leader", _("Trust chief executive or leader")

    body = models.CharField(max_length=10, choices=Body.choices)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="board_resolutions",
        help_text=_("The school it was recorded from (for a trust, any school of the trust)."),
    )  # fmt: skip
    trust_name = models.CharField(max_length=200, blank=True, help_text=_("For a trust board: as in the register."))
    meeting_on = models.DateField(help_text=_("The date of the meeting that resolved it."))
    recorder_name = models.CharField(max_length=100)
    recorder_email = models.EmailField(max_length=254)
    recorder_canonical = models.CharField(max_length=254, editable=False)
    recorder_role = models.CharField(max_length=20, choices=RecorderRole.choices)
    named = models.BooleanField(default=False, help_text=_("The school or trust may be named on the public list."))
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    decision_note = models.CharField(max_length=500, blank=True)

    objects = BoardResolutionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One record per body and recorder: recording it again is a repeat, decided by the database.
            models.UniqueConstraint(
                fields=["body", "school", "trust_name", "recorder_canonical"], name="one_resolution_per_recorder"
            ),
        ]

    def __str__(self) -> str:
        return self.covers_name()

    def covers_name(self) -> str:
        if self.body == self.Body.TRUST:
            return self.trust_name
        return str(self.school) if self.school else "a school no longer in the register"

    def covered_schools(self) -> models.QuerySet[School]:
        return BoardResolution.objects.filter(pk=self.pk).covered_schools()

    def confirm(self) -> bool:
        if self.state != self.State.PENDING:
            return False
        won = BoardResolution.objects.filter(pk=self.pk, state=self.State.PENDING).update(
            state=self.State.CONFIRMED, confirmed_at=timezone.now()
        )
        self.refresh_from_db(fields=["state", "confirmed_at"])
        return bool(won)

    def decide(self, approve: bool, *, by, note: str = "") -> bool:
        """Staff check it: only a confirmed resolution (or one decided before) can be decided."""
        if self.state == self.State.PENDING:
            return False
        to = self.State.APPROVED if approve else self.State.REJECTED
        if self.state == to:
            return False
        won = (
            BoardResolution.objects.filter(pk=self.pk)
            .exclude(state=self.State.PENDING)
            .update(state=to, decided_at=timezone.now(), decided_by=by, decision_note=note[:500])
        )
        self.refresh_from_db(fields=["state", "decided_at", "decided_by", "decision_note"])
        return bool(won)
