"""One account per mailbox: every spelling of one address reaches the same account."""

from __future__ import annotations

import importlib
import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from pledges import services
from pledges.accounts import link_account
from pledges.models import AuditEntry, Email, Pledge, Signature, SignerAccount
from tests.pledges.conftest import confirm_link, form_data, log_in_by_code, sign_and_confirm

User = get_user_model()

SAME_MAILBOX = [
    ("janedoe@gmail.com", "Jane.Doe@gmail.com"),
    ("jane.doe@googlemail.com", "janedoe@gmail.com"),
    ("jane@outlook.com", "jane+pledge@outlook.com"),
    ("Jane@Example.org", "jane@example.org"),
    ("jane@fastmail.com", "post@jane.fastmail.com"),
]


def addresses_of(user) -> set[str]:
    return set(EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "second"), SAME_MAILBOX)
def test_it_keeps_one_account_for_every_spelling_of_a_mailbox(first, second):
    account = link_account(first)
    assert link_account(second) == account
    assert User.objects.count() == 1
    assert addresses_of(account) == {first.lower(), second.lower()}
    assert EmailAddress.objects.filter(user=account, primary=True).count() == 1
    assert link_account(second) == account and EmailAddress.objects.count() == len({first.lower(), second.lower()})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "second"),
    [("jane.doe@example.org", "janedoe@example.org"), ("a@x.org", "a@y.org"), ("jane@weird.org", "jane+x@weird.org")],
)
def test_it_keeps_apart_mailboxes_that_only_look_alike(first, second):
    assert link_account(first) != link_account(second)
    assert SignerAccount.objects.count() == 2


@pytest.mark.django_db
def test_it_gives_a_staff_members_other_spelling_to_their_staff_account():
    lead = User.objects.create_user(username="lead", email="lead@gmail.com", password="x" * 20, is_staff=True)
    EmailAddress.objects.create(user=lead, email="lead@gmail.com", verified=True, primary=True)
    assert link_account("lead@gmail.com") == lead
    assert link_account("L.Ead@gmail.com") == lead
    assert addresses_of(lead) == {"lead@gmail.com", "l.ead@gmail.com"}
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_it_finds_the_account_of_a_signer_whose_first_signature_was_withdrawn(
    client, support, stand_down, django_capture_on_commit_callbacks
):
    sign_and_confirm(client, [support], django_capture_on_commit_callbacks, email="janedoe@gmail.com")
    log_in_by_code(client, "janedoe@gmail.com", django_capture_on_commit_callbacks)
    first = Signature.objects.get()
    client.post(f"/my/pledges/{first.pk}/withdraw/", {"reason": ""})
    assert not Signature.objects.filter(email__iexact="janedoe@gmail.com").exists(), "the address left the row"

    sign_and_confirm(Client(), [stand_down], django_capture_on_commit_callbacks, email="Jane.Doe@gmail.com")
    assert User.objects.count() == 1
    assert addresses_of(User.objects.get()) == {"janedoe@gmail.com", "jane.doe@gmail.com"}


@pytest.mark.django_db
def test_it_shows_signing_in_with_either_spelling_every_signature_and_erases_them_all(
    support, stand_down, django_capture_on_commit_callbacks
):
    sign_and_confirm(Client(), [support], django_capture_on_commit_callbacks, email="janedoe@gmail.com")
    sign_and_confirm(Client(), [stand_down], django_capture_on_commit_callbacks, email="Jane.Doe@gmail.com")

    for spelling in ("janedoe@gmail.com", "Jane.Doe@gmail.com"):
        browser = Client()
        log_in_by_code(browser, spelling, django_capture_on_commit_callbacks)
        export = json.loads(browser.post("/my/data/download/").content)["tables"]
        assert len(export["pledges.signature"]) == 2
        assert {a["email"] for a in export["account.emailaddress"]} == {"janedoe@gmail.com", "jane.doe@gmail.com"}

    browser.post("/my/data/erase/", {"sure": "on"})
    assert not User.objects.exists(), "no second account is left holding the other spelling"
    assert not EmailAddress.objects.exists() and not SignerAccount.objects.exists()
    assert not Signature.objects.exists()

    sign_and_confirm(Client(), [support], django_capture_on_commit_callbacks, email="Jane.Doe@gmail.com")
    assert addresses_of(User.objects.get()) == {"jane.doe@gmail.com"}, "signing again after erasure starts afresh"


