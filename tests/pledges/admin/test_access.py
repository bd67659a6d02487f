"""Who may see signers' private details is one permission, held everywhere the admin can show them (item 2)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.contrib.auth.models import Group, Permission

from pledges.models import AuditEntry, Signature
from tests.factories import ConfirmedSignatureFactory
from tests.staff import staff_client

CHANGELIST = "/admin/pledges/signature/"
SECRET_FIELDS = {
    "email": "jane.private@school.example",
    "union": "neu",
    "withdraw_reason": "my head of trust told me to",
}


@pytest.fixture
def signer(support) -> Signature:
    signature = ConfirmedSignatureFactory(
        pledge=support,
        name="Jane Private",
        email="jane.private@school.example",
        canonical_email="jane.private@school.example",
        email_domain="school.example",
        union="neu",
        union_consent=True,
        ip_hash="ab" * 32,
        network_hash="cd" * 32,
        withdraw_reason="my head of trust told me to",
    )
    AuditEntry.objects.create(action="approve", signature=signature)
    return signature


@pytest.fixture
def moderator(db):
    return staff_client("Moderator")


@pytest.fixture
def lead(db):
    return staff_client("Campaign lead")


LOOKUPS = [
    "email__startswith=j",
    "email__regex=^j",
    "email__iexact=jane.private@school.example",
    "canonical_email__endswith=.example",
    "email_domain=school.example",
    "email_domain__contains=school",
    "union=neu",
    "union_consent__exact=1",
    "ip_hash__startswith=ab",
    "network_hash__startswith=cd",
    "withdraw_reason__icontains=trust",
]


@pytest.mark.django_db
@pytest.mark.parametrize("lookup", LOOKUPS)
def test_it_refuses_a_moderator_a_lookup_on_a_private_field(moderator, signer, lookup):
    response = moderator.get(f"{CHANGELIST}?{lookup}")
    assert response.status_code == 400
    assert "Jane Private" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("lookup", LOOKUPS[:3])
def test_it_lets_a_campaign_lead_look_up_addresses(lead, signer, lookup):
    response = lead.get(f"{CHANGELIST}?{lookup}")
    assert response.status_code == 200
    assert "Jane Private" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/admin/pledges/auditentry/?signature__email__startswith=j",
        "/admin/pledges/auditentry/?signature__canonical_email=jane.private@school.example",
        "/admin/pledges/auditentry/?signature__union=neu",
    ],
)
def test_it_refuses_lookups_through_a_relation_too(moderator, signer, path):
    assert moderator.get(path).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["jane.private@school.example", "school.example", "neu"])
def test_it_never_finds_a_signer_by_address_for_a_moderator(moderator, signer, term):
    page = moderator.get(CHANGELIST, {"q": term}).content.decode()
    assert "Jane Private" not in page
    autocomplete = moderator.get(
        "/admin/autocomplete/",
        {"term": term, "app_label": "pledges", "model_name": "auditentry", "field_name": "signature"},
    )
    assert autocomplete.status_code in {403, 404} or json.loads(autocomplete.content)["results"] == []


@pytest.mark.django_db
def test_it_finds_a_signer_by_exact_address_for_a_campaign_lead(lead, signer):
    assert "Jane Private" in lead.get(CHANGELIST, {"q": "jane.private@school.example"}).content.decode()


@pytest.mark.django_db
def test_it_shows_a_moderator_no_private_detail_on_the_change_page_or_the_list(moderator, lead, signer):
    change = moderator.get(f"{CHANGELIST}{signer.pk}/change/").content.decode()
    listing = moderator.get(CHANGELIST).content.decode()
    assert "Jane Private" in change and "Jane Private" in listing
    for page in (change, listing):
        for value in ["jane.private@school.example", "school.example", "ab" * 32, "cd" * 32, "head of trust"]:
            assert value not in page
        assert "union given" not in page and "NEU" not in page
    full = lead.get(f"{CHANGELIST}{signer.pk}/change/").content.decode()
    assert "jane.private@school.example" in full and "head of trust" in full


@pytest.mark.django_db
def test_it_leaves_the_address_out_of_an_export_for_staff_who_may_not_see_it(signer):
    exporter = staff_client("Moderator", email="exporter@pauseofsted.example")
    group = Group.objects.create(name="Exporters")
    group.permissions.add(Permission.objects.get(codename="export_signatures"))
    exporter.user.groups.add(group)
    response = exporter.get(f"{CHANGELIST}export/")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert "email" not in rows[0] and "Jane Private" in {cell for row in rows for cell in row}
    assert "jane.private@school.example" not in str(rows)


@pytest.mark.django_db
def test_it_keeps_the_outbox_addresses_from_staff_without_the_permission(signer):
    viewer = staff_client("Moderator", email="outbox-viewer@pauseofsted.example")
    viewer.user.user_permissions.add(Permission.objects.get(codename="view_email"))
    assert viewer.get("/admin/pledges/email/?to__startswith=j").status_code == 400
    assert viewer.get("/admin/pledges/email/").status_code == 200
