"""The action plan: reminders once per signer and step, done by button, unsubscribe, broadcasts once each."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from pledges import emails
from pledges.action_plan import services as actions
from pledges.models import ActionStep, Broadcast, Email, EmailPreference, Signature, StepStatus
from pledges.tasks import send_step_reminders
from pledges.tokens import make_token
from tests.factories import ConfirmedSignatureFactory, PendingSignatureFactory, WithdrawnSignatureFactory
from tests.staff import staff_client


@pytest.fixture
def union_step(db) -> ActionStep:
    return ActionStep.objects.get(slug="write-to-your-union")


def reminders_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address] and m.subject.startswith("Next step for #PauseOfsted")]


def step_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/actions/[^\s]+/)", message.body).group(1)


@pytest.mark.django_db
def test_it_sends_each_due_reminder_once_and_only_when_due(
    support, stand_down, union_step, django_capture_on_commit_callbacks
):
    signer = ConfirmedSignatureFactory(pledge=support, email="head@school.example")
    ConfirmedSignatureFactory(pledge=stand_down, email="head@school.example")  # same person, second pledge
    PendingSignatureFactory(pledge=support, email="pending@school.example")
    WithdrawnSignatureFactory(pledge=support, email="gone@school.example")
    ConfirmedSignatureFactory(pledge=support, email="quiet@school.example")
    EmailPreference.objects.create(canonical_email="quiet@school.example", reminders=False)

    with django_capture_on_commit_callbacks(execute=True):
        send_step_reminders()
    assert mail.outbox == [], "not due yet"
    due = timedelta(days=union_step.due_after_days, hours=1)
    with time_machine.travel(due), django_capture_on_commit_callbacks(execute=True):
        send_step_reminders()
        send_step_reminders()  # a second beat
    assert [m.to for m in mail.outbox] == [[signer.email]]
    message = mail.outbox[0]
    assert "Write to your union" in message.subject
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/unsubscribe/")
    assert "/unsubscribe/" in message.body and "/unsubscribe/" in message.alternatives[0][0]


@pytest.mark.django_db
def test_it_sends_no_reminder_for_a_step_already_done(support, union_step, django_capture_on_commit_callbacks):
    signer = ConfirmedSignatureFactory(pledge=support)
    actions.mark_done(signer, union_step)
    with time_machine.travel(timedelta(days=30)), django_capture_on_commit_callbacks(execute=True):
        send_step_reminders()
    assert reminders_to(signer.email) == []


@pytest.mark.django_db
def test_it_marks_a_step_done_by_button_never_by_opening_the_link(
    client, support, union_step, django_capture_on_commit_callbacks
):
    signer = ConfirmedSignatureFactory(pledge=support, name="Pat Head", union="naht", union_consent=True)
    reminded = timedelta(days=union_step.due_after_days - union_step.remind_days_before, hours=1)
    with time_machine.travel(reminded), django_capture_on_commit_callbacks(execute=True):
        send_step_reminders()
    link = step_link(mail.outbox[0])
    page = client.get(link).content.decode()
    assert "I have done this" in page
    assert "Pat Head" in page and "NAHT" in page, "the union letter is filled in"
    assert not StepStatus.objects.filter(done_at__isnull=False).exists(), "a mail scanner's GET changes nothing"
    done = client.post(link, {"action": "done"})
    assert "You have marked this step as done" in done.content.decode()
    assert StepStatus.objects.get(canonical_email=signer.canonical_email, step=union_step).done_at is not None
    letter = client.get(link + "letter.txt")
    assert letter["Content-Disposition"] == 'attachment; filename="letter-to-my-union.txt"'
    assert "Pat Head" in letter.content.decode()
    counts = client.get("/counts/").content.decode()
    done = '<th scope="row">Write to your union or professional association</th><td class="numeric">withheld</td>'
    assert done in counts, "one signer's action is never shown as 1"


@pytest.mark.django_db
def test_it_fills_only_known_placeholders_in_a_letter(support, union_step):
    union_step.template_letter = "{name} {0} {name.__class__} {school}"
    signer = ConfirmedSignatureFactory(pledge=support, name="Pat")
    assert actions.letter_for(signer, union_step) == "Pat {0} {name.__class__} my school"


@pytest.mark.django_db
def test_it_invites_colleagues_and_forgets_their_addresses(client, stand_down, django_capture_on_commit_callbacks):
    step = ActionStep.objects.get(slug="contact-colleagues")
    signer = ConfirmedSignatureFactory(pledge=stand_down, name="Sam Leader")
    link = f"/actions/{make_token('step', [signer.pk, step.pk])}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, {"action": "invite", "emails": "a@one.example\nb@two.example"})
    assert "Invitations sent to 2 colleagues" in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@one.example", "b@two.example"]
    assert "Sam Leader has signed" in mail.outbox[0].body
    stored = " ".join(f"{e.to} {e.text} {e.html}" for e in Email.objects.all())
    assert "one.example" not in stored and "two.example" not in stored

    too_many = client.post(link, {"action": "invite", "emails": "a@x.example\nb@x.example\nc@x.example\nd@x.example"})
    assert too_many.status_code == 400
    assert "Enter up to three email addresses" in too_many.content.decode()
    bad = client.post(link, {"action": "invite", "emails": "not-an-address"})
    assert bad.status_code == 400 and "is not an email address" in bad.content.decode()


@pytest.mark.django_db
def test_it_unsubscribes_in_one_click_and_keeps_the_pledge(
    client, support, union_step, django_capture_on_commit_callbacks
):
    from django.test import Client

    signer = ConfirmedSignatureFactory(pledge=support)
    url = re.search(r"<https?://[^/]+([^>]+)>", emails.unsubscribe_headers(signer)["List-Unsubscribe"]).group(1)
    assert "Unsubscribe" in client.get(url).content.decode()
    assert not EmailPreference.objects.exists(), "GET changes nothing"
    one_click = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    preference = EmailPreference.objects.get(canonical_email=signer.canonical_email)
    assert (preference.reminders, preference.updates) == (False, False)
    signer.refresh_from_db()
    assert signer.state == Signature.State.CONFIRMED
    with time_machine.travel(timedelta(days=30)), django_capture_on_commit_callbacks(execute=True):
        send_step_reminders()
    assert mail.outbox == []


@pytest.mark.django_db
def test_it_lets_a_signer_stop_reminders_but_keep_updates(client, support):
    signer = ConfirmedSignatureFactory(pledge=support)
    url = f"/email-preferences/{emails.signer_token(signer)}/"
    assert "Your email choices" in client.get(url).content.decode()
    client.post(url, {"updates": "on"})
    preference = EmailPreference.objects.get()
    assert (preference.reminders, preference.updates) == (False, True)


def make_broadcast(**fields) -> Broadcast:
    return Broadcast.objects.create(subject="News from the campaign", body="**We are growing.**", **fields)


@pytest.mark.django_db
def test_it_sends_a_broadcast_to_its_audience_once_even_when_restarted_halfway(
    support, stand_down, django_capture_on_commit_callbacks, monkeypatch
):
    london = ConfirmedSignatureFactory.create_batch(5, pledge=support, region="H")
    ConfirmedSignatureFactory(pledge=stand_down, region="H", email=london[0].email)  # same person again
    ConfirmedSignatureFactory.create_batch(2, pledge=support, region="A")
    quiet = ConfirmedSignatureFactory(pledge=support, region="H")
    EmailPreference.objects.create(canonical_email=quiet.canonical_email, updates=False)
    broadcast = make_broadcast(region="H")
    assert broadcast.start()

    real = emails.send_broadcast
    calls = {"n": 0}

    def dies_on_the_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(emails, "send_broadcast", dies_on_the_third)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        actions.fan_out(broadcast.pk, batch=2)
    monkeypatch.setattr(emails, "send_broadcast", real)
    with django_capture_on_commit_callbacks(execute=True):
        actions.fan_out(broadcast.pk, batch=2)  # the task, redelivered
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(s.email for s in london)
    assert all(m.subject == "News from the campaign" for m in mail.outbox)
    assert "<strong>We are growing.</strong>" in mail.outbox[0].alternatives[0][0]
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    broadcast.refresh_from_db()
    assert (broadcast.state, broadcast.queued, broadcast.audience_size) == (Broadcast.State.SENT, 5, 5)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.fan_out(broadcast.pk) == 0
    assert len(mail.outbox) == 5


@pytest.mark.django_db
def test_it_targets_a_broadcast_by_step_done_or_not(support, union_step):
    did, did_not = ConfirmedSignatureFactory.create_batch(2, pledge=support)
    actions.mark_done(did, union_step)
    assert list(actions.audience(make_broadcast(step=union_step, step_filter="done"))) == [did]
    assert list(actions.audience(make_broadcast(step=union_step, step_filter="not_done"))) == [did_not]
    assert actions.audience(make_broadcast(role="governor")).count() == 0


@pytest.mark.django_db
def test_it_lets_a_campaign_lead_test_then_send_from_the_admin(support, django_capture_on_commit_callbacks):
    ConfirmedSignatureFactory.create_batch(3, pledge=support)
    lead = staff_client("Campaign lead")
    lead.post("/admin/pledges/broadcast/add/", {"subject": "Hello", "body": "Body", "step_filter": "any"})
    broadcast = Broadcast.objects.get()
    page = lead.get(f"/admin/pledges/broadcast/{broadcast.pk}/change/").content.decode()
    assert "Body" in page and "People in this audience now" in page
    with django_capture_on_commit_callbacks(execute=True):
        lead.post("/admin/pledges/broadcast/", {"action": "send_test", "_selected_action": [broadcast.pk]})
    assert [m.to for m in mail.outbox] == [[lead.user.email]]
    with django_capture_on_commit_callbacks(execute=True):
        lead.post("/admin/pledges/broadcast/", {"action": "send", "_selected_action": [broadcast.pk]})
    assert len(mail.outbox) == 4
    moderator = staff_client("Moderator")
    assert moderator.get("/admin/pledges/broadcast/").status_code == 403


@pytest.mark.django_db
def test_it_keeps_addresses_out_of_outbox_keys(support, union_step, django_capture_on_commit_callbacks):
    signer = ConfirmedSignatureFactory(pledge=support, email="visible.person@example.org")
    broadcast = make_broadcast()
    broadcast.start()
    with time_machine.travel(timedelta(days=30)), django_capture_on_commit_callbacks(execute=True):
        send_step_reminders()
        actions.fan_out(broadcast.pk)
    keys = " ".join(Email.objects.values_list("key", flat=True))
    assert keys.count("step:") == 1 and keys.count("broadcast:") == 1
    assert "visible" not in keys and "example.org" not in keys
    assert signer.canonical_email not in keys
