"""A new staff member's first sign-in, as the README describes it: create_staff, the password once,
the authenticator app, the recovery codes with a way on, and the admin without a second code."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from tests.staff import totp_code

EMAIL = "new.moderator@pauseofsted.example"


def first_sign_in(client: Client) -> str:
    out = StringIO()
    call_command("create_staff", EMAIL, "--group", "Moderator", stdout=out)
    password = re.search(r"Temporary password \(shown once\): (\S+)", out.getvalue()).group(1)
    response = client.post("/accounts/login/?next=/admin/", {"login": EMAIL, "password": password, "next": "/admin/"})
    assert response.status_code == 302
    return response["Location"]


def activate_authenticator(client: Client):
    page = client.get("/accounts/2fa/totp/activate/?next=/admin/")
    assert page.status_code == 200, "the password was just given: it is not asked for again"
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page.content.decode())
    secret = secret or re.search(r'value="([A-Z2-7]{16,})"[^>]*id="authenticator_secret"', page.content.decode())
    return client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret.group(1))})


@pytest.mark.django_db(transaction=True)  # allauth announces a new authenticator once it commits
def test_it_asks_for_the_password_once_and_the_app_code_once():
    client = Client()
    assert first_sign_in(client) == "/admin/"
    assert client.get("/admin/")["Location"].startswith("/accounts/2fa/totp/activate/")
    activated = activate_authenticator(client)
    assert activated.status_code == 302 and activated["Location"] == "/accounts/2fa/recovery-codes/"
    admin = client.get("/admin/")
    assert admin.status_code == 200, "no second code straight after the first"
    assert "Site administration" in admin.content.decode() or "admin" in admin.content.decode().lower()


@pytest.mark.django_db(transaction=True)  # allauth announces a new authenticator once it commits
def test_it_shows_the_recovery_codes_as_a_list_with_a_download_and_a_way_on():
    client = Client()
    first_sign_in(client)
    activate_authenticator(client)
    page = client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert "<h1>Your recovery codes</h1>" in page
    assert len(re.findall(r"<li><code>\w+</code></li>", page)) == 10
    assert 'href="/accounts/2fa/recovery-codes/download/"' in page
    assert 'href="/admin/"' in page
    download = client.get("/accounts/2fa/recovery-codes/download/")
    assert download.status_code == 200 and len(download.content.decode().split()) == 10


@pytest.mark.django_db(transaction=True)  # allauth announces a new authenticator once it commits
def test_it_still_asks_for_the_password_to_remove_the_authenticator_later(settings):
    client = Client()
    first_sign_in(client)
    activate_authenticator(client)
    with time_machine.travel(timedelta(seconds=settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 60)):
        response = client.get("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
