"""Aggregates: the public's (counts by region, day, union and school coverage, under disclosure control)
and staff's (trending networks and domains, the dashboard). No personal data in any of them."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate, TruncHour
from django.utils import timezone

from pledges import outbox
from pledges.addresses import common_domains
from pledges.counting import current_counts, total
from pledges.disclosure import carry_forward, is_small, suppress_rows, threshold
from pledges.models import (
    CampaignSource,
    Invalidation,
    OfflineSupport,
    Pledge,
    Recount,
    Region,
    School,
    Signature,
    Union,
)

COUNTS_DOCUMENT_KEY = "api:counts:v1"
UNION_REPORT_KEY = "api:by-union"
ENGLISH_REGIONS = [r for r in Region if r != Region.OUTSIDE]


def pledge_summary(pledge: Pledge, counts: dict) -> dict:
    figure = pledge.denominator_figure
    return {
        "slug": pledge.slug,
        "title": pledge.title,
        "state": pledge.state,
        "closed_at": pledge.closes_at.replace(microsecond=0).isoformat() if pledge.state == "closed" else None,
        "outcome": (pledge.outcome or None) if pledge.state == "closed" else None,
        "count": total(counts, pledge.pk),
        "threshold": pledge.threshold,
        "threshold_reached": pledge.threshold_reached_at is not None,
        "denominator": figure.number if figure else None,
        "denominator_label": figure.label if figure else None,
        "denominator_source": f"{figure.source}, {figure.as_of}" if figure else None,
        "denominator_source_url": (figure.source_url or None) if figure else None,
        "counted_against_denominator": denominator_count(pledge) if figure else None,
        "verified_school_addresses": verified_school_addresses(pledge),
        "offline": offline_total(pledge),
        "url": f"{settings.SITE_URL}{pledge.get_absolute_url()}",
    }


def verified_school_addresses(pledge: Pledge) -> int | None:
    """Confirmed signatures from an address at the signer's school's own domain; withheld when small."""
    key = f"api:verified:{pledge.pk}"
    count = cache.get(key)
    if count is None:
        count = Signature.objects.counted().filter(pledge=pledge, verified_school_address=True).count()
        cache.set(key, count, 60)
    return None if is_small(count) else count


def offline_total(pledge: Pledge) -> int | None:
    """Support staff entered from paper and meetings: never part of the online count."""
    key = f"api:offline:{pledge.pk}"
    count = cache.get(key)
    if count is None:
        count = OfflineSupport.objects.filter(pledge=pledge).aggregate(n=Sum("count"))["n"] or 0
        cache.set(key, count, 60)
    return None if is_small(count) else count


def by_hour(pledge: Pledge, days: int = 7) -> list[dict]:
    """Confirmations per hour of the last `days` days, small hours carried forward like days.

    Hours are cut in UTC, where every hour is distinct, then named in London time: the hour the
    clocks go back appears twice (01:00 BST and 01:00 GMT), as it happened, never merged.
    """
    key = f"api:by-hour:{pledge.pk}"
    hours = cache.get(key)
    if hours is None:
        london = ZoneInfo(settings.TIME_ZONE)
        since = timezone.now() - timedelta(days=days)
        rows = (
            Signature.objects.counted()
            .filter(pledge=pledge, confirmed_at__gte=since)
            .annotate(hour=TruncHour("confirmed_at", tzinfo=UTC))
            .values("hour")
            .annotate(n=Count("id"))
            .order_by("hour")
        )
        hours = carry_forward(
            [{"hour": row["hour"].astimezone(london).isoformat(), "count": row["n"]} for row in rows if row["hour"]]
        )
        cache.set(key, hours, 60)
    return hours


def denominator_count(pledge: Pledge) -> int:
    """Signers who count against the pledge's figure: only the roles the figure counts (all if none named)."""
    key = f"api:denominator:{pledge.pk}"
    count = cache.get(key)
    if count is None:
        signed = Signature.objects.counted().filter(pledge=pledge)
        if pledge.denominator_roles:
            signed = signed.filter(role__in=pledge.denominator_roles)
        count = signed.count()
        cache.set(key, count, 60)
    return count


