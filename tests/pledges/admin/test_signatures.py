from __future__ import annotations

import csv
import io

import pytest
from django.core import mail

from pledges.counting import current_counts, total
from pledges.models import AuditEntry, Invalidation, Pledge, RejectionReason, Signature, SiteSwitches
from tests.factories import ConfirmedSignatureFactory, PendingSignatureFactory
from tests.staff import staff_client

CHANGELIST = "/admin/pledges/signature/"


@pytest.fixture
def moderator(db):
    return staff_client("Moderator")


@pytest.fixture
def lead(db):
    return staff_client("Campaign lead")


def act(client, action: str, signatures, **extra):
    data = {"action": action, "_selected_action": [s.pk for s in signatures], **extra}
    return client.post(CHANGELIST, data)


@pytest.mark.django_db
def test_it_approves_and_hides_names_with_an_audit_row(moderator, support):
    named = ConfirmedSignatureFactory(pledge=support, appearance="name")
    act(moderator, "approve", [named])
    named.refresh_from_db()
    assert named.wall == Signature.Wall.APPROVED
    assert list(Signature.objects.public()) == [named]
    act(moderator, "hide", [named])
    named.refresh_from_db()
    assert named.wall == Signature.Wall.HIDDEN
    assert not Signature.objects.public().exists()
    actions = list(AuditEntry.objects.filter(signature=named).order_by("at").values_list("action", "actor__email"))
    assert actions == [("approve", "moderator@pauseofsted.example"), ("hide", "moderator@pauseofsted.example")]
    page = moderator.get(f"{CHANGELIST}{named.pk}/change/").content.decode()
    assert "Audit trail" in page and "approve" in page and "hide" in page


@pytest.mark.django_db
def test_it_rejects_with_a_reason_and_a_note_and_the_count_drops(moderator, support):
    signatures = ConfirmedSignatureFactory.create_batch(3, pledge=support)
    reason = RejectionReason.objects.get(text="Not a real person's name")
    confirm_page = act(moderator, "reject", signatures[:2])
    assert "Reject 2 signatures" in confirm_page.content.decode()
    act(moderator, "reject", signatures[:2], apply="1", reason=reason.pk, note="Cartoon names")
    assert Signature.objects.filter(state=Signature.State.REJECTED).count() == 2
    assert total(current_counts(), support.pk) == 1
    entry = AuditEntry.objects.filter(action="reject").first()
    assert (entry.reason, entry.note, entry.actor.email) == (
        reason.text,
        "Cartoon names",
        "moderator@pauseofsted.example",
    )


@pytest.mark.django_db
def test_it_marks_fraudulent_and_restores_with_exact_counts(moderator, support):
    confirmed = ConfirmedSignatureFactory(pledge=support)
    pending = PendingSignatureFactory(pledge=support)
    act(moderator, "mark_fraudulent", [confirmed, pending])
    assert total(current_counts(), support.pk) == 0
    assert Signature.objects.filter(state=Signature.State.FRAUDULENT).count() == 2
    act(moderator, "restore", [confirmed, pending])
    confirmed.refresh_from_db()
    pending.refresh_from_db()
    assert (confirmed.state, pending.state) == (Signature.State.CONFIRMED, Signature.State.PENDING)
    assert total(current_counts(), support.pk) == 1
    assert AuditEntry.objects.filter(action="restore").count() == 2
    act(moderator, "restore", [confirmed])
    assert total(current_counts(), support.pk) == 1, "restoring twice changes nothing"


@pytest.mark.django_db
def test_it_hides_email_addresses_and_export_from_moderators(moderator, support):
    signature = ConfirmedSignatureFactory(pledge=support, email="private.person@example.org")
    for path in [CHANGELIST, f"{CHANGELIST}{signature.pk}/change/"]:
        page = moderator.get(path).content.decode()
        assert "private.person@example.org" not in page
        assert "privateperson" not in page
    assert "Export" not in moderator.get(CHANGELIST).content.decode()
    assert moderator.get(f"{CHANGELIST}export/").status_code == 403
    assert act(moderator, "export_csv", [signature]).status_code == 302, "the action is not offered"
    assert moderator.get("/admin/pledges/siteswitches/1/change/").status_code == 403
    assert moderator.get("/admin/pledges/invalidation/add/").status_code == 403
    assert moderator.get("/admin/pledges/email/").status_code == 403


@pytest.mark.django_db
def test_it_shows_email_addresses_and_exports_for_campaign_leads(lead, support):
    signature = ConfirmedSignatureFactory(pledge=support, email="private.person@example.org")
    assert "private.person@example.org" in lead.get(f"{CHANGELIST}{signature.pk}/change/").content.decode()
    response = lead.get(f"{CHANGELIST}export/?state__exact=confirmed")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["id", "pledge", "name", "email"]
    assert rows[1][3] == "private.person@example.org"
    assert AuditEntry.objects.filter(action="export", actor=lead.user).exists()


@pytest.mark.django_db
def test_it_neutralises_formula_shaped_names_in_the_export(lead, support):
    names = ['=HYPERLINK("http://x","c")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "\tTab", "\rReturn", "Plain"]
    for name in names:
        ConfirmedSignatureFactory(pledge=support, name=name)
    response = lead.get(f"{CHANGELIST}export/")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode(), newline="")))
    exported = sorted(row[2] for row in rows[1:])
    assert exported == sorted(["'" + n for n in names[:-1]] + ["Plain"])


@pytest.mark.django_db
def test_it_lists_a_hundred_rows_without_a_query_per_row(lead, support, django_assert_max_num_queries):
    ConfirmedSignatureFactory.create_batch(10, pledge=support)
    with django_assert_max_num_queries(30) as few:
        lead.get(CHANGELIST)
    ConfirmedSignatureFactory.create_batch(90, pledge=support)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = lead.get(CHANGELIST).content.decode()
    assert page.count('class="action-select"') == 100


