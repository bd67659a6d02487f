"""An account only ever holds addresses its owner proved (issue 12, item 1)."""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from pledges.accounts import link_account
from pledges.models import Signature
from tests.pledges.conftest import confirm_link, form_data, log_in_by_code, sign_and_confirm


@pytest.fixture
def attacker(db, support, django_capture_on_commit_callbacks) -> Client:
    client = Client()
    sign_and_confirm(
        client, [support], django_capture_on_commit_callbacks, email="mallory@example.net", name="Mal Lory"
    )
    log_in_by_code(client, "mallory@example.net", django_capture_on_commit_callbacks)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["action_add", "action_primary", "action_send"])
def test_it_lets_nobody_add_an_address_by_hand(attacker, action):
    response = attacker.post("/accounts/email/", {"email": "victim@example.org", action: ""})
    assert response.status_code == 302
    assert not EmailAddress.objects.filter(email="victim@example.org").exists()
    assert attacker.get("/accounts/email/").status_code == 302


@pytest.mark.django_db
def test_it_gives_a_confirmed_address_to_its_prover_not_to_an_earlier_claim(
    attacker, support, stand_down, django_capture_on_commit_callbacks
):
    mallory = EmailAddress.objects.get(email="mallory@example.net").user
    # An unproved claim, as the old /accounts/email/ page let anyone make.
    EmailAddress.objects.create(user=mallory, email="victim@example.org", verified=False, primary=False)

    victim = Client()
    sign_and_confirm(victim, [support], django_capture_on_commit_callbacks, email="Victim@Example.org", name="Vic Tim")

    owner = EmailAddress.objects.get(email="victim@example.org")
    assert owner.verified and owner.user != mallory
    assert list(EmailAddress.objects.filter(user=mallory).values_list("email", flat=True)) == ["mallory@example.net"]

    export = json.loads(attacker.post("/my/data/download/").content)
    assert "Vic Tim" not in json.dumps(export) and "victim@example.org" not in json.dumps(export)
    assert "Vic Tim" not in attacker.get("/my/pledges/").content.decode()
    victims = Signature.objects.get(canonical_email="victim@example.org")
    assert attacker.post(f"/my/pledges/{victims.pk}/withdraw/", {"reason": ""}).status_code == 404

    # Signing in as the victim from the attacker's session is not confirmed at once: it needs the email.
    with django_capture_on_commit_callbacks(execute=True):
        attacker.post("/sign/", form_data([stand_down], email="victim@example.org", name="Mal Lory"))
    assert Signature.objects.get(pledge=stand_down).state == Signature.State.PENDING

    fresh = Client()
    log_in_by_code(fresh, "victim@example.org", django_capture_on_commit_callbacks)
    assert "Confirmed and counted" in fresh.get("/my/pledges/").content.decode()
    assert EmailAddress.objects.get(email="victim@example.org").user == owner.user


@pytest.mark.django_db
def test_it_makes_one_account_per_proved_address(support, django_capture_on_commit_callbacks):
    first = link_account("Jane@Example.com")
    assert link_account("jane@example.com") == first
    assert EmailAddress.objects.filter(email__iexact="jane@example.com").count() == 1
    assert first.username.startswith("signer-")


@pytest.mark.django_db
def test_it_confirms_at_once_only_for_an_address_the_signed_in_signer_proved(
    attacker, stand_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attacker.post("/sign/", form_data([stand_down], email="mallory@example.net", name="Mal Lory"))
    assert Signature.objects.get(pledge=stand_down).state == Signature.State.CONFIRMED
    assert "Confirm" not in mail.outbox[-1].subject or mail.outbox[-1].to != ["mallory@example.net"]
    assert confirm_link  # the helper stays importable for the scenario tests
