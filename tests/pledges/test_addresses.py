"""One mailbox is one signer, however its address is spelt (issue 12, item 3)."""

from __future__ import annotations

import unicodedata

import pytest
from django.core import mail

from pledges.addresses import INVISIBLE_RANGES, canonical_email, domain_of, is_invisible, mailbox_email
from pledges.counting import current_counts, total
from pledges.models import BlockedDomain, Signature
from tests.pledges.conftest import confirm_link, form_data

HIDDEN = {
    "soft hyphen": "\u00ad",
    "zero-width space": "\u200b",
    "zero-width joiner": "\u200d",
    "right-to-left mark": "\u200f",
    "word joiner": "\u2060",
    "byte order mark": "\ufeff",
    "hangul filler": "\u3164",
    "variation selector": "\ufe0f",
    "tag character": "\U000e0041",
    "left-to-right override": "\u202d",
}


def sign(client, pledges, capture, **overrides):
    with capture(execute=True):
        return client.post("/sign/", form_data(pledges, **overrides))


@pytest.mark.django_db
@pytest.mark.parametrize("char", HIDDEN.values(), ids=HIDDEN.keys())
@pytest.mark.parametrize("where", ["domain", "local part"])
def test_it_refuses_a_hidden_character_in_either_part(client, support, django_capture_on_commit_callbacks, char, where):
    email = f"jane@exam{char}ple.org" if where == "domain" else f"ja{char}ne@example.org"
    response = sign(client, [support], django_capture_on_commit_callbacks, email=email)
    assert response.status_code == 400
    assert "hidden characters" in response.content.decode()
    assert not Signature.objects.exists() and mail.outbox == []


@pytest.mark.django_db
def test_it_counts_one_mailbox_once_however_the_domain_is_spelt(client, support, django_capture_on_commit_callbacks):
    for email in ["jane@example.org", "jane@ＥＸＡＭＰＬＥ.org", "JANE@Example.ORG", "jane@example.org."]:
        response = sign(client, [support], django_capture_on_commit_callbacks, email=email)
        assert response.status_code in {302, 400}
        for message in [m for m in mail.outbox if "/confirm/" in m.body]:
            client.post(confirm_link(message))
    assert Signature.objects.count() == 1
    assert total(current_counts(), support.pk) == 1


@pytest.mark.parametrize(
    ("spellings", "canonical"),
    [
        (["jane@gmail.com", "j.a.n.e+x@googlemail.com", "JANE@ｇｍａｉｌ.com"], "jane@gmail.com"),
        (["jane@outlook.com", "jane+pause@outlook.com", "Jane+1@OUTLOOK.COM"], "jane@outlook.com"),
        (["jane@hotmail.co.uk", "jane+pause@hotmail.co.uk"], "jane@hotmail.co.uk"),
        (["jane@live.com", "jane+a@live.com"], "jane@live.com"),
        (["jane@icloud.com", "jane+a@me.com", "jane@mac.com"], "jane@icloud.com"),
        (["jane@proton.me", "jane+a@protonmail.com", "jane@pm.me"], "jane@proton.me"),
        (["jane@fastmail.com", "jane+news@fastmail.com"], "jane@fastmail.com"),
    ],
)
def test_it_folds_each_providers_variants_to_one_address(spellings, canonical):
    assert {canonical_email(s) for s in spellings} == {canonical}


@pytest.mark.parametrize(
    ("spellings", "canonical"),
    [
        (["jane+pause@school.sch.uk", "Jane@School.sch.uk"], "jane@school.sch.uk"),  # Workspace, 365
        (["x@jane.fastmail.com", "jane@fastmail.com", "y@Jane.Fastmail.com"], "jane@fastmail.com"),
        (['"jane"@gmail.com', "jane@gmail.com"], "jane@gmail.com"),
    ],
)
def test_it_folds_tags_subdomains_and_quotes_everywhere(spellings, canonical):
    assert {canonical_email(s) for s in spellings} == {canonical}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email", ['"jane"@gmail.com', '"j\\ane"@gmail.com', "ja\\ne@gmail.com", '"a b"@school.example']
)
def test_it_refuses_quoted_or_escaped_addresses(client, support, django_capture_on_commit_callbacks, email):
    response = sign(client, [support], django_capture_on_commit_callbacks, email=email)
    assert response.status_code == 400
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("jane.doe@outlook.com", "janedoe@outlook.com"),  # dots matter outside Gmail
        ("jane@outlook.com", "jane@hotmail.com"),  # separate Microsoft mailboxes
        ("jane@school.example", "jane@other-school.example"),
    ],
)
def test_it_keeps_addresses_apart_that_reach_different_mailboxes(a, b):
    assert canonical_email(a) != canonical_email(b)


