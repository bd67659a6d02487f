"""The action plan's tables: steps, who did them, email choices, invitations and broadcasts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pausecampaign.local_cache import forget, local_cached
from pledges.models.moderation import BackgroundJob
from pledges.models.outbox import Email
from pledges.models.pledges import Pledge, Region, Role
from pledges.models.signatures import Signature


class SchoolTerm(models.Model):
    """One of England's school terms, with its half-term break, as staff enter them for each school year."""

    name = models.CharField(max_length=60, help_text=_("For example 'Spring 2027'."))
    starts_on = models.DateField(help_text=_("The first day of term."))
    half_term_starts_on = models.DateField(help_text=_("The first day of the half-term break."))
    returns_on = models.DateField(help_text=_("The first day back after half term."))
    ends_on = models.DateField(help_text=_("The last day of term."))

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lt=models.F("half_term_starts_on"))
                & models.Q(half_term_starts_on__lt=models.F("returns_on"))
                & models.Q(returns_on__lte=models.F("ends_on")),
                name="term_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Terms never overlap: each date belongs to one term (or none), so each step has one due date."""
        if not (self.starts_on and self.ends_on):
            return
        overlapping = SchoolTerm.objects.exclude(pk=self.pk).filter(
            starts_on__lte=self.ends_on, ends_on__gte=self.starts_on
        )
        if overlapping.exists():
            raise ValidationError(
                _("These dates overlap %(term)s: correct one of them.") % {"term": overlapping.first()}
            )


class ActionStep(models.Model):
    """One of the campaign's actions, due a set time after a signature is confirmed (in days, or on the
    school calendar), with one reminder before it is due and one chaser after."""

    class DueRule(models.TextChoices):
        DAYS = "days", _("A number of days after confirming")
        NEXT_HALF_TERM = "next_half_term", _("By the end of the next half term")
        NEXT_TERM = "next_term", _("By the end of the next term")

    slug = models.SlugField(unique=True, max_length=60)
    title = models.CharField(max_length=160)
    what_to_do = models.TextField()
    help_text = models.TextField(blank=True)
    template_letter = models.TextField(
        blank=True, help_text=_("Optional. {name}, {school}, {role}, {pledges} and {union} are filled in.")
    )
    pledges = models.ManyToManyField(Pledge, related_name="action_steps")
    due_rule = models.CharField(max_length=20, choices=DueRule.choices, default=DueRule.DAYS)
    due_after_days = models.PositiveSmallIntegerField(
        help_text=_(
            "Days after confirmation when it is due (for the school calendar: if no term dates reach that far)."
        )
    )
    remind_days_before = models.PositiveSmallIntegerField(default=4, help_text=_("The reminder goes this long before."))
    chase_days_after = models.PositiveSmallIntegerField(
        default=7, help_text=_("A chaser goes this long after, if not done.")
    )
    invites_colleagues = models.BooleanField(default=False, help_text=_("Offer the invite-colleagues form."))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "due_after_days"]

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def of_pledge(pledge_id: int) -> list[ActionStep]:
        """The pledge's steps in order, kept a moment per process: read on every confirmation.

        A staff change reaches the saving process at once and the others within LOCAL_SECONDS.
        """

        def load() -> dict[int, list[ActionStep]]:
            steps: dict[int, list[ActionStep]] = {}
            for step in ActionStep.objects.order_by("position", "due_after_days", "pk").prefetch_related("pledges"):
                for pledge in step.pledges.all():
                    steps.setdefault(pledge.pk, []).append(step)
            return steps

        return local_cached(ACTION_STEPS_KEY, load).get(pledge_id, [])


ACTION_STEPS_KEY = "action-steps"


def forget_action_steps(**kwargs) -> None:
    forget(ACTION_STEPS_KEY)


post_save.connect(forget_action_steps, sender=ActionStep, dispatch_uid="forget_action_steps_saved")
post_delete.connect(forget_action_steps, sender=ActionStep, dispatch_uid="forget_action_steps_deleted")
m2m_changed.connect(forget_action_steps, sender=ActionStep.pledges.through, dispatch_uid="forget_action_steps_m2m")


