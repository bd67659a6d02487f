"""Run the periodic jobs without Redis: the beat schedule, in this process, for `make run`.

In production Celery beat runs CELERY_BEAT_SCHEDULE through the broker. Locally there
is no broker, so nothing would ever sweep the outbox, remind, expire or recount. This
command reads the same schedule and runs each job in-process when it falls due, so a
local site behaves like production. Every job is safe to run twice (see each task).
"""

from __future__ import annotations

import logging
import signal
import time
from datetime import timedelta

from celery.schedules import schedule as every
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from pausecampaign.celery import app

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the beat schedule in this process (local use, without Redis)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Run every job once, then stop.")

    def handle(self, *args, once: bool = False, **options) -> None:
        app.loader.import_default_modules()  # registers every app's tasks, as a worker would
        jobs = {
            name: (
                entry["task"],
                entry["schedule"] if not isinstance(entry["schedule"], timedelta) else every(entry["schedule"]),
            )
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        }
        last_run = {name: None for name in jobs}
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        self.stdout.write(f"Running {len(jobs)} periodic jobs in-process: {', '.join(jobs)}")
        while not stopping:
            for name, (task, when) in jobs.items():
                due = once or last_run[name] is None or when.is_due(last_run[name]).is_due
                if due:
                    last_run[name] = timezone.now()
                    self.run(name, task)
            if once:
                return
            time.sleep(1)

    def run(self, name: str, task: str) -> None:
        try:
            app.tasks[task].apply(throw=True)
        except Exception:
            # One failing job must not stop the others; the next run tries again.
            log.exception("periodic job %s failed", name)
