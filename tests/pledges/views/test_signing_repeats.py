"""A repeat signing must look exactly like a first one; only the inbox learns the difference."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from pledges.models import Signature
from tests.factories import ConfirmedSignatureFactory, FraudulentSignatureFactory
from tests.pledges.conftest import confirm_link, form_data


def sign(client, pledges, capture, **overrides):
    with capture(execute=True):
        response = client.post("/sign/", form_data(pledges, **overrides), follow=True)
    return response.status_code, response.redirect_chain, response.content.decode()


@pytest.mark.django_db
def test_it_answers_a_repeat_exactly_as_a_first_signing(client, support, django_capture_on_commit_callbacks):
    first = sign(client, [support], django_capture_on_commit_callbacks)
    client.post(confirm_link(mail.outbox[0]))
    repeat = sign(client, [support], django_capture_on_commit_callbacks)
    assert first == repeat
    assert Signature.objects.count() == 1
    assert mail.outbox[-1].to == ["jane@example.com"]
    assert mail.outbox[-1].subject == "You have already signed this #PauseOfsted pledge"
    assert "/my-signature/" in mail.outbox[-1].body


@pytest.mark.django_db
def test_it_treats_gmail_spellings_as_one_signer(client, support, django_capture_on_commit_callbacks):
    for address in ["Jane.Doe@gmail.com", "j.a.n.e.d.o.e+pause@gmail.com", "JANEDOE@googlemail.com"]:
        sign(client, [support], django_capture_on_commit_callbacks, email=address)
    assert Signature.objects.count() == 1
    assert Signature.objects.get().canonical_email == "janedoe@gmail.com"
    assert len(mail.outbox) == 1, "repeats within two minutes of the first email send nothing more"


@pytest.mark.django_db
def test_it_sends_a_fresh_link_to_a_pending_signer_who_signs_again_later(
    client, support, django_capture_on_commit_callbacks
):
    sign(client, [support], django_capture_on_commit_callbacks)
    with time_machine.travel(timedelta(minutes=5)):
        sign(client, [support], django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == "Confirm your #PauseOfsted signature"


@pytest.mark.django_db
def test_it_sends_at_most_five_emails_before_confirmation(client, support, django_capture_on_commit_callbacks):
    for minutes in range(0, 80, 10):
        with time_machine.travel(timedelta(minutes=minutes)):
            sign(client, [support], django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 5


@pytest.mark.django_db
def test_it_treats_case_as_one_signer_for_other_domains(client, support, django_capture_on_commit_callbacks):
    sign(client, [support], django_capture_on_commit_callbacks, email="Jane@Example.COM")
    sign(client, [support], django_capture_on_commit_callbacks, email="jane@example.com")
    assert Signature.objects.count() == 1


@pytest.mark.django_db
def test_it_stays_silent_to_a_fraudulent_repeat(client, support, django_capture_on_commit_callbacks):
    FraudulentSignatureFactory(pledge=support, email="jane@example.com")
    status, chain, _page = sign(client, [support], django_capture_on_commit_callbacks)
    assert (status, chain[-1][0]) == (200, "/sign/check-your-email/")
    assert mail.outbox == []


@pytest.mark.django_db
def test_it_lets_a_withdrawn_signer_sign_again(client, support, django_capture_on_commit_callbacks):
    signature = ConfirmedSignatureFactory(pledge=support, email="jane@example.com")
    signature.withdraw()
    sign(client, [support], django_capture_on_commit_callbacks)
    again = Signature.objects.get(state=Signature.State.PENDING)
    assert again.pk != signature.pk, "the withdrawn row kept nothing to match; signing again is a new signature"
    client.post(confirm_link(mail.outbox[-1]))
    again.refresh_from_db()
    assert again.state == Signature.State.CONFIRMED
