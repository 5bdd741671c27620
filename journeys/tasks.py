"""Celery tasks: a thin interface to plain functions. They take ids, never objects.

Each job claims its row (queued -> running) before working, so a message delivered twice,
or to two workers, does the work once; `acks_late` makes a crashed worker's job run again.
"""

import logging
from collections.abc import Callable
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_init
from django.conf import settings

from journeys import diagram_jobs, estimate_jobs, export_jobs
from journeys.models import Diagram, Estimate, Export, Job
from journeys.reviews import notifications

logger = logging.getLogger(__name__)


def run_claimed(model: type[Job], pk: int, work: Callable[[int], object], stopped: str) -> None:
    """Claim a job's row and do it; past the soft time limit, fail it with `stopped`."""
    if not model.objects.claim(pk):
        return  # another worker has it, it is done, or a newer state superseded it
    try:
        work(pk)
    except SoftTimeLimitExceeded:
        model.objects.get(pk=pk).fail(stopped)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_new_member(membership_id: int) -> None:
    notifications.tell_new_member(membership_id)


@shared_task(
    acks_late=True,
    soft_time_limit=settings.DIAGRAM_SOFT_TIME_LIMIT,
    time_limit=settings.DIAGRAM_SOFT_TIME_LIMIT + 15,
)
def draw_diagram(diagram_id: int) -> None:
    run_claimed(
        Diagram,
        diagram_id,
        diagram_jobs.render,
        f"Drawing took longer than {settings.DIAGRAM_SOFT_TIME_LIMIT} seconds and was stopped. "
        "Graphviz may be overloaded; try again.",
    )


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_review_notifications(notification_ids: list[int]) -> None:
    notifications.email_notifications(notification_ids)


@shared_task(
    acks_late=True,
    soft_time_limit=settings.ESTIMATE_SOFT_TIME_LIMIT,
    time_limit=settings.ESTIMATE_SOFT_TIME_LIMIT + 30,
)
def estimate_stage(estimate_id: int) -> None:
    run_claimed(
        Estimate,
        estimate_id,
        estimate_jobs.run,
        f"Pricing took longer than {settings.ESTIMATE_SOFT_TIME_LIMIT} seconds and was stopped "
        "(the Price List API may be throttling); the previous estimate stays shown.",
    )


@worker_init.connect
def _import_weasyprint(**kwargs: Any) -> None:
    """Import WeasyPrint (about a second) once in the worker's parent process, before it forks
    its children, rather than in the first export of each child; the web never imports it."""
    import weasyprint  # noqa: F401


@shared_task(
    acks_late=True,
    soft_time_limit=settings.EXPORT_SOFT_TIME_LIMIT,
    time_limit=settings.EXPORT_SOFT_TIME_LIMIT + 30,
)
def export_roadmap(export_id: int) -> None:
    if not Export.objects.claim(export_id):
        return  # another worker has it, or it is already done
    try:
        export_jobs.run(export_id)
    except SoftTimeLimitExceeded:
        _fail_export(
            export_id,
            f"The roadmap took longer than {settings.EXPORT_SOFT_TIME_LIMIT} seconds and was "
            "stopped. Try again; if it keeps failing, the journey may be too large to print.",
        )
    except Exception:
        # Whatever went wrong, the person watching the progress bar gets a reason rather than
        # a bar that runs forever; the traceback goes to the worker's log.
        logger.exception("Roadmap export %s failed", export_id)
        _fail_export(
            export_id,
            "The roadmap could not be made because of an unexpected error; it has been logged. "
            "Try again later.",
        )


def _fail_export(export_id: int, reason: str) -> None:
    export = Export.objects.filter(pk=export_id).first()
    if export is not None:  # None: the journey was deleted meanwhile
        export.fail(reason)