@pytest.mark.django_db
def test_it_gives_a_spelling_whose_nudge_was_lost_to_the_same_account_on_the_sweep(
    support, stand_down, django_capture_on_commit_callbacks
):
    sign_and_confirm(Client(), [support], django_capture_on_commit_callbacks, email="janedoe@gmail.com")
    with django_capture_on_commit_callbacks(execute=False):  # the nudge to link the account never arrives
        client = Client()
        client.post("/sign/", {"pledges": [stand_down.pk], "name": "Jane Doe", "email": "Jane.Doe@gmail.com",
                               "role": "head", "region": "H", "appearance": "counted", "consent": "on",
                               "inspector_status": "unavailable"})  # fmt: skip
    signature = Signature.objects.get(pledge=stand_down)
    with django_capture_on_commit_callbacks(execute=False):
        services.confirm_signatures([signature.pk])
    assert services.link_missing_accounts() == 1
    assert services.link_missing_accounts() == 0
    assert User.objects.count() == 1
    assert addresses_of(User.objects.get()) == {"janedoe@gmail.com", "jane.doe@gmail.com"}


def key_accounts():
    importlib.import_module("pledges.migrations.0025_signer_accounts").key_accounts(apps, None)


def account(username: str, email: str, **extra):
    user = User.objects.create_user(username=username, email=email, **extra)
    if not extra.get("password"):
        user.set_unusable_password()
        user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.mark.django_db
def test_it_folds_an_older_release_s_second_account_for_one_mailbox_into_the_first():
    first = account("signer-1", "janedoe@gmail.com")
    second = account("signer-2", "jane.doe@gmail.com")
    EmailAddress.objects.create(user=second, email="claim@example.org", verified=False)
    Email.objects.create(key="k", to="jane.doe@gmail.com", to_hash="h", subject="s", user=second)
    AuditEntry.objects.create(action="data export", actor=second)
    other = account("signer-3", "someone@example.org")

    key_accounts()

    assert set(User.objects.values_list("username", flat=True)) == {"signer-1", "signer-3"}
    assert addresses_of(first) == {"janedoe@gmail.com", "jane.doe@gmail.com"}
    assert not EmailAddress.objects.filter(email="claim@example.org").exists()
    assert Email.objects.get().user == first and AuditEntry.objects.get().actor == first
    assert dict(SignerAccount.objects.values_list("mailbox", "user")) == {
        "janedoe@gmail.com": first.pk,
        "someone@example.org": other.pk,
    }
    assert link_account("J.ANEDOE@gmail.com") == first


@pytest.mark.django_db
def test_it_folds_a_signer_who_set_a_password_and_keeps_their_second_factor():
    from allauth.mfa.models import Authenticator

    first = account("signer-1", "janedoe@gmail.com")
    second = account("signer-2", "jane.doe@gmail.com", password="a password they chose")
    Authenticator.objects.create(user=second, type=Authenticator.Type.TOTP, data={"secret": "x"})

    key_accounts()

    assert not User.objects.filter(pk=second.pk).exists()
    assert addresses_of(first) == {"janedoe@gmail.com", "jane.doe@gmail.com"}
    assert Authenticator.objects.get().user == first, "signing in still asks for their app"


@pytest.mark.django_db
def test_it_folds_into_an_active_account_never_an_inactive_one():
    inactive = account("signer-1", "bob@gmail.com", is_active=False)
    active = account("signer-2", "b.o.b@gmail.com")

    key_accounts()

    assert not User.objects.filter(pk=inactive.pk).exists()
    assert addresses_of(active) == {"bob@gmail.com", "b.o.b@gmail.com"}


@pytest.mark.django_db
def test_it_leaves_apart_two_accounts_that_each_have_the_same_kind_of_second_factor():
    from allauth.mfa.models import Authenticator

    first = account("signer-1", "janedoe@gmail.com")
    second = account("signer-2", "jane.doe@gmail.com")
    for user in (first, second):
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})

    key_accounts()

    assert User.objects.count() == 2 and Authenticator.objects.count() == 2
    assert SignerAccount.objects.get().user == first


