"""Jobs that always end: the lease of every kind of job, redelivery after a lost worker, the
reaper, the warning when no worker takes a job, the admin's queues, the pool that a kill -9
cannot wedge."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from billiard import get_context
from billiard import pool as billiard_pool
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journeys import architecture, roadmap
from journeys.jobs import base, diagrams, estimates, exports, lease
from journeys.models import Diagram, Estimate, Export, Job, Journey, Notification
from journeys.models.products import LOST_REASON
from journeys.reviews import notifications
from journeys.tasks import draw_diagram
from planner import pool

HTMX = {"HX-Request": "true"}
WARNING = "No worker has started this yet — is a worker running?"


@pytest.fixture(autouse=True)
def snapshot_prices(settings: Any) -> None:
    settings.PRICING_SOURCE = "snapshot"


def diagram_of(journey: Journey, stage: str = "growth") -> Diagram:
    state, previous = architecture.stage_with_previous(journey, stage)
    return diagrams.ensure_diagram(journey, stage, state, previous)


def estimate_of(journey: Journey, stage: str = "growth") -> Estimate:
    answers = architecture.JourneyAnswers.of(journey)
    state = architecture.stage_state(journey, stage, answers)
    facts = architecture.stage_facts(stage, answers)
    return estimates.ensure_estimate(journey, stage, state, facts)


def running_since(row: Job, seconds: float, holder: str = "task-1") -> None:
    assert type(row).objects.claim(row.pk, holder)
    started = timezone.now() - timedelta(seconds=seconds)
    type(row).objects.filter(pk=row.pk).update(started=started)
    row.refresh_from_db()


def past_the_lease(row: Job) -> float:
    return type(row).lease().total_seconds() + 1


# --- Redelivery of the message whose worker died ------------------------------------------------


def test_the_same_message_delivered_again_takes_its_job_back_once_then_fails_it(
    journey: Journey,
) -> None:
    diagram = diagram_of(journey)
    assert Diagram.objects.claim(diagram.pk, "task-1")
    # The child died; the broker delivers the same message (same task id) again.
    assert Diagram.objects.claim(diagram.pk, "task-1")
    diagram.refresh_from_db()
    assert diagram.status == Diagram.RUNNING and diagram.lost == 1 and diagram.attempts == 2
    # A poison job kills its worker every time: the third delivery fails it.
    assert not Diagram.objects.claim(diagram.pk, "task-1")
    diagram.refresh_from_db()
    assert diagram.status == Diagram.FAILED and diagram.reason == LOST_REASON


def test_another_message_cannot_take_a_running_job(journey: Journey) -> None:
    diagram = diagram_of(journey)
    assert Diagram.objects.claim(diagram.pk, "task-1")
    assert not Diagram.objects.claim(diagram.pk, "task-2")
    assert not Diagram.objects.claim(diagram.pk)
    diagram.refresh_from_db()
    assert diagram.status == Diagram.RUNNING and diagram.lost == 0


def test_a_redelivered_task_draws_the_diagram_its_dead_child_had_claimed(
    journey: Journey,
) -> None:
    diagram = diagram_of(journey)
    assert Diagram.objects.claim(diagram.pk, "task-1")
    draw_diagram.apply(args=(diagram.pk,), task_id="task-1")
    diagram.refresh_from_db()
    assert diagram.status == Diagram.DONE, diagram.reason


def test_a_redelivered_export_takes_back_the_diagram_it_was_drawing_in_process(
    journey: Journey, monkeypatch: pytest.MonkeyPatch
) -> None:
    diagram = diagram_of(journey)
    assert Diagram.objects.claim(diagram.pk, "export-task")
    monkeypatch.setattr(base, "holder", lambda: "export-task")
    source = roadmap.read_sources(journey, roadmap.live_selection())[1]
    assert source.stage == "growth"
    row = exports.ready_diagram(journey, source)
    assert row is not None and row.status == Diagram.DONE, row and row.reason


# --- Leases: running past the hard time limit ----------------------------------------------------


def test_the_settings_redeliver_a_task_whose_child_died() -> None:
    assert django_settings.CELERY_TASK_ACKS_LATE
    assert django_settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    schedule = django_settings.CELERY_BEAT_SCHEDULE["reap-stuck-jobs"]
    assert schedule["task"] == "journeys.tasks.reap_jobs"
    assert schedule["schedule"] == django_settings.JOB_REAP_EVERY


def test_every_kind_of_job_has_a_lease_past_its_hard_time_limit(settings: Any) -> None:
    settings.JOB_LEASE_MARGIN = 60
    assert Diagram.lease() == timedelta(seconds=settings.DIAGRAM_TIME_LIMIT + 60)
    assert Estimate.lease() == timedelta(seconds=settings.ESTIMATE_TIME_LIMIT + 60)
    assert Export.lease() == timedelta(seconds=settings.EXPORT_TIME_LIMIT + 60)
    assert settings.EXPORT_TIME_LIMIT > settings.EXPORT_SOFT_TIME_LIMIT


def test_the_reaper_queues_a_job_past_its_lease_again_once_then_fails_it(
    journey: Journey, django_capture_on_commit_callbacks: Any
) -> None:
    diagram = diagram_of(journey)
    row = estimate_of(journey)
    for job in (diagram, row):
        running_since(job, past_the_lease(job))
    with django_capture_on_commit_callbacks() as sent:
        done = lease.reap()
    assert len(sent) == 2 and len(done.requeued) == 2
    diagram.refresh_from_db()
    row.refresh_from_db()
    assert diagram.status == row.status == Job.QUEUED and diagram.lost == row.lost == 1
    for job in (diagram, row):
        running_since(job, past_the_lease(job), holder="task-2")
    with django_capture_on_commit_callbacks() as sent:
        done = lease.reap()
    assert not sent and len(done.failed) == 2
    diagram.refresh_from_db()
    assert diagram.status == Diagram.FAILED and "stopped twice" in diagram.reason


def test_the_reaper_leaves_a_job_within_its_lease(
    journey: Journey, django_capture_on_commit_callbacks: Any
) -> None:
    diagram = diagram_of(journey)
    running_since(diagram, past_the_lease(diagram) - 10)
    with django_capture_on_commit_callbacks() as sent:
        assert not lease.reap()
    assert not sent and Diagram.objects.get(pk=diagram.pk).status == Diagram.RUNNING


def test_retry_queues_a_stale_running_diagram_again(
    journey: Journey, editor_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    diagram = diagram_of(journey)
    running_since(diagram, past_the_lease(diagram))
    url = reverse("journeys:diagram_retry", args=[journey.pk, diagram.pk])
    with django_capture_on_commit_callbacks() as sent:
        editor_client.post(url)
    assert len(sent) == 1
    assert Diagram.objects.get(pk=diagram.pk).status == Diagram.QUEUED


def test_the_polling_estimate_takes_back_a_stale_estimate_without_the_reaper(
    journey: Journey, editor_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    row = estimate_of(journey)
    running_since(row, past_the_lease(row))
    url = reverse("journeys:stage_estimate", args=[journey.pk, "growth"])
    with django_capture_on_commit_callbacks() as sent:
        response = editor_client.get(url, headers=HTMX)
    assert len(sent) == 1 and b"The estimate is queued" in response.content
    assert Estimate.objects.get(pk=row.pk).status == Estimate.QUEUED


# --- Lost messages ----------------------------------------------------------------------------


def test_a_waiting_export_whose_delayed_look_was_lost_is_sent_again(
    journey: Journey, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    export = exports.request_export(journey, None, roadmap.live_selection(), queue=False)
    assert Export.objects.claim(export.pk, "task-1")
    export.wait("Waiting for the growth diagram", timezone.now() - timedelta(minutes=5))
    monkeypatch.setattr(lease, "queue_size", lambda name: 0)
    with django_capture_on_commit_callbacks() as sent:
        done = lease.reap()
    assert len(sent) == 1 and done.resent == [str(export)]
    export.refresh_from_db()
    assert export.status == Export.QUEUED and export.queued_at > timezone.now() - timedelta(1)
    with django_capture_on_commit_callbacks() as sent:
        lease.reap()
    assert not sent  # just sent again: not overdue


def test_nothing_is_sent_again_while_the_queue_still_holds_messages(
    journey: Journey, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    diagram = diagram_of(journey)
    Diagram.objects.filter(pk=diagram.pk).update(created=timezone.now() - timedelta(hours=1))
    monkeypatch.setattr(lease, "queue_size", lambda name: 3)
    with django_capture_on_commit_callbacks() as sent:
        assert not lease.reap()
    assert not sent


def test_a_review_email_taken_by_a_worker_that_died_is_sent_again(
    journey: Journey, editor: User, owner: User
) -> None:
    old = timezone.now() - timedelta(minutes=10)
    ids = notifications.notify(journey, User.objects.filter(pk=owner.pk), "decided", "Hi", "/x")
    Notification.objects.filter(pk__in=ids).update(created=old, email_taken=old, email_attempts=1)
    assert lease.resend_emails(timezone.now()) == 1
    assert notifications.email_notifications(ids) == 1 and len(mail.outbox) == 1
    Notification.objects.filter(pk__in=ids).update(emailed=None, email_taken=old)
    # Two takes in all: a poison email is not taken a third time.
    assert lease.resend_emails(timezone.now()) == 0
    assert notifications.email_notifications(ids) == 0


# --- Nobody takes the job: the page says so ---------------------------------------------------


def test_a_diagram_queued_past_30_seconds_asks_whether_a_worker_is_running(
    journey: Journey, editor_client: Client
) -> None:
    url = reverse("journeys:stage_diagram", args=[journey.pk, "growth"])
    diagram = diagram_of(journey)
    assert WARNING not in editor_client.get(url, headers=HTMX).content.decode()
    Diagram.objects.filter(pk=diagram.pk).update(created=timezone.now() - timedelta(seconds=31))
    page = editor_client.get(url, headers=HTMX).content.decode()
    assert WARNING in page and "every 1s" in page


def test_an_estimate_queued_past_30_seconds_asks_whether_a_worker_is_running(
    journey: Journey, editor_client: Client
) -> None:
    url = reverse("journeys:stage_estimate", args=[journey.pk, "growth"])
    row = estimate_of(journey)
    Estimate.objects.filter(pk=row.pk).update(created=timezone.now() - timedelta(seconds=31))
    assert WARNING in editor_client.get(url, headers=HTMX).content.decode()


def test_an_export_queued_past_30_seconds_asks_whether_a_worker_is_running(
    journey: Journey, editor_client: Client
) -> None:
    export = exports.request_export(journey, None, roadmap.live_selection(), queue=False)
    url = reverse("journeys:export_status", args=[journey.pk, export.pk])
    assert WARNING not in editor_client.get(url, headers=HTMX).content.decode()
    Export.objects.filter(pk=export.pk).update(created=timezone.now() - timedelta(seconds=31))
    assert WARNING in editor_client.get(url, headers=HTMX).content.decode()


def test_the_admin_shows_the_queue_depth_and_the_oldest_queued_job(
    journey: Journey, admin_client: Client
) -> None:
    first = diagram_of(journey, "growth")
    diagram_of(journey, "scale")
    Diagram.objects.filter(pk=first.pk).update(created=timezone.now() - timedelta(minutes=5))
    page = admin_client.get(reverse("admin:journeys_diagram_changelist")).content.decode()
    assert 'id="job-queues"' in page
    assert "<td>Diagrams</td>\n    <td>2</td>" in page
    assert f"{first} — journey “Checkout”, waiting 5" in page


# --- The pool ---------------------------------------------------------------------------------


def test_an_idle_pool_child_waits_for_work_without_holding_the_queue_lock() -> None:
    """billiard's blocking pool (the filesystem broker's) made idle children wait inside the
    shared queue's lock: a child killed while idle kept it, and the pool wedged."""
    queue: Any = get_context().SimpleQueue()
    child = pool._Worker(queue, get_context().SimpleQueue(), None)
    receive = child._make_recv_method(queue)
    waiting = threading.Thread(target=receive, args=(0.5,), daemon=True)
    waiting.start()
    time.sleep(0.2)
    assert queue._rlock.acquire(False), "an idle child holds the queue's lock"
    queue._rlock.release()
    waiting.join()
    queue.put(("task", 1))
    assert receive(1.0) == (True, ("task", 1))
    assert pool.TaskPool.BlockingPool.Worker is pool._Worker
    assert issubclass(pool._BlockingPool, billiard_pool.Pool)
    assert django_settings.CELERY_WORKER_POOL == "planner.pool:TaskPool"
