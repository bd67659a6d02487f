"""Live counts, the open data API, the wall, the embed and sharing."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest

from pledges.models import Signature
from tests.factories import (
    ConfirmedSignatureFactory,
    FraudulentSignatureFactory,
    PendingSignatureFactory,
    SchoolFactory,
)

PERSONAL = ["@example.org", "Secret Person", "secret"]


@pytest.fixture
def mixed(support, stand_down):
    """Three confirmed in two regions, and one of every state that must not count."""
    ConfirmedSignatureFactory.create_batch(4, pledge=support, region="H", name="Secret Person")
    ConfirmedSignatureFactory.create_batch(3, pledge=support, region="A")
    PendingSignatureFactory(pledge=support)
    FraudulentSignatureFactory(pledge=support)
    for state_change in ("withdraw", "reject", "invalidate", "mark_fraudulent"):
        signature = ConfirmedSignatureFactory(pledge=support, email=f"secret-{state_change}@example.org")
        if state_change == "withdraw":
            signature.withdraw()
        else:
            getattr(signature, state_change)(by=None, reason="test")
    return support


def assert_no_personal_data(text: str) -> None:
    for marker in PERSONAL:
        assert marker not in text


@pytest.mark.django_db
def test_it_lists_every_open_pledge_with_confirmed_counts_only(client, mixed):
    response = client.get("/api/v1/counts")
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "max-age=1" in response["Cache-Control"] and "public" in response["Cache-Control"]
    body = response.json()
    assert [p["slug"] for p in body["pledges"]] == ["stand-down", "refuse-release", "support-the-pause"]
    support = body["pledges"][2]
    assert set(support) >= {"slug", "title", "count", "threshold", "denominator", "updated_at"}
    assert support["count"] == 7
    stand_down = body["pledges"][0]
    assert (stand_down["denominator"], stand_down["state"]) == (600, "open"), "the dated estimate, not 2022's 800"
    assert (
        stand_down["denominator_source"]
        == "Our estimate: two-thirds (Schools Week's reporting of Ofsted's figures, June 2025) "
        "of about 900 Ofsted Inspectors (Schools Week), late 2023"
    )
    assert_no_personal_data(response.content.decode())


@pytest.mark.django_db
def test_it_answers_304_to_a_matching_etag_and_200_when_the_count_moves(client, support):
    first = client.get("/api/v1/counts")
    etag = first["ETag"]
    assert etag.startswith('W/"'), "the body changes byte for byte (updated_at) while the counts do not"
    again = client.get("/api/v1/counts", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    ConfirmedSignatureFactory(pledge=support)
    from django.core.cache import cache

    cache.clear()  # what one second does in production
    moved = client.get("/api/v1/counts", HTTP_IF_NONE_MATCH=etag)
    assert moved.status_code == 200
    assert moved["ETag"] != etag


@pytest.mark.django_db
def test_it_adds_regions_and_days_for_one_pledge(client, mixed):
    body = client.get("/api/v1/pledges/support-the-pause").json()
    regions = {r["code"]: r["count"] for r in body["by_region"]}
    assert regions["H"] == 4 and regions["A"] == 3 and regions["K"] == 0
    assert sum(d["count"] for d in body["by_day"]) == 7
    assert_no_personal_data(json.dumps(body))
    assert client.get("/api/v1/pledges/no-such-pledge").status_code == 404


@pytest.mark.django_db
def test_it_offers_the_same_aggregates_as_csv(client, mixed):
    rows = list(csv.reader(io.StringIO(client.get("/api/v1/counts.csv").content.decode())))
    assert rows[0] == [
        "slug", "title", "state", "count", "threshold", "denominator", "offline", "verified_school_addresses"
    ]  # fmt: skip
    assert ["support-the-pause", "Support the pause", "open", "7", "", "", "0", "0"] in rows
    detail = client.get("/api/v1/pledges/support-the-pause.csv").content.decode()
    assert "region,H,London,4" in detail
    assert_no_personal_data(detail)


@pytest.mark.django_db
def test_it_describes_itself_with_openapi(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    from pledges.urls import urlpatterns

    routes = {str(p.pattern).removeprefix("api/v1").replace("<slug:slug>", "{slug}") for p in urlpatterns}
    api = {route for route in routes if route.startswith("/") and route != "/openapi.json"}
    assert set(document["paths"]) == api, "every API address is described, and no other"
    for path in ["/stand-down", "/resolutions"]:
        schema = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert set(client.get(f"/api/v1{path}").json()) == set(schema["properties"]), path
    described = document["components"]["schemas"]["PledgeSummary"]["properties"]
    pledges = client.get("/api/v1/counts").json()["pledges"]
    assert pledges, "the seeded pledges"
    for pledge in pledges:
        assert set(pledge) == set(described), "every field the API sends is described, and no other"
    assert "Open data" in client.get("/api/").content.decode()


@pytest.mark.django_db
def test_it_shows_counts_regions_and_school_coverage(client, stand_down):
    school = SchoolFactory(region="J", la_name="Oxfordshire")
    SchoolFactory(region="J", la_name="Oxfordshire")
    others = SchoolFactory.create_batch(4, region="J", la_name="Oxfordshire")
    ConfirmedSignatureFactory.create_batch(2, pledge=stand_down, school=school, region="J")
    for other in others[:2]:
        ConfirmedSignatureFactory(pledge=stand_down, school=other, region="J")
    page = client.get("/counts/").content.decode()
    assert 'data-count-for="stand-down">4<' in page
    assert '<progress id="progress-stand-down" max="600" value="4">' in page
    assert '<th scope="row">South East</th><td class="numeric">4</td>' in page
    assert "Signers come from 3 schools." in page
    assert "50.0%" in page, "three of the six open state-funded schools in the South East"
    assert '<svg class="region-map"' in page and "<polyline" in page


@pytest.mark.django_db
def test_it_names_only_approved_signers_who_chose_it(client, support):
    approved = ConfirmedSignatureFactory(pledge=support, name="Named Approved", appearance="name_school")
    approved.school = SchoolFactory(name="Kestrel Academy")
    approved.save()
    approved.approve(by=None)
    ConfirmedSignatureFactory(pledge=support, name="Named Waiting", appearance="name")
    counted = ConfirmedSignatureFactory(pledge=support, name="Counted Only")
    counted.approve(by=None)
    page = client.get("/wall/").content.decode()
    assert "Named Approved" in page and "Kestrel Academy" in page
    assert "Named Waiting" not in page and "Counted Only" not in page
    assert "@example.org" not in page
    assert "Named Approved" not in client.get("/wall/?q=nobody").content.decode()
    assert "Named Approved" in client.get("/wall/?q=kestrel").content.decode()


@pytest.mark.django_db
def test_it_names_a_signer_only_once_enough_others_in_the_region_have_signed(client, support):
    waiting = ConfirmedSignatureFactory(
        pledge=support, name="Cautious Head", appearance="name", region="B", name_after=3
    )
    waiting.approve(by=None)
    ConfirmedSignatureFactory.create_batch(2, pledge=support, region="B")
    ConfirmedSignatureFactory.create_batch(5, pledge=support, region="H")
    assert "Cautious Head" not in client.get("/wall/").content.decode(), "2 others in the North West"
    ConfirmedSignatureFactory(pledge=support, region="B")
    assert "Cautious Head" in client.get("/wall/").content.decode(), "3 others now"


@pytest.mark.django_db
def test_it_lets_only_the_embed_be_framed(client, support):
    embed = client.get("/embed/support-the-pause/")
    assert embed.status_code == 200
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed
    assert "Sign the pledge" in embed.content.decode()
    for path in ["/", "/counts/", "/pledges/support-the-pause/", "/wall/"]:
        response = client.get(path)
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_it_serves_the_partner_script_to_any_site(client):
    response = client.get("/embed.js")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert b"data-pauseofsted-count" in response.content


@pytest.mark.django_db
def test_it_shares_a_pledge_with_its_count_and_no_third_party_script(client, support):
    ConfirmedSignatureFactory.create_batch(4, pledge=support)
    page = client.get("/pledges/support-the-pause/").content.decode()
    assert '<meta property="og:title" content="Support the pause: 4 signed">' in page
    assert 'content="http://127.0.0.1:8000/pledges/support-the-pause/share.png"' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    for target in ["mailto:?subject=", "https://wa.me/?text=", "https://www.linkedin.com/sharing/share-offsite/?url="]:
        assert target in page
    assert '<script src="http' not in page
    image = client.get("/pledges/support-the-pause/share.png")
    assert image["Content-Type"] == "image/png"
    assert image.content[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.django_db
def test_it_counts_a_signature_only_once_it_is_confirmed(client, support):
    pending = PendingSignatureFactory(pledge=support)
    assert client.get("/api/v1/counts").json()["pledges"][2]["count"] == 0
    pending.confirm()
    from django.core.cache import cache

    cache.clear()
    assert client.get("/api/v1/counts").json()["pledges"][2]["count"] == 1
    assert Signature.objects.counted().count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("signers", "said"), [(1, "has signed"), (2, "have signed")])
def test_its_embed_counts_in_good_english(client, support, signers, said):
    ConfirmedSignatureFactory.create_batch(signers, pledge=support)
    embed = client.get("/embed/support-the-pause/").content.decode()
    assert f'<span class="count-label">{said}</span>' in embed


@pytest.mark.django_db
def test_it_invites_people_to_be_first_on_launch_day(client):
    page = client.get("/counts/").content.decode()
    assert "launch-panel" in page and "Be the first to sign" in page
    assert '<svg class="region-map"' not in page and "<polyline" not in page, "no empty map or axes"
    assert "Support by union" not in page and "Actions taken" not in page, "no tables of zeros"


@pytest.mark.django_db
def test_it_leads_with_every_pledges_figure_then_the_detail(client, stand_down, support):
    ConfirmedSignatureFactory.create_batch(1234, pledge=support, region="H")
    ConfirmedSignatureFactory.create_batch(5, pledge=stand_down, region="J")
    page = client.get("/counts/").content.decode()
    headline = page.split('<ul class="headline-figures">', 1)[1].split("</ul>", 1)[0]
    assert 'data-count-for="support-the-pause">1,234<' in headline
    assert 'data-count-for="stand-down">5<' in headline and 'href="#pledge-stand-down"' in headline
    assert page.index("headline-figures") < page.index('<section class="counts-section"')
    assert "launch-panel" not in page
    assert "Nobody has confirmed a signature for this pledge yet." in page, "the third pledge has none"


@pytest.mark.django_db
def test_it_labels_every_map_tile_in_lines_that_fit_it(client, support):
    ConfirmedSignatureFactory.create_batch(5, pledge=support, region="D")
    page = client.get("/counts/").content.decode()
    tspans = re.findall(r"<tspan[^>]*>([^<]+)</tspan>", page)
    assert "Yorkshire" in tspans and "&amp; Humber" in tspans
    assert max(len(unescape(line)) for line in tspans) <= 9, "22-unit text in a 124-unit tile"
    assert 'font-size="22"' in page and 'font-size="13"' not in page
