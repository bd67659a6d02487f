"""Admin sessions need a recent second factor and end when left idle; passwords are checked for breaches (item 15)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from pwned_passwords_django import api

from tests.staff import staff_client


@pytest.mark.django_db
def test_it_signs_out_an_admin_left_idle(settings):
    moderator = staff_client("Moderator")
    assert moderator.get("/admin/").status_code == 200
    with time_machine.travel(settings.ADMIN_IDLE_TIMEOUT - timedelta(minutes=1)):
        assert moderator.get("/admin/").status_code == 200
    with time_machine.travel(settings.ADMIN_IDLE_TIMEOUT * 2 + timedelta(minutes=2)):
        response = moderator.get("/admin/pledges/signature/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert moderator.get("/my/pledges/").status_code == 302, "signed out everywhere, not only in the admin"


@pytest.mark.django_db
def test_it_asks_for_the_second_factor_again_after_a_working_day(settings):
    moderator = staff_client("Moderator")
    step = settings.ADMIN_IDLE_TIMEOUT - timedelta(minutes=5)
    elapsed = timedelta(0)
    # Busy all day, never idle: still asked again once the second factor is a working day old.
    while elapsed < settings.ADMIN_SECOND_FACTOR_MAX_AGE - step:
        elapsed += step
        with time_machine.travel(elapsed):
            assert moderator.get("/admin/").status_code == 200
    with time_machine.travel(elapsed + step + timedelta(minutes=1)):
        response = moderator.get("/admin/")
        assert response.status_code == 302 and "/accounts/2fa/reauthenticate/" in response["Location"]


def test_it_refuses_a_breached_password(monkeypatch):
    # Only the outside service is replaced: Have I Been Pwned says it has seen this password 1,234 times.
    monkeypatch.setattr(api.default_client, "check_password", lambda password: 1234)
    with pytest.raises(ValidationError, match="too common"):
        validate_password("a-long-but-leaked-passphrase-2024")


def test_it_falls_back_to_the_common_list_when_the_service_is_down(monkeypatch):
    from pwned_passwords_django.exceptions import PwnedPasswordsError

    def down(password):
        raise PwnedPasswordsError("unreachable", code="api_timeout", params={})

    monkeypatch.setattr(api.default_client, "check_password", down)
    validate_password("a-long-unusual-passphrase-for-staff-2026")
    with pytest.raises(ValidationError):
        validate_password("password12345")
