"""Signers come back by emailed code; staff need a second factor for the admin."""

from __future__ import annotations

import json
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

from pledges.counting import current_counts, total
from pledges.models import AuditEntry, Email, Signature
from tests.pledges.conftest import form_data, log_in_by_code, sign_and_confirm

User = get_user_model()


@pytest.mark.django_db
def test_it_makes_a_verified_account_when_a_signature_is_confirmed(client, support, django_capture_on_commit_callbacks):
    sign_and_confirm(client, [support], django_capture_on_commit_callbacks, email="Jane@Example.com")
    address = EmailAddress.objects.get()
    assert address.email == "jane@example.com" and address.verified
    assert not address.user.has_usable_password()


@pytest.mark.django_db
def test_it_lets_a_signer_log_in_by_code_withdraw_download_and_erase(
    client, support, stand_down, django_capture_on_commit_callbacks
):
    sign_and_confirm(client, [support, stand_down], django_capture_on_commit_callbacks, union="neu", union_consent="on")
    assert total(current_counts(), support.pk) == 1
    client.logout()

    log_in_by_code(client, "jane@example.com", django_capture_on_commit_callbacks)
    page = client.get("/my/pledges/").content.decode()
    assert "Support the pause" in page and "Stand down as an Ofsted Inspector" in page
    assert page.count("Confirmed and counted") == 2

    signature = Signature.objects.get(pledge=support)
    assert client.post(f"/my/pledges/{signature.pk}/appearance/", {"appearance": "name"}).status_code == 302
    signature.refresh_from_db()
    assert signature.appearance == "name"

    form = client.get(f"/my/pledges/{signature.pk}/withdraw/")
    assert "Withdraw from “Support the pause”" in form.content.decode()
    client.post(f"/my/pledges/{signature.pk}/withdraw/", {"reason": "Changed jobs"})
    signature.refresh_from_db()
    assert (signature.state, signature.withdraw_reason) == (Signature.State.WITHDRAWN, "Changed jobs")
    assert (signature.name, signature.email, signature.union) == ("", "", ""), "withdrawn: reduced at once"
    assert total(current_counts(), support.pk) == 0
    assert total(current_counts(), stand_down.pk) == 1

    download = client.post("/my/data/download/")
    assert download["Content-Disposition"] == 'attachment; filename="pauseofsted-my-data.json"'
    data = json.loads(download.content)["tables"]
    by_pledge = {s["pledge"]: s for s in data["pledges.signature"]}
    assert by_pledge["Stand down as an Ofsted Inspector"]["union"] == "NEU"
    withdrawn = by_pledge["Support the pause"]
    assert (withdrawn["state"], withdrawn["name"], withdrawn["union"]) == ("Withdrawn", "", "")
    assert withdrawn["withdraw_reason"] == "Changed jobs", "still hers, found by a keyed hash of her address"
    assert any(e["subject"] == "Confirm your #PauseOfsted signature" for e in data["pledges.email"])

    refused = client.post("/my/data/erase/", {})
    assert refused.status_code == 400
    assert "Tick the box to confirm you want to erase your data" in refused.content.decode()

    erased = client.post("/my/data/erase/", {"sure": "on"})
    assert "Your data has been erased" in erased.content.decode()
    assert not Signature.objects.exists(), "the withdrawn row is hers too, and goes"
    assert User.objects.count() == 0
    assert Email.objects.count() == 0
    assert total(current_counts(), stand_down.pk) == 0
    logged = " ".join(f"{e.action} {e.note} {e.reason}" for e in AuditEntry.objects.all())
    assert "data export" in logged and "erasure" in logged
    assert "jane" not in logged.lower()
    assert client.get("/my/pledges/").status_code == 302, "signed out"


@pytest.mark.django_db
def test_it_prefills_another_pledge_and_confirms_it_for_a_signed_in_signer(
    client, support, stand_down, django_capture_on_commit_callbacks
):
    sign_and_confirm(client, [support], django_capture_on_commit_callbacks)
    log_in_by_code(client, "jane@example.com", django_capture_on_commit_callbacks)
    page = client.get("/sign/?pledge=stand-down").content.decode()
    assert 'value="Jane Head"' in page and 'value="jane@example.com"' in page
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sign/", form_data([stand_down]))
    assert response["Location"] == "/my/pledges/"
    assert Signature.objects.get(pledge=stand_down).state == Signature.State.CONFIRMED
    assert len(mail.outbox) == sent


