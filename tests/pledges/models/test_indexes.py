"""The indexes every signing writes: each is one a query reads, so the write path carries nothing idle.

A signing inserts a signature and its email, and the worker updates the email twice as it sends it;
every index on those tables is written each time. Django adds an index to every ForeignKey, and on
PostgreSQL a "_like" twin (varchar_pattern_ops, for LIKE 'prefix%') to every indexed text column;
before these budgets the two tables carried 29 indexes, 8 of them read by no query.
"""

from __future__ import annotations

import pytest
from django.db import connection

from pledges.models import Email, Signature

# The budgets: the signature's 13 (its key, the one-per-pledge-per-address constraint, the
# per-pledge counts, the email cap's address, then state, wall, created_at, the abuse hashes and
# domain, source, school and version); the email's 8 (its key and the key's prefix lookups, the
# claim order, the state sweep, to_hash, signature and user).
SIGNATURE_INDEXES = 13
EMAIL_INDEXES = 8


def indexes_of(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


@pytest.mark.services
@pytest.mark.django_db
def test_it_writes_no_pattern_index_that_no_query_reads(postgres):
    signature = indexes_of(Signature._meta.db_table)
    email = indexes_of(Email._meta.db_table)
    patterns = [name for name, sql in {**signature, **email}.items() if "pattern_ops" in sql]
    # The one kept: a broadcast finds its copies by key__startswith (Broadcast.emails, its progress).
    assert patterns == [name for name in email if name.startswith("pledges_email_key_") and name.endswith("_like")]
    assert len(patterns) == 1


@pytest.mark.services
@pytest.mark.django_db
def test_it_keeps_the_signing_tables_within_their_index_budgets(postgres):
    signature = indexes_of(Signature._meta.db_table)
    email = indexes_of(Email._meta.db_table)
    assert len(signature) <= SIGNATURE_INDEXES, sorted(signature)
    assert len(email) <= EMAIL_INDEXES, sorted(email)
    # The pledge's lookups are served by the unique constraint, which leads with it.
    assert not any(sql.endswith("(pledge_id)") for sql in signature.values()), signature


@pytest.mark.django_db
def test_it_still_indexes_every_column_the_queries_look_up():
    # On any database: the columns the abuse checks, moderation, the cap and the sweeps filter on.
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Signature._meta.db_table)
    indexed = {tuple(c["columns"]) for c in constraints.values() if c["index"] or c["unique"]}
    for columns in [
        ("pledge_id", "canonical_email"),
        ("canonical_email",),
        ("state",),
        ("wall",),
        ("ip_hash",),
        ("network_hash",),
        ("email_domain",),
        ("created_at",),
        ("source",),
    ]:
        assert columns in indexed, columns
