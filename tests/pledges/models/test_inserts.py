"""One INSERT whose unique constraint decides: conflicting rows are skipped, the rest stored, nothing aborted."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models.expressions import DatabaseDefault

from pledges.models import Email, Signature
from pledges.models.inserts import insert_skipping_conflicts
from tests.factories import PendingSignatureFactory


def unsaved(pledge, email: str) -> Signature:
    signed = PendingSignatureFactory.build(pledge=pledge, email=email, canonical_email=email)
    signed.pk = None
    return signed


@pytest.mark.django_db(transaction=True)
def test_it_skips_the_row_its_constraint_refuses_and_keeps_the_transaction_usable(support, stand_down):
    PendingSignatureFactory(pledge=support, email="jane@example.org", canonical_email="jane@example.org")
    with transaction.atomic():
        rows = insert_skipping_conflicts(
            [unsaved(support, "jane@example.org"), unsaved(stand_down, "jane@example.org")], ("id", "pledge"), "default"
        )
        # An IntegrityError would have aborted a PostgreSQL transaction here; a skipped row does not.
        assert Signature.objects.count() == 2
    assert [pledge for _, pledge in rows] == [stand_down.pk]
    assert Signature.objects.filter(canonical_email="jane@example.org").count() == 2


@pytest.mark.django_db
def test_it_stores_every_row_when_none_conflicts_and_returns_each(support, stand_down):
    rows = insert_skipping_conflicts(
        [unsaved(support, "a@example.org"), unsaved(stand_down, "a@example.org")], ("id", "pledge"), "default"
    )
    assert sorted(pledge for _, pledge in rows) == sorted([support.pk, stand_down.pk])
    stored = Signature.objects.get(pk=rows[0][0])
    assert stored.name and stored.created_at and stored.updated_at, "values prepared as save() prepares them"


@pytest.mark.django_db
def test_it_queues_one_email_per_key_without_an_error_or_a_savepoint():
    first = Email.objects.insert_unless_keyed(Email(key="k:1", to="a@example.org", subject="s", text="t"))
    again = Email.objects.insert_unless_keyed(Email(key="k:1", to="b@example.org", subject="s", text="t"))
    assert (first, again) == (True, False)
    assert list(Email.objects.values_list("to", flat=True)) == ["a@example.org"]


@pytest.mark.django_db
def test_it_applies_the_email_cap_in_the_statement_that_inserts_a_new_signature(support, stand_down):
    PendingSignatureFactory(pledge=support, email="cap@example.org", canonical_email="cap@example.org", emails_sent=5)
    [held] = Signature.objects.insert_unsigned([unsaved(stand_down, "cap@example.org")], cap_first=5)
    assert held.emails_sent == 0, "at the cap: the new signature may not be emailed"
    Signature.objects.filter(pk=held.pk).delete()
    Signature.objects.filter(canonical_email="cap@example.org").update(emails_sent=4)
    [sent] = Signature.objects.insert_unsigned([unsaved(stand_down, "cap@example.org")], cap_first=5)
    assert sent.emails_sent == 1 and Signature.objects.get(pk=sent.pk).emails_sent == 1


@pytest.mark.django_db
def test_it_stores_a_field_that_has_only_a_database_default_as_the_database_would():
    email = Email(key="k:2", to="a@example.org", subject="s", text="t")
    email.template = DatabaseDefault(Email._meta.get_field("template").db_default)
    assert Email.objects.insert_unless_keyed(email)
    assert Email.objects.get(key="k:2").template == ""
