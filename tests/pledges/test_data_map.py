"""The data map covers every field, docs/privacy.md is the map, and export and erasure follow it (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from pledges.data_map import MAP
from pledges.management.commands.data_map import render
from pledges.models import AuditEntry, Email, EmailPreference, Invitation, Signature, StepStatus
from pledges.subject_access import OWNERS, Person, erase_person, export_person
from tests.factories import ConfirmedSignatureFactory
from tests.pledges.conftest import form_data, log_in_by_code, sign_and_confirm

ROOT = Path(__file__).resolve().parents[2]


def test_every_field_of_every_table_is_on_the_map():
    missing, stale = [], []
    for model in apps.get_models():
        label = model._meta.label_lower
        fields = {f.name for f in model._meta.concrete_fields} | {f.name for f in model._meta.many_to_many}
        mapped = set(MAP[label].fields) if label in MAP else set()
        missing += [f"{label}.{name}" for name in sorted(fields - mapped)]
        stale += [f"{label}.{name}" for name in sorted(mapped - fields)]
    assert missing == [], "classify these in pledges/data_map.py"
    assert stale == []
    assert set(MAP) == {m._meta.label_lower for m in apps.get_models()}


def test_every_personal_table_a_person_owns_can_be_found_and_erased():
    for label, table in MAP.items():
        if table.owner:
            assert table.owner in OWNERS, label
            assert table.erase in {"delete", "anonymise"}, label


def test_the_published_data_map_is_the_code_s_map():
    assert (ROOT / "docs/privacy.md").read_text(encoding="utf-8") == render(), (
        "run: manage.py data_map > docs/privacy.md"
    )


@pytest.fixture
def jane(client, support, stand_down, django_capture_on_commit_callbacks):
    """Jane signs two pledges with her union, confirms, is noted by staff, invites a colleague, signs in."""
    sign_and_confirm(
        client,
        [support, stand_down],
        django_capture_on_commit_callbacks,
        union="neu",
        union_consent="on",
        name="Jane Head",
    )
    signature = Signature.objects.get(pledge=support, canonical_email="jane@example.com")
    signature.reject(by=None, reason="Not a real person's name", note="Checked her school's website: Jane Head")
    signature.restore(by=None)
    from pledges.action_plan import services as actions

    with django_capture_on_commit_callbacks(execute=True):
        actions.invite_colleagues(signature, ["colleague@school.example"], ip_hash="x")
    actions.set_preferences(signature, reminders=False, updates=True)
    log_in_by_code(client, "jane@example.com", django_capture_on_commit_callbacks)
    return signature


@pytest.fixture
def someone_else(stand_down):
    return ConfirmedSignatureFactory(pledge=stand_down, name="Other Person", email="other@example.net", union="nasuwt")


@pytest.mark.django_db
def test_it_exports_every_mapped_field_of_the_person_and_nothing_of_anyone_else(client, jane, someone_else):
    data = json.loads(client.post("/my/data/download/").content)
    tables = data["tables"]
    for label, table in MAP.items():
        if not table.owner:
            continue
        exported = {name for name, item in table.fields.items() if item.export}
        for row in tables[label]:
            assert set(row) == exported, label
    signatures = tables["pledges.signature"]
    assert {s["pledge"] for s in signatures} == {"Support the pause", "Stand down as an Ofsted Inspector"}
    assert {s["union"] for s in signatures} == {"NEU"}
    assert {s["wall"] for s in signatures} and all("moderated_at" in s for s in signatures)
    notes = " ".join(row["note"] or "" for row in tables["pledges.auditentry"])
    assert "Checked her school's website" in notes, "what staff recorded about her"
    assert any(e["subject"].startswith("Confirm your") for e in tables["pledges.email"])
    assert any(e["text"] for e in tables["pledges.email"]), "the bodies of emails sent to her"
    assert len(tables["pledges.invitation"]) == 1
    assert tables["pledges.emailpreference"] == [
        {"reminders": False, "updates": True, "changed_at": tables["pledges.emailpreference"][0]["changed_at"]}
    ]
    text = json.dumps(data)
    assert "Other Person" not in text and "other@example.net" not in text and "NASUWT" not in text
    assert "colleague@school.example" not in text or "[removed" in text


@pytest.mark.django_db
def test_it_erases_every_row_note_message_and_session_that_names_the_person(
    client, jane, someone_else, django_capture_on_commit_callbacks
):
    other_session = Client()
    log_in_by_code(other_session, "jane@example.com", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):  # one more email still waiting in the outbox
        from pledges.emails import send_already_signed

        send_already_signed([jane])
    assert Session.objects.count() >= 2
    client.post("/my/data/erase/", {"sure": "on"})

    assert not Signature.objects.filter(canonical_email="jane@example.com").exists()
    assert not EmailAddress.objects.filter(email="jane@example.com").exists()
    assert not Email.objects.filter(to="jane@example.com").exists()
    assert not Email.objects.filter(signature__isnull=False).exclude(signature=someone_else).exists()
    assert not StepStatus.objects.filter(canonical_email="jane@example.com").exists()
    assert not EmailPreference.objects.filter(canonical_email="jane@example.com").exists()
    assert not AuditEntry.objects.filter(note__icontains="jane").exists()
    assert Invitation.objects.get().signature is None
    assert other_session.get("/my/pledges/").status_code == 302, "her other sessions are gone too"
    assert Signature.objects.filter(pk=someone_else.pk, union="nasuwt").exists()
    sent = len(mail.outbox)
    from pledges.outbox import sweep

    sweep()
    assert len(mail.outbox) == sent, "nothing is sent to her afterwards"


@pytest.mark.django_db
def test_it_finds_the_person_by_proved_addresses_only(jane):
    person = Person.of(EmailAddress.objects.get(email="jane@example.com").user)
    assert person.canonicals == {"jane@example.com"}
    assert export_person(person.user)["tables"]["auth.user"][0]["email"] == "jane@example.com"
    assert erase_person(person.user) == 2


@pytest.mark.django_db
def test_it_answers_a_signer_in_the_middle_of_signing_again(
    client, jane, stand_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([stand_down], name="Jane Head"))
    assert client.post("/my/data/download/").status_code == 200


@pytest.mark.django_db
def test_it_exports_and_erases_a_withdrawn_signature_too(
    client, support, stand_down, django_capture_on_commit_callbacks
):
    sign_and_confirm(
        client, [stand_down], django_capture_on_commit_callbacks, email="Wil.Stott@Example.ORG", name="Wil Stott"
    )
    sign_and_confirm(
        client, [support], django_capture_on_commit_callbacks, email="Wil.Stott@Example.ORG", name="Wil Stott"
    )
    log_in_by_code(client, "wil.stott@example.org", django_capture_on_commit_callbacks)
    withdrawn = Signature.objects.get(pledge=support)
    client.post(f"/my/pledges/{withdrawn.pk}/withdraw/", {"reason": "Wil Stott here: my head objected"})
    export = json.loads(client.post("/my/data/download/").content)["tables"]
    reasons = [s["withdraw_reason"] for s in export["pledges.signature"]]
    assert "Wil Stott here: my head objected" in reasons, "a withdrawn signature is still hers to see"
    client.post("/my/data/erase/", {"sure": "on"})
    assert not Signature.objects.exists()
    for email in Email.objects.all():
        assert "Wil" not in f"{email.to} {email.text} {email.html}"
    assert not Email.objects.filter(to__iexact="wil.stott@example.org").exists()


@pytest.mark.django_db
def test_it_erases_a_session_part_way_through_signing_in(client, support, django_capture_on_commit_callbacks):
    sign_and_confirm(client, [support], django_capture_on_commit_callbacks)
    halfway = Client()
    with django_capture_on_commit_callbacks(execute=True):
        halfway.post("/accounts/login/code/", {"email": "jane@example.com"})  # a code asked for, never used
    log_in_by_code(client, "jane@example.com", django_capture_on_commit_callbacks)
    client.post("/my/data/erase/", {"sure": "on"})
    for session in Session.objects.all():
        assert "jane@example.com" not in json.dumps(session.get_decoded(), default=str)
