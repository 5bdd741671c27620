"""The journey's history is append-only; editing a submitted journey takes it back to draft."""

from typing import Any

import pytest
from django.urls import reverse

from journeys.models import HistoryEntry, ImmutableHistory, Journey, record

HTMX = {"HX-Request": "true"}


def test_history_entries_cannot_be_changed(journey: Journey, editor: Any) -> None:
    entry = record(journey, editor, "submitted", "Submitted for review")
    entry.summary = "rewritten"
    with pytest.raises(ImmutableHistory):
        entry.save()
    with pytest.raises(ImmutableHistory):
        HistoryEntry.objects.update(summary="rewritten")


@pytest.mark.parametrize("status", ["in_review", "approved", "changes_requested"])
def test_changing_an_answer_of_a_submitted_journey_makes_it_a_draft_again(
    editor_client: Any, journey: Journey, status: str
) -> None:
    Journey.objects.filter(pk=journey.pk).update(status=status)
    page = editor_client.get(reverse("journeys:stage", args=[journey.pk, "launch"]))
    assert "makes it a draft again" in page.content.decode()
    response = editor_client.post(
        reverse("journeys:answer", args=[journey.pk, "launch", "customers"]),
        {"value": "500"},
        headers=HTMX,
    )
    assert 'id="status-notice" hx-swap-oob="true"' in response.content.decode()
    journey.refresh_from_db()
    assert journey.status == "draft"
    entry = journey.history.get()
    assert entry.action == "reopened"


def test_a_draft_stays_a_draft_without_history_noise(editor_client: Any, journey: Journey) -> None:
    editor_client.post(
        reverse("journeys:answer", args=[journey.pk, "launch", "customers"]),
        {"value": "500"},
        headers=HTMX,
    )
    assert not journey.history.exists()


def test_an_override_of_a_submitted_journey_makes_it_a_draft_again(
    editor_client: Any, journey: Journey
) -> None:
    Journey.objects.filter(pk=journey.pk).update(status="approved")
    editor_client.post(
        reverse("journeys:override", args=[journey.pk, "growth", "web-asg"]),
        {"instance_type": "c6g.large"},
        headers=HTMX,
    )
    journey.refresh_from_db()
    assert journey.status == "draft"


def test_saving_a_milestone_is_in_the_history(editor_client: Any, journey: Journey) -> None:
    editor_client.post(reverse("journeys:milestones", args=[journey.pk, "growth"]), {"note": ""})
    entry = journey.history.get()
    assert entry.action == "milestone_saved" and entry.detail["number"] == 1
