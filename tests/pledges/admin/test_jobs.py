"""A staff test copy of a broadcast names nobody real and acts on nobody (item 7)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from pledges.models import Broadcast, EmailPreference
from tests.factories import ConfirmedSignatureFactory
from tests.staff import staff_client


@pytest.mark.django_db
def test_it_renders_a_test_for_an_invented_signer(support, django_capture_on_commit_callbacks):
    real = ConfirmedSignatureFactory(pledge=support, name="Real Person")
    lead = staff_client("Campaign lead")
    broadcast = Broadcast.objects.create(subject="O'Brien & Co say hello", body="**Next step:** read it")
    with django_capture_on_commit_callbacks(execute=True):
        lead.post("/admin/pledges/broadcast/", {"action": "send_test", "_selected_action": [broadcast.pk]})
    (message,) = mail.outbox
    assert message.to == [lead.user.email]
    assert "Sam Example" in message.body and "Real Person" not in message.body
    html = message.alternatives[0][0]
    assert "Real Person" not in html
    for path in re.findall(r"https?://[^/\s\"]+(/(?:unsubscribe|email-preferences)/[^\s\"<>]+/)", message.body + html):
        assert Client().post(path).status_code == 400
    assert not EmailPreference.objects.filter(canonical_email=real.canonical_email).exists()


@pytest.mark.django_db
def test_it_sends_a_test_even_before_anyone_is_in_the_audience(django_capture_on_commit_callbacks):
    lead = staff_client("Campaign lead")
    broadcast = Broadcast.objects.create(subject="Hello", body="Body", region="K")
    with django_capture_on_commit_callbacks(execute=True):
        lead.post("/admin/pledges/broadcast/", {"action": "send_test", "_selected_action": [broadcast.pk]})
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_its_preview_shows_what_the_email_will_say(settings):
    lead = staff_client("Campaign lead")
    broadcast = Broadcast.objects.create(subject="News", body="# Big news\n\nRead [the letter](/open-letter/).")
    page = lead.get(f"/admin/pledges/broadcast/{broadcast.pk}/change/").content.decode()
    assert "<h2>Big news</h2>" in page, "the email's heading is the subject, so the body's is one level down"
    assert f'href="{settings.SITE_URL}/open-letter/"' in page, "links as the recipient will see them"
    assert f"the letter ({settings.SITE_URL}/open-letter/)" in page, "and the plain-text version"
