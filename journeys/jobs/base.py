"""What every kind of job does the same way: queue, retry, store its files, reuse a twin's,
and make a row ready for a caller that needs it now.

A job's state lives on its row (`journeys.models.Job`: queued -> running -> done | failed),
and a worker claims the row before working on it, so a message delivered twice does the work
once. A row holds a lease: running past its kind's hard time limit plus a margin, its worker
is gone and it is queued again once, then failed (`check_lease`, and the reaper in `lease`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from celery import current_app, current_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from kombu.exceptions import OperationalError

from journeys.models import Job

logger = logging.getLogger(__name__)

J = TypeVar("J", bound=Job)

INTERRUPTED = "Stopped before it was done, with the roadmap export that was making it. Try again."


def enqueue(job: Job, countdown: float | None = None) -> None:
    """Send the job's task once the row is committed (a worker must find it). By name, so
    that no job module imports `journeys.tasks`; the settings route it to its queue."""
    task, pk = job.TASK, job.pk
    transaction.on_commit(lambda: send(task, [pk], countdown=countdown))


def send(task: str, args: list[Any], **options: Any) -> bool:
    """Send a task by name; False when the broker cannot be reached (Redis restarting, down)
    even after Celery's publish retries. That is logged and not raised: the row that asked
    for it is committed and says what is left to do, and the reaper (`lease.reap`) sends a
    job or a review email whose message never left once the broker is back. So whoever asked
    sees the job queued, and the "is a worker running?" hint if it stays so, not an error page."""
    try:
        current_app.send_task(task, args=args, **options)
    except OperationalError:
        logger.warning("The broker cannot be reached: %s%s not sent", task, args, exc_info=True)
        return False
    return True


def retry(job: Job) -> None:
    """Queue a failed job again, or one whose worker is gone (past its lease); a job that is
    queued or running within its lease is left as it is."""
    if job.requeue():
        enqueue(job)


def check_lease(job: J) -> J:
    """A page watching a job: one running past its lease is queued again (or failed, lost
    twice), so nobody watches it run for ever, even with no reaper running."""
    if job.is_expired():
        retry(job)
    return job


def holder() -> str:
    """The id of the Celery task running here ("" outside a task): a row claimed under it can
    be taken back by the same message delivered again after its worker died."""
    request = getattr(current_task, "request", None)
    return str(getattr(request, "id", None) or "")


def store(name: str, content: bytes) -> str:
    """Save under a content-addressed name; an existing file of that name is the same file."""
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(content))


def read(file: FieldFile) -> bytes:
    with file.open("rb") as handle:
        content: bytes = handle.read()
    return content


def find_or_queue(model: type[J], defaults: dict[str, Any], **key: Any) -> J:
    """The job row of `key` (journey, stage and its content key): found (taken back if its
    worker was lost), finished at once from an equal twin, or queued — replacing the stage's
    rows still waiting, which nobody will look at."""
    row, created = model.objects.get_or_create(**key, defaults=defaults)
    if not created:
        return check_lease(row)
    if reuse_twin(row):
        return row
    row.supersede_queued()
    enqueue(row)
    return row


def reuse_twin(job: Job, **fields: Any) -> bool:
    """Finish `job` with the output of a finished row of the same content, if there is one:
    equal content is never made twice. `fields` are set as well."""
    twin = job.twin()
    if twin is None:
        return False
    output = {
        name: value.name if isinstance(value, FieldFile) else value
        for name, value in twin.output().items()
    }
    job.finish(**output, **fields)
    return True


def ready(row_of: Callable[[], J], work: Callable[[int], J | None]) -> J | None:
    """A job's row for a caller that needs it now (the roadmap export).

    `row_of` finds or queues the row. A done row is returned as it is; one nobody has started
    is claimed and made here and now by `work` (a failed one gets one more try: the failure
    may have passed). One another worker is making comes back pending: the caller decides
    whether to come back later, for waiting here would hold this worker idle. None when a
    newer state keeps superseding (deleting) the row under us.
    """
    for _ in range(3):
        row = row_of()
        if row.status == row.DONE:
            return row
        row.requeue()
        model = type(row)
        if model.objects.claim(row.pk, holder()):
            try:
                return work(row.pk)
            except Exception:
                # The caller's failure (its time limit, an error) is also this row's: left
                # running, it would look taken forever to the next export and to its page.
                model.objects.filter(pk=row.pk, status=row.RUNNING).update(
                    status=row.FAILED, reason=INTERRUPTED, finished=timezone.now()
                )
                raise
        current = model.objects.filter(pk=row.pk).first()
        if current is not None:
            return current
    return None
