"""The conditional UPDATE behind every signature transition."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pledges.models import Signature
from pledges.models.updates import update_row_if
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