def counts_document() -> tuple[bytes, str]:
    """The body and ETag of GET /api/v1/counts, rebuilt at most once a second.

    The hot path is one cache read: this is what a crowd, a CDN or a partner's
    embed polls.
    """
    cached = cache.get(COUNTS_DOCUMENT_KEY)
    if cached is not None:
        return cached
    counts = current_counts()
    now = timezone.now().replace(microsecond=0).isoformat()
    public = Pledge.objects.public().select_related("denominator_figure")
    pledges = [{**pledge_summary(p, counts), "updated_at": now} for p in public]
    body = json.dumps({"pledges": pledges, "updated_at": now}, separators=(",", ":")).encode()
    # The ETag ignores the timestamps, so an unchanged document answers 304; anything else that moves changes it.
    unstamped = [{k: v for k, v in p.items() if k != "updated_at"} for p in pledges]
    etag = '"' + hashlib.sha256(json.dumps(unstamped, sort_keys=True).encode()).hexdigest()[:20] + '"'
    cache.set(COUNTS_DOCUMENT_KEY, (body, etag), settings.COUNTS_CACHE_SECONDS)
    return body, etag


def by_region(pledge: Pledge, counts: dict) -> list[dict]:
    """Confirmed signatures per region, small cells suppressed (pledges.disclosure)."""
    regions = counts.get(pledge.pk, {})
    rows = [{"code": r.value, "region": r.label, "count": regions.get(r.value, 0)} for r in Region]
    return suppress_rows(rows, "count")


def by_day(pledge: Pledge) -> list[dict]:
    key = f"api:by-day:{pledge.pk}"
    days = cache.get(key)
    if days is None:
        rows = (
            Signature.objects.counted()
            .filter(pledge=pledge)
            .annotate(day=TruncDate("confirmed_at"))
            .values("day")
            .annotate(n=Count("id"))
            .order_by("day")
        )
        days = carry_forward([{"date": row["day"].isoformat(), "count": row["n"]} for row in rows if row["day"]])
        cache.set(key, days, 60)
    return days


def by_union() -> list[dict]:
    """Signers who agreed to give their union, per union: the report the union question is asked for.

    People, not signatures: one person signing three pledges counts once. Small cells
    are suppressed like every public figure.
    """
    rows = cache.get(UNION_REPORT_KEY)
    if rows is None:
        given = (
            Signature.objects.counted()
            .filter(union_consent=True)
            .exclude(union="")
            .values("union")
            .annotate(n=Count("canonical_email", distinct=True))
        )
        counts = {row["union"]: row["n"] for row in given}
        rows = [{"code": u.value, "union": u.label, "count": counts.get(u.value, 0)} for u in Union]
        rows = suppress_rows(rows, "count")
        cache.set(UNION_REPORT_KEY, rows, 60)
    return rows


def cumulative(days: list[dict]) -> list[dict]:
    running = 0
    out = []
    for day in days:
        running += day["count"]
        out.append({"date": date.fromisoformat(day["date"]), "total": running})
    return out


def school_coverage(pledge: Pledge) -> dict:
    """Schools with at least one confirmed signer, against open state-funded schools."""
    key = f"api:coverage:{pledge.pk}"
    coverage = cache.get(key)
    if coverage is not None:
        return coverage
    signed = Signature.objects.counted().filter(pledge=pledge, school__isnull=False)
    open_schools = School.objects.filter(is_open=True, is_state_funded=True)
    covered_region = dict(
        signed.filter(school__is_state_funded=True, school__is_open=True)
        .values_list("school__region")
        .annotate(n=Count("school", distinct=True))
        .values_list("school__region", "n")
    )
    all_region = dict(open_schools.values_list("region").annotate(n=Count("urn")).values_list("region", "n"))
    covered_la = list(
        signed.filter(school__is_state_funded=True, school__is_open=True)
        .values("school__la_name")
        .annotate(n=Count("school", distinct=True))
        .order_by("school__la_name")
    )
    all_la = dict(open_schools.values_list("la_name").annotate(n=Count("urn")).values_list("la_name", "n"))
    schools = signed.values("school").distinct().count()
    coverage = {
        "schools": schools if not is_small(schools) else None,
        "by_region": protect(
            [share(r.label, covered_region.get(r.value, 0), all_region.get(r.value, 0)) for r in ENGLISH_REGIONS]
        ),
        # Only authorities with at least the threshold of covered schools are listed at all.
        "by_local_authority": [
            row
            for row in protect(
                [share(row["school__la_name"], row["n"], all_la.get(row["school__la_name"], 0)) for row in covered_la],
                with_total=False,
            )
            if not row["suppressed"] and row["of"] >= threshold()
        ],
    }
    cache.set(key, coverage, 60)
    return coverage


