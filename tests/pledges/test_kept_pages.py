"""The pages kept per process: each visitor's own token, name and links, never another visitor's."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import add_message, constants
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core import mail
from django.test import Client, RequestFactory
from django.utils.html import escape

from pausecampaign.local_cache import forget_all
from pledges.kept_pages import is_blank
from pledges.models import Pledge, Signature
from tests.pledges.conftest import confirm_link, form_data, log_in_by_code, sign_and_confirm

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def page_and_token(client: Client, path: str = "/sign/") -> tuple[str, str]:
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    (token,) = TOKEN.findall(page)
    return page, token


@pytest.mark.django_db
def test_each_visitor_gets_the_same_page_with_a_token_of_their_own_that_works(support):
    visitors = [Client(enforce_csrf_checks=True) for _ in range(3)]
    pages = [page_and_token(visitor) for visitor in visitors]
    assert len({token for _, token in pages}) == 3
    assert len({TOKEN.sub("", page) for page, _ in pages}) == 1, "otherwise the same page"
    for visitor, (_, token) in zip(visitors, pages, strict=True):
        assert "csrftoken" in visitor.cookies
        data = {**form_data([support], email=f"{token[:8]}@example.org"), "csrfmiddlewaretoken": token}
        assert visitor.post("/sign/", data).status_code == 302, "the page's token goes with the visitor's cookie"
    stranger = Client(enforce_csrf_checks=True)
    stranger.get("/sign/")
    stolen = {**form_data([support], email="stolen@example.org"), "csrfmiddlewaretoken": pages[0][1]}
    stranger.cookies.pop("csrftoken")
    assert stranger.post("/sign/", stolen).status_code == 403


@pytest.mark.django_db
def test_the_kept_page_is_the_page_rendered_afresh(client):
    kept, _ = page_and_token(client)
    kept, _ = page_and_token(client)
    forget_all()
    fresh, _ = page_and_token(Client())
    assert TOKEN.sub("", kept) == TOKEN.sub("", fresh)


@pytest.mark.django_db
def test_a_signed_in_signer_gets_their_details_and_nobody_else_does(
    client, support, django_capture_on_commit_callbacks
):
    from pledges.accounts import link_account
    from tests.factories import ConfirmedSignatureFactory

    ConfirmedSignatureFactory(pledge=support, email="jane@example.com", canonical_email="jane@example.com")
    link_account("jane@example.com")
    signed_in = Client()
    log_in_by_code(signed_in, "jane@example.com", django_capture_on_commit_callbacks)
    for first, second in ((client, signed_in), (signed_in, client), (client, signed_in)):
        first.get("/sign/")
        page = second.get("/sign/").content.decode()
        assert ("jane@example.com" in page) is (second is signed_in)
    mail.outbox.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?pledge=stand-down", "?src=leaflet-1", "?pledge=stand-down&src=leaflet-1"])
def test_a_link_with_a_pledge_or_a_source_gets_its_own_page(client, query):
    client.get("/sign/")  # the blank page, kept
    page = client.get(f"/sign/{query}").content.decode()
    if "pledge=" in query:
        stand_down = Pledge.objects.get(slug="stand-down")
        assert re.search(rf'value="{stand_down.pk}"[^>]*checked', page)
    if "src=" in query:
        assert 'name="src" value="leaflet-1"' in page
    blank = client.get("/sign/").content.decode()
    assert "checked" not in blank.split("<fieldset", 1)[1].split("</fieldset>", 1)[0]
    assert 'value="leaflet-1"' not in blank


@pytest.mark.django_db
def test_a_visitor_with_a_message_waiting_is_not_given_the_kept_page():
    request = RequestFactory().get("/sign/")
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert is_blank(request)
    add_message(request, constants.SUCCESS, "Your signature is withdrawn.")
    assert not is_blank(request)
    assert [str(m) for m in request._messages] == ["Your signature is withdrawn."], "counted, not used up"


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["pledge renamed", "pledge paused", "union position", "pledge deleted"])
def test_a_staff_change_to_what_the_page_shows_shows_at_once(client, support, change):
    from briefings.models import Position

    page, _ = page_and_token(client)  # kept now
    if change == "pledge renamed":
        support.title = "Support the pause, renamed"
        support.save()
        expected, gone = "Support the pause, renamed", None
    elif change == "pledge paused":
        assert f">{support.title}<" in page
        support.is_paused = True
        support.save()
        expected, gone = None, f">{support.title}<"
    elif change == "union position":
        position = Position.objects.exclude(union="").order_by("-date", "-id").first()
        position.summary = "A summary staff have just corrected."
        position.save()
        expected, gone = "A summary staff have just corrected.", None
    else:
        title = Pledge.objects.get(slug="refuse-release").title
        assert title in page
        Pledge.objects.get(slug="refuse-release").delete()
        expected, gone = None, title
    page, _ = page_and_token(client)
    if expected:
        assert expected in page
    if gone:
        assert gone not in page


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_visitor_between_a_staff_save_and_its_commit_does_not_keep_the_old_page(postgres):
    import threading

    from django.db import connection, transaction
    from django.db.models.signals import post_save

    support = Pledge.objects.get(slug="support-the-pause")

    def a_visitor_comes(**kwargs):  # after the page was forgotten, before the save commits
        def visit():
            try:
                Client().get("/sign/")  # its own connection: the old title
            finally:
                connection.close()

        visitor = threading.Thread(target=visit)
        visitor.start()
        visitor.join()

    Client().get("/sign/")
    post_save.connect(a_visitor_comes, sender=Pledge, dispatch_uid="test_a_visitor_comes")
    try:
        with transaction.atomic():
            support.title = "Support the pause, renamed"
            support.save()
    finally:
        post_save.disconnect(dispatch_uid="test_a_visitor_comes", sender=Pledge)
    assert "Support the pause, renamed" in Client().get("/sign/").content.decode()


def confirmed_page(client: Client, link: str, method: str = "get", **extra) -> str:
    response = getattr(client, method)(link, **extra)
    assert response.status_code == 200
    return response.content.decode()


def sign_for_link(pledges: list[Pledge], capture, **details) -> str:
    with capture(execute=True):
        assert Client().post("/sign/", form_data(pledges, **details)).status_code == 302
    return confirm_link(mail.outbox[-1])


STEP_LINKS = re.compile(r'href="(/actions/[^"]+/)"')


@pytest.mark.django_db
def test_each_signer_gets_the_kept_confirmed_page_with_only_their_own_name_and_links(
    support, django_capture_on_commit_callbacks
):
    names = ["Ann O'Brien <b>&amp; co</b> \\1 $0", "Bob Smith"]
    links = [
        sign_for_link([support], django_capture_on_commit_callbacks, name=name, email=f"signer{i}@example.org")
        for i, name in enumerate(names)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        pages = [confirmed_page(Client(), link, "post") for link in links]  # the second from the kept page
    for page, link, name, other in zip(pages, links, names, reversed(names), strict=True):
        assert f"Thank you, {escape(name)}." in page
        assert escape(other) not in page and link in page
        for step_link in STEP_LINKS.findall(page):
            assert Client().get(step_link).status_code == 200
    ann, bob = (set(STEP_LINKS.findall(page)) for page in pages)
    assert ann and bob and not ann & bob, "each signer's next steps are their own"
    assert Signature.objects.filter(state=Signature.State.CONFIRMED).count() == 2


@pytest.mark.django_db
def test_the_kept_confirmed_page_is_the_page_rendered_afresh(support, stand_down, django_capture_on_commit_callbacks):
    first = sign_for_link([support, stand_down], django_capture_on_commit_callbacks, email="first@example.org")
    second = sign_for_link([support, stand_down], django_capture_on_commit_callbacks, email="second@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        for link in (first, second):
            Client().post(link)
    confirmed_page(Client(), first)  # kept from the first signer's visit
    kept = confirmed_page(Client(), second)
    forget_all()
    fresh = confirmed_page(Client(), second)
    # The next steps' links are signed afresh for each visit, with the second they were made in.
    assert STEP_LINKS.sub("", kept) == STEP_LINKS.sub("", fresh)
    assert "Already confirmed" in kept and stand_down.title in kept


@pytest.mark.django_db
def test_a_signed_in_signer_or_a_link_with_a_query_gets_the_confirmed_page_afresh(
    support, django_capture_on_commit_callbacks
):
    link = sign_for_link([support], django_capture_on_commit_callbacks, email="jane@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        assert "Sign in" in confirmed_page(Client(), link, "post")  # kept now, as a visitor sees it
    signed_in = Client()
    log_in_by_code(signed_in, "jane@example.com", django_capture_on_commit_callbacks)
    page = confirmed_page(signed_in, link)
    assert "My pledges" in page and "Sign in" not in page
    assert "src=union-x" in confirmed_page(Client(), link + "?src=union-x"), "the Sign links carry the source"
    assert "src=union-x" not in confirmed_page(Client(), link)


@pytest.mark.django_db
def test_a_staff_change_to_an_action_step_shows_on_the_next_confirmed_page(support, django_capture_on_commit_callbacks):
    from pledges.models import ActionStep

    links = [sign_for_link([support], django_capture_on_commit_callbacks, email=f"s{i}@example.org") for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        confirmed_page(Client(), links[0], "post")
        step = ActionStep.of_pledge(support.pk)[0]
        step.title = "Write to your governors this week"
        step.save()
        assert "Write to your governors this week" in confirmed_page(Client(), links[1], "post")
        step.pledges.remove(support)
        assert "Write to your governors this week" not in confirmed_page(Client(), links[2], "post")


KEPT_PUBLIC = ["/", "/counts/", "/pledges/support-the-pause/", "/wall/", "/resolutions/", "/briefing/", "/open-letter/"]


@pytest.fixture
def keeping(settings):
    settings.COUNTS_CACHE_SECONDS = 1  # as in production; the suite's default reads every count fresh


@pytest.mark.django_db
@pytest.mark.parametrize("path", KEPT_PUBLIC)
def test_a_kept_public_page_is_the_page_rendered_afresh(client, keeping, path):
    assert client.get(path).status_code == 200, "published in the initial content"
    kept = client.get(path)
    forget_all()
    fresh = Client().get(path)
    assert kept.status_code == fresh.status_code == 200
    assert kept.content == fresh.content
    assert set(kept.headers) == set(fresh.headers) and kept["Content-Type"] == fresh["Content-Type"]


@pytest.mark.django_db
def test_a_kept_public_page_catches_up_with_the_count_within_a_second(
    keeping, support, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from pausecampaign import local_cache

    before = Client().get("/pledges/support-the-pause/").content.decode()
    for i in range(3):  # enough to be shown (DISCLOSURE_THRESHOLD)
        sign_and_confirm(Client(), [support], django_capture_on_commit_callbacks, email=f"new{i}@example.org")
    assert Client().get("/pledges/support-the-pause/").content.decode() == before, "kept for the second"
    later = local_cache.time.monotonic() + 1.01
    monkeypatch.setattr(local_cache.time, "monotonic", lambda: later)
    cache.clear()  # the shared counts are kept for the same second
    after = Client().get("/pledges/support-the-pause/").content.decode()
    assert after != before and ">3<" in after.replace(" ", "")


@pytest.mark.django_db
def test_a_staff_change_to_a_pledge_shows_on_the_kept_public_pages_at_once(client, keeping, support):
    for path in ("/", "/pledges/support-the-pause/"):
        client.get(path)
    support.title = "Support the pause, as staff have just renamed it"
    support.save()
    for path in ("/", "/pledges/support-the-pause/"):
        assert "as staff have just renamed it" in client.get(path).content.decode()


@pytest.mark.django_db
def test_a_signed_in_signer_a_query_or_a_waiting_message_gets_the_public_page_afresh(
    keeping, support, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    kept = Client().get("/counts/").content.decode()  # kept now, as a visitor sees it
    for i in range(3):
        sign_and_confirm(Client(), [support], django_capture_on_commit_callbacks, email=f"s{i}@example.com")
    cache.clear()
    signed_in = Client()
    log_in_by_code(signed_in, "s0@example.com", django_capture_on_commit_callbacks)
    assert "My pledges" in signed_in.get("/counts/").content.decode()
    assert "Sign in" in Client().get("/counts/").content.decode()
    assert Client().get("/counts/").content.decode() == kept
    assert Client().get("/counts/?anything=1").content.decode() != kept, "any other query renders it afresh"


@pytest.mark.django_db
def test_each_campaign_source_gets_its_own_kept_page_and_made_up_ones_stop_being_kept(client, keeping, monkeypatch):
    from pledges import kept_pages

    assert "src=union-a" in client.get("/pledges/support-the-pause/?src=union-a").content.decode()
    page_b = client.get("/pledges/support-the-pause/?src=union-b").content.decode()
    assert "src=union-b" in page_b and "src=union-a" not in page_b
    monkeypatch.setattr(kept_pages, "MOST_KEPT", 3)
    for i in range(10):
        assert f"src=made-up-{i}" in client.get(f"/pledges/support-the-pause/?src=made-up-{i}").content.decode()
    from pausecampaign.local_cache import local_cached

    assert len(local_cached(kept_pages.PUBLIC_PAGES_KEY, dict, 1)) == 3


@pytest.mark.django_db
def test_it_never_keeps_a_page_with_a_visitors_own_token_or_an_error(client, keeping, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.template import engines

    from pledges.kept_pages import kept_for_visitors

    template = engines["django"].from_string("<form>{% csrf_token %}</form>")

    @kept_for_visitors
    def form_page(request):
        return HttpResponse(template.render({}, request))

    tokens = set()
    for _ in range(2):
        request = rf.get("/a-form/")
        request.user = AnonymousUser()
        tokens.add(form_page(request).content)
    assert len(tokens) == 2
    assert client.get("/pledges/no-such-pledge/").status_code == 404
    assert client.get("/pledges/no-such-pledge/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("source", ["CALL+0800+SCAM+NOW!", "Union-A", "a&src=b"])
def test_a_source_the_page_would_carry_otherwise_than_kept_is_never_kept_for_others(client, keeping, support, source):
    from tests.factories import ConfirmedSignatureFactory

    # Enough named on the wall for a second page: its link carries the source as it came.
    ConfirmedSignatureFactory.create_batch(
        51, pledge=support, appearance=Signature.Appearance.NAME, wall=Signature.Wall.APPROVED
    )
    client.get(f"/wall/?src={source}")
    client.get(f"/pledges/support-the-pause/?src={source}")
    for path in ("/wall/", "/pledges/support-the-pause/"):
        page = Client().get(path).content.decode()
        assert "SCAM" not in page and "Union-A" not in page and "src=b" not in page


@pytest.mark.django_db
def test_a_staff_edit_to_a_news_post_shows_on_its_kept_page_at_once(client, keeping):
    from briefings.models import NewsPost

    post = NewsPost.objects.create(slug="news", title="News", summary="S.", body="The first words.", status="published")
    assert "The first words." in client.get(post.get_absolute_url()).content.decode()
    post.body = "The corrected words."
    post.save()
    assert "The corrected words." in client.get(post.get_absolute_url()).content.decode()
