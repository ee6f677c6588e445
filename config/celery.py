"""The Celery app. Beat only ticks; per-candidate schedules live in the database (see ARCHITECTURE)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")

app = Celery("talentloop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
