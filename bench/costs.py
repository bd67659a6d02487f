"""What one signing and one confirmation ask of PostgreSQL and Redis, measured on the bench stack.

Run by bench/run.py inside Django (production settings, the bench database): twenty signings and
twenty confirmations through Django's test client, counting every SQL statement the requests send
(the transaction's BEGIN and COMMIT are not statements here, as in Django's own query log) and
every Redis round trip and command, the worker's nudges included. Prints one JSON object.
"""

from __future__ import annotations

import json

import redis
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pledges.models import Pledge, Signature
from pledges.tokens import make_token

ROUNDS = 20
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


def main() -> dict:
    redis.client.Pipeline.execute, redis.Redis.execute_command = counted_pipeline, counted_command
    pledge = Pledge.objects.get(slug="support-the-pause")
    client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="127.0.0.1")

    def sign(n: int) -> None:
        data = {
            "pledges": pledge.pk, "name": "Cost Signer", "email": f"cost-{n}@c{n}.bench.example", "role": "teacher",
            "region": "H", "appearance": "counted", "consent": "on",
        }  # fmt: skip
        response = client.post("/sign/", data, HTTP_X_FORWARDED_FOR=f"198.21.0.{n + 1}")
        assert response.status_code == 302, response.status_code

    sign(99)  # this process's caches, warm, as a running web process has them
    signing = measure(sign)
    ids = list(Signature.objects.filter(email__startswith="cost-").order_by("pk").values_list("pk", flat=True))

    def confirm(n: int) -> None:
        response = client.post(f"/confirm/{make_token('confirm', [ids[n + 1]])}/")
        assert response.status_code == 200, response.status_code

    confirm(-1)
    return {"signing": signing, "confirmation": measure(confirm)}


if __name__ == "__main__":
    print(json.dumps(main()))
