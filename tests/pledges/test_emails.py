"""Subjects and plain-text bodies arrive as written, never HTML-escaped (item 12)."""

from __future__ import annotations

import pytest
from django.core import mail

from pledges.action_plan import services as actions
from pledges.models import Broadcast
from tests.factories import ConfirmedSignatureFactory
from tests.pledges.conftest import form_data

TRICKY = 'O\'Brien & Co <Ltd> "Quoted"'


@pytest.mark.django_db
def test_it_sends_a_broadcast_subject_and_text_unescaped(support, django_capture_on_commit_callbacks):
    ConfirmedSignatureFactory(pledge=support, name="Siobhán O'Brien")
    broadcast = Broadcast.objects.create(subject=TRICKY, body="Hello & welcome")
    broadcast.start()
    with django_capture_on_commit_callbacks(execute=True):
        actions.fan_out(broadcast.pk)
    (message,) = mail.outbox
    assert message.subject == TRICKY
    assert "Siobhán O'Brien" in message.body and "&#x27;" not in message.body and "&amp;" not in message.body
    html = message.alternatives[0][0]
    assert "O&#x27;Brien &amp; Co &lt;Ltd&gt;" in html or "O&#x27;Brien" in html, "HTML is still escaped"


@pytest.mark.django_db
def test_it_sends_a_signers_name_unescaped_in_the_confirmation(client, support, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support], name="Siobhán O'Brien-Smith"))
    (message,) = mail.outbox
    assert "Dear Siobhán O'Brien-Smith," in message.body
    assert "&#x27;" not in message.body and "&#x27;" not in message.subject


@pytest.mark.django_db
def test_it_sends_sign_in_codes_with_a_plain_subject(client, support, django_capture_on_commit_callbacks):
    from tests.pledges.conftest import sign_and_confirm

    sign_and_confirm(client, [support], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/login/code/", {"email": "jane@example.com"})
    message = mail.outbox[-1]
    assert message.subject.startswith("#PauseOfsted: ")
    assert "&" not in message.subject and "&#" not in message.body


@pytest.mark.django_db
def test_it_makes_every_broadcast_link_absolute_and_keeps_headings(
    support, settings, django_capture_on_commit_callbacks
):
    ConfirmedSignatureFactory(pledge=support)
    body = "# Big news\n\n[a](/open-letter/) [b](open-letter/) [c](?x=1) [d](//example.com/a) [e](mailto:a@b.example)"
    broadcast = Broadcast.objects.create(subject="News", body=body)
    broadcast.start()
    with django_capture_on_commit_callbacks(execute=True):
        actions.fan_out(broadcast.pk)
    html = mail.outbox[0].alternatives[0][0]
    site = settings.SITE_URL
    for href in [f"{site}/open-letter/", f"{site}/?x=1", "http://example.com/a", "mailto:a@b.example"]:
        assert f'href="{href}"' in html, href
    assert 'href="open-letter/"' not in html and 'href="/open-letter/"' not in html
    assert "<h2>Big news</h2>" in html
    assert f"a ({site}/open-letter/)" in mail.outbox[0].body