class StepStatus(models.Model):
    """Per signer (canonical email) and step: reminded once, done once. The unique row is the guarantee."""

    canonical_email = models.CharField(max_length=254)
    step = models.ForeignKey(ActionStep, on_delete=models.CASCADE, related_name="statuses")
    reminded_at = models.DateTimeField(null=True, blank=True)
    chased_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["canonical_email", "step"], name="one_status_per_signer_step")]
        verbose_name_plural = "step statuses"

    def __str__(self) -> str:
        return f"{self.step_id}: reminded {self.reminded_at}, done {self.done_at}"


class EmailPreference(models.Model):
    canonical_email = models.CharField(max_length=254, unique=True)
    reminders = models.BooleanField(default=True)
    updates = models.BooleanField(default=True)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"reminders={self.reminders} updates={self.updates}"


class Invitation(models.Model):
    """A signer's invitation to a colleague: one per recipient, ever.

    The recipient's address is kept only as a keyed hash (pledges.hashing.hash_value),
    enough to refuse a second invitation to them and to honour their "no more" click.
    """

    recipient_hash = models.CharField(max_length=64, unique=True)
    signature = models.ForeignKey(
        Signature, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    refused_at = models.DateTimeField(
        null=True, blank=True, help_text=_("The recipient asked never to be invited again.")
    )

    def __str__(self) -> str:
        return f"Invitation {self.pk}"

    def refuse(self) -> bool:
        if self.refused_at is not None:
            return False
        return bool(Invitation.objects.filter(pk=self.pk, refused_at__isnull=True).update(refused_at=timezone.now()))


class Broadcast(BackgroundJob):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    class StepFilter(models.TextChoices):
        ANY = "any", _("Whether or not they have done it")
        DONE = "done", _("Only those who have done it")
        NOT_DONE = "not_done", _("Only those who have not")

    subject = models.CharField(max_length=150)
    body = models.TextField(help_text=_("Markdown. Keep it short; an unsubscribe link is added for you."))
    pledge = models.ForeignKey(Pledge, null=True, blank=True, on_delete=models.PROTECT)
    region = models.CharField(max_length=1, choices=Region.choices, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    step = models.ForeignKey(ActionStep, null=True, blank=True, on_delete=models.PROTECT)
    step_filter = models.CharField(max_length=10, choices=StepFilter.choices, default=StepFilter.ANY)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT, editable=False)
    audience_size = models.PositiveIntegerField(default=0, editable=False)
    queued = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at"]  # as BackgroundJob's
        permissions = [("send_broadcast", "Can send a broadcast")]

    def __str__(self) -> str:
        return self.subject

    def emails(self) -> models.QuerySet[Email]:
        """The copies queued for its audience (staff test copies are not among them)."""
        return Email.objects.filter(key__startswith=f"broadcast:{self.pk}:").exclude(key__contains=":test:")

    def progress(self) -> dict:
        """Where a send stands: queued means waiting in the outbox, not yet sent."""
        by_state = dict(self.emails().values_list("state").annotate(n=Count("id")).values_list("state", "n"))
        sent, failed = by_state.get(Email.State.SENT, 0), by_state.get(Email.State.FAILED, 0)
        queued = by_state.get(Email.State.PENDING, 0) + by_state.get(Email.State.SENDING, 0)
        total = max(self.audience_size, sent + failed + queued)
        return {
            "running": self.state == self.State.SENDING or queued > 0,
            "done": sent + failed,
            "total": total,
            "text": f"{sent:,} sent, {queued:,} queued, {failed:,} failed, of {total:,}",
        }

    def start(self) -> bool:
        """Draft to sending, once; a restart of a send in progress is allowed."""
        if self.state == self.State.SENT:
            return False
        Broadcast.objects.filter(pk=self.pk, state=self.State.DRAFT).update(
            state=self.State.SENDING, started_at=timezone.now()
        )
        self.refresh_from_db()
        return self.state == self.State.SENDING