@pytest.mark.django_db
def test_it_invalidates_a_thousand_signatures_by_criteria_and_counts_stay_exact(
    lead, support, django_capture_on_commit_callbacks
):
    ConfirmedSignatureFactory.create_batch(1000, pledge=support, email_domain="bulk.example")
    PendingSignatureFactory.create_batch(5, pledge=support, email_domain="bulk.example")
    ConfirmedSignatureFactory.create_batch(7, pledge=support, email_domain="school.example")
    lead.post(
        "/admin/pledges/invalidation/add/",
        {"summary": "Bot run from bulk.example", "email_domain": "bulk.example", "pledge": support.pk},
    )
    invalidation = Invalidation.objects.get()
    assert invalidation.matched == 1005
    page = lead.get(f"/admin/pledges/invalidation/{invalidation.pk}/change/").content.decode()
    assert "1005" in page
    with django_capture_on_commit_callbacks(execute=True):
        lead.post("/admin/pledges/invalidation/", {"action": "start", "_selected_action": [invalidation.pk]})
    invalidation.refresh_from_db()
    assert (invalidation.state, invalidation.invalidated) == (Invalidation.State.DONE, 1005)
    assert total(current_counts(), support.pk) == 7
    assert Signature.objects.counted().count() == 7
    from pledges.counting import recount_all

    assert recount_all().drift == {}, "nothing for the recount to repair"
    assert (
        AuditEntry.objects.filter(action="invalidate", reason__startswith=f"Invalidation #{invalidation.pk}").count()
        == 1005
    )


@pytest.mark.django_db
def test_it_stops_a_cancelled_invalidation(lead, support, django_capture_on_commit_callbacks):
    ConfirmedSignatureFactory.create_batch(3, pledge=support, email_domain="bulk.example")
    lead.post("/admin/pledges/invalidation/add/", {"summary": "x", "email_domain": "bulk.example"})
    invalidation = Invalidation.objects.get()
    lead.post("/admin/pledges/invalidation/", {"action": "start", "_selected_action": [invalidation.pk]})
    lead.post("/admin/pledges/invalidation/", {"action": "cancel", "_selected_action": [invalidation.pk]})
    from pledges.tasks import run_invalidation

    run_invalidation(invalidation.pk)  # the queued job arrives after the cancel
    assert Signature.objects.counted().count() == 3
    assert Invalidation.objects.get().state == Invalidation.State.CANCELLED


@pytest.mark.django_db
def test_it_refuses_an_invalidation_with_no_criteria(lead, support):
    response = lead.post("/admin/pledges/invalidation/add/", {"summary": "everything", "pledge": support.pk})
    assert response.status_code == 200
    assert "Choose at least one criterion" in response.content.decode()
    assert not Invalidation.objects.exists()


@pytest.mark.django_db
def test_it_flags_a_surge_from_one_network(
    client, moderator, lead, support, settings, django_capture_on_commit_callbacks
):
    from tests.pledges.conftest import form_data

    settings.TRENDING_THRESHOLD_PER_HOUR = 5
    settings.SIGNING_RATE_PER_IP = 1000
    for number in range(6):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/sign/", form_data([support], email=f"p{number}@n{number}.example"), REMOTE_ADDR=f"198.51.100.{number}"
            )
    assert moderator.get(f"{CHANGELIST}trending/").status_code == 403, "domains and network hashes are private"
    page = lead.get(f"{CHANGELIST}trending/").content.decode()
    assert "<td>6</td>" in page
    assert "Invalidate…" in page


@pytest.mark.django_db
def test_it_pauses_signing_and_freezes_counts_without_a_deploy(
    client, lead, support, django_capture_on_commit_callbacks
):
    ConfirmedSignatureFactory(pledge=support)
    lead.post(
        "/admin/pledges/siteswitches/1/change/",
        {"signing_paused": "on", "pause_message": "Back at noon.", "counts_frozen": "on"},
    )
    paused = client.get("/sign/")
    assert paused.status_code == 503
    assert "Back at noon." in paused.content.decode()
    ConfirmedSignatureFactory(pledge=support)
    assert total(current_counts(), support.pk) == 1, "frozen"
    lead.post("/admin/pledges/siteswitches/1/change/", {"pause_message": "x"})
    assert client.get("/sign/").status_code == 200
    assert total(current_counts(), support.pk) == 2
    assert AuditEntry.objects.filter(action="site switches").count() == 2
    assert SiteSwitches.objects.count() == 1
    assert mail.outbox == []
    assert Pledge.objects.count() == 3


@pytest.mark.django_db
def test_it_shows_the_dashboard(lead, support):
    ConfirmedSignatureFactory.create_batch(3, pledge=support, appearance="name")
    page = lead.get(f"{CHANGELIST}dashboard/").content.decode()
    assert "Support the pause" in page
    assert "3 named signatures" in page
    assert "Email outbox" in page and "Last recount" in page


@pytest.mark.django_db
@pytest.mark.parametrize(("signers", "said"), [(1, "1 signature matches."), (2, "2 signatures match.")])
def test_it_says_how_many_an_invalidation_matches_in_good_english(lead, support, signers, said):
    ConfirmedSignatureFactory.create_batch(signers, pledge=support, email_domain="one.example")
    response = lead.post(
        "/admin/pledges/invalidation/add/", {"summary": "x", "email_domain": "one.example", "pledge": support.pk},
        follow=True,
    )  # fmt: skip
    assert said in response.content.decode()
