"""Signers control their data from My pledges: union consent, corrections, email choices (issue 14)."""

from __future__ import annotations

import pytest

from pledges.counting import current_counts
from pledges.models import AuditEntry, EmailPreference, Signature
from tests.factories import SchoolFactory
from tests.pledges.conftest import log_in_by_code, sign_and_confirm


@pytest.fixture
def signed_in(client, support, stand_down, django_capture_on_commit_callbacks):
    sign_and_confirm(client, [support, stand_down], django_capture_on_commit_callbacks, union="neu", union_consent="on")
    log_in_by_code(client, "jane@example.com", django_capture_on_commit_callbacks)
    return client


@pytest.mark.django_db
def test_it_deletes_the_union_at_once_when_consent_is_withdrawn(signed_in):
    page = signed_in.get("/my/pledges/").content.decode()
    assert "NEU" in page and "Withdraw consent and delete my union" in page
    signed_in.post("/my/union/withdraw/")
    assert set(Signature.objects.values_list("union", "union_consent")) == {("", False)}
    assert Signature.objects.counted().count() == 2, "the signatures still count"
    assert AuditEntry.objects.filter(action="withdraw union consent").count() == 2
    assert "NEU" not in signed_in.get("/my/pledges/").content.decode()
    assert '"union": "NEU"' not in signed_in.post("/my/data/download/").content.decode()


@pytest.mark.django_db
def test_it_corrects_name_role_school_and_region_and_moves_the_count(signed_in, support):
    school = SchoolFactory(name="Kestrel Academy", region="K", la_name="Devon")
    Signature.objects.update(wall=Signature.Wall.APPROVED, appearance="name")
    form = signed_in.get("/my/details/").content.decode()
    assert 'value="Jane Head"' in form
    found = signed_in.post("/my/details/", {"school_query": "kestrel", "find_school": "1", "name": "Jane Head"})
    assert "Kestrel Academy" in found.content.decode()
    saved = signed_in.post(
        "/my/details/", {"name": "Jane Hart", "role": "head", "school_query": "kestrel", "school": school.urn}
    )
    assert saved.status_code == 302
    rows = set(Signature.objects.values_list("name", "school_id", "region", "local_authority", "wall"))
    assert rows == {("Jane Hart", school.urn, "K", "Devon", Signature.Wall.AWAITING)}, "a new name is checked again"
    counts = current_counts()
    assert counts[support.pk] == {"K": 1}
    notes = set(AuditEntry.objects.filter(action="correct details").values_list("note", flat=True))
    assert notes == {"local_authority, name, region, school, wall"}
    assert "Jane" not in " ".join(notes)


@pytest.mark.django_db
def test_it_refuses_a_correction_with_a_message_not_a_500(signed_in):
    response = signed_in.post("/my/details/", {"name": "\u3164\u3164", "role": "emperor", "region": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select your role from the list" in page and "hidden characters" in page
    refused = signed_in.post("/my/details/", {"name": "Jane Head", "role": "parent", "region": "H"})
    assert refused.status_code == 400 and "is not for that role" in refused.content.decode()
    assert set(Signature.objects.values_list("role", flat=True)) == {"head"}


@pytest.mark.django_db
def test_it_lets_a_signer_stop_and_restart_each_kind_of_email(signed_in):
    signed_in.post("/my/emails/", {"updates": "1"})
    preference = EmailPreference.objects.get()
    assert (preference.reminders, preference.updates) == (False, True)
    signed_in.post("/my/emails/", {"reminders": "1", "updates": "1"})
    preference.refresh_from_db()
    assert (preference.reminders, preference.updates) == (True, True)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/my/details/", "/my/union/withdraw/", "/my/emails/"])
def test_it_keeps_these_pages_to_the_signed_in_signer(client, path):
    assert client.post(path).status_code == 302
    assert client.get(path).status_code in {302, 405}


@pytest.mark.django_db
def test_it_asks_for_a_region_when_the_school_is_outside_england_s_regions(signed_in):
    welsh = SchoolFactory(name="Ysgol Invented", region="", la_name="Wrexham")
    response = signed_in.post(
        "/my/details/", {"name": "Jane Head", "role": "head", "school_query": "ysgol", "school": welsh.urn}
    )
    assert response.status_code == 400
    assert "select your region" in response.content.decode()
    assert not Signature.objects.filter(region="").exists()
