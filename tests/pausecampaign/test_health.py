from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_it_reports_every_service_up(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    assert body["broker"] in {"ok", "in-process"}


@pytest.mark.django_db
def test_it_names_the_service_that_is_down(client, settings, redis_url):
    from pausecampaign.celery import app
    from tests.conftest import free_port

    dead = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": dead, "OPTIONS": {}}
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    original = app.conf.broker_url
    app.conf.broker_url = dead
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["down"] == ["broker", "cache"]
    assert response.json()["database"] == "ok"