@pytest.mark.django_db
def test_it_cannot_touch_someone_elses_signature(client, support, django_capture_on_commit_callbacks):
    sign_and_confirm(client, [support], django_capture_on_commit_callbacks, email="other@example.com")
    theirs = Signature.objects.get()
    sign_and_confirm(client, [support], django_capture_on_commit_callbacks, email="me@example.com")
    log_in_by_code(client, "me@example.com", django_capture_on_commit_callbacks)
    assert client.post(f"/my/pledges/{theirs.pk}/withdraw/", {"reason": ""}).status_code == 404
    assert client.post(f"/my/pledges/{theirs.pk}/appearance/", {"appearance": "name"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == Signature.State.CONFIRMED


def answer(client, path: str, data: dict) -> tuple:
    """What the person sees, with the address they typed themselves masked."""
    response = client.post(path, data)
    page = client.get(response["Location"]).content.decode() if response.status_code == 302 else ""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page).replace(data["email"], "ADDRESS")
    return response.status_code, response.get("Location"), page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "field"),
    [("/accounts/login/code/", "email"), ("/accounts/password/reset/", "email")],
)
def test_it_answers_known_and_unknown_addresses_alike(client, support, django_capture_on_commit_callbacks, path, field):
    from django.test import Client

    sign_and_confirm(client, [support], django_capture_on_commit_callbacks, email="known@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        known = answer(Client(), path, {field: "known@example.com"})
        unknown = answer(Client(), path, {field: "unknown@example.com"})
    assert known[0] == unknown[0] == 302
    assert known[1] == unknown[1]
    assert known[2] == unknown[2]


@pytest.mark.django_db
def test_it_answers_a_password_login_alike_for_known_and_unknown(client, support, django_capture_on_commit_callbacks):
    from django.test import Client

    sign_and_confirm(client, [support], django_capture_on_commit_callbacks, email="known@example.com")
    known = Client().post("/accounts/login/", {"login": "known@example.com", "password": "wrong-password-1"})
    unknown = Client().post("/accounts/login/", {"login": "unknown@example.com", "password": "wrong-password-1"})
    assert known.status_code == unknown.status_code
    strip = lambda r: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", r.content.decode())  # noqa: E731
    assert strip(known).replace("known@", "X@") == strip(unknown).replace("unknown@", "X@")


@pytest.fixture
def staff(db):
    call_command("create_staff", "lead@pauseofsted.example", "--superuser", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.get(email="lead@pauseofsted.example")
    user.set_password("a-long-test-password-123")
    user.save()
    return user


@pytest.mark.django_db
def test_it_explains_how_to_enrol_a_second_factor(capsys):
    call_command("create_staff", "first@pauseofsted.example", "--superuser")
    out = capsys.readouterr().out
    assert "Temporary password (shown once):" in out
    assert "/accounts/2fa/totp/activate/" in out
    assert User.objects.get(email="first@pauseofsted.example").is_superuser


@pytest.mark.django_db
def test_it_puts_a_new_staff_member_in_their_group_from_the_command(capsys):
    call_command("create_staff", "mod@pauseofsted.example", "--group", "Moderator")
    user = User.objects.get(email="mod@pauseofsted.example")
    assert (user.is_staff, user.is_superuser) == (True, False)
    assert list(user.groups.values_list("name", flat=True)) == ["Moderator"]
    assert "in Moderator" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "said"),
    [(["--group", "Moderators"], "No group called Moderators. The groups are: Campaign lead, Moderator."),
     ([], "Give the account a group")],
)  # fmt: skip
def test_it_refuses_a_staff_account_with_no_or_an_unknown_group(arguments, said):
    with pytest.raises(CommandError, match=said):
        call_command("create_staff", "x@pauseofsted.example", *arguments)
    assert not User.objects.filter(email="x@pauseofsted.example").exists()


@pytest.mark.django_db
def test_it_keeps_every_admin_page_shut_without_a_second_factor(client, staff):
    for path in ["/admin/", "/admin/login/", "/admin/pledges/signature/", "/admin/auth/user/"]:
        anonymous = client.get(path)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    client.post("/accounts/login/", {"login": staff.email, "password": "a-long-test-password-123"})
    for path in ["/admin/", "/admin/login/", "/admin/pledges/signature/", "/admin/auth/user/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/totp/activate/")


@pytest.mark.django_db
def test_it_opens_the_admin_after_a_real_totp_code(client, staff):
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP)
    login = client.post("/accounts/login/", {"login": staff.email, "password": "a-long-test-password-123"})
    assert login["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302, "password alone is not enough"

    import time

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 200 and "Incorrect code" in wrong.content.decode()
    done = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert done.status_code == 302
    admin = client.get("/admin/")
    assert admin.status_code == 200
    assert "Site administration" in admin.content.decode()


@pytest.mark.django_db
def test_it_refuses_the_admin_to_a_signer(client, support, django_capture_on_commit_callbacks):
    sign_and_confirm(client, [support], django_capture_on_commit_callbacks)
    log_in_by_code(client, "jane@example.com", django_capture_on_commit_callbacks)
    assert client.get("/admin/").status_code == 403


@pytest.mark.django_db
def test_it_shows_allauth_pages_in_the_site_layout(client):
    page = client.get("/accounts/login/code/").content.decode()
    assert 'class="skip-link"' in page
    assert '<label class="label" for="id_email">' in page
    assert page.count("<h1") == 1
    errors = client.post("/accounts/login/code/", {"email": "not-an-address"}).content.decode()
    assert "There is a problem" in errors
    assert "<title>Error:" in errors