def test_it_takes_the_domain_as_it_goes_on_the_wire():
    assert domain_of("x@ＭＡＩＬＩＮＡＴＯＲ.com") == "mailinator.com"
    assert domain_of("x@bücher.example") == "xn--bcher-kva.example"


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["x@ｍａｉｌｉｎａｔｏｒ.com", "x@MAILINATOR.COM", "x@sub.mailinator.com"])
def test_it_holds_a_disposable_domain_in_any_spelling(client, support, django_capture_on_commit_callbacks, email):
    sign(client, [support], django_capture_on_commit_callbacks, email=email)
    assert Signature.objects.get().fraud_reason == "disposable domain"


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["x@ｓｐａｍ.example", "x@mail.spam.example", "x@SPAM.example"])
def test_it_holds_a_blocked_domain_in_any_spelling(client, support, django_capture_on_commit_callbacks, email):
    BlockedDomain.objects.create(domain="spam.example")
    sign(client, [support], django_capture_on_commit_callbacks, email=email)
    assert Signature.objects.get().fraud_reason == "blocked domain"


@pytest.mark.django_db
def test_it_rates_a_domain_across_its_spellings(client, support, settings, django_capture_on_commit_callbacks):
    settings.SIGNING_RATE_PER_DOMAIN = 2
    settings.SIGNING_RATE_PER_IP = 1000
    for number, domain in enumerate(["bulk.example", "ｂｕｌｋ.example", "BULK.example", "bulk.example"]):
        sign(client, [support], django_capture_on_commit_callbacks, email=f"p{number}@{domain}")
    assert Signature.objects.filter(state=Signature.State.FRAUDULENT).count() == 2


def test_it_judges_every_ascii_character_as_the_unicode_rule_does():
    def by_the_rule(ch: str) -> bool:
        code = ord(ch)
        return unicodedata.category(ch)[0] in {"C", "Z"} or any(low <= code <= high for low, high in INVISIBLE_RANGES)

    for code in range(0x00, 0x100):
        assert is_invisible(chr(code)) == by_the_rule(chr(code)), hex(code)
    assert is_invisible(" ") and is_invisible("\t") and is_invisible("\x7f") and not is_invisible("~")


@pytest.mark.parametrize(
    ("spellings", "mailbox"),
    [
        (["jane@gmail.com", "j.a.n.e+x@googlemail.com", "JANE@ｇｍａｉｌ.com"], "jane@gmail.com"),
        (["jane@outlook.com", "jane+pause@outlook.com"], "jane@outlook.com"),
        (["x@jane.fastmail.com", "jane+news@fastmail.com"], "jane@fastmail.com"),
        (["Jane@School.sch.uk", "jane@school.sch.uk", '"jane"@school.sch.uk'], "jane@school.sch.uk"),
    ],
)
def test_it_finds_one_mailbox_where_the_provider_is_known_to_deliver_every_spelling_there(spellings, mailbox):
    assert {mailbox_email(s) for s in spellings} == {mailbox}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("jane+x@school.sch.uk", "jane@school.sch.uk"),  # one signer for counting, but maybe two people
        ("jane+x@weird.org", "jane@weird.org"),
        ("jane.doe@outlook.com", "janedoe@outlook.com"),
    ],
)
def test_it_keeps_mailboxes_apart_unless_the_provider_is_known_to_join_them(a, b):
    assert mailbox_email(a) != mailbox_email(b)


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["ſam@school.example", "\u212aate@school.example", "jöe@school.example"])
def test_it_refuses_a_local_part_outside_ascii_that_would_fold_into_someone_elses(
    client, support, django_capture_on_commit_callbacks, email
):
    response = sign(client, [support], django_capture_on_commit_callbacks, email=email)
    assert response.status_code == 400
    assert "must use only the letters a to z" in response.content.decode()
    assert not Signature.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        for path in ("/accounts/login/code/", "/accounts/password/reset/"):
            client.post(path, {"email": email})
    # allauth lower-cases first (a Kelvin sign becomes k, so kate@ itself is written to), and
    # refuses the rest: no code or link ever goes to an address that would fold into another.
    assert all(message.to[0].isascii() for message in mail.outbox)


def test_a_mailbox_keeps_a_local_part_outside_ascii_as_it_is():
    assert mailbox_email("ſam@school.example") != mailbox_email("sam@school.example")
    assert mailbox_email("\u212aate@school.example") != mailbox_email("kate@school.example")
