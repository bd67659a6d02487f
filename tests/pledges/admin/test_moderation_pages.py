"""The admin a moderator works in: the wall shown only where it applies, the approval queue, the
decisions as buttons on a signature's page, a dashboard chart with axes, and jobs that report progress."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from pledges.models import AuditEntry, Broadcast, Email, Invalidation, RejectionReason, Signature
from tests.factories import ConfirmedSignatureFactory, PendingSignatureFactory, WithdrawnSignatureFactory
from tests.staff import staff_client

CHANGELIST = "/admin/pledges/signature/"


@pytest.fixture
def moderator(db):
    return staff_client("Moderator")


def wall_cells(page: str) -> list[str]:
    return re.findall(r'<td class="field-wall_column">([^<]*)</td>', page)


@pytest.mark.django_db
def test_it_shows_the_wall_only_where_a_decision_applies(moderator, support):
    ConfirmedSignatureFactory(pledge=support, appearance="name")
    ConfirmedSignatureFactory(pledge=support, appearance="counted")
    PendingSignatureFactory(pledge=support, appearance="name")
    WithdrawnSignatureFactory(pledge=support, appearance="name")
    rejected = ConfirmedSignatureFactory(pledge=support, appearance="name")
    rejected.reject(by=None, reason="test")
    cells = wall_cells(moderator.get(CHANGELIST).content.decode())
    assert sorted(cells) == ["Awaiting approval", "counted only", "not counted", "not counted", "not counted"]


@pytest.mark.django_db
def test_it_keeps_the_approval_queue_to_named_counted_signatures(moderator, support):
    ConfirmedSignatureFactory(pledge=support, appearance="name_school", name="Wanda Waiting")
    ConfirmedSignatureFactory(pledge=support, appearance="counted", name="Carl Counted")
    PendingSignatureFactory(pledge=support, appearance="name", name="Pat Pending")
    ConfirmedSignatureFactory(pledge=support, appearance="name", name="Alan Approved").approve(by=None)
    response = moderator.get(f"{CHANGELIST}approval-queue/", follow=True)
    page = response.content.decode()
    assert "<h1>Approval queue</h1>" in page
    assert "Wanda Waiting" in page
    assert not {"Carl Counted", "Pat Pending", "Alan Approved"} & set(re.findall(r">([A-Z][a-z]+ [A-Z][a-z]+)<", page))
    assert "Approval queue (1)" in moderator.get(CHANGELIST).content.decode()


@pytest.mark.django_db
def test_it_offers_only_the_decisions_that_apply_as_buttons(moderator, support):
    named = ConfirmedSignatureFactory(pledge=support, appearance="name")
    counted = ConfirmedSignatureFactory(pledge=support, appearance="counted")
    page = moderator.get(f"{CHANGELIST}{named.pk}/change/").content.decode()
    assert re.findall(r'name="step" value="(\w+)"', page) == ["approve", "hide", "mark_fraudulent", "reject"]
    page = moderator.get(f"{CHANGELIST}{counted.pk}/change/").content.decode()
    assert re.findall(r'name="step" value="(\w+)"', page) == ["mark_fraudulent", "reject"], "no wall for counted only"


@pytest.mark.django_db
def test_it_approves_rejects_and_restores_from_the_signature_page_with_audit_rows(moderator, support):
    named = ConfirmedSignatureFactory(pledge=support, appearance="name")
    url = f"{CHANGELIST}{named.pk}/moderate/"
    assert moderator.get(url).status_code == 405, "a decision is never taken on GET"
    assert moderator.post(url, {"step": "approve"}).status_code == 302
    named.refresh_from_db()
    assert named.wall == Signature.Wall.APPROVED
    refused = moderator.post(url, {"step": "reject"}, follow=True).content.decode()
    assert "Choose a reason to reject this signature." in refused
    reason = RejectionReason.objects.first()
    moderator.post(url, {"step": "reject", "reason": reason.pk, "note": "duplicate"})
    named.refresh_from_db()
    assert named.state == Signature.State.REJECTED
    again = moderator.post(url, {"step": "approve"}, follow=True).content.decode()
    assert "That decision does not apply to this signature now." in again
    moderator.post(url, {"step": "restore"})
    named.refresh_from_db()
    assert named.state == Signature.State.CONFIRMED
    actions = list(AuditEntry.objects.filter(signature=named).order_by("at").values_list("action", flat=True))
    assert actions == ["approve", "reject", "restore"]


@pytest.mark.django_db
def test_it_refuses_the_buttons_to_anyone_who_may_not_moderate(support, client):
    named = ConfirmedSignatureFactory(pledge=support, appearance="name")
    response = client.post(f"{CHANGELIST}{named.pk}/moderate/", {"step": "approve"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    named.refresh_from_db()
    assert named.wall == Signature.Wall.AWAITING


@pytest.mark.django_db
def test_it_draws_the_dashboard_chart_with_axes_and_labels(moderator, support):
    ConfirmedSignatureFactory.create_batch(4, pledge=support)
    page = moderator.get(f"{CHANGELIST}dashboard/").content.decode()
    chart = page.split('<svg class="admin-chart"', 1)[1].split("</svg>", 1)[0]
    ticks = re.findall(r'text-anchor="end">(\d+)</text>', chart)
    assert ticks == ["0", "2", "4"], "the y axis is numbered to the peak"
    assert len(re.findall(r"\d{1,2} [A-Z][a-z]{2}</text>", chart)) >= 5, "dates along the x axis"
    assert "Day confirmed" in chart and ">Confirmed</text>" in chart


@pytest.mark.django_db
def test_it_says_a_broadcasts_audience_and_what_is_queued_sent_and_failed(support):
    lead = staff_client("Campaign lead")
    ConfirmedSignatureFactory.create_batch(3, pledge=support)
    broadcast = Broadcast.objects.create(subject="News", body="Hello", pledge=support)
    listing = lead.get("/admin/pledges/broadcast/").content.decode()
    assert "3 now" in listing, "a draft's audience is who would get it now, not 0"
    broadcast.state, broadcast.audience_size = Broadcast.State.SENDING, 3
    broadcast.save()
    for number, state in enumerate([Email.State.PENDING, Email.State.SENT, Email.State.FAILED]):
        Email.objects.create(
            key=f"broadcast:{broadcast.pk}:{number}", to="x@example.org", subject="s", text="t", state=state
        )
    Email.objects.create(key=f"broadcast:{broadcast.pk}:test:1", to="x@example.org", subject="s", text="t")
    page = lead.get(f"/admin/pledges/broadcast/{broadcast.pk}/change/").content.decode()
    assert "1 sent, 1 queued, 1 failed, of 3" in page
    assert '<progress max="3" value="2">' in page and 'data-running="true"' in page
    progress = lead.get(f"/admin/pledges/broadcast/{broadcast.pk}/progress/").json()
    assert progress == {
        "state": "Sending",
        "running": True,
        "done": 2,
        "total": 3,
        "text": "1 sent, 1 queued, 1 failed, of 3",
    }


@pytest.mark.django_db
def test_it_reports_an_invalidations_progress_to_staff_only(support, client):
    lead = staff_client("Campaign lead")
    job = Invalidation.objects.create(summary="spam", email_domain="spam.example", matched=10, invalidated=4)
    job.state = Invalidation.State.RUNNING
    job.save()
    listing = lead.get("/admin/pledges/invalidation/").content.decode()
    assert '<progress max="10" value="4">' in listing and "4 of 10 invalidated" in listing
    assert lead.get(f"/admin/pledges/invalidation/{job.pk}/progress/").json()["done"] == 4
    assert Client().get(f"/admin/pledges/invalidation/{job.pk}/progress/").status_code == 302
