"""Faults against real services: a worker killed mid-send, PostgreSQL restarted under requests."""

from __future__ import annotations

import asyncio
import email
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from pledges.models import Email, Pledge, Signature
from pledges.tasks import sweep_outbox
from tests.conftest import ROOT, free_port, need_service, use_broker, wait_for_port, wait_until, worker_database_url
from tests.pledges.conftest import form_data

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


class SlowSink:
    """An SMTP server that keeps the first message waiting, so a worker can die while sending it."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []
        self.first = True

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.first:
            self.first = False
            await asyncio.sleep(4)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def start_worker_process(broker: str, smtp_port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": broker,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "OUTBOX_LEASE_SECONDS": "2",
        "DJANGO_SETTINGS_MODULE": "pausecampaign.settings",
    }
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/celery"), "-A", "pausecampaign", "worker", "-Q", "celery,mail,bulk", "--pool=solo",
         "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def test_a_worker_killed_mid_send_leaves_one_message_for_the_reader(own_redis, postgres, tmp_path, settings):
    sink = SlowSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    use_broker(own_redis.url)
    from pausecampaign.celery import app

    app.conf.task_always_eager = False
    first = start_worker_process(own_redis.url, port, tmp_path / "first.log")
    second = None
    try:
        time.sleep(3)
        response = Client().post("/sign/", form_data([Pledge.objects.get(slug="support-the-pause")]))
        assert response.status_code == 302
        row = Email.objects.get()
        assert wait_until(lambda: Email.objects.get(pk=row.pk).state == Email.State.SENDING, 20)
        time.sleep(1)  # the worker is now inside the SMTP conversation
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        assert Email.objects.get(pk=row.pk).state == Email.State.SENDING, "the dead worker never recorded it"

        second = start_worker_process(own_redis.url, port, tmp_path / "second.log")
        # The dead worker's lease runs out (here: at once), so the sweep may hand the row on.
        Email.objects.filter(pk=row.pk).update(lease_until=row.created_at.replace(year=2000))
        sweep_outbox.delay()
        assert wait_until(lambda: Email.objects.get(pk=row.pk).state == Email.State.SENT, 30)
        time.sleep(5)  # let the first, slow conversation finish too
    finally:
        for process in (first, second):
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
        controller.stop()
        use_broker(settings.CELERY_BROKER_URL)
    message_ids = {message["Message-ID"] for message in sink.messages}
    assert len(sink.messages) >= 1
    assert len(message_ids) == 1, "a resend carries the same Message-ID: the reader's mail client shows one"
    assert Signature.objects.count() == 1


@pytest.fixture
def own_postgres():
    """A PostgreSQL cluster of the test's own, so it can be restarted without touching the suite's."""
    need_service("pg_createcluster", shutil.which("pg_createcluster") is not None)
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    name, port = f"faults{os.getpid()}", free_port()
    subprocess.run(["pg_createcluster", version, name, "-p", str(port), "--start"], check=True, capture_output=True)
    try:
        password = ["runuser", "-u", "postgres", "--", "psql", "-p", str(port), "-qc"]
        subprocess.run([*password, "ALTER USER postgres PASSWORD 'faults'"], check=True, capture_output=True)
        yield version, name, port
    finally:
        subprocess.run(["pg_dropcluster", "--stop", version, name], capture_output=True)


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_postgres_restarted_while_requests_arrive_gives_a_friendly_503_then_recovers(own_postgres, tmp_path, redis_url):
    version, name, db_port = own_postgres
    web_port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres:faults@127.0.0.1:{db_port}/postgres",
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "pausecampaign.settings",
        "VAR_DIR": str(tmp_path),
        "DEBUG": "false",
        "SECRET_KEY": "faults-" + "k" * 60,
        "CONTROLLER_NAME": "Faults Controller",
        "CONTROLLER_ADDRESS": "1 Faults Street",
        "CONTROLLER_EMAIL": "privacy@faults.example",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{web_port}",
        "SECURE_SSL_REDIRECT": "false",
        "CI": "",
    }
    python = str(ROOT / ".venv/bin/python")
    subprocess.run([python, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    web = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-b", f"127.0.0.1:{web_port}", "-w", "1", "pausecampaign.wsgi:application"],
        cwd=ROOT, env=env, stdout=open(tmp_path / "web.log", "w"), stderr=subprocess.STDOUT, start_new_session=True,  # noqa: SIM115
    )  # fmt: skip
    base = f"http://127.0.0.1:{web_port}"
    try:
        wait_for_port(web_port, timeout=30)
        # A pledge's sign link needs the database on every visit: the public pages a crowd reads are
        # kept for a second (kept_pages.kept_for_visitors), and so would answer through the first one.
        needs_database = base + "/sign/?pledge=support-the-pause"
        assert get(needs_database)[0] == 200
        subprocess.run(["pg_ctlcluster", version, name, "stop", "-m", "fast"], check=True, capture_output=True)
        status, page = get(needs_database)
        assert status == 503
        assert "Sorry, the service is busy" in page
        assert "Traceback" not in page
        assert get(base + "/healthz")[0] == 503
        subprocess.run(["pg_ctlcluster", version, name, "start"], check=True, capture_output=True)
        assert wait_until(lambda: get(needs_database)[0] == 200, 30), "the site recovers by itself"
        assert get(base + "/healthz")[0] == 200
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(10)
