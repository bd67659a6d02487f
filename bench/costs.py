"""What one signing and one confirmation ask of PostgreSQL and Redis, measured on the bench stack.

Run by bench/run.py inside Django (production settings, the bench database): twenty signings and
twenty confirmations through Django's test client, counting every SQL statement the requests send
(the transaction's BEGIN and COMMIT are not statements here, as in Django's own query log) and
every Redis round trip and command, the worker's nudges included. Then where one web process's CPU
goes: a few hundred more of each, timing (CPU time of the thread, not the clock) the parts of the
request named in PARTS; what is left is Django's own handling (the middleware, CSRF, routing, the
response) and the test client's. Prints one JSON object.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from urllib.parse import urlencode

import redis
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.template.backends.django import Template
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pledges import emails, services
from pledges.forms import SignForm
from pledges.models import Pledge, Signature
from pledges.models.signatures import SignatureQuerySet
from pledges.tokens import make_token
from pledges.views import signing as signing_views

ROUNDS = 20
SPLIT_ROUNDS = 300
FORM = "application/x-www-form-urlencoded"
PREFIX = f"cost{time.time_ns()}-"  # this run's signers, new even on a database an earlier run used
# The parts of a request timed on their own, none inside another: (owner, attribute, label).
PARTS = {
    "signing": [
        (SignForm, "full_clean", "the form's validation"),
        (services, "fraud_reason", "the rate counters and fraud verdict (one Redis pipeline)"),
        (SignatureQuerySet, "insert_unsigned", "the signature's INSERT"),
        (emails, "send_confirmation", "the outbox row's INSERT"),
        (BaseDatabaseWrapper, "commit", "the COMMIT"),
        (BaseDatabaseWrapper, "run_and_clear_commit_hooks", "after commit (the worker's nudge)"),
    ],
    "confirmation": [
        # Its transaction is its own: the COMMIT and queueing the account happen inside it.
        (services, "confirm_signatures", "the UPDATE, the count shard, their COMMIT, gathering the account"),
        (signing_views, "next_steps", "the next steps (the action steps, kept per process; two signed links)"),
        (Template, "render", "rendering the page"),
    ],
}
trips = {"round_trips": 0, "commands": 0}
real_pipeline, real_command = redis.client.Pipeline.execute, redis.Redis.execute_command


def counted_pipeline(self, *args, **kwargs):
    trips["round_trips"] += 1
    trips["commands"] += len(self.command_stack)
    return real_pipeline(self, *args, **kwargs)


def counted_command(self, *args, **kwargs):
    if not isinstance(self, redis.client.Pipeline):
        trips["round_trips"] += 1
        trips["commands"] += 1
    return real_command(self, *args, **kwargs)


def measure(send) -> dict:
    trips.update(round_trips=0, commands=0)
    with CaptureQueriesContext(connection) as queries:
        for n in range(ROUNDS):
            send(n)
    return {
        "sql_statements": round(len(queries.captured_queries) / ROUNDS, 2),
        "redis_round_trips": round(trips["round_trips"] / ROUNDS, 2),
        "redis_commands": round(trips["commands"] / ROUNDS, 2),
    }


def split(kind: str, send, rounds: int) -> dict:
    """CPU ms per request: in all, in each of PARTS[kind], and the rest."""
    spent: Counter = Counter()
    depth: Counter = Counter()
    restore = []
    for owner, name, label in PARTS[kind]:
        real = getattr(owner, name)

        def timed(*args, _real=real, _label=label, **kwargs):
            if depth[_label]:  # a call inside the same part (a template rendering another) is counted once
                return _real(*args, **kwargs)
            depth[_label] += 1
            started = time.thread_time()
            try:
                return _real(*args, **kwargs)
            finally:
                spent[_label] += time.thread_time() - started
                depth[_label] -= 1

        setattr(owner, name, timed)
        restore.append((owner, name, real))
    try:
        started = time.thread_time()
        for n in range(rounds):
            send(n)
        total = time.thread_time() - started
    finally:
        for owner, name, real in restore:
            setattr(owner, name, real)
    parts = {label: round(1000 * spent[label] / rounds, 3) for _, _, label in PARTS[kind]}
    parts["Django's own handling and the test client (the rest)"] = round(
        1000 * (total - sum(spent.values())) / rounds, 3
    )
    return {"rounds": rounds, "total_ms": round(1000 * total / rounds, 3), "parts_ms": parts}


def main() -> dict:
    redis.client.Pipeline.execute, redis.Redis.execute_command = counted_pipeline, counted_command
    pledge = Pledge.objects.get(slug="support-the-pause")
    client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="127.0.0.1")

    def sign(n: int) -> None:
        data = {
            "pledges": pledge.pk, "name": "Cost Signer", "email": f"{PREFIX}{n}@c{n}.bench.example", "role": "teacher",
            "region": "H", "appearance": "counted", "consent": "on",
        }  # fmt: skip
        # As a browser (and wrk) sends it: urlencoded, not the test client's default multipart.
        response = client.post(
            "/sign/", urlencode(data), content_type=FORM, HTTP_X_FORWARDED_FOR=f"198.21.{n // 250}.{n % 250 + 1}"
        )
        assert response.status_code == 302, response.status_code

    sign(99)  # this process's caches, warm, as a running web process has them
    signing = measure(sign)
    signing_cpu = split("signing", lambda n: sign(1000 + n), SPLIT_ROUNDS)
    ids = list(Signature.objects.filter(email__startswith=PREFIX).order_by("pk").values_list("pk", flat=True))

    def confirm(n: int) -> None:
        response = client.post(f"/confirm/{make_token('confirm', [ids[n + 1]])}/")
        assert response.status_code == 200, response.status_code

    confirm(-1)
    confirmation = measure(confirm)
    confirmation_cpu = split("confirmation", lambda n: confirm(ROUNDS + n), min(SPLIT_ROUNDS, len(ids) - ROUNDS - 1))
    return {
        "signing": signing,
        "confirmation": confirmation,
        "cpu": {"signing": signing_cpu, "confirmation": confirmation_cpu},
    }


if __name__ == "__main__":
    print(json.dumps(main()))
