"""Public pages: live counts, a pledge's own page, the wall of names, the embed and the share image."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from briefings import positions
from briefings.models import Figure
from pausecampaign.middleware import allow_framing
from pledges import constituencies, counting, ledger, resolutions
from pledges.action_plan.services import steps_done
from pledges.aggregates import (
    ENGLISH_REGIONS,
    by_hour,
    by_region,
    by_union,
    denominator_count,
    offline_total,
    school_coverage,
    verified_school_addresses,
)
from pledges.charts import MAP_HEIGHT, MAP_WIDTH, hourly_bars, ledger_chart, region_map, schools_map, timeline
from pledges.kept_pages import kept_for_visitors
from pledges.models import BoardResolution, Pledge, Region, Role, Signature
from pledges.share_image import share_png


def pledges_with_counts() -> list[Pledge]:
    counts = counting.current_counts()
    pledges = list(Pledge.objects.public().select_related("denominator_figure"))
    for pledge in pledges:
        pledge.count = counting.total(counts, pledge.pk)
        pledge.offline = offline_total(pledge)
    return pledges


@require_safe
@kept_for_visitors
def home(request: HttpRequest) -> HttpResponse:
    pledges = pledges_with_counts()
    context = {
        "pledges": [p for p in pledges if p.state != Pledge.State.CLOSED],
        "closed": [p for p in pledges if p.state == Pledge.State.CLOSED],
        "positions": positions.latest(),
    }
    return render(request, "pledges/home.html", context)


@require_safe
@kept_for_visitors
def counts_page(request: HttpRequest) -> HttpResponse:
    counts = counting.current_counts()
    sections = []
    for pledge in Pledge.objects.public():
        regions = by_region(pledge, counts)
        sections.append(
            {
                "pledge": pledge,
                "count": counting.total(counts, pledge.pk),
                "against": denominator_count(pledge) if pledge.denominator_figure_id else None,
                "roles": "; ".join(Role(r).label.lower() for r in pledge.denominator_roles if r in Role.values),
                "regions": regions,
                "tiles": region_map(regions),
                "map_width": MAP_WIDTH,
                "map_height": MAP_HEIGHT,
                "timeline": timeline(pledge),
                "hours": hourly_bars(by_hour(pledge)),
                "offline": offline_total(pledge),
                "verified": verified_school_addresses(pledge),
                "coverage": school_coverage(pledge) if pledge.roles else None,
            }
        )

    context = {
        "sections": sections,
        # Launch day: an invitation to be first, not a page of zeros and empty charts.
        "launch_day": not any(section["count"] for section in sections)
        and not BoardResolution.objects.approved().exists(),
        "ledger": (stand_down := ledger.figures()),
        "chart": ledger_chart(stand_down["over_time"]),
        "resolutions": (covered := resolutions.coverage()),
        "resolutions_map": schools_map(covered["by_region"]),
        "figures": Figure.objects.filter(show_on_counts=True),
        "steps": steps_done(),
        "unions": by_union(),
        "threshold": settings.DISCLOSURE_THRESHOLD,
    }
    return render(request, "pledges/counts.html", context)


@require_safe
@kept_for_visitors
def pledge_page(request: HttpRequest, slug: str) -> HttpResponse:
    pledge = get_object_or_404(Pledge.objects.public(), slug=slug)
    count = counting.total(counting.current_counts(), pledge.pk)
    share_url = f"{settings.SITE_URL}{pledge.get_absolute_url()}?src=share"
    versions = list(pledge.versions.order_by("-number"))
    context = {
        "pledge": pledge,
        "count": count,
        "offline": offline_total(pledge),
        "share_url": share_url,
        "earlier_versions": versions[1:],
    }
    if versions:
        context["current_since"] = versions[0].created_at
    return render(request, "pledges/pledge.html", context)


@require_safe
@cache_control(public=True, max_age=300)
def share_image(request: HttpRequest, slug: str) -> HttpResponse:
    pledge = get_object_or_404(Pledge.objects.public(), slug=slug)
    count = counting.total(counting.current_counts(), pledge.pk)
    return HttpResponse(share_png(pledge, count), content_type="image/png")


@require_safe
@kept_for_visitors
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
        "pledges": Pledge.objects.public(),
        "pledge_slug": pledge_slug,
        "filters": request.GET.copy(),
    }
    context["filters"].pop("page", None)
    return render(request, "pledges/wall.html", context)


@require_safe
@allow_framing
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    pledge = get_object_or_404(Pledge.objects.public(), slug=slug)
    count = counting.total(counting.current_counts(), pledge.pk)
    context = {"pledge": pledge, "count": count, "offline": offline_total(pledge)}
    return render(request, "pledges/embed.html", context)


@require_safe
@cache_control(public=True, max_age=3600)
def embed_script(request: HttpRequest) -> HttpResponse:
    """A stable address for partners' script tag (static files carry a content hash)."""
    path = finders.find("js/embed.js")
    response = HttpResponse(Path(path).read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def constituency_list(request: HttpRequest) -> HttpResponse:
    context = {"rows": constituencies.by_constituency(), "pledges": list(Pledge.objects.public())}
    return render(request, "pledges/constituencies.html", context)


@require_safe
def constituency_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One constituency's support, for an MP's office: the same withheld cells as the list."""
    found = constituencies.constituency(slug)
    if found is None:
        raise Http404
    pledges = list(Pledge.objects.public())
    rows = [{"pledge": p, "count": found["pledges"].get(p.slug)} for p in pledges]
    context = {
        "constituency": found,
        "rows": rows,
        "any_support": any(count is None or count for count in found["pledges"].values()),
        "share_url": f"{settings.SITE_URL}{request.path}?src=mp",
    }
    return render(request, "pledges/constituency.html", context)
