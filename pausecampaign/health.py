"""Health: /healthz/live (the process answers) and /healthz/ready (its services answer, mail is leaving).

/healthz is the readiness check, kept for monitors set up before the split.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from pausecampaign.celery import app
from pledges.outbox import oldest_waiting_age


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
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=1)
    return "ok"


def check_mail() -> str:
    """The transactional lane: how long its oldest message has waited, and whether that is too long."""
    age = oldest_waiting_age()
    limit = settings.OUTBOX_ALERT_AFTER.total_seconds()
    if age > limit:
        raise RuntimeError(f"oldest confirmation waiting {age:.0f} s (limit {limit:.0f} s)")
    return f"ok: oldest waiting {age:.0f} s"


READINESS = {"database": check_database, "cache": check_cache, "broker": check_broker, "mail": check_mail}


@require_safe
@never_cache
def live(request: HttpRequest) -> JsonResponse:
    """Liveness: this process answers. Restart it if not; never restart it for a dependency's sake."""
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: every service this site needs answers, and confirmations are leaving."""
    states: dict[str, str] = {}
    for name, check in READINESS.items():
        try:
            states[name] = check() or "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means "down", and says why
            detail = str(exc) if name == "mail" else type(exc).__name__
            states[name] = f"down: {detail}"
    down = sorted(name for name, state in states.items() if state.startswith("down"))
    return JsonResponse({"status": "down" if down else "ok", "down": down, **states}, status=503 if down else 200)
