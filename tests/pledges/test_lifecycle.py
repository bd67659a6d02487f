"""Unconfirmed signatures: two reminders at most, then expiry, then purge. Thresholds announce once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from pledges import services
from pledges.models import Email, Signature
from pledges.tasks import notify_threshold, purge_expired, remind_unconfirmed
from tests.factories import ConfirmedSignatureFactory, PendingSignatureFactory, WithdrawnSignatureFactory
from tests.pledges.conftest import confirm_link


@pytest.mark.django_db
def test_it_reminds_an_unconfirmed_signer_twice_at_most(django_capture_on_commit_callbacks):
    signature = PendingSignatureFactory()
    WithdrawnSignatureFactory()
    ConfirmedSignatureFactory()
    for days in (0.5, 1.5, 2, 5, 6):
        with time_machine.travel(timedelta(days=days)), django_capture_on_commit_callbacks(execute=True):
            remind_unconfirmed()
            remind_unconfirmed()  # a second beat, or a redelivered task
    assert [m.to for m in mail.outbox] == [[signature.email], [signature.email]]
    assert all(m.subject.startswith("Reminder: your #PauseOfsted signature") for m in mail.outbox)
    assert Signature.objects.get(pk=signature.pk).reminders_sent == 2


@pytest.mark.django_db
def test_it_confirms_from_a_reminder(client, django_capture_on_commit_callbacks):
    signature = PendingSignatureFactory()
    with time_machine.travel(timedelta(days=2)), django_capture_on_commit_callbacks(execute=True):
        remind_unconfirmed()
    client.post(confirm_link(mail.outbox[0]))
    signature.refresh_from_db()
    assert signature.state == Signature.State.CONFIRMED


@pytest.mark.django_db
def test_it_expires_then_purges_unconfirmed_signatures_and_their_mail():
    old = PendingSignatureFactory()
    Email.objects.create(key="k", to=old.email, subject="s", text="t", signature=old)
    fresh = PendingSignatureFactory()
    with time_machine.travel(timedelta(days=8)):
        fresh.created_at = fresh.created_at + timedelta(days=8)
        fresh.save()
        purge_expired()
    assert Signature.objects.get(pk=old.pk).state == Signature.State.EXPIRED
    assert Signature.objects.get(pk=fresh.pk).state == Signature.State.PENDING
    with time_machine.travel(timedelta(days=15)):
        purge_expired()
    assert not Signature.objects.filter(pk=old.pk).exists()
    assert not Email.objects.filter(key="k").exists()


@pytest.mark.django_db
def test_it_tells_every_signer_once_when_the_threshold_is_reached(django_capture_on_commit_callbacks):
    pledge = ConfirmedSignatureFactory().pledge
    pledge.threshold = 3
    pledge.save()
    ConfirmedSignatureFactory(pledge=pledge)
    last = PendingSignatureFactory(pledge=pledge)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_signatures([last.pk])
    pledge.refresh_from_db()
    assert pledge.threshold_reached_at is not None
    announced = [m for m in mail.outbox if m.subject.startswith("It is happening")]
    assert len(announced) == 3
    with django_capture_on_commit_callbacks(execute=True):
        notify_threshold(pledge.pk)  # a retried task
        services.confirm_signatures([PendingSignatureFactory(pledge=pledge).pk])
    assert len([m for m in mail.outbox if m.subject.startswith("It is happening")]) == 3
