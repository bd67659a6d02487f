"""Pledges keep their history: closed ones keep page and count; signed words stay; denominators are figures."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.utils import timezone

from briefings.models import Figure
from pledges.models import Pledge, PledgeVersion, Signature
from tests.factories import ConfirmedSignatureFactory
from tests.pledges.conftest import confirm_link, form_data, log_in_by_code, sign_and_confirm
from tests.staff import staff_client

CHOSEN = re.compile(r'<input type="checkbox" name="pledges" value="\d+" id="[^"]+" checked[ >]')


@pytest.fixture
def closed(support):
    ConfirmedSignatureFactory.create_batch(4, pledge=support)
    support.closes_at = timezone.now() - timedelta(days=1)
    support.outcome = "The pledge worked: the review was announced."
    support.save()
    return support


@pytest.mark.django_db
def test_a_closed_pledge_keeps_its_page_count_api_counts_and_embed(client, closed):
    page = client.get("/pledges/support-the-pause/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "This pledge closed on" in text and "The pledge worked" in text and ">4<" in text
    assert "Sign this pledge" not in text
    api = client.get("/api/v1/pledges/support-the-pause").json()
    assert (api["state"], api["count"]) == ("closed", 4) and api["closed_at"]
    assert api["outcome"] == "The pledge worked: the review was announced."
    counts = [p for p in client.get("/api/v1/counts").json()["pledges"] if p["slug"] == "support-the-pause"]
    assert (counts[0]["state"], counts[0]["outcome"]) == ("closed", "The pledge worked: the review was announced.")
    open_one = [p for p in client.get("/api/v1/counts").json()["pledges"] if p["slug"] == "stand-down"]
    assert open_one == [] or open_one[0]["outcome"] is None
    assert "This pledge closed on" in client.get("/counts/").content.decode()
    embed = client.get("/embed/support-the-pause/").content.decode()
    assert "with 4 signatures" in embed and "Sign the pledge" not in embed
    assert "closed on" in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_counts_etag_moves_when_a_pledge_closes_or_its_outcome_changes(client, support):
    etag = client.get("/api/v1/counts")["ETag"]
    from django.core.cache import cache

    Pledge.objects.filter(pk=support.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    cache.clear()
    closed_etag = client.get("/api/v1/counts", HTTP_IF_NONE_MATCH=etag)["ETag"]
    assert closed_etag != etag, "an embed polling with the old ETag would never learn the pledge closed"
    Pledge.objects.filter(pk=support.pk).update(outcome="What happened next.")
    cache.clear()
    response = client.get("/api/v1/counts", HTTP_IF_NONE_MATCH=closed_etag)
    assert response.status_code == 200 and response["ETag"] != closed_etag


@pytest.mark.django_db
def test_a_link_to_sign_a_closed_or_paused_pledge_says_so_and_chooses_nothing(client, closed, stand_down):
    form = unescape(client.get("/sign/?pledge=support-the-pause").content.decode())
    assert "“Support the pause” closed on" in form and "no longer takes signatures" in form
    assert not CHOSEN.search(form)
    assert 'href="/pledges/support-the-pause/"' in form
    Pledge.objects.filter(pk=stand_down.pk).update(is_paused=True)
    paused = unescape(client.get("/sign/?pledge=stand-down").content.decode())
    assert "is paused for now" in paused and not CHOSEN.search(paused)
    offered = re.findall(r'<label class="choice-label" for="id_pledges_\d+">([^<]+)</label>', paused)
    assert "Stand down as an Ofsted Inspector" not in offered and offered, "a paused pledge is not offered at all"
    embed = unescape(client.get("/embed/stand-down/").content.decode())
    assert "Signing is paused for now" in embed and "Sign the pledge" not in embed
    Pledge.objects.filter(pk=stand_down.pk).update(is_paused=False)
    assert CHOSEN.search(client.get("/sign/?pledge=stand-down").content.decode()), "an open pledge is chosen"
    fine = unescape(client.get("/sign/?pledge=no-such-pledge").content.decode())
    assert "no longer takes signatures" not in fine and "paused for now" not in fine


@pytest.mark.django_db
def test_a_pledge_page_says_when_its_words_changed_and_shows_the_earlier_ones(client, support):
    assert "Earlier signers agreed to different words" not in client.get("/pledges/support-the-pause/").content.decode()
    old_words = support.current_version().statement
    PledgeVersion.objects.create(pledge=support, number=2, statement="Newer words.")
    page = unescape(client.get("/pledges/support-the-pause/").content.decode())
    assert "Earlier signers agreed to different words" in page and old_words in page


@pytest.mark.django_db
def test_a_closed_pledge_takes_no_signatures(client, closed, django_capture_on_commit_callbacks):
    response = client.post("/sign/", form_data([closed]))
    assert response.status_code == 400
    assert Signature.objects.count() == 4


@pytest.mark.django_db
def test_editing_a_signed_statement_makes_a_version_and_old_signers_keep_their_words(
    client, support, django_capture_on_commit_callbacks
):
    old_words = support.statement
    sign_and_confirm(client, [support], django_capture_on_commit_callbacks)
    lead = staff_client("Campaign lead")
    form = {
        "slug": support.slug, "title": support.title, "statement": "New, stronger words.", "summary": support.summary,
        "roles": "[]", "denominator_roles": "[]", "opens_at_0": "2020-01-01", "opens_at_1": "00:00:00",
        "position": support.position,
        "versions-TOTAL_FORMS": "1", "versions-INITIAL_FORMS": "1", "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000", "versions-0-id": support.versions.get().pk, "versions-0-pledge": support.pk,
    }  # fmt: skip
    response = lead.post(f"/admin/pledges/pledge/{support.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    versions = list(PledgeVersion.objects.filter(pledge=support).order_by("number"))
    assert [(v.number, v.statement) for v in versions] == [(1, old_words), (2, "New, stronger words.")]
    support.refresh_from_db()
    assert support.statement == "New, stronger words."
    assert Signature.objects.get().version == versions[0]

    log_in_by_code(client, "jane@example.com", django_capture_on_commit_callbacks)
    mine = unescape(client.get("/my/pledges/").content.decode())
    assert old_words in mine and "These are the words you signed" in mine
    signatures_per_version = lead.get(f"/admin/pledges/pledge/{support.pk}/change/").content.decode()
    assert "Versions of the statement" in signatures_per_version


@pytest.mark.django_db
def test_a_new_signer_agrees_to_the_current_words(client, support, django_capture_on_commit_callbacks):
    assert support.current_version().number == 1
    PledgeVersion.objects.create(pledge=support, number=2, statement="Newer words.")
    sign_and_confirm(client, [support], django_capture_on_commit_callbacks)
    assert Signature.objects.get().version.number == 2


@pytest.mark.django_db
def test_a_corrected_figure_moves_every_bar_and_only_the_counted_roles_count(client, stand_down):
    ConfirmedSignatureFactory.create_batch(3, pledge=stand_down, role="head")
    ConfirmedSignatureFactory.create_batch(2, pledge=stand_down, role="teacher")
    ConfirmedSignatureFactory.create_batch(3, pledge=stand_down, role="governor")
    page = client.get("/counts/").content.decode()
    assert '<progress id="progress-stand-down" max="600" value="5">' in page, "governors are not in the figure"
    assert "serving teachers and school leaders working as Ofsted Inspectors" in page
    assert "of about 900 Ofsted Inspectors" in page
    Figure.objects.filter(key="serving-leader-ois-estimate").update(number=650, value="about 650")
    from django.core.cache import cache

    cache.clear()
    assert '<progress id="progress-stand-down" max="650" value="5">' in client.get("/counts/").content.decode()
    api = client.get("/api/v1/pledges/stand-down").json()
    assert (api["denominator"], api["counted_against_denominator"], api["count"]) == (650, 5, 8)
    assert Pledge.objects.get(slug="stand-down").denominator_roles == [
        "head",
        "senior_leader",
        "teacher",
        "trust_leader",
    ]


@pytest.mark.django_db
def test_a_closed_pledge_s_count_is_final_a_late_confirmation_does_not_move_it(
    client, support, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support]))
    link = confirm_link(mail.outbox[-1])
    Pledge.objects.filter(pk=support.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        page = unescape(client.post(link).content.decode())
    assert "Your signature is not counted" in page and "the pledge closed before you confirmed" in page
    assert Signature.objects.get().state == Signature.State.PENDING
    assert client.get("/api/v1/pledges/support-the-pause").json()["count"] == 0
