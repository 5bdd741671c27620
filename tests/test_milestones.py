"""Milestones: immutable, numbered snapshots of a stage; listing, viewing, comparing."""

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from journeys import architecture, exchange
from journeys.milestones import milestone_state, save_milestone
from journeys.models import Answer, ImmutableMilestone, Journey, Milestone

HTMX = {"HX-Request": "true"}


def test_saving_a_milestone_freezes_state_answers_and_version(
    journey: Journey, editor: Any
) -> None:
    Answer.objects.create(
        journey=journey,
        stage="growth",
        question="peak_rps",
        value=800,
        note="Black Friday",
        catalogue_version="2026.11",
    )
    milestone, created = save_milestone(journey, "growth", "For review", editor)
    assert created and milestone.number == 1
    assert milestone.answers == {"peak_rps": {"value": 800, "note": "Black Friday"}}
    state = milestone_state(milestone)
    assert state.hash == milestone.state_hash
    live = architecture.stage_state(journey, "growth")
    assert live.hash == state.hash


def test_an_unchanged_stage_does_not_duplicate_its_latest_milestone(
    journey: Journey, editor: Any
) -> None:
    first, _ = save_milestone(journey, "launch", "", editor)
    again, created = save_milestone(journey, "launch", "same again", editor)
    assert not created and again.pk == first.pk
    Answer.objects.create(
        journey=journey, stage="launch", question="customers", value=300, catalogue_version="x"
    )
    second, created = save_milestone(journey, "launch", "", editor)
    assert created and second.number == 2


def test_milestones_are_numbered_per_stage(journey: Journey, editor: Any) -> None:
    save_milestone(journey, "launch", "", editor)
    growth, _ = save_milestone(journey, "growth", "", editor)
    assert growth.number == 1


def test_a_milestone_cannot_be_changed_by_save(journey: Journey, editor: Any) -> None:
    milestone, _ = save_milestone(journey, "launch", "", editor)
    milestone.note = "rewritten"
    with pytest.raises(ImmutableMilestone):
        milestone.save()


def test_a_milestone_cannot_be_changed_by_a_queryset_update(journey: Journey, editor: Any) -> None:
    save_milestone(journey, "launch", "", editor)
    with pytest.raises(ImmutableMilestone):
        Milestone.objects.update(note="rewritten")


def test_the_database_refuses_an_update_below_the_orm(journey: Journey, editor: Any) -> None:
    milestone, _ = save_milestone(journey, "launch", "original", editor)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE journeys_milestone SET note = %s", ["rewritten"])
    assert Milestone.objects.get(pk=milestone.pk).note == "original"


def test_the_milestone_pages(editor_client: Any, journey: Journey) -> None:
    url = reverse("journeys:milestones", args=[journey.pk, "growth"])
    assert "No milestone yet" in editor_client.get(url).content.decode()
    response = editor_client.post(url, {"note": "<b>first</b>"})
    milestone = Milestone.objects.get()
    assert response["Location"] == milestone.get_absolute_url()
    detail = editor_client.get(milestone.get_absolute_url()).content.decode()
    assert "&lt;b&gt;first&lt;/b&gt;" in detail and "Components" in detail
    response = editor_client.post(url, {"note": "again"})
    assert Milestone.objects.count() == 1
    page = editor_client.get(response["Location"]).content.decode()
    assert "No changes since milestone 1" in page


def test_comparing_two_milestones_shows_what_changed(
    editor_client: Any, journey: Journey, editor: Any
) -> None:
    save_milestone(journey, "growth", "", editor)
    Answer.objects.create(
        journey=journey,
        stage="growth",
        question="database_engine",
        value="dynamodb",
        catalogue_version="x",
    )
    save_milestone(journey, "growth", "", editor)
    url = reverse("journeys:milestone_diff", args=[journey.pk, "growth"])
    html = editor_client.get(url, {"a": "1", "b": "2"}).content.decode()
    assert "Milestone 1 → Milestone 2" in html
    assert "DynamoDB table" in html and "nosql-db" not in html


def test_a_viewer_cannot_save_a_milestone(client: Any, viewer: Any, journey: Journey) -> None:
    client.force_login(viewer)
    url = reverse("journeys:milestones", args=[journey.pk, "growth"])
    assert client.post(url, {"note": ""}).status_code == 403
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Milestones of" in html and "Save milestone" not in html
    assert not Milestone.objects.exists()


def test_a_note_too_long_is_refused_next_to_its_field(editor_client: Any, journey: Journey) -> None:
    url = reverse("journeys:milestones", args=[journey.pk, "growth"])
    response = editor_client.post(url, {"note": "x" * 501})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="milestone-note_error"' in html and "at most 500 characters" in html
    assert f'value="{"x" * 501}"' in html
    assert not Milestone.objects.exists()


def state_json(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("journey_state", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_cli_prints_the_state_with_the_documented_keys(journey: Journey, editor: Any) -> None:
    doc = state_json(str(journey.pk), "--stage", "scale")
    assert {"stage", "hash", "components", "findings", "dr", "assumptions"} <= set(doc)
    component = doc["components"][0]
    assert {
        "id",
        "kind",
        "label",
        "params",
        "region",
        "azs",
        "links",
        "usage",
        "door",
        "reasons",
    } <= set(component)
    assert {"strategy", "rpo_minutes", "rto_minutes", "region"} <= set(doc["dr"])
    save_milestone(journey, "scale", "", editor)
    assert (
        state_json(str(journey.pk), "--stage", "scale", "--milestone", "1")["hash"] == doc["hash"]
    )
    text = StringIO()
    call_command(
        "journey_state", str(journey.pk), "--stage", "scale", "--format", "text", stdout=text
    )
    assert "Disaster recovery" in text.getvalue() or "DR" in text.getvalue()


def test_an_imported_journey_has_the_same_states_as_its_original(
    journey: Journey, team: Any, tmp_path: Path
) -> None:
    from journeys import demo

    original, _ = demo.seed()
    original.overrides = {"growth": {"web-asg": {"instance_type": "c6g.large"}}}
    original.save()
    copy = exchange.create_journey(exchange.document(original), team)
    for stage in ("launch", "growth", "scale", "beyond"):
        a = architecture.stage_state(original, stage)
        b = architecture.stage_state(copy, stage)
        assert a.hash == b.hash, stage
