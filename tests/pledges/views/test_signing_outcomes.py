"""The confirm pages tell the truth about each signature (item 10), and the email cap holds (item 11)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from pledges.counting import current_counts, total
from pledges.models import Signature
from pledges.services import expire_and_purge, remind_unconfirmed
from tests.pledges.conftest import confirm_link, form_data, log_in_by_code


@pytest.fixture
def pending_link(client, support, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support], name="Jane O'Brien"))
    return confirm_link(mail.outbox[0])


@pytest.mark.django_db
def test_it_says_what_is_being_confirmed_and_whose_name(client, pending_link):
    page = client.get(pending_link).content.decode()
    assert "Support the pause" in page and "Jane O&#x27;Brien" in page and "Confirm my signature" in page


@pytest.mark.django_db
def test_it_shows_a_used_link_as_already_confirmed_without_a_button(client, pending_link):
    client.post(pending_link)
    page = client.get(pending_link).content.decode()
    assert "Already confirmed" in page and "Confirm my signature" not in page


@pytest.mark.django_db
def test_it_offers_a_new_link_for_an_expired_signature_and_counts_it_once_confirmed(
    client, pending_link, support, django_capture_on_commit_callbacks
):
    with time_machine.travel(timedelta(days=7, hours=1)):
        expire_and_purge()
    # Still inside the link's own seven days by the clock, but the signature has expired.
    for method in (client.get, client.post):
        response = method(pending_link)
        assert response.status_code == 410
        assert "was not confirmed within 7 days" in response.content.decode()
        assert "Send me a new link" in response.content.decode()
    assert Signature.objects.get().state == Signature.State.EXPIRED
    token = pending_link.split("/")[2]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/confirm-link/resend/", {"token": token})
    assert Signature.objects.get().state == Signature.State.PENDING
    client.post(confirm_link(mail.outbox[-1]))
    assert total(current_counts(), support.pk) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "shown", "not_shown"),
    [
        (Signature.State.WITHDRAWN, "withdrawn: it no longer counts", "Thank you. Your signature counts."),
        (Signature.State.REJECTED, "Campaign staff have taken this signature out", "Your signature counts"),
        (Signature.State.INVALIDATED, "Campaign staff have taken this signature out", "Your signature counts"),
    ],
)
def test_it_never_says_counted_for_a_signature_that_is_not(client, pending_link, state, shown, not_shown):
    Signature.objects.update(state=state)
    for method in (client.get, client.post):
        page = method(pending_link).content.decode()
        assert shown in page and not_shown not in page and "Confirm my signature" not in page
    assert Signature.objects.get().state == state


@pytest.mark.django_db
def test_it_keeps_the_five_email_cap_across_reminders_and_signing_again(
    client, support, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support]))
    for minutes in (10, 20, 30):
        with time_machine.travel(timedelta(minutes=minutes)), django_capture_on_commit_callbacks(execute=True):
            client.post("/sign/", form_data([support]))
    assert len(mail.outbox) == 4
    for days in (2, 5):
        with time_machine.travel(timedelta(days=days)), django_capture_on_commit_callbacks(execute=True):
            remind_unconfirmed()
    assert len(mail.outbox) == 5, "reminders count towards the cap"
    with time_machine.travel(timedelta(days=8)):
        expire_and_purge()
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/sign/", form_data([support]))
    assert Signature.objects.get().state == Signature.State.PENDING
    assert len(mail.outbox) == 5, "signing again after expiry does not lift the cap"


@pytest.mark.django_db
def test_it_keeps_the_cap_per_mailbox_across_pledges_signed_one_by_one(
    client, support, stand_down, django_capture_on_commit_callbacks
):
    for minutes in range(0, 60, 10):
        with time_machine.travel(timedelta(minutes=minutes)), django_capture_on_commit_callbacks(execute=True):
            client.post("/sign/", form_data([support]))
            client.post("/sign/", form_data([stand_down]))
    assert Signature.objects.count() == 2
    assert len(mail.outbox) == 5


@pytest.mark.django_db
def test_it_keeps_the_cap_when_a_capped_mailbox_signs_a_pledge_it_has_not_signed(
    client, support, stand_down, django_capture_on_commit_callbacks
):
    for minutes in range(0, 50, 10):
        with time_machine.travel(timedelta(minutes=minutes)), django_capture_on_commit_callbacks(execute=True):
            client.post("/sign/", form_data([support]))
    assert len(mail.outbox) == 5
    with time_machine.travel(timedelta(minutes=60)), django_capture_on_commit_callbacks(execute=True):
        assert client.post("/sign/", form_data([stand_down])).status_code == 302
    assert len(mail.outbox) == 5, "a new signature is capped in the statement that stores it"
    new = Signature.objects.get(pledge=stand_down)
    assert new.state == Signature.State.PENDING and new.emails_sent == 0


@pytest.mark.django_db
def test_it_sends_one_email_for_a_new_and_a_reopened_signature_signed_together(
    client, support, stand_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support]))
    Signature.objects.update(state=Signature.State.WITHDRAWN)
    mail.outbox.clear()
    with time_machine.travel(timedelta(minutes=5)), django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support, stand_down]))
    [message] = mail.outbox
    assert support.title in message.body and stand_down.title in message.body
    client.post(confirm_link(message))
    assert set(Signature.objects.values_list("state", flat=True)) == {Signature.State.CONFIRMED}


@pytest.mark.django_db
@pytest.mark.parametrize("earlier", ["pending", "confirmed", "withdrawn"])
def test_it_sends_a_new_signatures_link_when_the_first_pledge_ticked_is_a_repeat(
    client, support, stand_down, django_capture_on_commit_callbacks, earlier
):
    # The pledge listed first on the form is the one whose row carries the email cap: a repeat there
    # once left the new signature beside it with no link at all (a try at breaking the change found it).
    first, second = sorted([support, stand_down], key=lambda p: (p.position, p.pk))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([first]))
    if earlier == "confirmed":
        client.post(confirm_link(mail.outbox[-1]))
    elif earlier == "withdrawn":
        Signature.objects.update(state=Signature.State.WITHDRAWN)
    mail.outbox.clear()
    with time_machine.travel(timedelta(minutes=5)), django_capture_on_commit_callbacks(execute=True):
        assert client.post("/sign/", form_data([first, second])).status_code == 302
    links = [m for m in mail.outbox if "/confirm/" in m.body]
    assert len(links) == 1 and second.title in links[0].body
    client.post(confirm_link(links[0]))
    assert Signature.objects.get(pledge=second).state == Signature.State.CONFIRMED


@pytest.mark.django_db
def test_it_sends_one_link_when_a_signer_ticks_again_two_pledges_still_waiting(
    client, support, stand_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support, stand_down]))
    for minutes in (1, 5):
        with time_machine.travel(timedelta(minutes=minutes)), django_capture_on_commit_callbacks(execute=True):
            client.post("/sign/", form_data([support, stand_down]))
    # The first, then one repeat once the quiet period is over: never one per pledge.
    assert len(mail.outbox) == 2
    assert support.title in mail.outbox[1].body and stand_down.title in mail.outbox[1].body
    client.post(confirm_link(mail.outbox[1]))
    assert set(Signature.objects.values_list("state", flat=True)) == {Signature.State.CONFIRMED}


@pytest.mark.django_db
@pytest.mark.parametrize("listed", ["first", "second"])
def test_it_sends_no_second_link_within_the_quiet_period_whichever_place_the_signature_had_in_the_link(
    client, support, stand_down, django_capture_on_commit_callbacks, listed
):
    # A link is filed under the first signature it names; a second try at breaking the change found
    # that the one listed second never saw it, and a burst of re-signing it got a link each time.
    ordered = sorted([support, stand_down], key=lambda p: (p.position, p.pk))
    again = ordered[0] if listed == "first" else ordered[1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data(ordered))
    with time_machine.travel(timedelta(seconds=30)), django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([again]))
    assert len(mail.outbox) == 1
    with time_machine.travel(timedelta(minutes=3)), django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([again]))
    assert len(mail.outbox) == 2 and again.title in mail.outbox[1].body, "after the quiet period, a new link"


@pytest.mark.django_db
def test_it_sends_already_signed_at_most_once_a_day(client, pending_link, support, django_capture_on_commit_callbacks):
    client.post(pending_link)
    for hours in (0, 1, 5, 20):
        with time_machine.travel(timedelta(hours=hours, minutes=1)), django_capture_on_commit_callbacks(execute=True):
            client.post("/sign/", form_data([support]))
    already = [m for m in mail.outbox if m.subject.startswith("You have already signed")]
    assert len(already) <= 2, "one a calendar day"
    with time_machine.travel(timedelta(days=2)), django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support]))
    assert len([m for m in mail.outbox if m.subject.startswith("You have already signed")]) == len(already) + 1


@pytest.mark.django_db
def test_it_sends_a_new_confirmation_after_signing_again_when_withdrawn(
    client, pending_link, support, django_capture_on_commit_callbacks
):
    client.post(pending_link)
    Signature.objects.get().withdraw()
    assert total(current_counts(), support.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support]))
    assert mail.outbox[-1].subject == "Confirm your #PauseOfsted signature"
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == len(mail.outbox)
    client.post(confirm_link(mail.outbox[-1]))
    client.post(confirm_link(mail.outbox[-1]))
    assert total(current_counts(), support.pk) == 1
    assert Signature.objects.counted().count() == 1


@pytest.mark.django_db
def test_it_confirms_at_once_a_signed_in_signer_who_signs_again_after_withdrawing(
    client, pending_link, support, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the account is made once the confirmation commits
        client.post(pending_link)
    log_in_by_code(client, "jane@example.com", django_capture_on_commit_callbacks)
    signature = Signature.objects.get()
    client.post(f"/my/pledges/{signature.pk}/withdraw/", {"reason": ""})
    assert total(current_counts(), support.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sign/", form_data([support]), follow=True)
    assert "confirmed and counted" in response.content.decode()
    assert Signature.objects.counted().count() == 1
    assert total(current_counts(), support.pk) == 1


@pytest.mark.django_db
def test_it_tells_a_signer_who_signs_every_confirmed_pledge_again_once_naming_each(
    client, django_capture_on_commit_callbacks
):
    import re

    from pledges.models import Pledge

    pledges = [p for p in Pledge.objects.open() if p.accepts_signatures()]
    assert len(pledges) >= 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data(pledges))
    assert client.post(confirm_link(mail.outbox[0])).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/sign/", form_data(pledges)).status_code == 302
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    (message,) = mail.outbox
    assert message.subject == "You have already signed these #PauseOfsted pledges"
    html = message.alternatives[0][0]
    for pledge in pledges:
        assert pledge.title in message.body and pledge.title in html
    links = re.findall(r"/my-signature/[^/\s]+/", message.body)
    assert len(set(links)) == len(pledges), "a link of its own for each signature"
    shown = {pledge.title for link in links for pledge in pledges if pledge.title in client.get(link).content.decode()}
    assert shown == {p.title for p in pledges}
    for again in (pledges, pledges[:1], pledges[1:]):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/sign/", form_data(again))
    assert len(mail.outbox) == 1, "one a day to the mailbox, whichever pledges are signed again"


@pytest.mark.django_db
def test_it_tells_a_signer_who_signs_one_confirmed_pledge_again_about_that_one(
    client, pending_link, support, django_capture_on_commit_callbacks
):
    client.post(pending_link)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support]))
    message = mail.outbox[-1]
    assert message.subject == "You have already signed this #PauseOfsted pledge"
    assert f'sign "{support.title}" again' in message.body and message.body.count("/my-signature/") == 1
