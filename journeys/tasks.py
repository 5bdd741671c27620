"""Celery tasks: a thin interface to plain functions. They take ids, never objects.

Each job claims its row (queued -> running) before working, so a message delivered twice,
or to two workers, does the work once; `acks_late` makes a crashed worker's job run again.
"""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from journeys import diagram_jobs, notifications
from journeys.models import Diagram


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_new_member(membership_id: int) -> None:
    notifications.tell_new_member(membership_id)


@shared_task(
    acks_late=True,
    soft_time_limit=settings.DIAGRAM_SOFT_TIME_LIMIT,
    time_limit=settings.DIAGRAM_SOFT_TIME_LIMIT + 15,
)
def draw_diagram(diagram_id: int) -> None:
    if not Diagram.objects.claim(diagram_id):
        return  # another worker has it, it is done, or a newer state superseded it
    try:
        diagram_jobs.render(diagram_id)
    except SoftTimeLimitExceeded:
        Diagram.objects.get(pk=diagram_id).fail(
            f"Drawing took longer than {settings.DIAGRAM_SOFT_TIME_LIMIT} seconds and was "
            "stopped. Graphviz may be overloaded; try again."
        )
