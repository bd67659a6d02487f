"""The footer every page shares: rendered once per process and kept a moment, never stale for staff."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from briefings.models import Page
from tests.staff import staff_client


def footer_of(html: str) -> str:
    found = re.search(r'<footer class="site-footer">.*?</footer>', html, re.S)
    assert found, "every page has the site footer"
    return found.group(0)


def saved_page(page: Page, **changes) -> int:
    """A campaign lead saves the page in the admin with these changes; the response's status."""
    form = {
        "slug": page.slug, "title": page.title, "summary": page.summary, "body": page.body,
        "status": "published", "publish_at_0": "2026-01-01", "publish_at_1": "00:00:00",
        "nav_position": "" if page.nav_position is None else str(page.nav_position),
        **changes,
    }  # fmt: skip
    return staff_client("Campaign lead").post(f"/admin/briefings/page/{page.pk}/change/", form).status_code


@pytest.mark.django_db
def test_it_shows_one_footer_on_every_page_with_the_controller_and_the_navigation(client):
    footers = {footer_of(client.get(path).content.decode()) for path in ["/", "/sign/", "/counts/", "/privacy/"]}
    assert len(footers) == 1
    footer = footers.pop()
    assert f"This site is run by {settings.CONTROLLER_NAME}." in footer
    assert f'<a href="mailto:{settings.CONTROLLER_EMAIL}">' in footer
    for page in Page.objects.published().filter(nav_position__isnull=False):
        assert f'<a href="/{page.slug}/">{page.title}</a>' in footer
    assert '<a href="/privacy/">Privacy</a>' in footer


@pytest.mark.django_db
def test_it_shows_a_staff_edit_to_the_navigation_in_the_footer_at_once(client):
    page = Page.objects.get(slug="faq")
    assert f'<a href="/faq/">{page.title}</a>' in footer_of(client.get("/").content.decode())  # rendered and kept
    assert saved_page(page, title="Questions, answered", nav_position="4") == 302
    footer = footer_of(client.get("/").content.decode())
    assert '<a href="/faq/">Questions, answered</a>' in footer
    assert f">{page.title}</a>" not in footer


@pytest.mark.django_db
def test_it_takes_a_page_out_of_the_footer_when_staff_take_it_out_of_the_navigation(client):
    page = Page.objects.get(slug="faq")
    assert '<a href="/faq/">' in footer_of(client.get("/counts/").content.decode())
    assert saved_page(page, nav_position="") == 302
    assert '<a href="/faq/">' not in footer_of(client.get("/counts/").content.decode())


def header_of(html: str) -> str:
    found = re.search(r'<header class="site-header">.*?</header>', html, re.S)
    assert found, "every page has the site header"
    return found.group(0)


@pytest.mark.django_db
def test_it_never_shows_one_visitor_the_header_kept_for_another(client, django_capture_on_commit_callbacks):
    from pledges.accounts import link_account
    from tests.factories import ConfirmedSignatureFactory
    from tests.pledges.conftest import log_in_by_code

    ConfirmedSignatureFactory(email="jane@example.com", canonical_email="jane@example.com")
    link_account("jane@example.com")
    signed_in = Client()
    log_in_by_code(signed_in, "jane@example.com", django_capture_on_commit_callbacks)
    for first, second in ((signed_in, client), (client, signed_in)):
        first.get("/")
        header = header_of(second.get("/").content.decode())
        assert ("My pledges" in header) is (second is signed_in)
        assert ("Sign in" in header) is (second is client)


@pytest.mark.django_db
def test_it_marks_the_page_being_shown_and_carries_each_links_own_source(client):
    in_header = Page.objects.filter(nav_position__isnull=False).order_by("nav_position").first()
    in_footer_only = Page.objects.filter(nav_position__isnull=False).order_by("nav_position")[2]
    shown = [("/", ["Home"]), ("/counts/", ["Live counts"]), (f"/{in_header.slug}/", [in_header.title])]
    shown += [(f"/{in_footer_only.slug}/", []), ("/", ["Home"])]
    for path, current in shown:
        header = header_of(client.get(path).content.decode())
        assert re.findall(r'aria-current="page">([^<]+)<', header) == current, path
    for source in ("leaflet-1", "union-mail", ""):
        header = header_of(client.get(f"/?src={source}").content.decode())
        assert ('href="/sign/?src=' + source + '"' in header) is bool(source)
        assert header.count("?src=") == (1 if source else 0)


@pytest.mark.django_db
def test_it_shows_a_staff_edit_to_the_navigation_in_the_header_at_once(client):
    page = Page.objects.filter(nav_position__isnull=False).order_by("nav_position").first()
    assert f">{page.title}</a>" in header_of(client.get("/").content.decode())  # rendered and kept
    assert saved_page(page, title="Renamed in the header") == 302
    header = header_of(client.get("/").content.decode())
    assert f'<a href="/{page.slug}/">Renamed in the header</a>' in header


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_page_shown_while_a_staff_save_commits_does_not_keep_the_old_navigation(postgres, monkeypatch):
    import threading

    from briefings import admin as briefings_admin

    page = Page.objects.get(slug="faq")
    forget_navigation = briefings_admin.forget_navigation

    def forget_then_a_visitor_comes():
        forget_navigation()
        visitor = threading.Thread(target=lambda: Client().get("/"))  # its own connection: the old pages
        visitor.start()
        visitor.join()

    monkeypatch.setattr(briefings_admin, "forget_navigation", forget_then_a_visitor_comes)
    assert saved_page(page, title="Questions, answered", nav_position="4") == 302
    assert '<a href="/faq/">Questions, answered</a>' in footer_of(Client().get("/").content.decode())


@pytest.mark.django_db
def test_a_page_staff_delete_leaves_the_navigation_at_once(client):
    page = Page.objects.get(slug="faq")
    assert '<a href="/faq/">' in footer_of(client.get("/").content.decode())
    lead = staff_client("Campaign lead", superuser=True)
    assert lead.post(f"/admin/briefings/page/{page.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Page.objects.filter(pk=page.pk).exists()
    assert '<a href="/faq/">' not in footer_of(client.get("/").content.decode())
