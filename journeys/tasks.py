"""Celery tasks: a thin interface to the plain functions of `journeys.jobs`. Ids in, nothing
out: a job's progress, result and failure live on its row.

Each job claims its row (queued -> running) before working, so a message delivered twice,
or to two workers, does the work once; `acks_late` with `task_reject_on_worker_lost` delivers
the message of a task whose worker died again, and the row lets that same message (its task id)
take the job back, once. The reaper, sent by Celery beat, finds what no message will finish.
Job modules send these tasks by name (settings route them), so they never import this module.
"""

import logging
from collections.abc import Callable
from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_init
from django.conf import settings

from journeys.jobs import diagrams, estimates, exports, housekeeping, lease
from journeys.models import Diagram, Estimate, Export, Heartbeat, Job
from journeys.reviews import notifications

logger = logging.getLogger(__name__)


def run_claimed(
    task: Task, model: type[Job], pk: int, work: Callable[[int], object], too_slow: str, broken: str
) -> None:
    """Claim a job's row and do it. Past the soft time limit it fails with `too_slow`; on any
    other error with `broken`, the traceback going to the worker's log: whoever watches the
    row gets a reason rather than a job that runs forever."""
    if not model.objects.claim(pk, task.request.id or ""):
        return  # another worker has it, it is done, or a newer state superseded it
    try:
        work(pk)
    except SoftTimeLimitExceeded:
        _fail(model, pk, too_slow)
    except Exception:
        logger.exception("%s %s failed", model.__name__, pk)
        _fail(model, pk, broken)


def _fail(model: type[Job], pk: int, reason: str) -> None:
    row = model.objects.filter(pk=pk).first()
    if row is not None:  # None: the journey was deleted meanwhile
        row.fail(reason)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_new_member(membership_id: int) -> None:
    notifications.tell_new_member(membership_id)


@shared_task(
    bind=True,
    acks_late=True,
    soft_time_limit=settings.DIAGRAM_SOFT_TIME_LIMIT,
    time_limit=settings.DIAGRAM_TIME_LIMIT,
)
def draw_diagram(self: Task, diagram_id: int) -> None:
    run_claimed(
        self,
        Diagram,
        diagram_id,
        diagrams.render,
        f"Drawing took longer than {settings.DIAGRAM_SOFT_TIME_LIMIT} seconds and was stopped. "
        "Graphviz may be overloaded; try again.",
        "The diagram could not be drawn because of an unexpected error; it has been logged. "
        "Try again later.",
    )


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_review_notifications(notification_ids: list[int]) -> None:
    notifications.email_notifications(notification_ids)


@shared_task(
    bind=True,
    acks_late=True,
    soft_time_limit=settings.ESTIMATE_SOFT_TIME_LIMIT,
    time_limit=settings.ESTIMATE_TIME_LIMIT,
)
def estimate_stage(self: Task, estimate_id: int) -> None:
    run_claimed(
        self,
        Estimate,
        estimate_id,
        estimates.run,
        f"Pricing took longer than {settings.ESTIMATE_SOFT_TIME_LIMIT} seconds and was stopped "
        "(the Price List API may be throttling); the previous estimate stays shown.",
        "The estimate could not be made because of an unexpected error; it has been logged. "
        "The previous estimate stays shown.",
    )


@worker_init.connect
def _import_weasyprint(**kwargs: Any) -> None:
    """Import WeasyPrint (about a second) once in the worker's parent process, before it forks
    its children, rather than in the first export of each child; the web never imports it."""
    import weasyprint  # noqa: F401


@shared_task(
    bind=True,
    acks_late=True,
    soft_time_limit=settings.EXPORT_SOFT_TIME_LIMIT,
    time_limit=settings.EXPORT_TIME_LIMIT,
)
def export_roadmap(self: Task, export_id: int) -> None:
    run_claimed(
        self,
        Export,
        export_id,
        exports.run,
        f"The roadmap took longer than {settings.EXPORT_SOFT_TIME_LIMIT} seconds and was "
        "stopped. Try again; if it keeps failing, the journey may be too large to print.",
        "The roadmap could not be made because of an unexpected error; it has been logged. "
        "Try again later.",
    )


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def reap_jobs() -> None:
    """Sent by Celery beat every JOB_REAP_EVERY seconds (settings.CELERY_BEAT_SCHEDULE). Its
    run is also the workers' heartbeat that /ready/ reads."""
    Heartbeat.beat("worker")
    lease.reap()


@shared_task(acks_late=True, soft_time_limit=300, time_limit=330)
def prune() -> None:
    """Old share links and exports (settings.HOUSEKEEPING_EVERY)."""
    housekeeping.prune()


@shared_task(acks_late=True, soft_time_limit=600, time_limit=630)
def refresh_prices() -> None:
    """API prices near the end of their cache TTL (settings.HOUSEKEEPING_EVERY)."""
    housekeeping.refresh_prices()
