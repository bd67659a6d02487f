from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_it_shows_the_home_page_with_each_open_pledge(client):
    page = client.get("/").content.decode()
    assert page.count("<h1>") == 1
    assert 'href="#main-content" class="skip-link"' in page
    assert '<main id="main-content"' in page
    for title in ["Stand down as an Ofsted Inspector", "Refuse release time for inspection", "Support the pause"]:
        assert title in page
    assert "/sign/?pledge=stand-down" in page


@pytest.mark.django_db
def test_it_shows_a_plain_404_without_debug_output(client):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page
    assert "Traceback" not in page and "URLconf" not in page


@pytest.mark.django_db
def test_it_loads_no_asset_from_another_site(client):
    page = client.get("/sign/").content.decode()
    for attribute in ('src="http', 'src="//', 'href="//'):
        assert attribute not in page
    assert "/static/css/site.css" in page


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/sign/", "/healthz", "/no-such-page/"])
def test_it_sends_security_headers_everywhere(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_it_answers_the_browsers_favicon_request(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
