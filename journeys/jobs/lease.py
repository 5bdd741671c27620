"""The reaper: what no worker will finish by itself, found and sent again (Celery beat runs it).

- A job running past its lease (hard time limit + JOB_LEASE_MARGIN) lost its worker: the whole
  worker was killed or its machine went away, so no redelivery will come soon. It is queued
  again once, then failed with a reason (`Job.requeue`).
- A queued job whose message is overdue by JOB_RESEND_AFTER while its queue is empty lost its
  message (a broker restarted without persistence, a purge, an export's delayed look that
  never came back): the message is sent again. Nothing is sent while the queue still holds
  messages: then the workers are behind or stopped, and the page says so.
- A review email taken by a worker that died before sending is sent again past its lease, as
  is one whose message was lost, MAX_EMAIL_ATTEMPTS times in all, for a day.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from journeys.jobs import base
from journeys.models import Diagram, Estimate, Export, Job, Notification
from journeys.reviews.notifications import EMAIL_TASK

logger = logging.getLogger(__name__)

KINDS: tuple[type[Job], ...] = (Diagram, Estimate, Export)
# Review emails older than this are not sent any more: the news is stale.
EMAIL_GIVE_UP = timedelta(days=1)


@dataclass
class Reaped:
    """What one pass did, by kind: for the worker's log and the tests."""

    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    resent: list[str] = field(default_factory=list)
    emails: int = 0

    def __bool__(self) -> bool:
        return bool(self.requeued or self.failed or self.resent or self.emails)


def queue_of(model: type[Job]) -> str:
    route = settings.CELERY_TASK_ROUTES.get(model.TASK, {})
    return str(route.get("queue", settings.CELERY_TASK_DEFAULT_QUEUE))


def queue_size(name: str) -> int | None:
    """Messages waiting in a queue of the broker; None when the broker cannot tell."""
    try:
        with current_app.connection_for_write() as connection:
            channel: Any = connection.default_channel
            return int(channel.queue_declare(name, passive=True).message_count)
    except Exception:  # a queue not declared yet, a broker away: unknown
        return None


def reap(now: datetime | None = None) -> Reaped:
    now = now or timezone.now()
    done = Reaped()
    for model in KINDS:
        for row in model.objects.expired(now):
            base.retry(row)
            (done.requeued if row.status == row.QUEUED else done.failed).append(str(row))
        overdue = model.objects.filter(status=Job.QUEUED).filter(
            Q(queued_at__lt=now - timedelta(seconds=settings.JOB_RESEND_AFTER))
            | Q(queued_at=None, created__lt=now - timedelta(seconds=settings.JOB_RESEND_AFTER))
        )
        if overdue.exists() and queue_size(queue_of(model)) in (0, None):
            for row in overdue:
                model.objects.filter(pk=row.pk, status=Job.QUEUED).update(queued_at=now)
                base.enqueue(row)
                done.resent.append(str(row))
    done.emails = resend_emails(now)
    if done:
        logger.warning("Reaper: %s", done)
    return done


def resend_emails(now: datetime) -> int:
    """Send again the review emails a worker took and lost, or whose message was lost."""
    ids = list(
        Notification.objects.to_email(now)
        .filter(created__gt=now - EMAIL_GIVE_UP, created__lt=now - Notification.EMAIL_LEASE)
        .exclude(user__email="")
        .values_list("pk", flat=True)
    )
    if ids:
        current_app.send_task(EMAIL_TASK, args=[ids])
    return len(ids)
