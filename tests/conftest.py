from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from pausecampaign.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


def need_service(what: str, ok: bool) -> None:
    """Skip locally when a service is missing; in CI, fail: a skipped service test proves nothing."""
    if ok:
        return
    message = f"{what} is not reachable: set it up (see README, 'Running against PostgreSQL and Redis')"
    if settings.REQUIRE_SERVICES:
        pytest.fail(message)
    pytest.skip(message)


def services_configured() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql") and bool(settings.REDIS_URL)


def pytest_collection_modifyitems(config, items) -> None:
    """Without PostgreSQL and Redis, skip service tests before they touch the database.

    In CI they are left to run, and fail loudly if a service is missing.
    """
    if services_configured() or settings.REQUIRE_SERVICES:
        return
    skip = pytest.mark.skip(reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL: see README")
    for item in items:
        if item.get_closest_marker("services"):
            item.add_marker(skip)


SEEDS = [
    ("pledges.migrations.0002_seed_pledges", "seed"),
    ("pledges.migrations.0005_seed_reasons_and_groups", "seed"),
    ("pledges.migrations.0008_seed_action_steps", "seed"),
    ("briefings.migrations.0002_initial_content", "seed"),
    ("briefings.migrations.0003_campaign_lead_edits_content", "grant"),
    ("pledges.migrations.0012_campaign_leads_retry_email", "grant"),
    ("briefings.migrations.0004_privacy_notice_kept_by_the_code", "update"),
    ("pledges.migrations.0014_content_history", "move_to_figures_and_versions"),
    ("briefings.migrations.0006_the_campaigns_own_story", "update"),
]


@pytest.fixture(autouse=True)
def seeded_after_flush(request):
    """A transactional test starts after another one's flush: put the migrations' data back.

    (pytest-django runs these tests last, so the others always see the migrated data.)
    """
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    request.getfixturevalue("transactional_db")
    state_apps = MigrationExecutor(connection).loader.project_state().apps
    for module, function in SEEDS:
        getattr(importlib.import_module(module), function)(state_apps, None)


@pytest.fixture(autouse=True)
def in_process_tasks():
    """Tasks run in the test's process unless a test starts a real worker."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture(autouse=True)
def uncached_counts(settings):
    """Public counts are cached for a second in production; tests read them fresh."""
    settings.COUNTS_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def fresh_cache():
    from pausecampaign.local_cache import forget_all

    cache.clear()
    forget_all()
    yield
    cache.clear()
    forget_all()


@pytest.fixture
def support(db):
    from pledges.models import Pledge

    return Pledge.objects.get(slug="support-the-pause")


@pytest.fixture
def stand_down(db):
    from pledges.models import Pledge

    return Pledge.objects.get(slug="stand-down")


@pytest.fixture
def postgres():
    need_service("PostgreSQL (DATABASE_URL)", settings.DATABASES["default"]["ENGINE"].endswith("postgresql"))


@pytest.fixture
def redis_url() -> str:
    need_service("Redis (REDIS_URL)", bool(settings.REDIS_URL))
    return settings.REDIS_URL


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, up: bool = True, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} did not come {'up' if up else 'down'}")


class RedisServer:
    """A real redis-server of the test's own, so a test can stop and start it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(10)
            self.process = None
        wait_for_port(self.port, up=False)


@pytest.fixture
def own_redis(redis_url):
    need_service("redis-server", shutil.which("redis-server") is not None)
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def worker_database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def start_worker(postgres, tmp_path):
    """Start real Celery workers against the test database; stops them after the test."""
    workers: list[subprocess.Popen] = []

    def start(
        broker_url: str, mail_dir: Path | None = None, *, email_url: str = "", queues: str = "celery,mail,bulk", **extra
    ) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": broker_url,
            "EMAIL_URL": email_url or f"file://{mail_dir}",
            "DJANGO_SETTINGS_MODULE": "pausecampaign.settings",
            **extra,
        }
        process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/celery"),
                *("-A", "pausecampaign", "worker", "-Q", queues, "--pool=solo", "--loglevel=WARNING"),
            ],
            cwd=ROOT,
            env=env,
            stdout=open(tmp_path / f"worker-{len(workers)}.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        workers.append(process)
        return process

    yield start
    for process in workers:
        process.kill()
        process.wait(10)


def use_broker(url: str) -> None:
    """Point this process's Celery app at another broker.

    Only the app's references are dropped: kombu keeps one pool per URL, and closing
    one would break every later publish to that URL.
    """
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def wait_until(condition, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False
