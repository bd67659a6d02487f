"""Invitations are no spam relay: capped per signer per day, one per recipient for good, refusable (item 6)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client

from pledges.accounts import link_account
from pledges.action_plan import services as actions
from pledges.models import ActionStep, Email, Invitation
from pledges.subject_access import erase_person
from pledges.tokens import make_token
from tests.factories import ConfirmedSignatureFactory


@pytest.fixture
def invite(client, stand_down, django_capture_on_commit_callbacks):
    step = ActionStep.objects.get(slug="contact-colleagues")

    def send(signer, *addresses):
        link = f"/actions/{make_token('step', [signer.pk, step.pk])}/"
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(link, {"action": "invite", "emails": "\n".join(addresses)})

    return send


@pytest.mark.django_db
def test_it_caps_invitations_per_signer_per_day(invite, stand_down, settings):
    settings.INVITES_PER_SIGNER_PER_DAY = 4
    signer = ConfirmedSignatureFactory(pledge=stand_down)
    assert invite(signer, "a@one.example", "b@one.example", "c@one.example").status_code == 200
    refused = invite(signer, "d@one.example", "e@one.example")
    assert refused.status_code == 400
    assert "up to 4 colleagues a day" in refused.content.decode()
    assert invite(signer, "d@one.example").status_code == 200
    assert invite(signer, "e@one.example").status_code == 400
    with time_machine.travel(timedelta(hours=25)):
        assert invite(signer, "e@one.example").status_code == 200
    assert len(mail.outbox) == 5


@pytest.mark.django_db
def test_it_counts_the_cap_per_person_across_their_signatures(invite, stand_down, support, settings):
    settings.INVITES_PER_SIGNER_PER_DAY = 2
    first = ConfirmedSignatureFactory(pledge=stand_down, email="lead@school.example")
    second = ConfirmedSignatureFactory(pledge=support, email="lead@school.example")
    assert invite(first, "a@one.example", "b@one.example").status_code == 200
    assert invite(second, "c@one.example").status_code == 400


@pytest.mark.django_db
def test_it_caps_invitations_from_one_ip_per_day(invite, stand_down, settings):
    settings.INVITES_PER_IP_PER_DAY = 3
    signers = ConfirmedSignatureFactory.create_batch(5, pledge=stand_down)
    statuses = [invite(signer, f"c{n}@one.example").status_code for n, signer in enumerate(signers)]
    assert statuses == [200, 200, 200, 400, 400]
    with time_machine.travel(timedelta(days=1, minutes=1)):
        assert invite(signers[4], "c9@one.example").status_code == 200


@pytest.mark.django_db
def test_it_invites_a_mailbox_once_however_its_address_is_spelt(invite, stand_down):
    alice, bob = ConfirmedSignatureFactory.create_batch(2, pledge=stand_down)
    invite(alice, "colleague@school.example", "colleague+x@school.example")
    invite(bob, "COLLEAGUE@ｓｃｈｏｏｌ.example")
    refused = invite(bob, '"colleague"@school.example')
    assert refused.status_code == 400
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_it_invites_an_address_once_ever_whoever_asks(invite, stand_down):
    alice, bob = ConfirmedSignatureFactory.create_batch(2, pledge=stand_down)
    first = invite(alice, "colleague@school.example")
    again = invite(bob, "Colleague@School.example")
    assert first.status_code == again.status_code == 200
    assert "Invitation sent to 1 colleague" in again.content.decode(), "the answer never says who was invited before"
    assert len(mail.outbox) == 1
    assert Invitation.objects.count() == 1


@pytest.mark.django_db
def test_it_puts_no_signer_text_in_the_subject_and_offers_a_way_out(invite, stand_down):
    signer = ConfirmedSignatureFactory(pledge=stand_down, name="Buy Cheap Pills")
    invite(signer, "colleague@school.example")
    message = mail.outbox[0]
    assert "Buy Cheap Pills" not in message.subject
    assert message.subject == "A colleague invites you to support #PauseOfsted"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    refuse = re.search(r"<https?://[^/]+([^>]+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    assert refuse in message.body
    assert "Never invite me again" in Client().get(refuse).content.decode()
    one_click = Client(enforce_csrf_checks=True).post(refuse, {"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    assert Invitation.objects.get().refused_at is not None


@pytest.mark.django_db
def test_it_drops_a_waiting_invitation_when_the_signer_erases_their_data(
    stand_down, django_capture_on_commit_callbacks
):
    signer = ConfirmedSignatureFactory(pledge=stand_down, email="inviter@school.example")
    with django_capture_on_commit_callbacks(execute=False):  # queued, not yet sent
        actions.invite_colleagues(signer, ["colleague@school.example"], ip_hash="x")
    assert Email.objects.filter(key__startswith="invite:").count() == 1
    erase_person(link_account("inviter@school.example"))
    assert not Email.objects.filter(key__startswith="invite:").exists()
    assert Invitation.objects.get().signature is None, "only the hash stays, so they are never invited twice"
