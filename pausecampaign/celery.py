import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pausecampaign.settings")

app = Celery("pausecampaign")
# Every CELERY_* setting in settings.py configures the app, the beat schedule included.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
