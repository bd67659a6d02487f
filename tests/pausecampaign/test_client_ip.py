"""The client's address comes only from proxies the operator names (issue 12, items 4 and 5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import RequestFactory

from pausecampaign.client_ip import client_ip
from pausecampaign.middleware import DropUntrustedProxyHeadersMiddleware

ROOT = Path(__file__).resolve().parents[2]


def request(peer: str, forwarded: str | None = None, **extra):
    headers = {"REMOTE_ADDR": peer, **extra}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("proxies", "peer", "forwarded", "client"),
    [
        ([], "203.0.113.9", "1.2.3.4", "203.0.113.9"),  # no proxy named: the header is the client's claim
        (["10.0.0.1"], "203.0.113.9", "1.2.3.4", "203.0.113.9"),  # a peer that is not our proxy
        (["10.0.0.1"], "10.0.0.1", "1.2.3.4", "1.2.3.4"),
        (["10.0.0.1"], "10.0.0.1", "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # anything left of the proxy's entry is claimed
        (["10.0.0.0/8"], "10.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.2", "1.2.3.4"),  # two hops of ours
        (["10.0.0.0/8"], "10.0.0.1", "10.0.0.3, 10.0.0.2", "10.0.0.3"),  # nothing but proxies
        (["10.0.0.1"], "10.0.0.1", "", "10.0.0.1"),
        (["10.0.0.1"], "10.0.0.1", "not-an-ip", "10.0.0.1"),
        (["10.0.0.1"], "10.0.0.1", "1.2.3.4:5678", "1.2.3.4"),
        (["fd00::/8"], "fd00::1", "2001:db8::7", "2001:db8::7"),
        (["fd00::/8"], "fd00::1", "[2001:db8::7]:443", "2001:db8::7"),
        (["10.0.0.1"], "::ffff:10.0.0.1", "1.2.3.4", "1.2.3.4"),
        ([], "garbage", None, "0.0.0.0"),  # noqa: S104 - an address, not a bind
    ],
)
def test_it_believes_forwarded_addresses_only_from_named_proxies(settings, proxies, peer, forwarded, client):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(request(peer, forwarded)) == client


@pytest.mark.parametrize(("proxies", "secure"), [([], False), (["10.0.0.1"], True)])
def test_it_drops_forwarding_headers_from_anyone_but_a_named_proxy(settings, proxies, secure):
    settings.TRUSTED_PROXIES = proxies
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    seen = {}

    def view(req):
        seen.update(secure=req.is_secure(), forwarded=req.META.get("HTTP_X_FORWARDED_FOR"))
        return None

    DropUntrustedProxyHeadersMiddleware(view)(request("10.0.0.1", "1.2.3.4", HTTP_X_FORWARDED_PROTO="https"))
    assert seen["secure"] is secure
    assert (seen["forwarded"] is not None) is secure


@pytest.mark.django_db
def test_it_limits_failed_logins_per_client_not_per_proxy(client, settings):
    from tests.staff import PASSWORD, make_staff

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    make_staff("Moderator", email="mod@pauseofsted.example")
    for _ in range(5):
        client.post(
            "/accounts/login/",
            {"login": "mod@pauseofsted.example", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="6.6.6.6",
        )
    blocked = client.post(
        "/accounts/login/", {"login": "mod@pauseofsted.example", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="6.6.6.6"
    )
    assert blocked.status_code == 429 or "Too many" in blocked.content.decode()
    other = client.post(
        "/accounts/login/", {"login": "mod@pauseofsted.example", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="7.7.7.7"
    )
    assert other.status_code == 302, "one attacker behind the proxy must not lock out everyone else"


def test_the_shipped_stack_trusts_no_forwarding_header_by_default():
    import yaml

    compose = (ROOT / "docker-compose.yml").read_text()
    assert yaml.safe_load(compose)["services"]["web"], "the compose file is valid YAML"
    assert "TRUSTED_PROXY_COUNT" not in compose
    services = yaml.safe_load(compose)["services"]
    assert not services["web"].get("ports"), "gunicorn is never published; the proxy in front is"
    assert services["web"]["environment"]["TRUSTED_PROXIES"] == services["proxy"]["networks"]["backend"]["ipv4_address"]
