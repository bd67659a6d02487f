"""Ceilings for `make bench`: the least Django can do per request on this stack.

Mounted only when BENCH_CEILINGS is on, so production never serves them.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt


def read_one_key(request: HttpRequest) -> HttpResponse:
    return HttpResponse(cache.get("bench:key", b"{}"), content_type="application/json")


@csrf_exempt
def insert_one_row(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_row (v) VALUES (1)")
    return HttpResponse(status=302, headers={"Location": "/"})
