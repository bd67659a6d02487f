"""The campaign's own story, sourced and right (issue 17): the facts, not only the headings."""

from __future__ import annotations

import re
from html import unescape

import pytest

from briefings.models import Figure, Position

STEPS = [
    "Within two weeks",
    "Within a month",
    "Within the next half term",
    "Within the next term",
]


@pytest.mark.django_db
def test_the_letter_is_the_campaign_s_letter(client):
    letter = unescape(client.get("/open-letter/").content.decode())
    assert "Stephen Tierney" in letter and "Headteachers' Roundtable" in letter
    assert "National Education Union" in letter
    for step in STEPS:
        assert step in letter
    assert "minimum standard" in letter, "the letter's case that England does need a regulator"
    assert "What has changed since" in letter and "2025" in letter
    assert "Serving school leaders behind #PauseOfsted" not in letter
    assert 'class="button' in letter or "Sign" in letter


@pytest.mark.django_db
def test_the_about_page_and_home_tell_who_started_it_and_when(client):
    about = client.get("/about/")
    assert about.status_code == 200
    text = unescape(about.content.decode())
    for fact in ["Headteachers' Roundtable", "Stephen Tierney", "7 February 2020", "quiet revolution",
                 "December 2021", "2023", "September", "Who runs this site"]:  # fmt: skip
        assert fact in text, fact
    home = unescape(client.get("/").content.decode())
    assert "Headteachers' Roundtable" in home and "February 2020" in home and "quiet revolution" in home


@pytest.mark.django_db
def test_union_positions_are_data_with_a_source_each(client):
    assert Position.objects.count() >= 10
    assert not Position.objects.filter(source="").exists()
    unions = client.get("/unions/").content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", unions, re.S)[1:]
    assert len(rows) == Position.objects.count()
    for row in rows:
        assert row.count("<td>") == 3 and not row.endswith("<td></td>")
    naht_2025 = Position.objects.get(organisation="NAHT", date_label="20 June 2025")
    assert naht_2025.stance == Position.Stance.CONSIDERING, "considering, never 'backs withdrawal'"
    assert "consider encouraging" in naht_2025.summary
    assert "disruption tactics" in unions and "23 June 2025" in unions
    assert "as reported in the education press" not in unions
    Position.objects.filter(pk=naht_2025.pk).update(summary="Corrected by staff.")
    assert "Corrected by staff." in client.get("/unions/").content.decode()


@pytest.mark.django_db
def test_the_sign_form_shows_where_each_union_stands_now(client):
    form = client.get("/sign/").content.decode()
    assert "Where the unions stand now" in form
    for union in ["NEU", "NAHT", "ASCL", "NASUWT"]:
        assert f"<strong>{union}</strong>" in form


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/briefing/", "/faq/", "/open-letter/", "/about/"])
def test_no_page_claims_what_the_facts_do_not_say(client, path):
    page = client.get(path).content.decode()
    assert "cannot be made up without them" not in page
    assert "decides whether teams can be made up" not in page
    assert "as reported in 2025, 2025" not in page


@pytest.mark.django_db
def test_every_figure_credits_who_said_it(client):
    share = Figure.objects.get(key="serving-leader-share")
    assert share.source.startswith("Schools Week"), "the reporter said two-thirds, from Ofsted's figures"
    briefing = client.get("/briefing/").content.decode()
    sources = briefing.split("Sources of the figures on this page", 1)[1]
    for figure in Figure.objects.exclude(source_url=""):
        if figure.value in briefing.split("Sources of the figures", 1)[0]:
            assert figure.source_url in sources
    assert not Figure.objects.filter(source__icontains="as reported in 20").exists()
