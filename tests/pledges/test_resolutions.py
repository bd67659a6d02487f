"""Board resolutions: recorded, confirmed by email, checked by staff, and only then counted; a trust's
resolution covers exactly the trust's open schools in the register, as the register says now."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command

from pledges.models import AuditEntry, BoardResolution, Email, School
from pledges.subject_access import erase_person, export_person
from tests.staff import staff_client

REGISTER = Path(__file__).parent / "fixtures" / "trust_register.csv"
HERON = "Heron Learning Trust"


@pytest.fixture
def register(db):
    call_command("import_schools", str(REGISTER))


def record(client, urn: int, body: str = "trust", **overrides):
    data = {
        "school_query": str(urn),
        "school": str(urn),
        "body": body,
        "day": "20",
        "month": "11",
        "year": "2026",
        "recorder_name": "Tess Trustleader",
        "recorder_email": "tess@heron.example",
        "recorder_role": "trust_leader",
        "named": "on",
        "confirm": "on",
        **overrides,
    }
    return client.post("/resolutions/record/", data)


def confirm_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/resolutions/confirm/[^\s]+/)", message.body).group(1)


def approved(urn: int, body: str = "trust") -> BoardResolution:
    school = School.objects.get(urn=urn)
    resolution = BoardResolution.objects.create(
        body=body,
        school=school,
        trust_name=school.trust_name if body == "trust" else "",
        meeting_on="2026-11-20",
        recorder_name="x",
        recorder_email="x@example.org",
        recorder_canonical="x@example.org",
        recorder_role="head",
        state=BoardResolution.State.APPROVED,
    )
    cache.clear()
    return resolution


def covered() -> set[str]:
    return set(BoardResolution.objects.approved().covered_schools().values_list("name", flat=True))


@pytest.mark.django_db
def test_a_trust_resolution_covers_exactly_the_trusts_open_schools(register, tmp_path):
    approved(910001)
    assert covered() == {"Heron Academy", "Heron Park Academy", "Heron Vale Academy", "Heron Fields Academy"}
    assert "Heron Old Academy" not in covered(), "a closed academy is not covered"
    # The next register extract: Heron Park Academy has left the trust for Osprey's.
    rows = list(csv.DictReader(REGISTER.open(encoding="cp1252")))
    for row in rows:
        if row["EstablishmentName"] == "Heron Park Academy":
            row["Trusts (name)"] = "Osprey Schools Trust"
    later = tmp_path / "later.csv"
    with later.open("w", encoding="cp1252", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    call_command("import_schools", str(later))
    assert covered() == {"Heron Academy", "Heron Vale Academy", "Heron Fields Academy"}


@pytest.mark.django_db
def test_a_governing_body_resolution_covers_its_own_school_only(register):
    approved(910006, body="governors")
    assert covered() == {"Osprey Academy"}


@pytest.mark.django_db
def test_it_counts_only_what_is_confirmed_and_checked(register, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert record(client, 910002).status_code == 302
    resolution = BoardResolution.objects.get()
    assert resolution.state == BoardResolution.State.PENDING and resolution.trust_name == HERON
    assert covered() == set()
    link = confirm_link(mail.outbox[-1])
    page = client.get(link).content.decode()
    assert "Confirm the resolution" in page and HERON in page
    assert BoardResolution.objects.get().state == BoardResolution.State.PENDING, "a GET changes nothing"
    confirmed = client.post(link).content.decode()
    assert "Resolution confirmed" in confirmed
    assert "Already confirmed" in client.post(link).content.decode()
    assert covered() == set(), "confirmed by email, not yet checked"

    moderator = staff_client("Moderator")
    queue = moderator.get("/admin/pledges/boardresolution/to-check/", follow=True).content.decode()
    assert "Resolutions to check" in queue and HERON in queue
    assert "tess@heron.example" not in queue, "moderators never see the recorder's address"
    moderator.post(
        "/admin/pledges/boardresolution/",
        {"action": "approve", "_selected_action": [resolution.pk]},
    )
    assert len(covered()) == 4
    assert AuditEntry.objects.filter(action="approve resolution", actor=moderator.user).exists()

    cache.clear()
    counts = client.get("/counts/").content.decode()
    assert "4 open state-funded schools are covered" in counts
    named = client.get("/resolutions/").content.decode()
    assert "Heron Learning Trust: its trust board, covering 4 schools" in named
    api = client.get("/api/v1/resolutions").json()
    assert api["schools"] == 4 and api["named"][0]["name"] == HERON
    south_east = next(r for r in api["by_region"] if r["code"] == "J")
    assert south_east["schools"] is None, "two schools in a region are withheld"


@pytest.mark.django_db
def test_it_answers_a_repeat_as_a_first_record_and_keeps_one_row(register, client, django_capture_on_commit_callbacks):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert record(client, 910001).status_code == 302
    assert BoardResolution.objects.count() == 1
    assert len(mail.outbox) == 1, "the same day's repeats get one email"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "said"),
    [
        ({"day": "31", "month": "2"}, "Enter a real date"),
        ({"year": "2999"}, "Enter a real date"),
        ({"school": "", "school_query": "no such school"}, "Find the school, then select it"),
        ({"confirm": ""}, "Tick the box to confirm the board resolved this"),
        ({"recorder_email": "not an address"}, "Email address must not contain spaces"),
        ({"recorder_email": "tess@"}, "Enter an email address in the correct format"),
        ({"recorder_name": "=HYPERLINK(1)"}, "Full name must start with a letter"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message(register, client, overrides, said):
    response = record(client, 910001, **overrides)
    assert response.status_code == 400
    assert said in response.content.decode()
    assert BoardResolution.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_a_trust_resolution_for_a_school_outside_a_trust(client, register):
    call_command("import_schools", str(Path(__file__).parent / "fixtures" / "schools.csv"))
    response = record(client, 900001)
    assert response.status_code == 400
    assert "not in a trust in the register" in response.content.decode()


@pytest.mark.django_db
def test_it_refuses_a_forged_or_foreign_confirmation_link(client):
    from pledges.tokens import make_token

    assert client.get("/resolutions/confirm/forged/").status_code == 400
    assert client.post(f"/resolutions/confirm/{make_token('confirm', [1])}/").status_code == 400
    assert client.post(f"/resolutions/confirm/{make_token('resolution', [99999])}/").status_code == 400


@pytest.mark.django_db
def test_it_erases_the_recorder_but_keeps_the_boards_decision(register):
    resolution = approved(910001)
    BoardResolution.objects.filter(pk=resolution.pk).update(
        recorder_email="tess@heron.example", recorder_canonical="tess@heron.example", recorder_name="Tess Trustleader"
    )
    user = get_user_model().objects.create_user(username="tess", email="tess@heron.example")
    EmailAddress.objects.create(user=user, email="tess@heron.example", verified=True, primary=True)
    exported = export_person(user)["tables"]["pledges.boardresolution"]
    assert exported[0]["recorder_name"] == "Tess Trustleader"
    erase_person(user)
    resolution.refresh_from_db()
    assert (resolution.recorder_name, resolution.recorder_email, resolution.recorder_canonical) == ("", "", "")
    assert resolution.state == BoardResolution.State.APPROVED
    assert len(covered()) == 4


@pytest.mark.django_db
def test_a_repeat_of_an_unconfirmed_resolution_sends_a_new_link_and_takes_the_new_date(
    register, client, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    import time_machine

    with django_capture_on_commit_callbacks(execute=True):
        record(client, 910001)
    with time_machine.travel(timedelta(days=8)), django_capture_on_commit_callbacks(execute=True):
        assert client.get(confirm_link(mail.outbox[-1])).status_code == 410, "the first link has expired"
        again = record(client, 910001, day="21")
        assert again.status_code == 302
        links = Email.objects.filter(key__startswith="resolution:").order_by("created_at")
        assert links.count() == 2, "a new link"
        fresh = re.search(r"https?://[^/\s]+(/resolutions/confirm/[^\s]+/)", links.last().text).group(1)
        assert client.post(fresh).status_code == 200
    resolution = BoardResolution.objects.get()
    assert resolution.state == BoardResolution.State.CONFIRMED and resolution.meeting_on.day == 21


@pytest.mark.django_db
def test_an_old_link_to_a_checked_resolution_says_so(register, client, django_capture_on_commit_callbacks):
    from datetime import timedelta

    import time_machine

    with django_capture_on_commit_callbacks(execute=True):
        record(client, 910001)
    link = confirm_link(mail.outbox[-1])
    client.post(link)
    decide = BoardResolution.objects.get()
    decide.decide(True, by=None)
    with time_machine.travel(timedelta(days=8)):
        page = client.get(link).content.decode()
    assert "It has been checked and counts." in page and "has not been counted" not in page


@pytest.mark.django_db
def test_staff_decide_from_the_resolutions_own_page(register, client):
    resolution = approved(910001)
    BoardResolution.objects.filter(pk=resolution.pk).update(state=BoardResolution.State.CONFIRMED)
    moderator = staff_client("Moderator")
    page = moderator.get(f"/admin/pledges/boardresolution/{resolution.pk}/change/").content.decode()
    assert 'value="approve"' in page and "It covers 4 open schools" in page
    url = f"/admin/pledges/boardresolution/{resolution.pk}/decide/"
    assert moderator.get(url).status_code == 405
    assert client.post(url, {"decision": "approve"}).status_code == 302  # signed out: to the login
    assert BoardResolution.objects.get().state == BoardResolution.State.CONFIRMED
    moderator.post(url, {"decision": "reject", "note": "no minutes"})
    assert BoardResolution.objects.get().state == BoardResolution.State.REJECTED
    assert AuditEntry.objects.filter(action="reject resolution", note__contains="no minutes").exists()
