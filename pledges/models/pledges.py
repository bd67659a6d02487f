"""Pledges, the schools register, and the choices a signer makes (regions, roles, unions)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    # Codes are the schools register's GOR codes, so a school's region maps directly.
    NORTH_EAST = "A", _("North East")
    NORTH_WEST = "B", _("North West")
    YORKSHIRE = "D", _("Yorkshire and the Humber")
    EAST_MIDLANDS = "E", _("East Midlands")
    WEST_MIDLANDS = "F", _("West Midlands")
    EAST = "G", _("East of England")
    LONDON = "H", _("London")
    SOUTH_EAST = "J", _("South East")
    SOUTH_WEST = "K", _("South West")
    OUTSIDE = "X", _("Outside England")


class Role(models.TextChoices):
    HEADTEACHER = "head", _("Headteacher or principal")
    SENIOR_LEADER = "senior_leader", _("Deputy, assistant head or other senior leader")
    TEACHER = "teacher", _("Teacher")
    SCHOOL_STAFF = "school_staff", _("Other school staff")
    GOVERNOR = "governor", _("Governor")
    TRUSTEE = "trustee", _("Trustee or trust director")
    TRUST_LEADER = "trust_leader", _("Trust chief executive or leader")
    PARENT = "parent", _("Parent or carer")
    OTHER = "other", _("Someone else who supports the pause")


class Union(models.TextChoices):
    NAHT = "naht", "NAHT"
    ASCL = "ascl", "ASCL"
    NEU = "neu", "NEU"
    NASUWT = "nasuwt", "NASUWT"
    COMMUNITY = "community", "Community"
    OTHER = "other", _("Another union or association")
    NONE = "none", _("I am not in a union")


class PledgeQuerySet(models.QuerySet):
    def open(self) -> PledgeQuerySet:
        now = timezone.now()
        return self.filter(Q(opens_at__lte=now), Q(closes_at__isnull=True) | Q(closes_at__gt=now))


class Pledge(models.Model):
    slug = models.SlugField(unique=True, max_length=60)
    title = models.CharField(max_length=120)
    statement = models.TextField(help_text=_("What the signer commits to, in the first person."))
    summary = models.CharField(max_length=300, blank=True)
    roles = models.JSONField(
        default=list, blank=True, help_text=_("Role codes this pledge is for; empty means anyone may sign.")
    )
    asks_inspector_status = models.BooleanField(
        default=False, help_text=_("Ask whether the signer has made themselves unavailable or resigned as an OI.")
    )
    opens_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField(null=True, blank=True)
    threshold = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("'I will do this only if N others do too.' Leave empty for none.")
    )
    threshold_reached_at = models.DateTimeField(null=True, blank=True, editable=False)
    denominator = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("For display: e.g. the number of school-based OIs.")
    )
    denominator_label = models.CharField(max_length=120, blank=True)
    denominator_source = models.CharField(max_length=300, blank=True)
    is_paused = models.BooleanField(default=False, help_text=_("Stop new signatures without closing the pledge."))
    position = models.PositiveSmallIntegerField(default=0)

    objects = PledgeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    def is_open(self) -> bool:
        now = timezone.now()
        return self.opens_at <= now and (self.closes_at is None or self.closes_at > now)

    def accepts_signatures(self) -> bool:
        return self.is_open() and not self.is_paused

    def reach_threshold(self) -> bool:
        """Mark the threshold reached; True only for the one caller that did it."""
        if self.threshold is None or self.threshold_reached_at is not None:
            return False
        now = timezone.now()
        won = Pledge.objects.filter(pk=self.pk, threshold_reached_at__isnull=True).update(threshold_reached_at=now)
        if won:
            self.threshold_reached_at = now
        return bool(won)


class School(models.Model):
    urn = models.PositiveIntegerField(primary_key=True, verbose_name="URN")
    name = models.CharField(max_length=200)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    la_code = models.CharField(max_length=10, blank=True)
    la_name = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=1, choices=Region.choices, blank=True)
    establishment_type = models.CharField(max_length=120, blank=True)
    type_group = models.CharField(max_length=120, blank=True)
    phase = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=60, blank=True)
    constituency = models.CharField(max_length=120, blank=True)
    trust_name = models.CharField(max_length=200, blank=True)
    is_open = models.BooleanField(default=True)
    is_state_funded = models.BooleanField(default=True)
    search_text = models.CharField(max_length=400, blank=True, db_index=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.town}" if self.town else self.name
