import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

from pausecampaign.logs import request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pausecampaign.settings")

app = Celery("pausecampaign")
# Every CELERY_* setting in settings.py configures the app, the beat schedule included.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_tokens: dict[str, object] = {}


@task_prerun.connect
def log_with_task_id(task_id: str, **kwargs) -> None:
    """Every log line a task writes carries its task id, as a web request's carries its request id."""
    _tokens[task_id] = request_id.set(task_id)


@task_postrun.connect
def stop_logging_task_id(task_id: str, **kwargs) -> None:
    token = _tokens.pop(task_id, None)
    if token is not None:
        request_id.reset(token)
