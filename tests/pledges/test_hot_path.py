"""The hot path's budget: the SQL statements and Redis commands one signing and one confirmation
cost, so convenience cannot creep back onto it unnoticed (docs/benchmarks.md says where time goes)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pledges.models import Pledge
from tests.pledges.conftest import confirm_link, form_data

# What one request asks of the database itself, savepoints included (under a test, the request's own
# transaction is a savepoint too, so a signing's 4 are in production BEGIN, the signature's INSERT,
# the email's INSERT, COMMIT). What runs after its commit is the worker's in production (the email's
# rendering and delivery, the account), so it is not counted. Before these cuts a signing took 12,
# and a confirmation also made the signer's account on its own path and read the pledge's action steps.
SIGNING_BUDGET = 4
CONFIRMATION_BUDGET = 6


def warm(client, capture, support) -> None:
    """This process's caches, warm, as a running web process has them: one signing, one confirmation."""
    with capture(execute=True):
        client.post("/sign/", form_data([support], email="warm@example.org"))
    client.post(confirm_link(mail.outbox[-1]))


def own_statements(client, capture, *args) -> list[str]:
    with CaptureQueriesContext(connection) as queries, capture(execute=False):
        assert client.post(*args).status_code in {200, 302}
    return [q["sql"][:120] for q in queries.captured_queries]


@pytest.mark.django_db
def test_a_signing_and_a_confirmation_stay_within_their_statement_budgets(django_capture_on_commit_callbacks):
    support = Pledge.objects.get(slug="support-the-pause")
    client = Client()
    warm(client, django_capture_on_commit_callbacks, support)
    signing = own_statements(
        client, django_capture_on_commit_callbacks, "/sign/", form_data([support], email="new@example.org")
    )
    assert len(signing) <= SIGNING_BUDGET, signing
    confirming = own_statements(client, django_capture_on_commit_callbacks, confirm_link(mail.outbox[-1]))
    assert len(confirming) <= CONFIRMATION_BUDGET, confirming


@pytest.mark.django_db
def test_a_signer_at_a_school_costs_the_confirmation_no_more(django_capture_on_commit_callbacks):
    from tests.factories import SchoolFactory

    school = SchoolFactory(name="Kestrel Academy", website_domain="kestrel.sch.uk")
    support = Pledge.objects.get(slug="support-the-pause")
    client = Client()
    warm(client, django_capture_on_commit_callbacks, support)
    data = form_data([support], email="head@kestrel.sch.uk", school=str(school.urn), school_query="kestrel", region="")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sign/", data)
    confirming = own_statements(client, django_capture_on_commit_callbacks, confirm_link(mail.outbox[-1]))
    # One more for the verified-address mark; the school comes with the row.
    assert len(confirming) <= CONFIRMATION_BUDGET + 1, confirming


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_signing_costs_one_redis_round_trip(postgres, redis_url, monkeypatch):
    import redis.client

    from pledges.ratelimit import redis_client

    trips = []
    real_execute = redis.client.Pipeline.execute
    monkeypatch.setattr(
        redis.client.Pipeline, "execute", lambda self, *a, **k: trips.append("pipeline") or real_execute(self, *a, **k)
    )
    real_command = redis.Redis.execute_command
    monkeypatch.setattr(
        redis.Redis, "execute_command", lambda self, *a, **k: trips.append(a[0]) or real_command(self, *a, **k)
    )
    support = Pledge.objects.get(slug="support-the-pause")
    client = Client()
    client.post("/sign/", form_data([support], email="warm@example.org"))
    trips.clear()
    assert client.post("/sign/", form_data([support], email="new@example.org")).status_code == 302
    assert trips.count("pipeline") == 1, trips
    assert redis_client() is redis_client(), "one client per process"
