"""A real Celery worker process on the Redis broker and the PostgreSQL test database."""

from pathlib import Path
from typing import Any

import pytest

from journeys import architecture, diagram_jobs, tasks
from journeys.models import Diagram, Membership
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
    diagram = diagram_jobs.ensure_diagram(journey, "scale", state, previous)
    # Not in an atomic block here: on_commit runs at once and the message goes to Redis.
    assert wait_for(lambda: Diagram.objects.get(pk=diagram.pk).status in ("done", "failed"))
    diagram.refresh_from_db()
    assert diagram.status == "done", diagram.reason
    assert diagram_jobs.read(diagram, "png").startswith(b"\x89PNG")
