"""Links expire, and pages for one person are never cached (item 14)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from pledges import emails
from pledges.models import ActionStep, EmailPreference
from pledges.tokens import make_token
from tests.factories import ConfirmedSignatureFactory, PendingSignatureFactory
from tests.pledges.conftest import form_data, log_in_by_code, sign_and_confirm


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "") and "private" in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_it_marks_every_secret_link_page_no_store(client, support):
    signature = ConfirmedSignatureFactory(pledge=support)
    pending = PendingSignatureFactory(pledge=support)
    step = ActionStep.objects.first()
    signer = emails.signer_token(signature)
    pages = [
        f"/confirm/{make_token('confirm', [pending.pk])}/",
        f"/my-signature/{make_token('manage', [signature.pk])}/",
        f"/actions/{make_token('step', [signature.pk, step.pk])}/",
        f"/unsubscribe/{signer}/",
        f"/email-preferences/{signer}/",
        "/confirm/not-a-token/",
        "/accounts/login/",
        "/accounts/login/code/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code < 500, page
        assert no_store(response), page


@pytest.mark.django_db
def test_it_marks_signed_in_pages_no_store(client, support, django_capture_on_commit_callbacks):
    sign_and_confirm(client, [support], django_capture_on_commit_callbacks)
    log_in_by_code(client, "jane@example.com", django_capture_on_commit_callbacks)
    for page in ["/my/pledges/", "/my/data/", "/", "/counts/"]:
        assert no_store(client.get(page)), page
    assert no_store(client.post("/my/data/download/"))


@pytest.mark.django_db
def test_it_lets_public_pages_be_cached_for_visitors(client):
    assert not no_store(client.get("/"))
    assert "public" in client.get("/api/v1/counts")["Cache-Control"]


@pytest.mark.django_db
def test_it_lets_a_step_link_expire(client, support, settings):
    signature = ConfirmedSignatureFactory(pledge=support)
    step = ActionStep.objects.first()
    link = f"/actions/{make_token('step', [signature.pk, step.pk])}/"
    assert client.get(link).status_code == 200
    with time_machine.travel(settings.STEP_LINK_MAX_AGE + timedelta(days=1)):
        assert client.get(link).status_code == 400
        assert client.post(link, {"action": "done"}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["unsubscribe", "email-preferences"])
def test_it_lets_an_email_settings_link_expire_with_a_way_forward(client, support, settings, route):
    signature = ConfirmedSignatureFactory(pledge=support)
    link = f"/{route}/{emails.signer_token(signature)}/"
    with time_machine.travel(settings.EMAIL_SETTINGS_LINK_MAX_AGE + timedelta(days=1)):
        response = client.post(link, {"reminders": "", "updates": ""})
        assert response.status_code == 410
        assert "Sign in" in response.content.decode()
    assert not EmailPreference.objects.exists()


@pytest.mark.django_db
def test_it_still_honours_a_recent_unsubscribe_link(client, support, settings):
    signature = ConfirmedSignatureFactory(pledge=support)
    link = f"/unsubscribe/{emails.signer_token(signature)}/"
    with time_machine.travel(settings.EMAIL_SETTINGS_LINK_MAX_AGE - timedelta(days=1)):
        assert client.post(link).status_code == 200
    assert EmailPreference.objects.get().updates is False
    assert mail.outbox == [] and form_data
