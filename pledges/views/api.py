"""The open data API, version 1: read-only, CORS-open, cached, and free of personal data."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from pledges.aggregates import by_day, by_region, counts_document, pledge_summary
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
    response["ETag"] = etag
    return response


def pledge_document(pledge: Pledge) -> dict:
    counts_now = current_counts()
    return {**pledge_summary(pledge, counts_now), "by_region": by_region(pledge, counts_now), "by_day": by_day(pledge)}


@open_data
def pledge_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return JsonResponse(pledge_document(get_object_or_404(Pledge.objects.open(), slug=slug)))


def csv_response(rows: list[list], filename: str) -> HttpResponse:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@open_data
def counts_csv(request: HttpRequest) -> HttpResponse:
    counts_now = current_counts()
    rows = [["slug", "title", "count", "threshold", "denominator"]]
    for pledge in Pledge.objects.open():
        summary = pledge_summary(pledge, counts_now)
        rows.append([summary[k] if summary[k] is not None else "" for k in rows[0]])
    return csv_response(rows, "pauseofsted-counts.csv")


@open_data
def pledge_csv(request: HttpRequest, slug: str) -> HttpResponse:
    document = pledge_document(get_object_or_404(Pledge.objects.open(), slug=slug))
    rows = [["kind", "key", "label", "count"]]
    # A suppressed cell (pledges.disclosure) is written as "withheld", never as its number.
    rows += [
        ["region", r["code"], r["region"], "withheld" if r["count"] is None else r["count"]]
        for r in document["by_region"]
    ]
    rows += [["day", d["date"], d["date"], d["count"]] for d in document["by_day"]]
    return csv_response(rows, f"pauseofsted-{document['slug']}.csv")


PLEDGE_SUMMARY = {
    "type": "object",
    "required": ["slug", "title", "count", "threshold", "denominator", "updated_at"],
    "properties": {
        "slug": {"type": "string"},
        "title": {"type": "string"},
        "count": {"type": "integer", "minimum": 0, "description": "Confirmed signatures only."},
        "threshold": {"type": ["integer", "null"]},
        "threshold_reached": {"type": "boolean"},
        "denominator": {"type": ["integer", "null"], "description": "For shares, e.g. school-based OIs."},
        "denominator_label": {"type": ["string", "null"]},
        "denominator_source": {"type": ["string", "null"]},
        "url": {"type": "string", "format": "uri"},
        "updated_at": {"type": "string", "format": "date-time"},
    },
}


def openapi_document(request: HttpRequest) -> dict:
    slug = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 60}}
    not_found = {"404": {"description": "No open pledge has this slug."}}
    detail = {
        "allOf": [
            {"$ref": "#/components/schemas/PledgeSummary"},
            {
                "type": "object",
                "properties": {
                    "by_region": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "code": {"type": "string"},
                                "region": {"type": "string"},
                                "count": {
                                    "type": ["integer", "null"],
                                    "description": "null when from 1 to DISCLOSURE_THRESHOLD - 1 (suppressed).",
                                },
                                "suppressed": {"type": "boolean"},
                            },
                        },
                    },
                    "by_day": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "description": "A day with fewer than DISCLOSURE_THRESHOLD confirmations joins the next.",
                            "properties": {"date": {"type": "string", "format": "date"}, "count": {"type": "integer"}},
                        },
                    },
                },
            },
        ]
    }
    csv_content = {"text/csv": {"schema": {"type": "string"}}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "#PauseOfsted open data",
            "version": "1",
            "description": "Confirmed pledge counts. Read-only, open to any origin, no personal data.",
            "license": {"name": "Open Government Licence v3.0 compatible; cite #PauseOfsted"},
        },
        "servers": [{"url": request.build_absolute_uri("/api/v1")}],
        "paths": {
            "/counts": {
                "get": {
                    "summary": "Every open pledge with its confirmed count",
                    "responses": {
                        "200": {
                            "description": "Counts. Sends an ETag; send If-None-Match to get 304 when unchanged.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "pledges": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/PledgeSummary"},
                                            },
                                            "updated_at": {"type": "string", "format": "date-time"},
                                        },
                                    }
                                }
                            },
                        },
                        "304": {"description": "Not modified since the ETag you sent."},
                    },
                }
            },
            "/counts.csv": {
                "get": {
                    "summary": "The same as CSV",
                    "responses": {"200": {"description": "CSV", "content": csv_content}},
                }
            },
            "/pledges/{slug}": {
                "get": {
                    "summary": "One pledge, with counts by region and by day of confirmation",
                    "parameters": [slug],
                    "responses": {
                        "200": {"description": "The pledge", "content": {"application/json": {"schema": detail}}},
                        **not_found,
                    },
                }
            },
            "/pledges/{slug}.csv": {
                "get": {
                    "summary": "The same as CSV",
                    "parameters": [slug],
                    "responses": {"200": {"description": "CSV", "content": csv_content}, **not_found},
                }
            },
        },
        "components": {"schemas": {"PledgeSummary": PLEDGE_SUMMARY}},
    }


@open_data
def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_document(request))


@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    pledges = list(Pledge.objects.open())
    return render(request, "pledges/api_docs.html", {"pledges": pledges})
