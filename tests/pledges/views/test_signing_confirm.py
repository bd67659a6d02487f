from __future__ import annotations

import re
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
    first = client.post(pending_link).content.decode()
    assert "<h1>Signature confirmed</h1>" in first
    for replay in (client.post(pending_link), client.get(pending_link)):
        assert replay.status_code == 200
        page = replay.content.decode()
        assert "<h1>Already confirmed</h1>" in page
        assert "Confirm my signature" not in page
    assert Signature.objects.counted().count() == 1


@pytest.mark.django_db
def test_it_asks_for_the_next_step_once_confirmed(client, stand_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([stand_down]))
    page = client.post(confirm_link(mail.outbox[0])).content.decode()
    assert "What you can do next" in page
    assert "Share by email" in page and stand_down.get_absolute_url() in page
    invite, first = re.findall(r'href="(/actions/[^"]+/)"', page)
    assert "<h2>Invite colleagues</h2>" in client.get(invite).content.decode()
    assert "<h1>Write to your union" in client.get(first).content.decode()


@pytest.mark.django_db
def test_it_offers_only_the_steps_of_the_pledge_signed(client, pending_link, support):
    page = client.post(pending_link).content.decode()
    assert "Share by email" in page and support.get_absolute_url() in page
    assert "Invite colleagues" not in page
    (first,) = re.findall(r'href="(/actions/[^"]+/)"', page)
    assert client.get(first).status_code == 200


@pytest.mark.django_db
def test_it_tells_the_loser_of_a_confirmation_race_it_is_already_confirmed(pending_link):
    mine, theirs = Signature.objects.get(), Signature.objects.get()
    assert theirs.confirm()
    assert not mine.confirm()
    assert mine.state == Signature.State.CONFIRMED
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


@pytest.mark.django_db
def test_it_offers_every_pledge_signed_for_sharing(client, support, stand_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([stand_down, support]))
    page = client.post(confirm_link(mail.outbox[0])).content.decode()
    first, second = (s.pledge for s in Signature.objects.order_by("pk"))
    assert "Share by email" in page and f"{first.get_absolute_url()}?src=share" in page
    assert f'href="{second.get_absolute_url()}?src=share"' in page, "the other pledge signed, for sharing too"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change", ["step added to the pledge", "step taken off the pledge", "step renamed", "step deleted"]
)
def test_it_shows_a_staff_change_to_the_steps_on_the_next_confirmation(
    client, support, change, django_capture_on_commit_callbacks
):
    from pledges.models import ActionStep

    def confirm_one(email: str) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/sign/", form_data([support], email=email))
        return client.post(confirm_link(mail.outbox[-1])).content.decode()

    assert "Write to your union" in confirm_one("before@example.org")  # the steps are now kept in this process
    step = ActionStep.objects.get(slug="write-to-your-union")
    if change == "step added to the pledge":
        ActionStep.objects.create(slug="new-first", title="A brand new first step", what_to_do="Do it.",
                                  due_after_days=1, position=0).pledges.add(support)  # fmt: skip
        step.position = 5
        step.save()
        expected, gone = "A brand new first step", "Write to your union"
    elif change == "step taken off the pledge":
        step.pledges.remove(support)
        expected, gone = None, "Write to your union"
    elif change == "step renamed":
        step.title = "Write to your union rep today"
        step.save()
        expected, gone = "Write to your union rep today", None
    else:
        ActionStep.objects.filter(pk=step.pk).delete()
        expected, gone = None, "Write to your union"
    page = confirm_one("after@example.org")
    if expected:
        assert expected in page
    if gone:
        assert gone not in page
