from __future__ import annotations

import http.server
import re
import threading
from datetime import timedelta
from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from pledges.models import Pledge, PledgeCount
from tests.factories import ConfirmedSignatureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_counts_page_updates_without_a_reload(page):
    pledge = Pledge.objects.get(slug="stand-down")
    page.goto("/counts/")
    count = page.locator("[data-count-for='stand-down']")
    assert count.inner_text() == "0"
    for _ in range(3):
        ConfirmedSignatureFactory(pledge=pledge)
    cache.clear()
    script = "document.querySelector(\"[data-count-for='stand-down']\").textContent === '3'"
    page.wait_for_function(script, timeout=12_000)
    page.get_by_role("button", name="Pause live updates").click()
    assert page.get_by_role("button", name="Resume live updates").count() == 1


@pytest.fixture
def partner_site():
    """Another site, on another origin, that pastes our snippet into its page."""
    pages: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield pages, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def plain_page(browser, live_server):
    """A tab that enforces our CSP (the shared `page` fixture bypasses it for axe-core)."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_a_partner_site_shows_the_embedded_counter(plain_page, live_server, partner_site):
    page = plain_page
    ConfirmedSignatureFactory.create_batch(2, pledge=Pledge.objects.get(slug="support-the-pause"))
    pages, origin = partner_site
    pages["/"] = (
        f'<!DOCTYPE html><title>Partner</title><h1>Partner</h1><iframe title="count" '
        f'src="{live_server.url}/embed/support-the-pause/" width="320" height="200"></iframe>'
    ).encode()
    page.goto(origin + "/")
    frame = page.frame_locator("iframe")
    assert frame.locator("[data-count-for='support-the-pause']").inner_text() == "2"
    assert frame.get_by_role("link", name="Sign the pledge").count() == 1


def test_a_partner_site_cannot_frame_any_other_page(plain_page, live_server, partner_site):
    page = plain_page
    pages, origin = partner_site
    pages["/"] = f'<!DOCTYPE html><title>P</title><iframe title="x" src="{live_server.url}/sign/"></iframe>'.encode()
    page.goto(origin + "/")
    page.wait_for_timeout(1000)
    framed = page.frame_locator("iframe").get_by_role("heading", name="Sign a pledge")
    assert framed.count() == 0, "the signing form must not load in a frame"


PARTNER_LINK = """(origin) => {
    const a = document.createElement('a');
    a.href = origin + '/pledges/support-the-pause/';
    a.dataset.pauseofstedCount = 'support-the-pause';
    a.textContent = 'Sign';
    document.body.appendChild(a);
    const s = document.createElement('script');
    s.src = origin + '/embed.js';
    document.body.appendChild(s);
}"""


def test_the_partner_script_adds_the_count_to_a_link(page, live_server):
    ConfirmedSignatureFactory.create_batch(4, pledge=Pledge.objects.get(slug="support-the-pause"))
    page.goto("/api/")  # any page of ours stands in for the partner; the script fetches cross-origin-safe JSON
    page.evaluate(PARTNER_LINK, live_server.url)
    page.wait_for_selector("[data-pauseofsted-label]")
    assert page.locator("[data-pauseofsted-label]").inner_text().strip() == "(4 signed)"


def test_the_partner_script_says_when_a_pledge_has_closed(page, live_server):
    pledge = Pledge.objects.get(slug="support-the-pause")
    ConfirmedSignatureFactory.create_batch(3, pledge=pledge)
    Pledge.objects.filter(pk=pledge.pk).update(closes_at=timezone.now() - timedelta(days=1))
    page.goto("/api/")
    page.evaluate(PARTNER_LINK, live_server.url)
    page.wait_for_selector("[data-pauseofsted-label]")
    assert page.locator("[data-pauseofsted-label]").inner_text().strip() == "(closed with 3 signatures)"


@pytest.mark.parametrize("slug", ["stand-down", "refuse-release", "support-the-pause"])
@pytest.mark.parametrize("state", ["open", "closed"])
def test_the_embed_fits_its_suggested_size_at_any_count(browser, live_server, slug, state):
    pledge = Pledge.objects.get(slug=slug)
    PledgeCount.objects.adjust(pledge.pk, "H", 1_234_567)  # the widest count we expect to show
    if state == "closed":
        Pledge.objects.filter(pk=pledge.pk).update(closes_at=timezone.now() - timedelta(days=1))
    cache.clear()
    snippet = unescape(Client().get(f"/pledges/{slug}/").content.decode())
    width, height = map(
        int, re.search(r'<iframe src="[^"]+" title="[^"]+" width="(\d+)" height="(\d+)"', snippet).groups()
    )
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.goto(f"/embed/{slug}/")
    bottom = tab.evaluate("() => document.querySelector('main').getBoundingClientRect().bottom")
    link = tab.get_by_role("link", name="What happened next" if state == "closed" else "Sign the pledge")
    assert "1,234,567" in tab.locator("main").inner_text()
    assert bottom <= height and link.bounding_box()["y"] + link.bounding_box()["height"] <= height, (
        f"the link must show in the frame size the pledge page suggests ({width} by {height})"
    )
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_counts_page_says_it_updates_by_itself_only_when_it_does(browser, live_server, javascript):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    tab = context.new_page()
    tab.goto("/counts/")
    lead = tab.locator("p.lead")
    if javascript:
        assert "update by themselves" in lead.inner_text() and "Reload the page" not in lead.inner_text()
    else:
        assert "update by themselves" not in lead.inner_text() and "Reload the page" in lead.inner_text()
    context.close()
