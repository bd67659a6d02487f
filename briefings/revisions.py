"""Every save keeps a revision; any two can be compared and any one restored."""

from __future__ import annotations

import difflib

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.dateparse import parse_datetime

from briefings.models import Revision

FIELDS = ["title", "summary", "body", "status", "publish_at", "slug", "nav_position", "show_sign_button"]


def snapshot(obj: models.Model) -> dict:
    data = {}
    for name in FIELDS:
        if hasattr(obj, name):
            value = getattr(obj, name)
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def save_revision(obj: models.Model, *, by=None, note: str = "") -> Revision:
    return Revision.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        data=snapshot(obj),
        saved_by=by,
        note=note,
    )


def revisions_of(obj: models.Model):
    return Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("saved_by")


def compare(older: Revision, newer: Revision) -> list[dict]:
    changes = []
    for name in FIELDS:
        before, after = str(older.data.get(name, "")), str(newer.data.get(name, ""))
        if before != after:
            diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=2)
            changes.append({"field": name, "diff": list(diff)[2:]})
    return changes


def restore(obj: models.Model, revision: Revision, *, by=None) -> None:

    with transaction.atomic():
        for name, value in revision.data.items():
            if name == "publish_at" and value:
                value = parse_datetime(value)
            setattr(obj, name, value)
        obj.save()
        save_revision(obj, by=by, note=f"restored from the revision of {revision.saved_at:%Y-%m-%d %H:%M}")
