"""Publishing tasks: the gathered publish, against a real Redis broker."""

from __future__ import annotations

import base64
import json
import logging
import time

import pytest
import redis
from django.conf import settings

from pausecampaign import jobs
from pausecampaign.celery import app
from tests.conftest import use_broker

pytestmark = pytest.mark.services


def queued_args(url: str, queue: str = "celery") -> list:
    """The arguments of every message waiting on the queue, oldest first."""
    messages = redis.Redis.from_url(url).lrange(queue, 0, -1)
    bodies = [json.loads(base64.b64decode(json.loads(m)["body"])) for m in reversed(messages)]
    return [body[0] for body in bodies]


@pytest.fixture
def broker(own_redis):
    app.conf.task_always_eager = False
    use_broker(own_redis.url)
    yield own_redis
    use_broker(settings.CELERY_BROKER_URL)


def test_it_publishes_the_first_item_at_once_and_the_rest_together_when_the_interval_has_passed(broker):
    gathered = jobs.Gathered("pledges.tasks.link_accounts", every=0.5)
    gathered.add("a@example.com")
    assert queued_args(broker.url) == [[["a@example.com"]]], "nothing to wait for: published at once"
    gathered.add("b@example.com")
    gathered.add("c@example.com")
    assert queued_args(broker.url) == [[["a@example.com"]]], "within the interval: gathered"
    time.sleep(0.8)
    assert queued_args(broker.url) == [[["a@example.com"]], [["b@example.com", "c@example.com"]]]
    time.sleep(0.6)
    gathered.add("d@example.com")
    assert queued_args(broker.url)[-1] == [["d@example.com"]], "a quiet moment later: at once again"


def test_it_leaves_the_items_to_the_sweep_when_the_broker_is_down(broker, caplog):
    broker.stop()
    gathered = jobs.Gathered("pledges.tasks.link_accounts", every=0.5)
    with caplog.at_level(logging.WARNING, logger="pausecampaign.jobs"):
        gathered.add("a@example.com")  # no exception reaches the caller
    assert "could not queue pledges.tasks.link_accounts for 1 item(s)" in caplog.text
    assert "a@example.com" not in caplog.text, "no address in the log"
