"""Pledges, the schools register, and the choices a signer makes (regions, roles, unions)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pausecampaign.local_cache import forget, local_cached

SIGNABLE_KEY = "signable-pledges"
BY_ID_KEY = "pledges-by-id"


def forget_pledges() -> None:
    """Every per-process copy of the pledges (Pledge.signable, Pledge.by_id): this process at once,
    the others within LOCAL_SECONDS. Call it after any write to a pledge's row."""
    forget(SIGNABLE_KEY)
    forget(BY_ID_KEY)


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


class OfstedRegion(models.TextChoices):
    """Ofsted works in eight regions: England's nine, with North East and Yorkshire and the Humber as one."""

    NORTH_EAST_YORKSHIRE = "AD", _("North East, Yorkshire and the Humber")
    NORTH_WEST = "B", _("North West")
    EAST_MIDLANDS = "E", _("East Midlands")
    WEST_MIDLANDS = "F", _("West Midlands")
    EAST = "G", _("East of England")
    LONDON = "H", _("London")
    SOUTH_EAST = "J", _("South East")
    SOUTH_WEST = "K", _("South West")

    @classmethod
    def of(cls, region: str) -> str:
        """The Ofsted region of one of England's regions (a GOR code); "" outside England."""
        if region in {Region.NORTH_EAST, Region.YORKSHIRE}:
            return cls.NORTH_EAST_YORKSHIRE.value
        return region if region in cls.values else ""

    def regions(self) -> list[str]:
        return [Region.NORTH_EAST.value, Region.YORKSHIRE.value] if self == self.NORTH_EAST_YORKSHIRE else [self.value]


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
        """Taking signatures (unless paused): for the sign form."""
        now = timezone.now()
        return self.filter(Q(opens_at__lte=now), Q(closes_at__isnull=True) | Q(closes_at__gt=now))

    def public(self) -> PledgeQuerySet:
        """Every pledge that has opened, closed ones included: a closed pledge keeps its page and final count."""
        return self.filter(opens_at__lte=timezone.now())


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
    denominator_figure = models.ForeignKey(
        "briefings.Figure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Progress is measured against this figure (correct it once, every page moves)."),
    )
    denominator_roles = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Only signers in these roles count towards the figure; empty counts everyone."),
    )
    outcome = models.TextField(
        blank=True, help_text=_("Once closed: what happened next. Shown on the pledge's page and its embed.")
    )
    is_paused = models.BooleanField(default=False, help_text=_("Stop new signatures without closing the pledge."))
    position = models.PositiveSmallIntegerField(default=0)

    objects = PledgeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        forget_pledges()

    def get_absolute_url(self) -> str:
        return reverse("pledges:pledge", args=[self.slug])

    @staticmethod
    def signable() -> dict[int, Pledge]:
        """The pledges taking signatures now, each with its current words, kept a moment per process.

        Read on every signing: a staff pause or new wording reaches every process within
        LOCAL_SECONDS. Closing is by the clock (closes_at), so it is never late.
        """

        def load() -> dict[int, Pledge]:
            pledges = {p.pk: p for p in Pledge.objects.open().filter(is_paused=False)}
            for pledge in pledges.values():
                pledge._current_version = pledge.current_version()
            return pledges

        return local_cached(SIGNABLE_KEY, load)

    @staticmethod
    def by_id() -> dict[int, Pledge]:
        """Every pledge, kept a moment per process: what a confirmation reads its signatures' pledges from.

        A pledge's state is worked out from the clock (opens_at, closes_at), so a kept copy never closes late.
        """
        return local_cached(BY_ID_KEY, lambda: {p.pk: p for p in Pledge.objects.all()})

    def is_open(self) -> bool:
        now = timezone.now()
        return self.opens_at <= now and (self.closes_at is None or self.closes_at > now)

    def accepts_signatures(self) -> bool:
        return self.is_open() and not self.is_paused

    class State(models.TextChoices):
        UPCOMING = "upcoming", _("Not open yet")
        OPEN = "open", _("Open")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    @property
    def state(self) -> str:
        now = timezone.now()
        if self.opens_at > now:
            return self.State.UPCOMING
        if self.closes_at is not None and self.closes_at <= now:
            return self.State.CLOSED
        return self.State.PAUSED if self.is_paused else self.State.OPEN

    def current_version(self) -> PledgeVersion:
        """The words signers agree to now (made on first use)."""
        if getattr(self, "_current_version", None) is not None:
            return self._current_version
        version = self.versions.order_by("-number").first()
        if version is None:
            version, _ = PledgeVersion.objects.get_or_create(
                pledge=self, number=1, defaults={"statement": self.statement}
            )
        return version

    def reach_threshold(self) -> bool:
        """Mark the threshold reached; True only for the one caller that did it."""
        if self.threshold is None or self.threshold_reached_at is not None:
            return False
        now = timezone.now()
        won = Pledge.objects.filter(pk=self.pk, threshold_reached_at__isnull=True).update(threshold_reached_at=now)
        if won:
            self.threshold_reached_at = now
        return bool(won)


class PledgeVersion(models.Model):
    """The words of a pledge as some people signed them. A signed statement is never edited in place."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    statement = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pledge", "number"]
        constraints = [models.UniqueConstraint(fields=["pledge", "number"], name="one_pledge_version_number")]

    def __str__(self) -> str:
        return f"{self.pledge} v{self.number}"


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
    website_domain = models.CharField(
        max_length=253, blank=True, help_text=_("The domain of the school's website in the register, lower case.")
    )
    is_open = models.BooleanField(default=True)
    is_state_funded = models.BooleanField(default=True)
    search_text = models.CharField(max_length=400, blank=True, db_index=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.town}" if self.town else self.name


class PostcodeArea(models.Model):
    """A postcode sector ("OX16 9") or district ("OX16") and the constituency most of its schools are in.

    Made from the schools register at each import, so the site needs no outside service to place a
    signer who gives a postcode instead of a school; the postcode itself is never stored.
    """

    prefix = models.CharField(max_length=8, primary_key=True)
    constituency = models.CharField(max_length=120)

    def __str__(self) -> str:
        return f"{self.prefix}: {self.constituency}"
