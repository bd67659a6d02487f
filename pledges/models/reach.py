"""Reach for organisers: named campaign links, and support gathered offline."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pausecampaign.ids import SOURCE
from pledges.models.pledges import Pledge, Region


class CampaignSource(models.Model):
    """A named link staff hand to a union or partner: /sign/?src=<slug>."""

    slug = models.SlugField(
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                r"^" + SOURCE.pattern + r"\Z",
                _("Use lower-case letters, numbers and hyphens only, starting with a letter or number."),
            )
        ],
        help_text=_("Lower-case letters, numbers and hyphens, e.g. neu-bulletin: what the link carries as src."),
    )
    name = models.CharField(max_length=120, help_text=_("Who or what it is for, e.g. 'NEU members' bulletin'."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OfflineSupport(models.Model):
    """Support gathered on paper or at a meeting, entered by staff as a number: never a person."""

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="offline_support")
    region = models.CharField(max_length=1, choices=Region.choices)
    gathered_on = models.DateField(default=timezone.localdate)
    count = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(100_000)])
    note = models.CharField(max_length=300, help_text=_("Where and how, e.g. 'Kent heads' conference, paper forms'."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-gathered_on"]
        verbose_name_plural = "offline support"

    def __str__(self) -> str:
        return f"{self.count} for {self.pledge} ({self.get_region_display()}, {self.gathered_on:%-d %B %Y})"

    def clean(self) -> None:
        if self.gathered_on and self.gathered_on > timezone.localdate():
            raise ValidationError({"gathered_on": _("The date it was gathered must be today or in the past.")})

    @staticmethod
    def forget(pledge_id: int) -> None:
        """The public totals are cached for a minute: a correction shows at once."""
        cache.delete_many([f"api:offline:{pledge_id}", "api:counts:v1"])
