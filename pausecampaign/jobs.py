"""Queue a Celery task by its name, so that lower layers never import the task modules above them.

Tasks are thin and live at the top (`pledges/tasks.py` imports the services it calls);
a service or the outbox that needs one queued asks for it here by name. With tasks run
in-process (no REDIS_URL, and in tests) the task runs at once, as `.delay()` would.
"""

from __future__ import annotations

import logging
import threading
import time

from pausecampaign.celery import app

log = logging.getLogger(__name__)


def enqueue(name: str, *args, **kwargs) -> None:
    """Publish `name` with these arguments to the queue its route names (CELERY_TASK_ROUTES)."""
    if app.conf.task_always_eager:
        app.loader.import_default_modules()  # registers every app's tasks, as a worker does at start
        app.tasks[name].apply(args=args, kwargs=kwargs)
        return
    app.send_task(name, args=args, kwargs=kwargs)


def enqueue_on(name: str, queue: str, *args, **kwargs) -> None:
    """The same, to a queue chosen at the call (the outbox picks its lane per message)."""
    if app.conf.task_always_eager:
        enqueue(name, *args, **kwargs)
        return
    app.send_task(name, args=args, kwargs=kwargs, queue=queue)


def eager() -> bool:
    return bool(app.conf.task_always_eager)


class Gathered:
    """One task for many items: `add` publishes at once if the last publish was `every` ago or more,
    and otherwise gathers the item into one message published when `every` has passed.

    Under a surge a process publishes once per `every`, not once per item: a publish costs the web
    process more than most of what it does for a request. Only for work a sweep makes good: items
    gathered when the process dies, or when the broker is down, are left to that sweep. The task
    takes the list of items. In-process (no broker), each item's task runs at once.
    """

    def __init__(self, name: str, every: float = 0.1) -> None:
        self.name, self.every = name, every
        self._items: list = []
        self._last = 0.0
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def add(self, item) -> None:
        if eager():
            self._publish([item])
            return
        with self._lock:
            self._items.append(item)
            if self._timer is not None:
                return  # a publish is due: this item goes with it
            wait = self._last + self.every - time.monotonic()
            if wait > 0:
                self._timer = threading.Timer(wait, self.flush)
                self._timer.daemon = True
                self._timer.start()
                return
        self.flush()

    def flush(self) -> None:
        with self._lock:
            items, self._items = self._items, []
            self._timer, self._last = None, time.monotonic()
        if items:
            self._publish(items)

    def _publish(self, items: list) -> None:
        try:
            enqueue(self.name, items)
        except Exception:  # noqa: BLE001 - gathered work is only work its sweep makes good
            log.warning("could not queue %s for %d item(s); its sweep will do them", self.name, len(items))
