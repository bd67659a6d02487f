"""The stand-down ledger: how much of the serving-leader inspector pool has stood down, nationally and
in Ofsted's eight regions, over time; and the conditional commitments that activate region by region.

Every public figure here passes the disclosure control (pledges.disclosure). People are counted, not
signatures: an inspector counts once however many pledges they signed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from pledges import emails
from pledges.disclosure import is_small, suppress, suppress_rows
from pledges.models import InspectorStatusChange, OfstedRegion, Pledge, Signature

LEDGER_KEY = "api:ledger:v1"
COLUMNS = ("unavailable", "resigned", "conditional", "active")


def ledger_pledge() -> Pledge | None:
    """The pledge whose denominator is the serving-leader inspector pool (the stand-down pledge)."""
    return Pledge.objects.public().filter(asks_inspector_status=True).select_related("denominator_figure").first()


def people_by_region(signatures) -> dict[str, int]:
    rows = signatures.values("region").annotate(n=Count("canonical_email", distinct=True))
    by_ofsted: dict[str, int] = defaultdict(int)
    for row in rows:
        ofsted = OfstedRegion.of(row["region"])
        if ofsted:
            by_ofsted[ofsted] += row["n"]
    return by_ofsted


def figures() -> dict:
    """National and regional figures for the counts page, the map and the API (cached for a minute)."""
    found = cache.get(LEDGER_KEY)
    if found is not None:
        return found
    counted = Signature.objects.inspectors()
    columns = {
        "unavailable": counted.filter(inspector_status=Signature.InspectorStatus.UNAVAILABLE),
        "resigned": counted.filter(inspector_status=Signature.InspectorStatus.RESIGNED),
        "conditional": counted.conditional_commitments(),
        "active": counted.active_commitments(),
    }
    by_region = {name: people_by_region(qs) for name, qs in columns.items()}
    regions = [{"code": r.value, "region": r.label} for r in OfstedRegion]
    for name in COLUMNS:
        regions = suppress_rows(
            [{**row, name: by_region[name].get(row["code"], 0)} for row in regions], name, with_total=True
        )
        for row in regions:
            row[f"{name}_suppressed"] = row.pop("suppressed")
    national = {name: sum(by_region[name].values()) for name in COLUMNS}
    stood_down = national["unavailable"] + national["resigned"]
    pledge = ledger_pledge()
    figure = pledge.denominator_figure if pledge else None
    found = {
        "as_of": timezone.now().replace(microsecond=0).isoformat(),
        "national": {name: None if is_small(value) else value for name, value in national.items()},
        "stood_down": None if is_small(stood_down) else stood_down,
        "pool": {
            "estimate": figure.number,
            "label": figure.label,
            "value": figure.value,
            "source": figure.source,
            "source_url": figure.source_url,
            "as_of": figure.as_of,
        }
        if figure and figure.number
        else None,
        "share_percent": round(100 * stood_down / figure.number, 1)
        if figure and figure.number and not is_small(stood_down)
        else None,
        "by_region": regions,
        "over_time": over_time(),
    }
    cache.set(LEDGER_KEY, found, 60)
    return found


def over_time(weeks: int = 26) -> list[dict]:
    """How many had stood down at the end of each week: the status at confirmation, then each dated change."""
    signatures = Signature.objects.inspectors().exclude(confirmed_at__isnull=True)
    history: dict[int, list[tuple[date, int, str]]] = {}
    for pk, current, confirmed_at in signatures.values_list("pk", "inspector_status", "confirmed_at"):
        history[pk] = [(timezone.localdate(confirmed_at), 0, current)]
    changes = InspectorStatusChange.objects.filter(signature__in=signatures).order_by("recorded_at", "pk")
    for number, change in enumerate(changes.values("signature_id", "on", "previous", "status"), start=1):
        entries = history[change["signature_id"]]
        if len(entries) == 1:
            # The signature now holds the latest status; what it held at confirmation is the first change's previous.
            entries[0] = (entries[0][0], 0, change["previous"])
        entries.append((change["on"], number, change["status"]))
    if not history:
        return []
    today = timezone.localdate()
    points = []
    for end in (today - timedelta(weeks=w) for w in range(weeks - 1, -1, -1)):
        at_end = [max((e for e in entries if e[0] <= end), default=(end, 0, ""))[2] for entries in history.values()]
        points.append(
            {
                "week_ending": end.isoformat(),
                "unavailable": at_end.count(Signature.InspectorStatus.UNAVAILABLE),
                "resigned": at_end.count(Signature.InspectorStatus.RESIGNED),
            }
        )
    first = next((i for i, p in enumerate(points) if p["unavailable"] or p["resigned"]), len(points))
    points = points[max(first - 1, 0) :]
    for name in ("unavailable", "resigned"):
        for point, value in zip(points, suppress([p[name] for p in points], with_total=False), strict=True):
            point[name] = value
    return points


def forget() -> None:
    cache.delete(LEDGER_KEY)


def stood_down_in(ofsted_region: str, *, excluding: int | None = None) -> int:
    others = Signature.objects.stood_down().in_ofsted_region(ofsted_region)
    if excluding is not None:
        others = others.exclude(pk=excluding)
    return others.values("canonical_email").distinct().count()


def activate_commitments(ofsted_region: str) -> int:
    """Activate every conditional commitment in the region whose number of others has been reached.

    Run after each confirmation or change that adds to the region's stood-down count has
    committed, and by the beat as a sweep. Activation is a conditional update, and its email
    has one key, so two runs at once activate and tell each signer exactly once.
    """
    if ofsted_region not in OfstedRegion.values:
        return 0
    activated = 0
    waiting = Signature.objects.conditional_commitments().in_ofsted_region(ofsted_region).order_by("pk")
    for signature in waiting.select_related("pledge"):
        if signature.stand_down_after is None:
            continue
        if stood_down_in(ofsted_region, excluding=signature.pk) < signature.stand_down_after:
            continue
        with transaction.atomic():
            if signature.activate_commitment():
                emails.send_commitment_active(signature)
                activated += 1
    if activated:
        forget()
    return activated


def activate_all() -> int:
    return sum(activate_commitments(region) for region in OfstedRegion.values)
