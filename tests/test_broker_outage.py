"""The broker away (Redis restarting, down): what people asked for is kept and done later.

A job or an email asked for while the broker cannot be reached is committed with its row,
its send is logged instead of raising (no error page), and the reaper sends it once the
broker is back. A task running when the connection drops runs to its end. The drill with a
real worker and a restarted Redis is in test_drills.py.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journeys.jobs import lease
from journeys.models import Export, Journey, Membership, Notification, Team
from tests.conftest import broker_at, submit_all

# Nothing listens on port 1: every connection is refused at once, as with Redis down.
UNREACHABLE = "redis://127.0.0.1:1/0"


def test_an_export_asked_for_while_the_broker_is_away_is_queued_and_the_page_does_not_fail(
    editor_client: Client, journey: Journey, caplog: Any, django_capture_on_commit_callbacks: Any
) -> None:
    url = reverse("journeys:exports", args=[journey.pk])
    with broker_at(UNREACHABLE), django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, {})
    export = Export.objects.get(journey=journey)
    assert response.status_code == 302 and response["Location"].endswith(f"#export-{export.pk}")
    assert export.status == Export.QUEUED
    assert "The broker cannot be reached: journeys.tasks.export_roadmap" in caplog.text


def test_the_reaper_sends_the_export_whose_message_never_left_once_the_broker_is_back(
    editor_client: Client,
    journey: Journey,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with broker_at(UNREACHABLE), django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("journeys:exports", args=[journey.pk]), {})
    export = Export.objects.get(journey=journey)
    monkeypatch.setattr(lease, "queue_size", lambda name: 0)  # a Redis that restarted empty
    later = timezone.now() + timedelta(seconds=django_settings.JOB_RESEND_AFTER + 1)
    with django_capture_on_commit_callbacks() as sent:
        done = lease.reap(later)
    assert done.resent == [str(export)] and len(sent) == 1


def test_review_emails_of_a_submission_made_while_the_broker_is_away_are_sent_later(
    journey: Journey, editor: User, architect: User, django_capture_on_commit_callbacks: Any
) -> None:
    with broker_at(UNREACHABLE), django_capture_on_commit_callbacks(execute=True):
        submit_all(journey, editor)
    waiting = Notification.objects.filter(user=architect, emailed=None)
    assert waiting.count() == 1
    later = timezone.now() + Notification.EMAIL_LEASE + timedelta(seconds=1)
    assert lease.resend_emails(later) == 1


def test_a_member_added_while_the_broker_is_away_is_added_and_the_page_does_not_fail(
    client: Client,
    owner: User,
    team: Team,
    outsider: User,
    caplog: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(owner)
    with broker_at(UNREACHABLE), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("teams:detail", args=[team.slug]), {"username": "oscar", "role": "viewer"}
        )
    assert response.status_code == 302
    assert Membership.objects.filter(team=team, user=outsider, role="viewer").exists()
    assert "journeys.tasks.notify_new_member" in caplog.text  # the welcome email, logged


def test_a_task_running_when_the_broker_connection_drops_runs_to_its_end() -> None:
    """Celery 6 makes cancelling the default; with a Redis that restarted empty, the cancelled
    task's message is gone and its job would stay running until its lease (the drill)."""
    assert django_settings.CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS is False
