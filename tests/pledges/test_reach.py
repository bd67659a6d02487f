"""Reach for organisers: hourly history across a clock change, the campaign link (src) carried
through signing, verified school addresses, and offline support kept out of the online count."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command

from pledges.addresses import is_at_domain, shared_parents, website_domain
from pledges.aggregates import by_hour
from pledges.models import AuditEntry, CampaignSource, OfflineSupport, School, Signature
from tests.factories import ConfirmedSignatureFactory
from tests.pledges.conftest import confirm_link, form_data
from tests.staff import staff_client

REGISTER = Path(__file__).parent / "fixtures" / "trust_register.csv"


@pytest.mark.django_db
def test_it_buckets_hours_in_london_time_across_the_clock_change(support):
    # 25 October 2026: at 02:00 BST the clocks go back to 01:00 GMT, so 01:00-02:00 happens twice.
    for at in ["2026-10-25T00:30:00+00:00", "2026-10-25T01:30:00+00:00", "2026-10-25T12:10:00+00:00"]:
        ConfirmedSignatureFactory.create_batch(3, pledge=support, confirmed_at=datetime.fromisoformat(at))
    with time_machine.travel(datetime(2026, 10, 27, 12, tzinfo=UTC)):
        cache.clear()
        hours = by_hour(support)
    assert hours == [
        {"hour": "2026-10-25T01:00:00+01:00", "count": 3},
        {"hour": "2026-10-25T01:00:00+00:00", "count": 3},
        {"hour": "2026-10-25T12:00:00+00:00", "count": 3},
    ]


@pytest.mark.django_db
def test_it_keeps_small_hours_for_the_next_and_serves_the_hours_in_the_api(client, support):
    ConfirmedSignatureFactory.create_batch(2, pledge=support)
    cache.clear()
    assert client.get("/api/v1/pledges/support-the-pause").json()["by_hour"] == [], "two are withheld"
    ConfirmedSignatureFactory(pledge=support)
    cache.clear()
    assert [h["count"] for h in client.get("/api/v1/pledges/support-the-pause").json()["by_hour"]] == [3]
    assert "hour," in client.get("/api/v1/pledges/support-the-pause.csv").content.decode()


@pytest.mark.django_db
def test_a_campaign_link_survives_the_school_search_and_the_confirmation(
    client, support, django_capture_on_commit_callbacks
):
    call_command("import_schools", str(REGISTER))
    page = client.get("/sign/?src=NEU-Bulletin").content.decode()
    assert 'name="src" value="neu-bulletin"' in page
    searched = client.post(
        "/sign/",
        {**form_data([support], region=""), "school_query": "heron park", "src": "neu-bulletin", "find_school": "1"},
    )
    assert 'name="src" value="neu-bulletin"' in searched.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", {**form_data([support], region=""), "school_query": "heron park", "src": "neu-bulletin"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_link(mail.outbox[-1]))
    signature = Signature.objects.get()
    assert (signature.state, signature.source) == (Signature.State.CONFIRMED, "neu-bulletin")
    assert "neu-bulletin" not in client.get("/api/v1/counts").content.decode(), "never public"


@pytest.mark.django_db
@pytest.mark.parametrize("src", ["<script>", "a" * 41, "neu bulletin", "-x", "ü"])
def test_it_drops_a_campaign_link_that_is_not_one(client, support, src, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/sign/", {**form_data([support]), "src": src}).status_code == 302
    assert Signature.objects.get().source == ""


@pytest.mark.django_db
def test_every_link_the_site_hands_out_says_where_it_came_from(client, support):
    page = client.get("/pledges/support-the-pause/").content.decode()
    assert "/pledges/support-the-pause/%3Fsrc%3Dshare" in page or "/pledges/support-the-pause/?src=share" in page
    assert "/embed/support-the-pause/?src=embed" in page and "?src=partner" in page
    embed = client.get("/embed/support-the-pause/?src=embed").content.decode()
    assert "src=embed" in embed
    arrived = client.get("/pledges/support-the-pause/?src=neu-bulletin").content.decode()
    assert "/sign/?pledge=support-the-pause&amp;src=neu-bulletin" in arrived, "the Sign button carries it on"


def test_it_takes_a_school_domain_from_the_register_and_refuses_lookalikes():
    assert website_domain("http://www.HeronAcademy.sch.uk/about") == "heronacademy.sch.uk"
    assert website_domain("heronvale.heronlearning.org.uk") == "heronvale.heronlearning.org.uk"
    assert website_domain("") == website_domain("not a site") == ""
    assert is_at_domain("heronacademy.sch.uk", "heronacademy.sch.uk")
    assert is_at_domain("staff.heronacademy.sch.uk", "heronacademy.sch.uk"), "a subdomain is the school's"
    assert not is_at_domain("heronacademy.sch.uk.evil.example", "heronacademy.sch.uk")
    assert not is_at_domain("notheronacademy.sch.uk", "heronacademy.sch.uk")
    assert not is_at_domain("sch.uk", "heronacademy.sch.uk")
    parents = shared_parents(
        ["heronpark.heronlearning.org.uk", "heronvale.heronlearning.org.uk", "a.sch.uk", "b.sch.uk"]
    )
    assert parents == {"heronlearning.org.uk"}, "a trust's own domain, never a shared suffix"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("urn", "email", "verified"),
    [
        (910001, "head@heronacademy.sch.uk", True),
        (910001, "head@staff.heronacademy.sch.uk", True),
        (910001, "head@heronacademy.sch.uk.evil.example", False),
        (910001, "head@gmail.com", False),
        (910002, "ceo@heronlearning.org.uk", True),  # the trust's domain, shared by its schools' sites
        (910006, "ceo@heronlearning.org.uk", False),  # not Osprey's trust
    ],
)
def test_it_marks_a_verified_school_address_at_confirmation(
    client, support, urn, email, verified, django_capture_on_commit_callbacks
):
    call_command("import_schools", str(REGISTER))
    school = School.objects.get(urn=urn)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support], email=email, school=str(urn), school_query=str(urn), region=""))
    assert Signature.objects.get().verified_school_address is False, "not before confirmation"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_link(mail.outbox[-1]))
    assert Signature.objects.get().verified_school_address is verified, school.website_domain


@pytest.mark.django_db
def test_it_counts_verified_addresses_only_in_aggregate(client, support):
    ConfirmedSignatureFactory.create_batch(4, pledge=support, verified_school_address=True)
    cache.clear()
    summary = client.get("/api/v1/counts").json()["pledges"]
    assert next(p for p in summary if p["slug"] == "support-the-pause")["verified_school_addresses"] == 4
    assert "4 of them from verified school addresses" in client.get("/counts/").content.decode()


@pytest.mark.django_db
def test_it_keeps_offline_support_out_of_the_online_count(client, support):
    lead = staff_client("Campaign lead")
    ConfirmedSignatureFactory.create_batch(5, pledge=support)
    response = lead.post(
        "/admin/pledges/offlinesupport/add/",
        {
            "pledge": support.pk,
            "region": "J",
            "gathered_on": "2026-11-30",
            "count": "40",
            "note": "Kent heads' conference",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="record offline support", actor=lead.user).exists()
    record = OfflineSupport.objects.get()
    assert record.recorded_by == lead.user
    summary = next(p for p in client.get("/api/v1/counts").json()["pledges"] if p["slug"] == "support-the-pause")
    assert (summary["count"], summary["offline"]) == (5, 40)
    page = client.get("/counts/").content.decode()
    assert "5</span>" in page and "confirmed signatures online" in page
    assert "Separately, 40 people gave their support on paper or at meetings" in page


@pytest.mark.django_db
def test_staff_mint_a_named_link_and_see_signings_by_source(support, django_capture_on_commit_callbacks):
    lead = staff_client("Campaign lead")
    assert (
        lead.post("/admin/pledges/campaignsource/add/", {"slug": "neu-bulletin", "name": "NEU bulletin"}).status_code
        == 302
    )
    page = lead.get(f"/admin/pledges/campaignsource/{CampaignSource.objects.get().pk}/change/").content.decode()
    assert "/sign/?src=neu-bulletin" in page
    ConfirmedSignatureFactory.create_batch(3, pledge=support, source="neu-bulletin")
    ConfirmedSignatureFactory(pledge=support)
    moderator = staff_client("Moderator")
    report = moderator.get("/admin/pledges/signature/sources/").content.decode()
    assert re.search(r"<td>NEU bulletin</td><td><code>neu-bulletin</code></td><td>3</td><td>3</td>", report)
    assert "(no campaign link)" in report


def test_it_draws_the_hours_on_a_time_axis_with_empty_hours_at_zero():
    from pledges.charts import hourly_bars

    now = datetime(2026, 12, 4, 18, 30, tzinfo=UTC)
    chart = hourly_bars([{"hour": "2026-12-04T17:00:00+00:00", "count": 5}], now=now)
    (bar,) = chart["bars"]
    assert chart["bar_width"] < 4, "one hour of 168, not the whole width"
    assert bar["x"] > 0.95 * (chart["width"] - 50), "an hour ago sits at the right-hand end"
    assert len(chart["labels"]) == 7, "each London midnight labelled"


@pytest.mark.django_db
def test_it_refuses_a_campaign_link_the_sign_form_would_change():
    from django.core.exceptions import ValidationError

    for slug in ["neu_bulletin", "NEU-Bulletin", "-neu"]:
        with pytest.raises(ValidationError):
            CampaignSource(slug=slug, name="x").full_clean()
    CampaignSource(slug="neu-bulletin", name="x").full_clean()


@pytest.mark.django_db
def test_it_checks_offline_support_and_keeps_it_apart_wherever_totals_appear(client, support):
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    future = OfflineSupport(
        pledge=support, region="J", count=5, note="x", gathered_on=timezone.localdate() + timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="today or in the past"):
        future.full_clean()
    for count in (0, 100_001):
        with pytest.raises(ValidationError):
            OfflineSupport(pledge=support, region="J", count=count, note="x").full_clean()
    OfflineSupport.objects.create(pledge=support, region="J", count=12, note="Kent conference")
    cache.clear()
    for path in ["/", "/pledges/support-the-pause/"]:
        assert "Separately, 12 people gave their support on paper" in client.get(path).content.decode(), path
    assert "and 12 on paper" in client.get("/embed/support-the-pause/").content.decode()
    assert "support-the-pause,Support the pause,open,0,,,12,0" in client.get("/api/v1/counts.csv").content.decode()
    assert (
        "offline,,gathered on paper or at meetings,12"
        in client.get("/api/v1/pledges/support-the-pause.csv").content.decode()
    )


@pytest.mark.django_db
def test_a_constituency_page_opens_before_anyone_there_has_signed(client):
    call_command("import_schools", str(REGISTER))
    page = client.get("/constituencies/slough/")
    assert page.status_code == 200
    assert "No confirmed signatures here yet" in page.content.decode()
