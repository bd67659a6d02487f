"""Each retention promise kept by a job, with time moved forward (issue 14)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.utils import timezone

from pledges.accounts import link_account
from pledges.counting import current_counts, total
from pledges.models import AuditEntry, Email, Signature, SiteSwitches
from pledges.outbox import deliver, queue_email
from pledges.retention import apply_retention
from tests.factories import ConfirmedSignatureFactory, FraudulentSignatureFactory, PendingSignatureFactory


@pytest.mark.django_db
@pytest.mark.parametrize("decision", ["reject", "mark_fraudulent", "invalidate", "held at signing"])
def test_it_deletes_refused_signatures_after_the_period(support, settings, decision):
    if decision == "held at signing":
        signature = FraudulentSignatureFactory(pledge=support)
    else:
        signature = PendingSignatureFactory(pledge=support)
        getattr(signature, decision)(by=None, reason="test")
        AuditEntry.objects.filter(signature=signature).update(note="about Jane")
    kept = ConfirmedSignatureFactory(pledge=support)
    with time_machine.travel(settings.RETAIN_REFUSED - timedelta(days=1)):
        apply_retention()
    assert Signature.objects.filter(pk=signature.pk).exists()
    with time_machine.travel(settings.RETAIN_REFUSED + timedelta(days=1)):
        done = apply_retention()
    assert not Signature.objects.filter(pk=signature.pk).exists()
    assert done["held, rejected or invalidated signatures deleted"] == 1
    assert Signature.objects.filter(pk=kept.pk).exists()
    assert not AuditEntry.objects.filter(note__contains="Jane").exists()


@pytest.mark.django_db
def test_it_reduces_a_withdrawn_signature_at_once(support):
    signature = ConfirmedSignatureFactory(
        pledge=support, name="Jane Head", union="neu", union_consent=True, ip_hash="a" * 64, appearance="name"
    )
    AuditEntry.objects.create(action="approve", signature=signature, note="Jane's name checked")
    signature.withdraw(reason="Moved school")
    signature.refresh_from_db()
    assert (signature.name, signature.email, signature.union, signature.ip_hash, signature.school) == (
        "",
        "",
        "",
        "",
        None,
    )
    assert signature.canonical_email.startswith("removed:")
    assert (signature.state, signature.region, signature.withdraw_reason) == ("withdrawn", "H", "Moved school")
    assert AuditEntry.objects.get(signature=signature).note == ""
    assert total(current_counts(), support.pk) == 0


@pytest.mark.django_db
def test_it_removes_links_and_codes_when_sent_and_the_rest_after_the_period(settings):
    email = queue_email(
        "k",
        "jane@example.com",
        "confirm",
        {"name": "Jane", "signatures": [], "confirm_url": f"{settings.SITE_URL}/confirm/SECRET-TOKEN/"},
    )
    assert "SECRET-TOKEN" in email.text
    deliver(email.pk)
    assert "SECRET-TOKEN" in mail.outbox[0].body, "the reader gets the link"
    email.refresh_from_db()
    assert "SECRET-TOKEN" not in email.text + email.html and "[removed after sending]" in email.text
    assert email.to == "jane@example.com" and email.to_hash
    with time_machine.travel(settings.RETAIN_SENT_EMAIL + timedelta(days=1)):
        apply_retention()
    email.refresh_from_db()
    assert (email.to, email.text, email.html, email.headers) == ("", "", "", {})
    assert email.key == "k" and email.subject and email.sent_at and email.to_hash


@pytest.mark.django_db
def test_it_removes_a_sign_in_code_from_the_stored_email(client, support, django_capture_on_commit_callbacks):
    from tests.pledges.conftest import sign_and_confirm

    sign_and_confirm(client, [support], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/login/code/", {"email": "jane@example.com"})
    stored = Email.objects.filter(key__startswith="account:").get()
    assert stored.state == Email.State.SENT
    import re

    code = re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", mail.outbox[-1].body).group(0)
    assert code not in stored.text and code not in stored.html


@pytest.mark.django_db
def test_it_clears_expired_sessions(settings):
    store = SessionStore()
    store["x"] = 1
    store.set_expiry(60)
    store.create()
    with time_machine.travel(timedelta(minutes=5)):
        apply_retention()
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_it_anonymises_everything_a_set_time_after_the_campaign_ends(support, settings, caplog):
    signer = ConfirmedSignatureFactory(pledge=support, name="Jane Head", email="jane@example.com", union="neu")
    link_account("jane@example.com")
    staff = get_user_model().objects.create_user("staff", is_staff=True)
    switches = SiteSwitches.current()
    switches.campaign_ended_on = timezone.localdate()
    switches.save()
    with time_machine.travel(settings.RETAIN_AFTER_CAMPAIGN - timedelta(days=1)):
        apply_retention()
    assert Signature.objects.get(pk=signer.pk).name == "Jane Head"
    with time_machine.travel(settings.RETAIN_AFTER_CAMPAIGN + timedelta(days=1)), caplog.at_level(logging.INFO):
        done = apply_retention()
    signer.refresh_from_db()
    assert (signer.name, signer.email, signer.union) == ("", "", "")
    assert signer.state == Signature.State.CONFIRMED, "the count stays"
    assert total(current_counts(), support.pk) == 1
    assert not EmailAddress.objects.exists()
    assert list(get_user_model().objects.all()) == [staff]
    assert done["signatures anonymised after the campaign ended"] == 1
    assert "1 signatures anonymised after the campaign ended" in caplog.text


@pytest.mark.django_db
def test_it_leaves_no_withdrawal_reason_or_link_after_the_campaign(support, settings):
    signature = ConfirmedSignatureFactory(pledge=support, email="jane@example.com")
    signature.withdraw(reason="Jane Head: my trust objected")
    signature.refresh_from_db()
    assert signature.canonical_email.startswith(f"removed:{signature.pk}:"), "linked by a keyed hash only"
    switches = SiteSwitches.current()
    switches.campaign_ended_on = timezone.localdate()
    switches.save()
    with time_machine.travel(settings.RETAIN_AFTER_CAMPAIGN + timedelta(days=1)):
        apply_retention()
    signature.refresh_from_db()
    assert (signature.canonical_email, signature.withdraw_reason) == (f"removed:{signature.pk}", "")


def copies_of(signature: Signature, count: int, state: str, days_old: int) -> None:
    """`count` more rows like this one, each with its own address, made in the database."""
    from django.db import connection

    columns = [f.column for f in Signature._meta.concrete_fields if not f.primary_key]
    made = {"email": "'bulk' || g || '@example.org'", "canonical_email": "'bulk' || g || '@example.org'",
            "state": "%s", "created_at": f"now() - interval '{int(days_old)} days'"}  # fmt: skip
    picked = ", ".join(made.get(column, f'"{column}"') for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO pledges_signature ({', '.join(f'{chr(34)}{c}{chr(34)}' for c in columns)}) "  # noqa: S608
            f"SELECT {picked} FROM pledges_signature, generate_series(1, %s) g WHERE id = %s",
            [state, count, signature.pk],
        )


@pytest.mark.services
@pytest.mark.django_db
@pytest.mark.parametrize("state", [Signature.State.FRAUDULENT, Signature.State.EXPIRED])
def test_it_deletes_more_rows_at_once_than_postgresql_binds_in_one_statement(postgres, support, state):
    from pledges.services import expire_and_purge

    copies_of(FraudulentSignatureFactory(pledge=support), 70_000, state, days_old=400)
    old = Signature.objects.filter(email__startswith="bulk", state=state)
    assert old.count() == 70_000
    if state == Signature.State.FRAUDULENT:
        apply_retention()
    else:
        expire_and_purge()
    assert not old.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["already signed", "confirm"])
def test_withdrawing_a_signature_named_second_in_an_email_clears_that_emails_words(
    client, django_capture_on_commit_callbacks, kind
):
    import re

    from pledges.models import Pledge
    from tests.pledges.conftest import confirm_link, form_data

    pledges = [p for p in Pledge.objects.open().order_by("position", "pk") if p.accepts_signatures()][:2]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data(pledges))
    if kind == "already signed":
        client.post(confirm_link(mail.outbox[0]))
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/sign/", form_data(pledges))
        email = Email.objects.get(key__startswith="already:")
    else:
        email = Email.objects.get(key__contains=":confirm:")
    first, second = Signature.objects.order_by("pk")
    assert email.signature_id == first.pk and second.pledge.title in Email.objects.get(pk=email.pk).text
    from pledges.tokens import make_token

    client.post(f"/my-signature/{make_token('manage', [second.pk])}/", {"action": "withdraw"})
    second.refresh_from_db()
    assert second.state == Signature.State.WITHDRAWN
    email.refresh_from_db()
    assert (email.to, email.text, email.html) == ("", "", ""), "the words that tied the address to the pledge"
    assert re.sub(r"\s", "", email.subject), "the subject, key and times are kept"


@pytest.mark.django_db
def test_withdrawing_leaves_the_mailboxs_emails_that_may_still_go_and_those_of_other_kinds(support):
    from pledges.models import Pledge
    from pledges.outbox import recipient_hash

    other = Pledge.objects.exclude(pk=support.pk).first()
    waiting = PendingSignatureFactory(pledge=support, email="jo@example.org", canonical_email="jo@example.org")
    leaving = ConfirmedSignatureFactory(pledge=other, email="jo@example.org", canonical_email="jo@example.org")
    mailbox = recipient_hash("jo@example.org")
    kept = {
        "failed, open to a retry": Email.objects.create(
            key=f"sig:{waiting.pk}:1:confirm:0", to="jo@example.org", to_hash=mailbox, subject="Confirm",
            text="confirm the other", state=Email.State.FAILED, signature=waiting,
        ),
        "still to go": Email.objects.create(
            key=f"sig:{waiting.pk}:1:confirm:1", to="jo@example.org", to_hash=mailbox, subject="Confirm",
            text="confirm the other", state=Email.State.PENDING, signature=waiting,
        ),
        "a board resolution's": Email.objects.create(
            key="resolution:9:confirm:2026120716", to="jo@example.org", to_hash=mailbox, subject="Resolution",
            text="resolution words", state=Email.State.SENT,
        ),
    }  # fmt: skip
    assert leaving.withdraw()
    for what, email in kept.items():
        email.refresh_from_db()
        assert email.to == "jo@example.org" and email.text, what
    deliver(kept["still to go"].pk)
    assert mail.outbox[-1].to == ["jo@example.org"]
