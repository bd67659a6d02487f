"""The campaign's own story, sourced and right (issue 17): the facts, not only the headings."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError

from briefings.markdown import render
from briefings.models import Figure, Page, Position

STEPS = [
    "Within two weeks",
    "Within a month",
    "Within the next half term",
    "Within the next term",
]


def content_of(html: str) -> str:
    """The page's main content, without the navigation, header and footer."""
    return " ".join(html.split("<main", 1)[1].split("</main>", 1)[0].split())


@pytest.mark.django_db
def test_the_letter_is_the_campaign_s_letter(client):
    letter = unescape(content_of(client.get("/open-letter/").content.decode()))
    assert "Stephen Tierney" in letter and "Headteachers' Roundtable" in letter
    assert "National Education Union" in letter
    for step in STEPS:
        assert step in letter
    assert "minimum standard" in letter, "the letter's case that England does need a regulator"
    assert "six to nine months" in letter and '"high-stakes, cliff-edged"' in letter, "the campaign's words, quoted"
    assert "Some colleagues have already resigned" in letter
    assert "What changed in 2025" in letter and "23 June 2025" in letter
    assert "not the original text" in letter, "a retelling says it is one"
    assert "Serving school leaders behind #PauseOfsted" not in letter
    assert re.search(r'<a href="/sign/" class="button button--start"[^>]*>Sign a pledge</a>', letter)
    summary = Page.objects.get(slug="open-letter").summary
    assert "from serving school leaders" not in summary and "Roundtable" in summary


@pytest.mark.django_db
@pytest.mark.parametrize(
    "phrase",
    [
        "Parents, pupils and staff are entitled",  # the letter never said it
        "small changes to the framework",
        "no strike, no march",
        "cannot carry on as before",  # withdrawal's leverage overstated
        "That is the lever",
        "make up much of each team",
        "cannot be made up without them",
        "decides whether teams can be made up",
        "which is why asking heads",  # a causal link the facts do not draw
        "nor comparable",  # the facts say comparative
        "the contractor you work through",  # no contractor in the facts
        "rebuild it properly",
        "not of one person",
        "Declines to back it. Declines",  # the stance label said twice
    ],
)
def test_no_page_says_what_the_facts_do_not(client, phrase):
    for path in ["/", "/briefing/", "/faq/", "/open-letter/", "/about/", "/unions/"]:
        assert phrase not in unescape(client.get(path).content.decode()), path


@pytest.mark.django_db
def test_a_page_can_end_with_a_sign_button_chosen_by_staff(client):
    Page.objects.filter(slug="faq").update(show_sign_button=False)
    assert "button--start" not in content_of(client.get("/faq/").content.decode())
    Page.objects.filter(slug="faq").update(show_sign_button=True)
    assert "button--start" in content_of(client.get("/faq/").content.decode())


@pytest.mark.django_db
def test_a_hashtag_at_the_start_of_a_line_is_text_not_a_heading(client):
    Page.objects.filter(slug="faq").update(body="#PauseOfsted asks for a pause.\n\n## A heading")
    page = content_of(client.get("/faq/").content.decode())
    assert "<p>#PauseOfsted asks for a pause.</p>" in page
    assert "<h2>A heading</h2>" in page
    for markdown, html in [("- #PauseOfsted is right", "<li>#PauseOfsted is right</li>"),
                           ("1. #PauseOfsted first", "<li>#PauseOfsted first</li>"),
                           ("> #PauseOfsted said", "<p>#PauseOfsted said</p>")]:  # fmt: skip
        assert html in render(markdown, figures={})[0], markdown


def test_a_staff_block_is_swapped_only_standing_alone_never_inside_a_link_or_code():
    for markdown in ['[x](https://e.example "[[positions]]")', "[x](https://e.example/[[controller]])",
                     "`[[positions]]`", "Text [[controller]] in a sentence."]:  # fmt: skip
        html = render(markdown, figures={})[0]
        assert "<table" not in html and "<dl" not in html, markdown


@pytest.mark.django_db
def test_the_briefing_says_how_inspection_works_now_with_its_source(client):
    briefing = unescape(content_of(client.get("/briefing/").content.decode()))
    assert "Since November 2025" in briefing and "members of the team" in briefing
    assert "Ofsted's announcement of the renewed framework" in briefing
    assert "In June 2025 Ofsted said" in briefing and "queuing to train as inspectors" in briefing
    assert "neither set in context nor comparative" in briefing
    faq = unescape(content_of(client.get("/faq/").content.decode()))
    assert "Ofsted's announcement of the renewed framework" in faq


@pytest.mark.django_db
def test_the_about_page_and_home_tell_who_started_it_and_when(client):
    about = client.get("/about/")
    assert about.status_code == 200
    text = " ".join(unescape(about.content.decode()).split())
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
def test_the_sign_form_shows_where_each_union_stands_now_joint_statements_included(client):
    form = unescape(client.get("/sign/").content.decode())
    assert "Where the unions stand now" in form
    stands = dict(re.findall(r"<li><strong>(\w+)</strong> \(([^)]*)\)", form))
    assert set(stands) == {"NEU", "NAHT", "ASCL", "NASUWT"}
    assert stands["NASUWT"] == "23 June 2025, jointly: NEU, NASUWT, ASCL and NAHT", "its latest is the joint letter"
    assert stands["NEU"] == "October 2025, jointly: NEU and ASCL"
    assert stands["NAHT"] == "June 2025, jointly: ASCL and NAHT"
    Position.objects.create(
        organisation="NASUWT", union="nasuwt", date=datetime.date(2026, 1, 5), date_label="January 2026",
        stance="backs", summary="A later position.", source="Staff test",
    )  # fmt: skip
    assert "<strong>NASUWT</strong> (January 2026)" in client.get("/sign/").content.decode()
    Position.objects.create(
        organisation="National Education Union", union="neu", date=datetime.date(2026, 1, 6),
        date_label="6 January 2026", stance="backs", summary="Alone.", source="Staff test",
    )  # fmt: skip
    assert "<strong>NEU</strong> (6 January 2026)" in client.get("/sign/").content.decode(), "one union is not joint"


def test_a_position_names_only_known_union_codes():
    Position(organisation="X", union="neu,nasuwt", date=datetime.date(2025, 1, 1), date_label="x", stance="other",
             summary="x", source="x").full_clean()  # fmt: skip
    with pytest.raises(ValidationError):
        Position(organisation="X", union="neu,unison", date=datetime.date(2025, 1, 1), date_label="x",
                 stance="other", summary="x", source="x").full_clean()  # fmt: skip


@pytest.mark.django_db
def test_positions_are_in_the_order_they_happened(client):
    june = list(Position.objects.filter(date__year=2025, date__month=6).values_list("organisation", flat=True))
    assert june == ["NAHT", "NEU, NASUWT, ASCL and NAHT", "ASCL and NAHT", "Ofsted"], "the joint letter came first"
    letter = Position.objects.get(organisation="ASCL and NAHT")
    assert "would have been a first" in letter.summary and "consider encouraging" in letter.summary


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
