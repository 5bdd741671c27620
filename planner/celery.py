"""The Celery application, following the Celery docs' Django recipe.

Every Celery setting lives in `planner/settings.py` under the `CELERY_` prefix.
"""

import os

from celery import Celery

from planner.logging import connect_celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planner.settings")

app = Celery("planner")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# A job queued by a request logs with that request's id (planner/logging.py).
connect_celery()
