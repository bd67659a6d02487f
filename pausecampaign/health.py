"""GET /healthz: is each service this site needs reachable?"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return what was stored")


def check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"
    from pausecampaign.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=1)
    return "ok"


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": check_database, "cache": check_cache, "broker": check_broker}
    states: dict[str, str] = {}
    for name, check in checks.items():
        try:
            states[name] = check() or "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means "down", and says why
            states[name] = f"down: {type(exc).__name__}"
    down = sorted(name for name, state in states.items() if state.startswith("down"))
    return JsonResponse({"status": "down" if down else "ok", "down": down, **states}, status=503 if down else 200)
