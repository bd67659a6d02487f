"""HEAD works wherever GET does; the API answers preflights and wrong methods in JSON (item 16)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from pledges.models import Pledge

PAGES = [
    "/",
    "/healthz",
    "/sign/",
    "/sign/check-your-email/",
    "/counts/",
    "/wall/",
    "/pledges/support-the-pause/",
    "/embed/support-the-pause/",
    "/embed.js",
    "/schools/search/?q=test",
    "/api/",
    "/api/v1/counts",
    "/api/v1/counts.csv",
    "/api/v1/pledges/support-the-pause",
    "/api/v1/pledges/support-the-pause.csv",
    "/api/v1/openapi.json",
    "/news/",
    "/robots.txt",
    "/sitemap.xml",
    "/privacy/",
    "/accounts/login/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_it_answers_head_as_it_answers_get(client, path):
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == get.status_code != 405, path
    assert head.content == b""


API = ["/api/v1/counts", "/api/v1/counts.csv", "/api/v1/pledges/support-the-pause", "/api/v1/openapi.json"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", API)
def test_it_answers_a_cors_preflight(client, path):
    response = client.options(path, HTTP_ORIGIN="https://partner.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert client.get(path)["Access-Control-Expose-Headers"] == "ETag"


@pytest.mark.django_db
@pytest.mark.parametrize("path", API)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_answers_a_wrong_method_in_json(path, method):
    response = getattr(Client(enforce_csrf_checks=True), method)(path)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert "GET" in response["Allow"]
    assert json.loads(response.content)["status"] == 405


@pytest.mark.django_db
def test_it_answers_an_unknown_pledge_in_json(client):
    for path in ["/api/v1/pledges/no-such-pledge", "/api/v1/pledges/no-such-pledge.csv"]:
        response = client.get(path)
        assert response.status_code == 404
        assert json.loads(response.content)["status"] == 404
    assert Pledge.objects.exists()
