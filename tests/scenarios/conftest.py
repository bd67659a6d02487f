"""Browser scenarios: Playwright driving Debian's Chromium against a live server.

Screenshots of failing tests are kept in test-results/.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
RESULTS = ROOT / "test-results"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if settings.REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request, live_server):
    # axe-core is injected as a script, which our own CSP would (rightly) refuse.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport={"width": 1024, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        RESULTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        tab.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture(autouse=True)
def live_site(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.ALLOWED_HOSTS = ["*"]


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(tab) -> list[dict]:
    if not AXE.exists():
        message = "axe-core is not installed (make test runs npm ci)"
        if settings.REQUIRE_SERVICES or shutil.which("npm"):
            pytest.fail(message)
        pytest.skip(message)
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
