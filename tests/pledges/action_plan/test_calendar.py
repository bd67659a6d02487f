"""The action plan on the school calendar: due dates follow the campaign's wording from the signer's
confirmation, with one reminder before each due date and one chaser after, each sent once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from pledges.action_plan import calendar
from pledges.action_plan.services import mark_done, send_step_reminders, step_progress
from pledges.models import ActionStep, Pledge, SchoolTerm, Signature
from tests.factories import ConfirmedSignatureFactory
from tests.pledges.test_services import SERVICE_DB, all_at_once


@pytest.fixture
def terms(db):
    for name, dates in {
        "Autumn 2026": ("2026-09-03", "2026-10-26", "2026-11-02", "2026-12-18"),
        "Spring 2027": ("2027-01-05", "2027-02-15", "2027-02-22", "2027-03-26"),
        "Summer 2027": ("2027-04-12", "2027-05-31", "2027-06-07", "2027-07-22"),
    }.items():
        starts, half, back, ends = (date.fromisoformat(d) for d in dates)
        SchoolTerm.objects.create(name=name, starts_on=starts, half_term_starts_on=half, returns_on=back, ends_on=ends)


def step(slug: str) -> ActionStep:
    return ActionStep.objects.get(slug=slug)


def at_noon(day: str) -> datetime:
    return timezone.make_aware(datetime.combine(date.fromisoformat(day), time(12)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "confirmed", "due"),
    [
        ("write-to-your-union", "2026-10-01", "2026-10-15"),  # within two weeks
        ("contact-colleagues", "2026-10-01", "2026-10-31"),  # within a month
        ("raise-it-locally", "2026-10-01", "2026-12-18"),  # the next half term is after half term
        ("raise-it-locally", "2026-10-28", "2026-12-18"),  # signed in the break: the half term that follows
        ("raise-it-locally", "2026-11-02", "2027-02-14"),  # signed on its first day: the one after
        ("agree-with-governors", "2026-10-01", "2027-03-26"),  # the next term is spring
        ("agree-with-governors", "2026-12-20", "2027-03-26"),  # signed in the holidays: spring still
        ("raise-it-locally", "2027-07-01", "2027-08-19"),  # past the last term entered: its days stand in
    ],
)
def test_it_dates_each_step_as_the_campaign_words_it(terms, slug, confirmed, due):
    assert calendar.due_on(step(slug), date.fromisoformat(confirmed)) == date.fromisoformat(due)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["write-to-your-union", "raise-it-locally", "agree-with-governors"])
def test_the_database_agrees_with_the_calendar_on_who_is_due(terms, stand_down, slug):
    action = step(slug)
    start = date(2026, 8, 20)
    signers = [
        ConfirmedSignatureFactory(pledge=stand_down, confirmed_at=at_noon((start + timedelta(days=d)).isoformat()))
        for d in range(0, 360, 9)
    ]
    for day in (start + timedelta(days=d) for d in range(0, 420, 13)):
        by_sql = set(Signature.objects.filter(calendar.due_by(action, day)).values_list("pk", flat=True))
        by_rule = {s.pk for s in signers if calendar.due_on(action, timezone.localdate(s.confirmed_at)) <= day}
        assert by_sql == by_rule, day


def emails_for(address: str) -> list[str]:
    return [m.subject for m in mail.outbox if m.to == [address]]


@pytest.mark.django_db
def test_it_reminds_before_the_due_date_and_chases_once_after(terms, stand_down, django_capture_on_commit_callbacks):
    action = step("raise-it-locally")
    ActionStep.objects.exclude(pk=action.pk).delete()
    late = ConfirmedSignatureFactory(pledge=stand_down, email="late@school.example", confirmed_at=at_noon("2026-10-01"))
    done = ConfirmedSignatureFactory(pledge=stand_down, email="done@school.example", confirmed_at=at_noon("2026-10-01"))
    for day, expected in [
        ("2026-12-10", []),
        ("2026-12-14", ["Next step for #PauseOfsted: Raise it at a local meeting"]),
        ("2026-12-15", []),
        ("2026-12-26", ["Still to do for #PauseOfsted: Raise it at a local meeting"]),
        ("2027-01-20", []),
    ]:
        mail.outbox.clear()
        with time_machine.travel(datetime.fromisoformat(f"{day}T09:00:00").replace(tzinfo=UTC)):
            if day == "2026-12-15":
                mark_done(done, action)
            with django_capture_on_commit_callbacks(execute=True):
                send_step_reminders()
                send_step_reminders()  # a second beat changes nothing
        assert emails_for(late.email) == expected, day
        if day != "2026-12-14":
            assert emails_for(done.email) == [], day


@pytest.mark.django_db
def test_it_puts_the_due_date_in_the_reminder(terms, stand_down, django_capture_on_commit_callbacks):
    action = step("raise-it-locally")
    ActionStep.objects.exclude(pk=action.pk).delete()
    ConfirmedSignatureFactory(pledge=stand_down, confirmed_at=at_noon("2026-10-01"))
    with time_machine.travel(datetime(2026, 12, 14, 9, tzinfo=UTC)), django_capture_on_commit_callbacks(execute=True):
        send_step_reminders()
    assert "by 18 December 2026" in " ".join(mail.outbox[0].body.split())


@pytest.mark.django_db
def test_organisers_see_done_and_overdue_by_region_as_numbers_only(terms, stand_down):
    action = step("write-to-your-union")
    signers = [
        ConfirmedSignatureFactory(pledge=stand_down, region="J", confirmed_at=at_noon("2026-10-01")) for _ in range(7)
    ]
    for signer in signers[:3]:
        mark_done(signer, action)
    ConfirmedSignatureFactory(pledge=stand_down, region="K", confirmed_at=at_noon("2026-10-01"))
    rows = next(r for r in step_progress(date(2026, 11, 1)) if r["step"] == action)["regions"]
    south_east = next(r for r in rows if r["region"] == "South East")
    assert (south_east["done"], south_east["overdue"]) == (3, 4)
    south_west = next(r for r in rows if r["region"] == "South West")
    assert south_west["overdue"] is None, "one overdue signer is withheld"


@pytest.mark.services
@SERVICE_DB
def test_it_sends_each_chaser_once_when_four_beats_run_at_once(postgres):
    stand_down = Pledge.objects.get(slug="stand-down")
    action = ActionStep.objects.get(slug="write-to-your-union")
    ActionStep.objects.exclude(pk=action.pk).delete()
    signers = ConfirmedSignatureFactory.create_batch(20, pledge=stand_down, confirmed_at=at_noon("2026-10-01"))
    with time_machine.travel(datetime(2026, 10, 12, 9, tzinfo=UTC)):
        assert sum(all_at_once(4, lambda i: send_step_reminders())) == 20
    with time_machine.travel(datetime(2026, 10, 23, 9, tzinfo=UTC)):
        assert sum(all_at_once(4, lambda i: send_step_reminders())) == 20
    chasers = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Still to do"))
    assert chasers == sorted(s.email for s in signers)


@pytest.mark.django_db
def test_it_refuses_terms_that_overlap(terms):
    from django.core.exceptions import ValidationError

    overlap = SchoolTerm(
        name="Overlap",
        starts_on=date(2026, 12, 1),
        half_term_starts_on=date(2027, 1, 10),
        returns_on=date(2027, 1, 17),
        ends_on=date(2027, 3, 1),
    )
    with pytest.raises(ValidationError, match="overlap"):
        overlap.full_clean()
