from __future__ import annotations

import pytest
from django.utils import timezone
from django.utils.html import escape

from briefings.markdown import render
from briefings.models import Figure, NewsPost, Page, Revision
from tests.staff import staff_client

INITIAL_PAGES = ["briefing", "open-letter", "unions", "faq", "privacy", "accessibility", "about"]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", INITIAL_PAGES)
def test_it_serves_every_initial_page_with_metadata(client, slug):
    page = Page.objects.get(slug=slug)
    response = client.get(f"/{slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{page.title}</h1>" in html
    assert f'<meta name="description" content="{escape(page.summary)}">' in html
    assert f'<link rel="canonical" href="http://127.0.0.1:8000/{slug}/">' in html
    assert f'<meta property="og:title" content="{page.title}">' in html
    assert len(page.body) > 300


@pytest.mark.django_db
def test_it_carries_what_each_page_must_say(client):
    briefing = client.get("/briefing/").content.decode()
    for phrase in ["Within two weeks", "Within a month", "Within the next half term", "Within the next term"]:
        assert phrase in briefing
    assert "What the campaign wants instead" in briefing
    assert "Sign a pledge" in client.get("/open-letter/").content.decode()
    unions = client.get("/unions/").content.decode()
    assert "February 2020" in unions and "September 2025" in unions and '<th scope="col">Source</th>' in unions
    assert "no legal or employment advice" in client.get("/faq/").content.decode()
    privacy = client.get("/privacy/").content.decode()
    assert "explicit consent" in privacy and "How long we keep it" in privacy


@pytest.mark.django_db
def test_it_quotes_stored_figures_with_their_source(client):
    Figure.objects.filter(key="serving-leader-share").update(value="nearly 70%", as_of="March 2026")
    html = client.get("/briefing/").content.decode()
    assert "nearly 70%" in html
    assert "Sources of the figures on this page" in html
    assert "March 2026" in html
    counts = client.get("/counts/").content.decode()
    assert "About 22,000 state-funded schools in England" in counts


@pytest.mark.django_db
def test_it_hides_drafts_and_future_pages(client):
    Page.objects.create(slug="secret-draft", title="Draft", summary="s", body="b")
    Page.objects.create(
        slug="tomorrow", title="Tomorrow", summary="s", body="b", status="published",
        publish_at=timezone.now() + timezone.timedelta(days=1),
    )  # fmt: skip
    assert client.get("/secret-draft/").status_code == 404
    assert client.get("/tomorrow/").status_code == 404


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "alert"),
        ('<p onclick="alert(1)">x</p>', "onclick"),
        ("<iframe src='https://evil.example'></iframe>", "<iframe"),
        ('<svg onload="alert(1)"></svg>', "onload"),
        ("<style>body{display:none}</style>", "<style"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:"),
    ],
)
def test_it_neutralises_dangerous_markdown(markdown, forbidden):
    html, _ = render(markdown, figures={})
    assert forbidden.lower() not in html.lower()


def test_it_keeps_ordinary_markdown():
    html, _ = render("## Heading\n\n- a [link](https://example.org)\n\n| a | b |\n| - | - |\n| 1 | 2 |", figures={})
    assert "<h2>Heading</h2>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">link</a>' in html
    assert '<div class="table-scroll" role="region" tabindex="0" aria-label="Table"><table class="table">' in html
    assert html.count("<table") == html.count("</table></div>") == 1, "a wide table scrolls in its own region"


