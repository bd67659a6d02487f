"""Public pages: live counts, a pledge's own page, the wall of names, the embed and the share image."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from pausecampaign.middleware import allow_framing
from pledges import counting
from pledges.action_plan.services import steps_done
from pledges.models import Pledge, Region, Signature
from pledges.share_image import share_png
from pledges.stats import ENGLISH_REGIONS, by_day, by_region, by_union, cumulative, school_coverage

# Where each region sits on the site's tile map of England: (column, row).
TILES = {
    "A": (2, 0),
    "B": (1, 1),
    "D": (2, 1),
    "F": (1, 2),
    "E": (2, 2),
    "G": (3, 2),
    "K": (0, 3),
    "J": (1, 3),
    "H": (2, 3),
}
SHORT_NAMES = {"D": "Yorkshire & Humber", "G": "East of England"}
SHADES = ["#e8eef6", "#b9cbe3", "#7f9fc9", "#3f6aa3", "#1d3557"]


def region_map(regions: list[dict]) -> list[dict]:
    peak = max([r["count"] or 0 for r in regions] or [0]) or 1
    tiles = []
    for region in regions:
        if region["code"] not in TILES:
            continue
        column, row = TILES[region["code"]]
        count = region["count"] or 0
        level = 1 if region.get("suppressed") else (0 if not count else min(4, 1 + int(3 * count / peak)))
        tiles.append(
            {
                **region,
                "short": SHORT_NAMES.get(region["code"], region["region"]),
                "x": column * 130 + 5,
                "y": row * 90 + 5,
                "fill": SHADES[level],
                "text": "#ffffff" if level >= 3 else "#0b0c0c",
            }
        )
    return tiles


def timeline(pledge: Pledge, width: int = 600, height: int = 180) -> dict:
    points = cumulative(by_day(pledge))
    if not points:
        return {}
    first, last = points[0]["date"], points[-1]["date"]
    span = max((last - first).days, 1)
    peak = points[-1]["total"] or 1
    coords = [
        (
            round(40 + (width - 50) * (p["date"] - first).days / span),
            round(height - 20 - (height - 40) * p["total"] / peak),
        )
        for p in points
    ]
    return {
        "points": " ".join(f"{x},{y}" for x, y in coords),
        "first": first,
        "last": last,
        "peak": peak,
        "width": width,
        "height": height,
        "rows": points[-14:],
    }


def pledges_with_counts() -> list[Pledge]:
    counts = counting.current_counts()
    pledges = list(Pledge.objects.open())
    for pledge in pledges:
        pledge.count = counting.total(counts, pledge.pk)
    return pledges


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pledges/home.html", {"pledges": pledges_with_counts()})


@require_safe
def counts_page(request: HttpRequest) -> HttpResponse:
    counts = counting.current_counts()
    sections = []
    for pledge in Pledge.objects.open():
        regions = by_region(pledge, counts)
        sections.append(
            {
                "pledge": pledge,
                "count": counting.total(counts, pledge.pk),
                "regions": regions,
                "tiles": region_map(regions),
                "timeline": timeline(pledge),
                "coverage": school_coverage(pledge) if pledge.roles else None,
            }
        )
    from briefings.models import Figure

    context = {
        "sections": sections,
        "figures": Figure.objects.filter(show_on_counts=True),
        "steps": steps_done(),
        "unions": by_union(),
        "threshold": settings.DISCLOSURE_THRESHOLD,
    }
    return render(request, "pledges/counts.html", context)


@require_safe
def pledge_page(request: HttpRequest, slug: str) -> HttpResponse:
    pledge = get_object_or_404(Pledge.objects.open(), slug=slug)
    count = counting.total(counting.current_counts(), pledge.pk)
    share_url = f"{settings.SITE_URL}/pledges/{pledge.slug}/"
    return render(request, "pledges/pledge.html", {"pledge": pledge, "count": count, "share_url": share_url})


@require_safe
@cache_control(public=True, max_age=300)
def share_image(request: HttpRequest, slug: str) -> HttpResponse:
    pledge = get_object_or_404(Pledge.objects.open(), slug=slug)
    count = counting.total(counting.current_counts(), pledge.pk)
    return HttpResponse(share_png(pledge, count), content_type="image/png")


@require_safe
def wall(request: HttpRequest) -> HttpResponse:
    signatures = (
        Signature.objects.named_now(counting.current_counts())
        .select_related("pledge", "school")
        .order_by("-confirmed_at")
    )
    query = request.GET.get("q", "").strip()[:100]
    region = request.GET.get("region", "")
    pledge_slug = request.GET.get("pledge", "")[:60]
    if query:
        named_school = Q(appearance=Signature.Appearance.NAME_SCHOOL, school__name__icontains=query)
        signatures = signatures.filter(Q(name__icontains=query) | named_school)
    if region in Region.values:
        signatures = signatures.filter(region=region)
    if pledge_slug:
        signatures = signatures.filter(pledge__slug=pledge_slug)
    page = Paginator(signatures, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": query,
        "region": region,
        "regions": [*ENGLISH_REGIONS, Region.OUTSIDE],
        "pledges": Pledge.objects.open(),
        "pledge_slug": pledge_slug,
        "filters": request.GET.copy(),
    }
    context["filters"].pop("page", None)
    return render(request, "pledges/wall.html", context)


@require_safe
@allow_framing
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    pledge = get_object_or_404(Pledge.objects.open(), slug=slug)
    count = counting.total(counting.current_counts(), pledge.pk)
    return render(request, "pledges/embed.html", {"pledge": pledge, "count": count})


@require_safe
@cache_control(public=True, max_age=3600)
def embed_script(request: HttpRequest) -> HttpResponse:
    """A stable address for partners' script tag (static files carry a content hash)."""
    path = finders.find("js/embed.js")
    response = HttpResponse(Path(path).read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response
