from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from pledges.models import Signature
from pledges.tokens import make_token
from tests.pledges.conftest import confirm_link, form_data


@pytest.fixture
def pending_link(client, support, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support]))
    return confirm_link(mail.outbox[0])


@pytest.mark.django_db
def test_it_refuses_a_forged_link(client, pending_link):
    forged = pending_link.replace("/confirm/", "/confirm/x")
    for method in (client.get, client.post):
        response = method(forged)
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert Signature.objects.get().state == Signature.State.PENDING


@pytest.mark.django_db
def test_it_refuses_a_link_signed_for_another_purpose(client, pending_link):
    manage_token = make_token("manage", [Signature.objects.get().pk])
    assert client.post(f"/confirm/{manage_token}/").status_code == 400
    assert Signature.objects.get().state == Signature.State.PENDING


@pytest.mark.django_db
def test_it_offers_a_new_link_when_one_has_expired(client, pending_link, django_capture_on_commit_callbacks):
    with time_machine.travel(timedelta(days=8)):
        response = client.post(pending_link)
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
        assert Signature.objects.get().state == Signature.State.PENDING

        token = pending_link.split("/")[2]
        with django_capture_on_commit_callbacks(execute=True):
            again = client.post("/confirm-link/resend/", {"token": token})
        assert again.status_code == 302
        assert len(mail.outbox) == 2
        assert client.post(confirm_link(mail.outbox[1])).status_code == 200
    assert Signature.objects.get().state == Signature.State.CONFIRMED


@pytest.mark.django_db
def test_it_says_already_confirmed_on_a_replayed_link(client, pending_link):
    client.post(pending_link)
    replay = client.post(pending_link)
    assert replay.status_code == 200
    assert Signature.objects.counted().count() == 1


@pytest.mark.django_db
def test_it_refuses_a_link_to_an_erased_signature(client, pending_link):
    Signature.objects.all().delete()
    response = client.post(pending_link)
    assert response.status_code == 400
    assert "no longer valid" in response.content.decode()


@pytest.mark.django_db
def test_it_withdraws_from_the_manage_link(client, support, django_capture_on_commit_callbacks, pending_link):
    client.post(pending_link)
    signature = Signature.objects.get()
    page = client.get(f"/my-signature/{make_token('manage', [signature.pk])}/")
    assert "Confirmed and counted" in page.content.decode()
    done = client.post(f"/my-signature/{make_token('manage', [signature.pk])}/", {"action": "withdraw"})
    assert "has been withdrawn" in done.content.decode()
    signature.refresh_from_db()
    assert signature.state == Signature.State.WITHDRAWN
    assert Signature.objects.counted().count() == 0
