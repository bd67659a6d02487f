"""Stored, sharded counts of confirmed signatures, and the recount that repairs them.

A confirmation adds to a shard through PledgeCount.objects.adjust, in the same
transaction as the state change; this module reads the shards and repairs them.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Sum

from pledges.models import Pledge, PledgeCount, Recount, Region, Signature, SiteSwitches

log = logging.getLogger(__name__)

COUNTS_CACHE_KEY = "pledge-counts:v1"


def stored_counts() -> dict[int, dict[str, int]]:
    """pledge id → region → confirmed count, summed over shards (uncached)."""
    totals: dict[int, dict[str, int]] = defaultdict(dict)
    rows = PledgeCount.objects.values("pledge_id", "region").annotate(n=Sum("count"))
    for row in rows:
        if row["n"]:
            totals[row["pledge_id"]][row["region"]] = max(row["n"], 0)
    return dict(totals)


def current_counts() -> dict[int, dict[str, int]]:
    """The counts the public sees: at most COUNTS_CACHE_SECONDS old, or frozen by staff."""
    switches = SiteSwitches.current()
    if switches.counts_frozen:
        return {int(k): v for k, v in switches.frozen_counts.items()}
    counts = cache.get(COUNTS_CACHE_KEY)
    if counts is None:
        counts = stored_counts()
        cache.set(COUNTS_CACHE_KEY, counts, settings.COUNTS_CACHE_SECONDS)
    return counts


def total(counts: dict[int, dict[str, int]], pledge_id: int) -> int:
    return sum(counts.get(pledge_id, {}).values())


def actual_counts(pledge: Pledge) -> dict[str, int]:
    rows = Signature.objects.counted().filter(pledge=pledge).values("region").annotate(n=Count("id"))
    return {row["region"]: row["n"] for row in rows}


def recount_pledge(pledge: Pledge) -> dict[str, int]:
    """Repair one pledge's stored counts; return {region: stored − actual} where they differed."""
    rows = [PledgeCount(pledge=pledge, region=r, shard=s) for r in Region.values for s in range(settings.COUNT_SHARDS)]
    PledgeCount.objects.bulk_create(rows, ignore_conflicts=True)
    with transaction.atomic():
        # Lock every shard first: a confirmation that has already added to a shard
        # commits before we count, and one that has not waits until we are done.
        shards = list(PledgeCount.objects.select_for_update().filter(pledge=pledge).order_by("id"))
        actual = actual_counts(pledge)
        stored: dict[str, int] = defaultdict(int)
        for shard in shards:
            stored[shard.region] += shard.count
        drift = {r: stored[r] - actual.get(r, 0) for r in Region.values if stored[r] != actual.get(r, 0)}
        for region in drift:
            PledgeCount.objects.filter(pledge=pledge, region=region).update(count=0)
            PledgeCount.objects.filter(pledge=pledge, region=region, shard=0).update(count=actual.get(region, 0))
    return drift


def recount_all() -> Recount:
    drift = {}
    for pledge in Pledge.objects.all():
        repaired = recount_pledge(pledge)
        if repaired:
            log.warning("recount repaired drift on %s: %s", pledge.slug, repaired)
            drift[pledge.slug] = repaired
    cache.delete(COUNTS_CACHE_KEY)
    return Recount.objects.create(drift=drift)