@pytest.mark.django_db
def test_it_never_folds_a_staff_account_away():
    signer = account("signer-1", "lead@gmail.com")
    lead = account("lead", "l.ead@gmail.com", password="x" * 20, is_staff=True)
    other_lead = account("lead2", "le.ad@gmail.com", password="y" * 20, is_staff=True)

    key_accounts()

    assert not User.objects.filter(pk=signer.pk).exists(), "the signer's account joins the staff one"
    assert addresses_of(lead) == {"l.ead@gmail.com", "lead@gmail.com"}
    assert addresses_of(other_lead) == {"le.ad@gmail.com"}, "two staff accounts stay two"
    assert SignerAccount.objects.get().user == lead


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_it_makes_one_account_when_many_spellings_of_a_mailbox_are_confirmed_at_once(postgres):
    from tests.pledges.test_services import all_at_once

    spellings = ["janedoe@gmail.com", "Jane.Doe@gmail.com", "j.anedoe@gmail.com", "janedoe+x@googlemail.com"] * 2
    accounts = all_at_once(len(spellings), lambda i: link_account(spellings[i]).pk)
    assert len(set(accounts)) == 1 and User.objects.count() == 1
    assert SignerAccount.objects.get().user_id == accounts[0]
    assert addresses_of(User.objects.get()) == {s.lower() for s in spellings}


@pytest.fixture
def victim(support, django_capture_on_commit_callbacks):
    sign_and_confirm(
        Client(), [support], django_capture_on_commit_callbacks, email="jane@weird.org", name="Jane Victim"
    )
    return EmailAddress.objects.get(email="jane@weird.org").user


@pytest.mark.django_db
def test_it_gives_a_plus_tag_at_an_unknown_domain_an_account_of_its_own_that_sees_nothing_of_the_other(
    victim, stand_down, django_capture_on_commit_callbacks
):
    # At a domain nobody knows, jane+x@ may be another person's own mailbox.
    attacker = Client()
    sign_and_confirm(attacker, [stand_down], django_capture_on_commit_callbacks, email="jane+x@weird.org", name="Mal")
    log_in_by_code(attacker, "jane+x@weird.org", django_capture_on_commit_callbacks)
    assert EmailAddress.objects.get(email="jane+x@weird.org").user != victim
    assert addresses_of(victim) == {"jane@weird.org"}

    page = attacker.get("/my/pledges/").content.decode()
    assert "Mal" in page and "Jane Victim" not in page
    export = json.dumps(json.loads(attacker.post("/my/data/download/").content))
    assert "Jane Victim" not in export and "jane@weird.org" not in export
    theirs = Signature.objects.get(email="jane@weird.org")
    assert attacker.post(f"/my/pledges/{theirs.pk}/withdraw/", {"reason": ""}).status_code == 404

    attacker.post("/my/data/erase/", {"sure": "on"})
    assert User.objects.filter(pk=victim.pk).exists() and addresses_of(victim) == {"jane@weird.org"}
    assert Signature.objects.get(pk=theirs.pk).state == Signature.State.CONFIRMED


@pytest.mark.django_db
def test_it_never_confirms_at_once_an_address_whose_mailbox_the_signed_in_signer_did_not_prove(
    victim, support, stand_down, django_capture_on_commit_callbacks
):
    attacker = Client()
    sign_and_confirm(attacker, [stand_down], django_capture_on_commit_callbacks, email="jane+x@weird.org", name="Mal")
    log_in_by_code(attacker, "jane+x@weird.org", django_capture_on_commit_callbacks)
    refuse = Pledge.objects.get(slug="refuse-release")
    with django_capture_on_commit_callbacks(execute=True):
        attacker.post("/sign/", form_data([refuse], email="jane@weird.org", name="Mal"))
    assert Signature.objects.get(pledge=refuse).state == Signature.State.PENDING, "it waits for jane@'s own click"
    assert addresses_of(victim) == {"jane@weird.org"}
    assert not EmailAddress.objects.filter(email="jane@weird.org").exclude(user=victim).exists()


@pytest.mark.django_db
def test_it_keeps_a_withdrawn_signature_with_its_own_mailbox_only(
    victim, stand_down, django_capture_on_commit_callbacks
):
    other = Client()
    sign_and_confirm(other, [stand_down], django_capture_on_commit_callbacks, email="jane+x@weird.org", name="Mal")
    log_in_by_code(other, "jane+x@weird.org", django_capture_on_commit_callbacks)
    theirs = Signature.objects.get(pledge=stand_down)
    other.post(f"/my/pledges/{theirs.pk}/withdraw/", {"reason": "Mal's own reason"})
    assert "Mal's own reason" in json.dumps(json.loads(other.post("/my/data/download/").content))

    jane = Client()
    log_in_by_code(jane, "jane@weird.org", django_capture_on_commit_callbacks)
    assert "Mal's own reason" not in json.dumps(json.loads(jane.post("/my/data/download/").content))


