"""Staff accounts signed in the way staff really sign in: password, then a real TOTP code."""

from __future__ import annotations

import time

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

PASSWORD = "a-long-test-password-123"


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def make_staff(group: str | None, email: str | None = None, superuser: bool = False) -> tuple:
    """A staff account in `group` with a TOTP authenticator; returns (user, secret)."""
    email = email or f"{(group or 'super').lower().replace(' ', '-')}@pauseofsted.example"
    user = get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD, is_staff=True, is_superuser=superuser
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def staff_client(group: str | None, email: str | None = None, superuser: bool = False) -> Client:
    user, secret = make_staff(group, email, superuser)
    email = user.email
    client = Client()
    client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    if response.status_code != 302:
        # The 30-second step can turn over between making the code and checking it (allauth
        # allows no drift): the next step's code is what an authenticator app would show.
        response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302, "second factor refused"
    client.user = user
    return client