def share(name: str, covered: int, of: int) -> dict:
    return {"name": name, "schools": covered, "of": of, "percent": round(100 * covered / of, 1) if of else None}


def protect(rows: list[dict], *, with_total: bool = True) -> list[dict]:
    """Suppress small numbers of covered schools, and the share that would give them away.

    Where there are fewer open schools than the threshold, any covered count would point
    at a school, so that row is always withheld.
    """
    always = [row["of"] < threshold() for row in rows]
    rows = suppress_rows(rows, "schools", with_total=with_total, always=always)
    return [{**row, "percent": None} if row["suppressed"] else row for row in rows]


# For staff


def trending(hours: int = 1) -> dict[str, list[dict]]:
    since = timezone.now() - timedelta(hours=hours)
    recent = Signature.objects.filter(created_at__gte=since)
    threshold = settings.TRENDING_THRESHOLD_PER_HOUR * hours
    networks = (
        recent.exclude(network_hash="")
        .values("network_hash")
        .annotate(n=Count("id"))
        .filter(n__gte=threshold)
        .order_by("-n")[:50]
    )
    domains = (
        recent.exclude(email_domain__in=common_domains())
        .values("email_domain")
        .annotate(n=Count("id"))
        .filter(n__gte=threshold)
        .order_by("-n")[:50]
    )
    return {"networks": list(networks), "domains": list(domains), "threshold": threshold}


def dashboard_context(days: int = 30) -> dict:
    since = timezone.now() - timedelta(days=days)
    rows = (
        Signature.objects.counted()
        .filter(confirmed_at__gte=since)
        .annotate(day=TruncDate("confirmed_at"))
        .values("day", "pledge__title")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    series: dict[str, dict] = {}
    for row in rows:
        series.setdefault(row["pledge__title"], {})[row["day"]] = row["n"]
    today = timezone.localdate()
    day_list = [today - timedelta(days=i) for i in range(days - 1, -1, -1)]
    return {
        "series": series,
        "days": day_list,
        "awaiting": Signature.objects.awaiting_approval().count(),
        "outbox": outbox.summary(),
        "last_recount": Recount.objects.first(),
        "running_invalidations": Invalidation.objects.filter(state=Invalidation.State.RUNNING),
        "off_pace": off_pace_pledges(),
    }


def off_pace_pledges() -> list[dict]:
    """Threshold pledges that, at their pace so far, will not reach the threshold by their close date."""
    counts = current_counts()
    now = timezone.now()
    behind = []
    for pledge in Pledge.objects.open().filter(threshold__isnull=False, threshold_reached_at__isnull=True):
        if pledge.closes_at is None:
            continue
        count = total(counts, pledge.pk)
        elapsed = max((now - pledge.opens_at).total_seconds(), 3600)
        remaining = max((pledge.closes_at - now).total_seconds(), 0)
        projected = count + count / elapsed * remaining
        if projected < pledge.threshold:
            behind.append({"pledge": pledge, "count": count, "projected": int(projected)})
    return behind


def by_source(days: int = 30, only: str = "") -> dict:
    """For staff: signings and confirmations per campaign link, in total and per day (London dates)."""
    since = timezone.now() - timedelta(days=days)
    signatures = Signature.objects.filter(created_at__gte=since)
    if only:
        signatures = signatures.filter(source=only)
    names = dict(CampaignSource.objects.values_list("slug", "name"))
    totals = (
        signatures.values("source")
        .annotate(signed=Count("id"), confirmed=Count("id", filter=Q(confirmed_at__isnull=False)))
        .order_by("-signed")
    )
    daily = (
        signatures.annotate(day=TruncDate("created_at"))
        .values("day", "source")
        .annotate(signed=Count("id"), confirmed=Count("id", filter=Q(confirmed_at__isnull=False)))
        .order_by("-day", "source")
    )
    label = lambda slug: names.get(slug, slug) if slug else "(no campaign link)"  # noqa: E731
    return {
        "only": only,
        "totals": [{**row, "name": label(row["source"])} for row in totals],
        "daily": [{**row, "name": label(row["source"])} for row in daily],
    }
