"""The notice names the controller and states the periods the code uses; logs keep no IP or token (issue 14)."""

from __future__ import annotations

import logging

import pytest
from django.test import RequestFactory

from pausecampaign.logs import AccessLogger, RedactTokens


@pytest.mark.django_db
def test_it_names_the_controller_on_the_notice_the_statement_and_every_footer(client, settings):
    settings.CONTROLLER_NAME = "Headteachers for a Pause Ltd"
    settings.CONTROLLER_ADDRESS = "1 School Lane, Leeds LS1 1AA"
    settings.CONTROLLER_EMAIL = "privacy@pause.example"
    settings.DPO_NAME = "Sam Data"
    privacy = client.get("/privacy/").content.decode()
    for text in ["Headteachers for a Pause Ltd", "1 School Lane, Leeds LS1 1AA", "privacy@pause.example", "Sam Data"]:
        assert text in privacy
    assert "address given on this site" not in privacy
    assert "1 School Lane" in client.get("/accessibility/").content.decode()
    assert "Headteachers for a Pause Ltd" in client.get("/").content.decode()


@pytest.mark.django_db
def test_it_states_the_retention_periods_the_jobs_use(client, settings):
    from datetime import timedelta

    settings.RETAIN_REFUSED = timedelta(days=41)
    settings.RETAIN_SENT_EMAIL = timedelta(days=17)
    settings.RETAIN_AFTER_CAMPAIGN = timedelta(days=99)
    page = client.get("/privacy/").content.decode()
    assert "41 days after the decision" in page
    assert "17 days after sending" in page
    assert "99 days after the campaign ends" in page
    assert "public report of support by union" in page


def test_it_keeps_tokens_out_of_application_logs():
    record = logging.LogRecord("django.request", logging.WARNING, "", 0, "Not Found: %s", ("/confirm/abc:def/",), None)
    RedactTokens().filter(record)
    assert record.getMessage() == "Not Found: /confirm/[token]/"


def test_it_keeps_ip_addresses_tokens_and_queries_out_of_the_access_log():
    from types import SimpleNamespace

    from gunicorn.config import Config

    logger = AccessLogger(Config())
    request = RequestFactory().get("/my-signature/SECRET/?next=/x")
    environ = {
        **request.environ,
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_REFERER": "https://x/unsubscribe/SECRET/?a=1",
        "RAW_URI": "/my-signature/SECRET/?next=/x",
    }
    req = SimpleNamespace(
        headers=[], method="GET", path="/my-signature/SECRET/", query="next=/x", version=(1, 1), uri=""
    )
    resp = SimpleNamespace(status="200 OK", response_length=10, sent=10, headers=[])
    from datetime import timedelta

    atoms = logger.atoms(resp, req, environ, timedelta(milliseconds=5))
    line = " ".join(str(atoms[key]) for key in ("h", "r", "U", "q", "f"))
    assert "203.0.113.9" not in line and "SECRET" not in line and "next=" not in line
    assert "/my-signature/[token]" in line
