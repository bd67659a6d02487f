"""The conditional UPDATE behind every signature transition."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pledges.models import Signature
from pledges.models.statements import update_row_if
from tests.factories import ConfirmedSignatureFactory, PendingSignatureFactory, WithdrawnSignatureFactory


@pytest.mark.django_db
def test_it_changes_the_row_only_while_it_is_in_an_allowed_state():
    pending, confirmed = PendingSignatureFactory(), ConfirmedSignatureFactory()
    when = datetime(2026, 12, 7, 16, 30, 15, 123456, tzinfo=UTC)
    for signature in (pending, confirmed):
        moved = update_row_if(
            signature, "state", {"pending"}, {"state": "confirmed", "confirmed_at": when, "emails_sent": 0}, "default"
        )
        assert moved is (signature is pending)
    pending.refresh_from_db()
    assert (pending.state, pending.confirmed_at, pending.emails_sent) == ("confirmed", when, 0), "values round-trip"
    before = confirmed.confirmed_at
    confirmed.refresh_from_db()
    assert confirmed.confirmed_at == before, "a row not in an allowed state is left as it was"


@pytest.mark.django_db
def test_it_names_only_its_own_row_and_any_of_several_allowed_states():
    withdrawn, other = WithdrawnSignatureFactory(), WithdrawnSignatureFactory()
    assert update_row_if(withdrawn, "state", {"pending", "withdrawn"}, {"state": "expired"}, "default")
    assert Signature.objects.get(pk=withdrawn.pk).state == "expired"
    assert Signature.objects.get(pk=other.pk).state == "withdrawn"


@pytest.mark.django_db
def test_a_transition_is_one_statement_that_decides_the_race():
    mine = PendingSignatureFactory()
    theirs = Signature.objects.get(pk=mine.pk)  # another request's copy of the same row
    with CaptureQueriesContext(connection) as queries:
        assert theirs.confirm()
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1 and '"state" IN' in updates[0]
    assert not mine.confirm(), "the second, still holding the row as pending, loses"
    assert mine.state == "confirmed", "and says what the row is now"
    assert Signature.objects.counted().count() == 1


@pytest.mark.django_db
def test_it_reads_the_rows_a_link_names_in_order_each_with_its_pledge_and_school(django_assert_num_queries):
    from tests.factories import SchoolFactory

    school = SchoolFactory(name="Kestrel Academy")
    first, second = PendingSignatureFactory(), ConfirmedSignatureFactory(school=school)
    third = PendingSignatureFactory()
    Signature.objects.behind_link([first.pk])  # the process's pledges, kept, as a running web process has them
    with django_assert_num_queries(2):  # the rows, and the one school among them
        read = Signature.objects.behind_link([third.pk, first.pk, second.pk, first.pk, 10**9])
        titles = [(s.pledge.title, s.school.name if s.school else None) for s in read]
    assert [s.pk for s in read] == [first.pk, second.pk, third.pk], "by primary key, each once; an unknown id is none"
    assert titles == [(first.pledge.title, None), (second.pledge.title, "Kestrel Academy"), (third.pledge.title, None)]
    assert [(s.state, s.email, s.created_at) for s in read] == [
        (s.state, s.email, s.created_at) for s in Signature.objects.filter(pk__in=[first.pk, second.pk, third.pk])
    ], "every field as the ORM reads it (dates included, on SQLite too)"
    with django_assert_num_queries(1):
        assert Signature.objects.behind_link([first.pk])[0].school is None
    assert Signature.objects.behind_link([]) == []


@pytest.mark.django_db
def test_a_staff_edit_of_a_pledge_shows_in_the_next_read_of_this_process():
    signature = PendingSignatureFactory()
    assert Signature.objects.behind_link([signature.pk])[0].pledge.title == signature.pledge.title
    pledge = signature.pledge
    pledge.title = "Stand down until the review"
    pledge.save()
    assert Signature.objects.behind_link([signature.pk])[0].pledge.title == "Stand down until the review"


@pytest.mark.django_db
def test_new_words_for_a_pledge_show_in_the_next_read_of_this_process():
    from pledges.moderation import revise_statement
    from tests.staff import make_staff

    signature = PendingSignatureFactory()
    assert Signature.objects.behind_link([signature.pk])[0].pledge.statement != "New words."
    revise_statement(signature.pledge, "New words.", by=make_staff("Campaign lead")[0])
    assert Signature.objects.behind_link([signature.pk])[0].pledge.statement == "New words."
