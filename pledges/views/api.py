"""The open data API, version 1: read-only, CORS-open, cached, and free of personal data."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from pledges import constituencies, ledger, resolutions
from pledges.aggregates import by_day, by_hour, by_region, counts_document, pledge_summary
from pledges.counting import current_counts
from pledges.models import Pledge

MAX_AGE = 1


ALLOWED_METHODS = "GET, HEAD, OPTIONS"


def api_error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message, "status": status}, status=status)


def open_data(view: Callable) -> Callable:
    """Any site may read it, from a browser too (CORS); caches and CDNs may keep it for a moment.

    Every answer is JSON or CSV, errors included: a wrong method is a JSON 405 naming the
    allowed ones, never the HTML "form has timed out" page of the CSRF check (the API
    changes nothing, so it has no CSRF check to fail).
    """

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = "If-None-Match"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in {"GET", "HEAD"}:
            response = api_error(405, f"{request.method} is not allowed here: use GET.")
        else:
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                response = api_error(404, "No such pledge.")
            response.setdefault("Cache-Control", f"public, max-age={MAX_AGE}, stale-while-revalidate=10")
        response["Allow"] = ALLOWED_METHODS
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag"
        return response

    return wrapper


def etag_matches(request: HttpRequest, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(",")) or header.strip() == "*"


@open_data
def counts(request: HttpRequest) -> HttpResponse:
    body, etag = counts_document()
    if etag_matches(request, etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json")
    # Weak: the body's updated_at moves every second while what it counts does not.
    response["ETag"] = f"W/{etag}"
    return response


def pledge_document(pledge: Pledge) -> dict:
    counts_now = current_counts()
    return {
        **pledge_summary(pledge, counts_now),
        "updated_at": timezone.now().replace(microsecond=0).isoformat(),
        "by_region": by_region(pledge, counts_now),
        "by_day": by_day(pledge),
        "by_hour": by_hour(pledge),
    }


@open_data
def pledge_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return JsonResponse(pledge_document(get_object_or_404(Pledge.objects.public(), slug=slug)))


def csv_response(rows: list[list], filename: str) -> HttpResponse:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@open_data
def counts_csv(request: HttpRequest) -> HttpResponse:
    counts_now = current_counts()
    rows = [["slug", "title", "state", "count", "threshold", "denominator", "offline", "verified_school_addresses"]]
    for pledge in Pledge.objects.public():
        summary = pledge_summary(pledge, counts_now)
        small = {"offline", "verified_school_addresses"}  # None there is a withheld figure, not no figure
        rows.append(
            [withheld(summary[k]) if k in small else ("" if summary[k] is None else summary[k]) for k in rows[0]]
        )
    return csv_response(rows, "pauseofsted-counts.csv")


@open_data
def pledge_csv(request: HttpRequest, slug: str) -> HttpResponse:
    document = pledge_document(get_object_or_404(Pledge.objects.public(), slug=slug))
    rows = [["kind", "key", "label", "count"]]
    # A suppressed cell (pledges.disclosure) is written as "withheld", never as its number.
    rows += [
        ["region", r["code"], r["region"], "withheld" if r["count"] is None else r["count"]]
        for r in document["by_region"]
    ]
    rows += [["day", d["date"], d["date"], d["count"]] for d in document["by_day"]]
    rows += [["hour", h["hour"], h["hour"], h["count"]] for h in document["by_hour"]]
    rows.append(["offline", "", "gathered on paper or at meetings", withheld(document["offline"])])
    rows.append(["verified", "", "from verified school addresses", withheld(document["verified_school_addresses"])])
    return csv_response(rows, f"pauseofsted-{document['slug']}.csv")


def withheld(value) -> object:
    """How a suppressed figure reads in CSV (pledges.disclosure)."""
    return "withheld" if value is None else value


@open_data
def ledger_detail(request: HttpRequest) -> HttpResponse:
    return JsonResponse(ledger.figures())


@open_data
def ledger_csv(request: HttpRequest) -> HttpResponse:
    figures = ledger.figures()
    rows = [["kind", "key", "label", *ledger.COLUMNS]]
    national = figures["national"]
    rows.append(["national", "E", "England", *[withheld(national[c]) for c in ledger.COLUMNS]])
    rows += [
        ["ofsted_region", r["code"], r["region"], *[withheld(r[c]) for c in ledger.COLUMNS]]
        for r in figures["by_region"]
    ]
    rows += [
        ["week_ending", p["week_ending"], p["week_ending"], withheld(p["unavailable"]), withheld(p["resigned"]), "", ""]
        for p in figures["over_time"]
    ]
    return csv_response(rows, "pauseofsted-stand-down-ledger.csv")


def resolutions_document() -> dict:
    coverage = resolutions.coverage()
    named = [{**row, "meeting_on": row["meeting_on"].isoformat()} for row in coverage["named"]]
    return {**coverage, "named": named, "updated_at": timezone.now().replace(microsecond=0).isoformat()}


@open_data
def resolutions_detail(request: HttpRequest) -> HttpResponse:
    return JsonResponse(resolutions_document())


@open_data
def resolutions_csv(request: HttpRequest) -> HttpResponse:
    document = resolutions_document()
    rows = [["kind", "key", "label", "schools_covered", "open_state_funded_schools", "percent"]]
    rows.append(["national", "E", "England", withheld(document["schools"]), document["of"], document["percent"] or ""])
    rows += [
        ["region", r["code"], r["name"], withheld(r["schools"]), r["of"], "" if r["percent"] is None else r["percent"]]
        for r in document["by_region"]
    ]
    rows += [
        ["local_authority", r["name"], r["name"], r["schools"], r["of"], r["percent"]]
        for r in document["by_local_authority"]
    ]
    rows += [["named", row["kind"], row["name"], row["schools"], "", ""] for row in document["named"]]
    return csv_response(rows, "pauseofsted-board-resolutions.csv")


@open_data
def constituencies_detail(request: HttpRequest) -> HttpResponse:
    rows = constituencies.by_constituency()
    return JsonResponse({"constituencies": rows, "updated_at": timezone.now().replace(microsecond=0).isoformat()})


@open_data
def constituencies_csv(request: HttpRequest) -> HttpResponse:
    slugs = list(Pledge.objects.public().values_list("slug", flat=True))
    rows = [["constituency", *slugs, "schools_covered_by_resolutions"]]
    for row in constituencies.by_constituency():
        rows.append([row["name"], *[withheld(row["pledges"][s]) for s in slugs], withheld(row["schools_covered"])])
    return csv_response(rows, "pauseofsted-constituencies.csv")


OPENAPI = Path(__file__).with_name("openapi.json")


@lru_cache(maxsize=1)
def openapi_document() -> dict:
    """The API's description, kept as data beside this module (openapi.json)."""
    return json.loads(OPENAPI.read_text(encoding="utf-8"))


@open_data
def openapi(request: HttpRequest) -> JsonResponse:
    document = {**openapi_document(), "servers": [{"url": request.build_absolute_uri("/api/v1")}]}
    return JsonResponse(document)


@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    pledges = list(Pledge.objects.public())
    return render(request, "pledges/api_docs.html", {"pledges": pledges})
