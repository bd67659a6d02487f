"""Support by parliamentary constituency, for lobbying MPs: from each signer's school, or from a
postcode a signer not at a school gave (placed by the register's own postcodes, pledges.schools).

People are counted once per pledge; every cell passes the disclosure control, and the page for one
constituency shows exactly the cells of the list, so no two pages can be set against each other.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count
from django.utils.text import slugify

from pledges.disclosure import suppress_rows
from pledges.models import BoardResolution, Pledge, School, Signature

KEY = "api:constituencies:v1"


def by_constituency() -> list[dict]:
    """Every constituency with support, each with a count per pledge (None where withheld)."""
    found = cache.get(KEY)
    if found is not None:
        return found
    pledges = list(Pledge.objects.public().values_list("slug", flat=True))
    rows = (
        Signature.objects.counted()
        .exclude(constituency="")
        .values("constituency", "pledge__slug")
        .annotate(n=Count("canonical_email", distinct=True))
    )
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        table.setdefault(row["constituency"], {})[row["pledge__slug"]] = row["n"]
    covered = dict(
        BoardResolution.objects.approved()
        .covered_schools()
        .exclude(constituency="")
        .values_list("constituency")
        .annotate(n=Count("urn"))
        .values_list("constituency", "n")
    )
    names = sorted(set(table) | set(covered))
    found = [
        {"name": name, "slug": slugify(name), **{slug: table.get(name, {}).get(slug, 0) for slug in pledges}}
        for name in names
    ]
    for slug in pledges:
        found = suppress_rows(found, slug)
        for row in found:
            row.pop("suppressed")
    for row in found:
        row["schools_covered"] = covered.get(row["name"], 0)
        row["pledges"] = {slug: row.pop(slug) for slug in pledges}
    # The national number of schools covered is published too: the same protection against differencing.
    found = suppress_rows(found, "schools_covered")
    for row in found:
        row.pop("suppressed")
    cache.set(KEY, found, 60)
    return found


def constituency(slug: str) -> dict | None:
    """One constituency's row; a constituency the register knows but nobody there has signed yet reads zero,
    so an organiser can send an MP the page before the first signature."""
    found = next((row for row in by_constituency() if row["slug"] == slug), None)
    if found is not None:
        return found
    names = cache.get_or_set(
        "constituencies:known",
        lambda: {
            slugify(n): n
            for n in School.objects.exclude(constituency="").values_list("constituency", flat=True).distinct()
        },
        600,
    )
    if slug not in names:
        return None
    slugs = Pledge.objects.public().values_list("slug", flat=True)
    return {"name": names[slug], "slug": slug, "pledges": dict.fromkeys(slugs, 0), "schools_covered": 0}
