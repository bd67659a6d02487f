from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublishedQuerySet(models.QuerySet):
    def published(self) -> PublishedQuerySet:
        return self.filter(status=Status.PUBLISHED, publish_at__lte=timezone.now())


class Page(models.Model):
    slug = models.SlugField(unique=True, max_length=60, help_text=_("The page's address: /<slug>/"))
    title = models.CharField(max_length=120)
    summary = models.CharField(
        max_length=300, help_text=_("One or two sentences: the meta description and the link text.")
    )
    body = models.TextField(help_text=_("Markdown. Quote a stored figure with [[figure:key]]."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(default=timezone.now)
    nav_position = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Place in the navigation; leave empty to keep it out.")
    )
    show_sign_button = models.BooleanField(
        default=False, help_text=_("End the page with a 'Sign a pledge' button, as the open letter does.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["nav_position", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("briefings:page", args=[self.slug])


class NewsPost(models.Model):
    slug = models.SlugField(unique_for_date="publish_at", max_length=80)
    title = models.CharField(max_length=160)
    summary = models.CharField(max_length=300)
    body = models.TextField(help_text=_("Markdown. Quote a stored figure with [[figure:key]]."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at"]
        verbose_name = "news post"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("briefings:news_post", args=[self.publish_at.strftime("%Y-%m-%d"), self.slug])


class Figure(models.Model):
    """A number the site quotes, with where it comes from and when."""

    key = models.SlugField(unique=True, max_length=60, help_text=_("Used in pages as [[figure:key]]."))
    label = models.CharField(max_length=200, help_text=_("What it counts, e.g. 'contracted school OIs'."))
    value = models.CharField(max_length=60, help_text=_("As the site should print it, e.g. 'about 1,170'."))
    number = models.PositiveIntegerField(null=True, blank=True, help_text=_("The number itself, for sums."))
    source = models.CharField(max_length=300)
    source_url = models.URLField(blank=True)
    as_of = models.CharField(max_length=40, help_text=_("When it was true, e.g. 'January 2022'."))
    show_on_counts = models.BooleanField(default=False, help_text=_("Show as context on the live counts page."))

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.label}: {self.value} ({self.as_of})"


UNION_CODES = ("neu", "naht", "ascl", "nasuwt")  # the sign form's unions (pledges.models.Union)


def validate_union_codes(value: str) -> None:
    unknown = [code for code in value.split(",") if code.strip() not in UNION_CODES]
    if value and unknown:
        raise ValidationError(
            _("Use the codes %(codes)s, separated by commas."), params={"codes": ", ".join(UNION_CODES)}
        )


class Position(models.Model):
    """A union's or organisation's position on the campaign at a date, with its source."""

    class Stance(models.TextChoices):
        BACKS = "backs", _("Backs it")
        CONSIDERING = "considering", _("Considering action")
        DECLINES = "declines", _("Declines to back it")
        NO_POSITION = "no_position", _("No position")
        OTHER = "other", _("Other step")

    organisation = models.CharField(max_length=80, help_text=_("As people know it, e.g. 'NAHT'."))
    union = models.CharField(
        max_length=60,
        blank=True,
        validators=[validate_union_codes],
        help_text=_(
            "The codes of the unions this is about, as on the sign form (neu, naht, ascl, nasuwt), separated by "
            "commas: 'neu,nasuwt' for a joint statement. Leave empty for anyone else."
        ),
    )
    date = models.DateField(help_text=_("When it was said; the first of the month if only the month is known."))
    date_label = models.CharField(max_length=40, help_text=_("As the page shows it, e.g. 'February 2020'."))
    stance = models.CharField(max_length=20, choices=Stance.choices)
    summary = models.CharField(max_length=400, help_text=_("One or two sentences, in our own words."))
    source = models.CharField(max_length=200, help_text=_("Who reported it and when, e.g. 'Schools Week, June 2025'."))
    source_url = models.URLField(blank=True)

    class Meta:
        ordering = ["date", "organisation"]

    def __str__(self) -> str:
        return f"{self.organisation}, {self.date_label}: {self.get_stance_display()}"

    @property
    def union_codes(self) -> list[str]:
        return [code.strip() for code in self.union.split(",") if code.strip()]


class Revision(models.Model):
    """A copy of a page or post as saved: compare any two, restore any one."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    data = models.JSONField()
    saved_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-saved_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} at {self.saved_at:%Y-%m-%d %H:%M}"