def links_to(address: str) -> list[str]:
    return [confirm_link(m) for m in mail.outbox if m.to == [address] and "/confirm/" in m.body]


@pytest.mark.django_db
def test_it_never_lets_another_mailbox_confirm_her_waiting_signature_signed_in_or_not(
    stand_down, django_capture_on_commit_callbacks
):
    refuse = Pledge.objects.get(slug="refuse-release")
    attacker = Client()
    sign_and_confirm(attacker, [stand_down], django_capture_on_commit_callbacks, email="jane+x@weird.org", name="Mal")
    with django_capture_on_commit_callbacks(execute=True):  # in her name, waiting for her click
        Client().post("/sign/", form_data([refuse], email="jane@weird.org", name="Jane Victim", appearance="name"))
    hers = Signature.objects.get(pledge=refuse)

    support = Pledge.objects.get(slug="support-the-pause")
    with django_capture_on_commit_callbacks(execute=True):  # not signed in: one link for everything "of" his
        Client().post("/sign/", form_data([support, refuse], email="jane+x@weird.org", name="Mal"))
    for link in links_to("jane+x@weird.org"):
        with django_capture_on_commit_callbacks(execute=True):
            Client().post(link)
    log_in_by_code(attacker, "jane+x@weird.org", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):  # signed in: confirmed at once, were it his
        attacker.post("/sign/", form_data([refuse], email="jane+x@weird.org", name="Mal"))

    hers.refresh_from_db()
    assert hers.state == Signature.State.PENDING, "only her own click confirms it"
    assert Signature.objects.get(pledge=support).state == Signature.State.CONFIRMED, "his own went through"
    assert links_to("jane@weird.org"), "her link goes to her own address (repeats within minutes are quiet)"
    assert not EmailAddress.objects.filter(email="jane@weird.org").exists()


@pytest.mark.django_db
def test_it_sends_her_signatures_manage_link_to_her_alone(victim, stand_down, django_capture_on_commit_callbacks):
    from pledges.tokens import read_token

    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/sign/", form_data([Pledge.objects.get(slug="support-the-pause"), stand_down],
                                          email="jane+x@weird.org", name="Mal"))  # fmt: skip
    hers = Signature.objects.get(email="jane@weird.org")
    for message in mail.outbox:
        for token in re.findall(r"/my-signature/([^/\s]+)/", message.body):
            assert hers.pk not in read_token("manage", token, None) or message.to == ["jane@weird.org"]
    assert any(m.to == ["jane@weird.org"] and "already signed" in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_it_reopens_her_expired_signature_with_a_link_to_her_alone(stand_down, django_capture_on_commit_callbacks):
    from pledges.tokens import read_token

    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/sign/", form_data([stand_down], email="jane@weird.org", name="Jane Victim"))
    hers = Signature.objects.get()
    Signature.objects.filter(pk=hers.pk).update(state=Signature.State.EXPIRED)
    mail.outbox.clear()
    support = Pledge.objects.get(slug="support-the-pause")
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/sign/", form_data([support, stand_down], email="jane+x@weird.org", name="Mal"))
    (his,) = links_to("jane+x@weird.org")
    assert read_token("confirm", his.split("/")[2], None) == [Signature.objects.get(pledge=support).pk]
    assert len(links_to("jane@weird.org")) == 1, "her reopened signature's link goes to her"


@pytest.mark.django_db
def test_it_exports_and_erases_each_mailboxs_own_emails(victim, stand_down, django_capture_on_commit_callbacks):
    other = Client()
    sign_and_confirm(other, [stand_down], django_capture_on_commit_callbacks, email="jane+x@weird.org", name="Mal")
    log_in_by_code(other, "jane+x@weird.org", django_capture_on_commit_callbacks)
    jane = Client()
    log_in_by_code(jane, "jane@weird.org", django_capture_on_commit_callbacks)
    assert "jane+x@weird.org" not in json.dumps(json.loads(jane.post("/my/data/download/").content))
    other.post("/my/data/erase/", {"sure": "on"})
    assert not Email.objects.filter(to="jane+x@weird.org").exists(), "his sign-in codes went with him"
    assert Email.objects.filter(to="jane@weird.org").exists(), "hers stay"
