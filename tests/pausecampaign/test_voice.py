"""django-allauth's pages, messages and emails speak as the rest of the site does: sentence case,
and the person named by their address. Our words for allauth's strings live in locale/en_GB."""

from __future__ import annotations

import itertools
import re
from html import unescape
from pathlib import Path

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from tests.staff import staff_client

CATALOG = Path(__file__).resolve().parents[2] / "locale" / "en_GB" / "LC_MESSAGES" / "django.po"
# Words that keep their capital anywhere in a sentence.
PROPER = {"I", "#PauseOfsted", "Ofsted", "OI", "OIs", "HMI", "URN", "IP", "TOTP", "England"}
TEXT_ELEMENTS = re.compile(r"<(h1|h2|h3|title|button|label|legend|summary)\b[^>]*>(.*?)</\1>", re.S)


def catalog() -> dict[str, str]:
    entries = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', CATALOG.read_text(), re.M)
    return dict(entries)


def title_case_words(text: str) -> list[str]:
    words = unescape(re.sub(r"<[^>]+>", " ", text)).split()
    # "Two-Factor", "Sign-In": a capital after a hyphen is Title Case too, even in the first word.
    hyphenated = [word for word in words if any(part[:1].isupper() for part in word.split("-")[1:])]
    return hyphenated + [
        word
        for before, word in itertools.pairwise(words)
        if word[:1].isupper()
        and not before.endswith((".", "?", "!", ":"))
        and word.strip(".,:;?!()") not in PROPER
        and "@" not in word
        and not word.isupper()
    ]


def test_it_has_compiled_every_string_it_overrides():
    entries = catalog()
    assert len(entries) > 50
    with translation.override("en-gb"):
        stale = {msgid: gettext(msgid) for msgid, msgstr in entries.items() if gettext(msgid) != msgstr}
    assert stale == {}, "run msgfmt on locale/en_GB/LC_MESSAGES/django.po"


def test_it_writes_every_override_in_sentence_case():
    shouting = {msgstr: words for msgstr in catalog().values() if (words := title_case_words(msgstr))}
    assert shouting == {}


def visible_texts(page: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", inner))).strip()
        for _, inner in TEXT_ELEMENTS.findall(page)
    ]


def assert_sentence_case(client, path: str) -> None:
    response = client.get(path, follow=True)
    assert response.status_code == 200, path
    page = response.content.decode()
    shouting = {text: words for text in visible_texts(page) if (words := title_case_words(text))}
    assert shouting == {}, path


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/accounts/login/", "/accounts/login/code/", "/accounts/password/reset/", "/accounts/password/reset/done/"],
)
def test_it_speaks_in_sentence_case_to_someone_signing_in(client, path):
    assert_sentence_case(client, path)


@pytest.mark.django_db
def test_it_speaks_in_sentence_case_while_a_code_is_awaited(client, support, django_capture_on_commit_callbacks):
    from tests.pledges.conftest import form_data

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(re.search(r"(/confirm/\S+/)", mail.outbox[0].body).group(1))
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/login/code/", {"email": "jane@example.com"}, follow=True)
    assert re.search(r"<h1>\s*Enter your sign-in code\s*</h1>", response.content.decode())
    assert_sentence_case(client, "/accounts/login/code/confirm/")
    assert mail.outbox[-1].subject == "#PauseOfsted: Sign-in code"
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.M).group(1)
    signed_in = client.post("/accounts/login/code/confirm/", {"code": code}, follow=True).content.decode()
    assert "You are signed in as jane@example.com." in signed_in


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/accounts/2fa/",
        "/accounts/2fa/reauthenticate/",
        "/accounts/reauthenticate/",
        "/accounts/2fa/totp/deactivate/",
        "/accounts/password/change/",
        "/accounts/email/",
        "/accounts/logout/",
    ],
)
def test_it_speaks_in_sentence_case_to_staff(path):
    assert_sentence_case(staff_client("Moderator"), path)
