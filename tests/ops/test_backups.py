"""Backups are proven: dump the real PostgreSQL as the backup service does, restore it into a
fresh database, and find every signature and count equal (issue 19)."""

from __future__ import annotations

import os
import subprocess

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from pledges.counting import stored_counts
from tests.factories import ConfirmedSignatureFactory, PendingSignatureFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def libpq_env(db: dict) -> dict:
    return {
        **os.environ,
        "PGHOST": db["HOST"] or "127.0.0.1",
        "PGPORT": str(db["PORT"] or 5432),
        "PGUSER": db["USER"] or "postgres",
        "PGPASSWORD": db["PASSWORD"] or "",
    }


def test_a_nightly_dump_restores_to_the_same_signatures_and_counts(postgres, tmp_path, support, stand_down):
    ConfirmedSignatureFactory.create_batch(7, pledge=support, region="H")
    ConfirmedSignatureFactory.create_batch(3, pledge=stand_down, region="K")
    PendingSignatureFactory.create_batch(2, pledge=support)
    db = settings.DATABASES["default"]
    env = libpq_env(db)
    dump = tmp_path / "campaign.dump"
    # The same command as ops/backup.sh.
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", db["NAME"]], env=env, check=True, timeout=120)
    fresh = f"{db['NAME']}_restored"
    subprocess.run(["dropdb", "--if-exists", fresh], env=env, check=True)
    subprocess.run(["createdb", fresh], env=env, check=True)
    try:
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={fresh}", str(dump)], env=env, check=True, timeout=120)
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, state, canonical_email, region FROM pledges_signature ORDER BY id")
            original = cursor.fetchall()
        counts = {pledge: sum(regions.values()) for pledge, regions in stored_counts().items()}
        with psycopg.connect(dbname=fresh, **{k.lower().removeprefix("pg"): v for k, v in env.items() if k in {
            "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD"}}) as restored:  # fmt: skip
            rows = restored.execute("SELECT id, state, canonical_email, region FROM pledges_signature ORDER BY id")
            assert rows.fetchall() == original and len(original) == 12
            shards = restored.execute("SELECT pledge_id, SUM(count) FROM pledges_pledgecount GROUP BY pledge_id")
            assert {pledge: total for pledge, total in shards.fetchall() if total} == counts
            assert counts == {support.pk: 7, stand_down.pk: 3}
    finally:
        subprocess.run(["dropdb", "--if-exists", fresh], env=env, check=True)
