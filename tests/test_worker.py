"""A real Celery worker process on the Redis broker and the PostgreSQL test database."""

from pathlib import Path
from typing import Any

import pytest

from journeys import architecture, tasks
from journeys.jobs import diagrams, estimates
from journeys.models import Diagram, Estimate, Membership
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_emails_a_new_member(
    worker: Path, team: Any, owner: Any, outsider: Any
) -> None:
    membership = Membership.objects.create(team=team, user=outsider, role="viewer")
    tasks.notify_new_member.delay(membership.pk)
    assert wait_for(lambda: worker.exists() and any(worker.iterdir())), "no email was written"
    text = next(worker.iterdir()).read_text()
    assert "oscar@example.com" in text and "Payments" in text


def test_a_real_worker_draws_a_real_diagram(worker: Path, journey: Any) -> None:
    state, previous = architecture.stage_with_previous(journey, "scale")
    diagram = diagrams.ensure_diagram(journey, "scale", state, previous)
    # Not in an atomic block here: on_commit runs at once and the message goes to Redis.
    assert wait_for(lambda: Diagram.objects.get(pk=diagram.pk).status in ("done", "failed"))
    diagram.refresh_from_db()
    assert diagram.status == "done", diagram.reason
    assert diagrams.read(diagram, "png").startswith(b"\x89PNG")


def test_a_real_worker_prices_a_stage(worker: Path, journey: Any, settings: Any) -> None:
    settings.PRICING_SOURCE = "snapshot"
    answers = architecture.JourneyAnswers.of(journey)
    state = architecture.stage_state(journey, "growth", answers)
    row = estimates.ensure_estimate(
        journey, "growth", state, architecture.stage_facts("growth", answers)
    )
    assert wait_for(lambda: Estimate.objects.get(pk=row.pk).status in ("done", "failed"))
    row.refresh_from_db()
    assert row.status == "done", row.reason
    assert row.sources == ["snapshot"] and row.progress_done == row.progress_total > 0
