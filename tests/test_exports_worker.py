"""A real Celery worker on the Redis broker and the PostgreSQL test database makes a roadmap."""

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from journeys import catalog, roadmap, vocabulary
from journeys.jobs import exports
from journeys.milestones import save_milestone
from journeys.models import Export
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_makes_the_roadmap_from_scratch(
    worker: Path, journey: Any, editor: Any, settings: Any
) -> None:
    settings.PRICING_SOURCE = "snapshot"
    milestone, _ = save_milestone(journey, "scale", "For the board", editor)
    selection = {**roadmap.live_selection(), "scale": milestone.number}
    # Not in an atomic block here: on_commit runs at once and the message goes to Redis.
    export = exports.request_export(journey, editor, selection)
    assert wait_for(
        lambda: Export.objects.get(pk=export.pk).status in ("done", "failed"), seconds=180
    )
    export.refresh_from_db()
    assert export.status == Export.DONE, export.reason
    assert export.attempts == 1 and export.progress_done == export.progress_total
    reader = PdfReader(io.BytesIO(exports.read(export)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert len(reader.pages) == export.page_count > 10
    assert all(" ".join(s.title.split()) in text for s in catalog.get().stages)
    assert "For the board" in text
    assert export.selection == selection  # jsonb gives the keys back in its own order
    assert [stage for stage, _ in export.used()] == list(vocabulary.STAGES)
