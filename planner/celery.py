"""The Celery application, following the Celery docs' Django recipe.

Every Celery setting lives in `planner/settings.py` under the `CELERY_` prefix.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planner.settings")

app = Celery("planner")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
