"""Support by parliamentary constituency: from the signer's school in the register, or from a postcode
placed by the register's own postcodes (never kept), under the disclosure control."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command

from pledges.constituencies import by_constituency
from pledges.models import PostcodeArea, Signature
from pledges.schools import constituency_of_postcode, parse_postcode
from tests.factories import ConfirmedSignatureFactory
from tests.pledges.conftest import confirm_link, form_data

REGISTER = Path(__file__).parent / "fixtures" / "trust_register.csv"


@pytest.fixture
def register(db):
    call_command("import_schools", str(REGISTER))
    call_command("import_schools", str(Path(__file__).parent / "fixtures" / "schools.csv"))


def test_it_reads_a_postcode_in_any_case_and_spacing():
    assert parse_postcode("rg1 1zz") == ("RG1", "RG1 1")
    assert parse_postcode("SW1A1AA") == ("SW1A", "SW1A 1")
    assert parse_postcode("not a postcode") is None and parse_postcode("") is None


@pytest.mark.django_db
def test_it_places_postcodes_by_the_registers_schools(register):
    assert PostcodeArea.objects.filter(prefix="RG1 1").get().constituency == "Reading Central"
    assert constituency_of_postcode("RG1 1AB") == "Reading Central", "the sector"
    assert constituency_of_postcode("RG1 9XY") == "Reading Central", "the district, where the sector has no school"
    assert constituency_of_postcode("ZE2 9QQ") == "", "nowhere the register knows"


@pytest.mark.django_db
def test_it_counts_signers_by_their_schools_constituency(register, client, support, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([support], school="910001", school_query="910001", region=""))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_link(mail.outbox[-1]))
    assert Signature.objects.get().constituency == "Reading Central"


@pytest.mark.django_db
def test_it_takes_a_postcode_once_and_never_keeps_it(client, register, support, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/sign/", form_data([support], region="J", postcode="sl1 1aa")).status_code == 302
    signature = Signature.objects.get()
    assert signature.constituency == "Slough"
    assert "SL1" not in str(Signature.objects.values().get()).upper(), "the postcode is not stored"
    bad = client.post("/sign/", form_data([support], email="x@example.org", region="J", postcode="12345"))
    assert bad.status_code == 400 and "Enter a real postcode, like SW1A 1AA" in bad.content.decode()


@pytest.mark.django_db
def test_it_publishes_constituencies_under_the_disclosure_control(client, support, stand_down):
    ConfirmedSignatureFactory.create_batch(5, pledge=support, constituency="Reading Central")
    ConfirmedSignatureFactory.create_batch(4, pledge=support, constituency="Slough")
    ConfirmedSignatureFactory.create_batch(1, pledge=support, constituency="Banbury")
    ConfirmedSignatureFactory.create_batch(3, pledge=stand_down, constituency="Banbury")
    cache.clear()
    rows = {row["name"]: row for row in by_constituency()}
    assert rows["Reading Central"]["pledges"]["support-the-pause"] == 5
    assert rows["Banbury"]["pledges"]["support-the-pause"] is None, "one signer is withheld"
    assert rows["Slough"]["pledges"]["support-the-pause"] is None, (
        "and the next smallest, so the total gives nothing away"
    )
    assert rows["Banbury"]["pledges"]["stand-down"] == 3
    page = client.get("/constituencies/banbury/").content.decode()
    assert "#PauseOfsted in Banbury" in page and "withheld" in page
    assert "/constituencies/banbury/?src=mp" in page
    api = client.get("/api/v1/constituencies").json()["constituencies"]
    assert {row["slug"] for row in api} == {"reading-central", "slough", "banbury"}
    csv = client.get("/api/v1/constituencies.csv").content.decode()
    assert (
        csv.splitlines()[0] == "constituency,stand-down,refuse-release,support-the-pause,schools_covered_by_resolutions"
    )
    assert "Banbury,3,0,withheld,0" in csv.splitlines()
    assert client.get("/constituencies/nowhere/").status_code == 404
