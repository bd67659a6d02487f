"""The stand-down ledger: a status history that moves the public figures both ways, in Ofsted's
eight regions, under the disclosure control; and conditional commitments that activate exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from pledges import ledger, services
from pledges.models import AuditEntry, Email, InspectorStatusChange, OfstedRegion, Signature
from tests.factories import ConfirmedSignatureFactory, WithdrawnSignatureFactory
from tests.pledges.conftest import confirm_link, form_data, log_in_by_code
from tests.pledges.test_services import SERVICE_DB, all_at_once

UNAVAILABLE = Signature.InspectorStatus.UNAVAILABLE
RESIGNED = Signature.InspectorStatus.RESIGNED
RETURNED = Signature.InspectorStatus.RETURNED
CONDITIONAL = Signature.InspectorStatus.CONDITIONAL


def inspectors(stand_down, count: int, status=UNAVAILABLE, region="H", **fields) -> list[Signature]:
    return ConfirmedSignatureFactory.create_batch(
        count, pledge=stand_down, inspector_status=status, region=region, **fields
    )


def fresh() -> dict:
    cache.clear()
    return ledger.figures()


def region_row(figures: dict, code: str) -> dict:
    return next(row for row in figures["by_region"] if row["code"] == code)


def test_it_merges_north_east_and_yorkshire_as_ofsted_does():
    assert OfstedRegion.of("A") == OfstedRegion.of("D") == "AD"
    assert OfstedRegion.of("H") == "H" and OfstedRegion.of("X") == ""
    assert len(OfstedRegion.values) == 8


@pytest.mark.django_db
def test_a_status_history_moves_the_public_figures_both_ways(stand_down):
    signers = inspectors(stand_down, 4)
    inspectors(stand_down, 3, status=RESIGNED)
    assert fresh()["national"]["unavailable"] == 4
    today = timezone.localdate()
    assert services.change_inspector_status(signers[0], RETURNED, on=today, by=None)
    figures = fresh()
    assert figures["national"]["unavailable"] == 3
    assert region_row(figures, "H")["unavailable"] == 3
    assert services.change_inspector_status(signers[0], RESIGNED, on=today, by=None)
    figures = fresh()
    assert figures["national"] == {"unavailable": 3, "resigned": 4, "conditional": 0, "active": 0}
    assert figures["stood_down"] == 7
    assert figures["share_percent"] == round(100 * 7 / stand_down.denominator_figure.number, 1)
    history = list(InspectorStatusChange.objects.filter(signature=signers[0]).values_list("previous", "status"))
    assert history == [(UNAVAILABLE, RETURNED), (RETURNED, RESIGNED)]
    assert AuditEntry.objects.filter(signature=signers[0], action="change inspector status").count() == 2


@pytest.mark.django_db
def test_it_never_goes_below_zero_and_counts_only_counted_people(stand_down):
    signers = inspectors(stand_down, 3)
    WithdrawnSignatureFactory.create_batch(3, pledge=stand_down, inspector_status=UNAVAILABLE, region="H")
    for signature in signers:
        services.change_inspector_status(signature, RETURNED, on=timezone.localdate(), by=None)
        assert not services.change_inspector_status(signature, RETURNED, on=timezone.localdate(), by=None)
    figures = fresh()
    assert figures["national"]["unavailable"] == 0
    assert all(row["unavailable"] in (0, None) for row in figures["by_region"])
    assert min(p["unavailable"] or 0 for p in figures["over_time"]) >= 0


@pytest.mark.django_db
def test_it_withholds_small_figures_nationally_and_by_region(stand_down):
    inspectors(stand_down, 1, region="K")
    inspectors(stand_down, 5, region="J")
    figures = fresh()
    assert figures["national"]["unavailable"] == 6
    assert region_row(figures, "K")["unavailable"] is None, "one inspector in a region is never shown"
    assert region_row(figures, "J")["unavailable"] is None, "else the total minus the others gives it away"
    cache.clear()
    inspectors(stand_down, 1, status=RESIGNED, region="H")
    assert fresh()["national"]["resigned"] is None


@pytest.mark.django_db
def test_it_draws_the_history_week_by_week_from_the_dates_given(stand_down):
    signers = inspectors(stand_down, 3, confirmed_at=timezone.now() - timedelta(weeks=4))
    with pytest.raises(services.SigningError, match="on or after"):
        services.change_inspector_status(signers[0], RESIGNED, on=timezone.localdate() - timedelta(weeks=5), by=None)
    for signature in signers:
        services.change_inspector_status(signature, RESIGNED, on=timezone.localdate() - timedelta(weeks=2), by=None)
    points = fresh()["over_time"]
    assert points[0]["unavailable"] in (0, None)
    four_weeks_ago = next(p for p in points if p["unavailable"] == 3)
    two_weeks_ago = next(p for p in points if p["resigned"] == 3)
    assert four_weeks_ago["week_ending"] < two_weeks_ago["week_ending"]
    assert points[-1] == {**points[-1], "unavailable": 0, "resigned": 3}
    national = fresh()["national"]
    assert (points[-1]["unavailable"], points[-1]["resigned"]) == (national["unavailable"], national["resigned"])


@pytest.mark.django_db
def test_it_refuses_a_status_the_signature_cannot_have(stand_down, support):
    signature = inspectors(stand_down, 1)[0]
    supporter = ConfirmedSignatureFactory(pledge=support)
    with pytest.raises(services.SigningError, match="must be today or in the past"):
        services.change_inspector_status(signature, RESIGNED, on=timezone.localdate() + timedelta(days=1), by=None)
    with pytest.raises(services.SigningError, match="does not record"):
        services.change_inspector_status(supporter, RESIGNED, on=timezone.localdate(), by=None)
    with pytest.raises(services.SigningError, match="how many others"):
        services.change_inspector_status(signature, CONDITIONAL, on=timezone.localdate(), by=None)
    abroad = inspectors(stand_down, 1, region="X")[0]
    with pytest.raises(services.SigningError, match="region in England"):
        services.change_inspector_status(abroad, CONDITIONAL, on=timezone.localdate(), by=None, stand_down_after=5)


@pytest.mark.django_db
def test_a_signer_changes_their_status_from_my_pledges(client, stand_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", form_data([stand_down]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_link(mail.outbox[0]))
    log_in_by_code(client, "jane@example.com", django_capture_on_commit_callbacks)
    signature = Signature.objects.get()
    page = client.get("/my/pledges/").content.decode()
    assert "What you have done as an inspector" in page and "I have made myself unavailable" in page
    url = f"/my/pledges/{signature.pk}/inspector-status/"
    bad = client.post(url, {"status": RESIGNED, "day": "31", "month": "2", "year": "2026"})
    assert bad.status_code == 400 and "Enter a real date" in bad.content.decode()
    future = (timezone.localdate() + timedelta(days=3)).timetuple()
    late = client.post(url, {"status": RESIGNED, "day": future.tm_mday, "month": future.tm_mon, "year": future.tm_year})
    assert late.status_code == 400
    words = client.post(url, {"status": RESIGNED, "day": "x", "month": "0", "year": "26"}).content.decode()
    assert words.count("Enter a real date") == 2, "one message, in the summary and by the field"
    assert "Enter a whole number" not in words
    today = timezone.localdate()
    before = today - timedelta(days=1)
    early = client.post(url, {"status": RESIGNED, "day": before.day, "month": before.month, "year": before.year})
    assert early.status_code == 400 and "The date must be on or after" in early.content.decode()
    response = client.post(
        url, {"status": RESIGNED, "day": today.day, "month": today.month, "year": today.year}, follow=True
    )
    assert f"Saved: “I have resigned as an Ofsted Inspector”, from {today:%-d %B %Y}." in response.content.decode()
    signature.refresh_from_db()
    assert signature.inspector_status == RESIGNED
    assert InspectorStatusChange.objects.get().on == today
    assert f"from {today:%-d %B %Y}" in client.get("/my/pledges/").content.decode()
    other = inspectors(stand_down, 1)[0]
    assert client.post(f"/my/pledges/{other.pk}/inspector-status/", {"status": RETURNED}).status_code == 404


@pytest.mark.django_db
def test_a_commitment_activates_once_when_enough_others_in_the_region_have_stood_down(stand_down):
    waiting = inspectors(stand_down, 1, status=CONDITIONAL, region="A", stand_down_after=5)[0]
    inspectors(stand_down, 4, region="D")  # Yorkshire and the Humber: the same Ofsted region
    inspectors(stand_down, 9, region="H")  # London: not the same
    assert ledger.activate_all() == 0
    inspectors(stand_down, 1, region="A")
    assert ledger.activate_all() == 1
    assert ledger.activate_all() == 0, "once"
    waiting.refresh_from_db()
    assert waiting.commitment_active_at is not None
    assert Email.objects.filter(key__startswith=f"sig:{waiting.pk}:commitment-active:").count() == 1
    assert fresh()["national"]["active"] is None, "one active commitment is withheld, like any count under 3"


@pytest.mark.services
@SERVICE_DB
def test_a_commitment_activates_exactly_once_when_the_nth_others_confirm_at_once(postgres, stand_down):
    waiting = inspectors(stand_down, 1, status=CONDITIONAL, region="J", stand_down_after=5)[0]
    inspectors(stand_down, 3, region="J")
    links = []
    for number in range(3):
        Client().post("/sign/", form_data([stand_down], email=f"oi{number}@school.example", region="J"))
        links.append(confirm_link(mail.outbox[-1]))
    statuses = all_at_once(3, lambda i: Client().post(links[i]).status_code)
    assert statuses == [200] * 3
    waiting.refresh_from_db()
    assert waiting.commitment_active_at is not None
    assert Email.objects.filter(key__startswith=f"sig:{waiting.pk}:commitment-active:").count() == 1
    told = [m for m in mail.outbox if m.to == [waiting.email]]
    assert len(told) == 1 and "your commitment is now active" in told[0].subject
    assert "Tell Ofsted you are unavailable" in told[0].body


@pytest.mark.django_db
def test_a_new_commitment_is_told_again_when_it_is_met(stand_down):
    waiting = inspectors(stand_down, 1, status=CONDITIONAL, region="J", stand_down_after=5)[0]
    inspectors(stand_down, 5, region="J")
    assert ledger.activate_all() == 1
    today = timezone.localdate()
    services.change_inspector_status(waiting, UNAVAILABLE, on=today, by=None)
    services.change_inspector_status(waiting, CONDITIONAL, on=today, by=None, stand_down_after=10)
    waiting.refresh_from_db()
    assert waiting.commitment_active_at is None, "a new number waits afresh"
    assert ledger.activate_all() == 0
    inspectors(stand_down, 5, region="J")
    assert ledger.activate_all() == 1
    assert Email.objects.filter(key__startswith=f"sig:{waiting.pk}:commitment-active:").count() == 2
