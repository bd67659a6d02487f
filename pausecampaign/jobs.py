"""Queue a Celery task by its name, so that lower layers never import the task modules above them.

Tasks are thin and live at the top (`pledges/tasks.py` imports the services it calls);
a service or the outbox that needs one queued asks for it here by name. With tasks run
in-process (no REDIS_URL, and in tests) the task runs at once, as `.delay()` would.
"""

from __future__ import annotations

from pausecampaign.celery import app


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