@pytest.mark.django_db
def test_it_shows_a_staff_edit_at_once_keeps_revisions_and_restores(client):
    lead = staff_client("Campaign lead")
    page = Page.objects.get(slug="faq")
    original_body = page.body
    form = {
        "slug": "faq", "title": "Questions and answers", "summary": page.summary, "body": "Edited answer.",
        "status": "published", "publish_at_0": "2026-01-01", "publish_at_1": "00:00:00", "nav_position": "4",
    }  # fmt: skip
    response = lead.post(f"/admin/briefings/page/{page.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "Edited answer." in client.get("/faq/").content.decode()

    history = list(Revision.objects.filter(object_id=page.pk, content_type__model="page").order_by("saved_at", "id"))
    before, edit = history[-2], history[-1]
    assert edit.saved_by == lead.user
    diff = lead.get(f"/admin/briefings/page/{page.pk}/revisions/?a={before.pk}&b={edit.pk}")
    assert "+Edited answer." in diff.content.decode()

    lead.post(f"/admin/briefings/page/{page.pk}/revisions/{before.pk}/restore/")
    assert client.get("/faq/").content.decode().count("Edited answer.") == 0
    page.refresh_from_db()
    assert page.body == original_body
    assert Revision.objects.filter(object_id=page.pk, content_type__model="page").count() == len(history) + 1


@pytest.mark.django_db
def test_it_previews_a_draft_for_staff_only(client):
    lead = staff_client("Campaign lead")
    draft = Page.objects.create(slug="coming-soon", title="Coming soon", summary="s", body="Not yet public.")
    assert "Not yet public." in lead.get(f"/admin/briefings/page/{draft.pk}/preview/").content.decode()
    assert client.get(f"/admin/briefings/page/{draft.pk}/preview/").status_code == 302
    moderator = staff_client("Moderator")
    assert moderator.get(f"/admin/briefings/page/{draft.pk}/preview/").status_code == 403


@pytest.mark.django_db
def test_it_publishes_news_with_an_atom_feed(client):
    NewsPost.objects.create(
        slug="big-news", title="Big news", summary="Something happened.", body="**Details**", status="published"
    )
    assert "Big news" in client.get("/news/").content.decode()
    feed = client.get("/news/feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert b"<title>Big news</title>" in feed.content
    post = NewsPost.objects.get(slug="big-news")
    assert "<strong>Details</strong>" in client.get(post.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_it_lists_pages_in_the_sitemap_and_points_robots_at_it(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    for slug in INITIAL_PAGES:
        assert f"/{slug}/</loc>" in sitemap
    assert "/pledges/stand-down/</loc>" in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    assert "Disallow: /admin/" in robots


@pytest.mark.django_db
def test_it_never_overwrites_staff_edits_when_the_content_migration_runs_again():
    import importlib

    from django.apps import apps

    seed = importlib.import_module("briefings.migrations.0002_initial_content").seed
    Page.objects.filter(slug="faq").update(body="Staff wrote this.")
    Figure.objects.filter(key="schools-england").update(value="about 24,500")
    seed(apps, None)
    assert Page.objects.get(slug="faq").body == "Staff wrote this."
    assert Figure.objects.get(key="schools-england").value == "about 24,500"
    assert Page.objects.filter(slug="faq").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["figure", "page", "newspost"])
def test_it_opens_every_content_admin_page_for_a_campaign_lead(model):
    lead = staff_client("Campaign lead")
    listing = lead.get(f"/admin/briefings/{model}/")
    assert listing.status_code == 200
    objects = {"figure": Figure, "page": Page, "newspost": NewsPost}[model].objects.all()[:3]
    for obj in objects:
        assert lead.get(f"/admin/briefings/{model}/{obj.pk}/change/").status_code == 200
    assert lead.get(f"/admin/briefings/{model}/add/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/briefing/", "/privacy/", "/news/"])
def test_it_writes_time_values_html_accepts(client, path):
    import re

    page = client.get(path).content.decode()
    values = re.findall(r'<time datetime="([^"]+)"', page)
    assert values
    for value in values:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?([+-]\d{2}:\d{2}|Z)", value), value


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/briefing/", "/counts/", "/news/"])
def test_every_page_tells_feed_readers_where_the_news_feed_is(client, path):
    page = client.get(path).content.decode()
    assert '<link rel="alternate" type="application/atom+xml" title="#PauseOfsted news" href="/news/feed/">' in page
    assert client.get("/news/feed/")["Content-Type"].startswith("application/atom+xml")


@pytest.mark.django_db
def test_no_published_page_skips_a_heading_level(client):
    import re
    from itertools import pairwise

    for page in Page.objects.published():
        html = client.get(page.get_absolute_url()).content.decode()
        main = html.split("<main", 1)[1].split("</main>", 1)[0]
        levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", main)]
        for before, after in pairwise(levels):
            assert after <= before + 1, f"{page.slug}: h{after} follows h{before}"
