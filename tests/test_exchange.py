"""The journey exchange format: export, import, and every problem of a broken document."""

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from journeys import demo, exchange
from journeys.models import Answer, Journey, Team


@pytest.fixture
def demo_journey(db: Any) -> Journey:
    journey, _ = demo.seed()
    Answer.objects.filter(journey=journey, stage="launch", question="object_storage_gb").update(
        value=None, not_applicable="business_priorities", note="Later."
    )
    journey.overrides = {"growth": {"web-asg": {"instance_type": "m6g.large"}}}
    journey.save()
    return journey


def export_text(journey_id: int) -> str:
    out = StringIO()
    call_command("export_journey", str(journey_id), stdout=out)
    return out.getvalue()


def test_export_then_import_then_export_gives_the_same_document(
    demo_journey: Journey, tmp_path: Path
) -> None:
    first = export_text(demo_journey.pk)
    path = tmp_path / "journey.json"
    path.write_text(first)
    out = StringIO()
    call_command("import_journey", str(path), "--team", "imported", stdout=out)
    new_id = int(out.getvalue().strip().removeprefix("Imported journey "))
    assert new_id != demo_journey.pk
    assert Team.objects.filter(slug="imported").exists()
    assert export_text(new_id) == first


def test_the_document_has_the_documented_shape(demo_journey: Journey) -> None:
    doc = json.loads(export_text(demo_journey.pk))
    assert doc["format"] == "journey/1"
    assert set(doc["journey"]) == {"name", "description", "region", "dr_region"}
    assert list(doc["stages"]) == ["launch", "growth", "scale", "beyond"]
    launch = doc["stages"]["launch"]["answers"]
    assert launch["customers"] == {"value": 100}
    assert launch["object_storage_gb"] == {
        "value": None,
        "note": "Later.",
        "not_applicable": "business_priorities",
    }


def test_the_catalogue_version_is_optional(db: Any) -> None:
    doc = {
        "format": "journey/1",
        "journey": {"name": "Tiny", "description": "", "region": "us-east-1", "dr_region": None},
        "stages": {"launch": {"answers": {"customers": {"value": 120}}}},
    }
    journey = exchange.create_journey(doc, Team.objects.create(name="T", slug="t"))
    assert journey.answers.get().value == 120


BROKEN = {
    "format": "journey/1",
    "journey": {"description": 5, "region": "mars-north-1", "dr_region": "moon-1"},
    "stages": {
        "hyperscale": {"answers": {}},
        "launch": {
            "answers": {
                "colour": {"value": "blue"},
                "customers": {"value": 0},
                "peak_rps": {"value": "fast"},
                "traffic_pattern": {"value": "chaotic"},
                "rpo_minutes": {"value": 10, "not_applicable": "laziness"},
                "monitoring": {"value": "full", "extra": 1},
            },
            "overrides": [],
        },
    },
}


def test_a_broken_document_reports_every_problem_with_its_path_and_creates_nothing(
    db: Any, tmp_path: Path
) -> None:
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(BROKEN))
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_journey", str(path), "--team", "fresh", stderr=err)
    report = err.getvalue()
    for expected in (
        "journey.name: Missing",
        "journey.description: Must be a string",
        "journey.region: Unknown AWS region",
        "journey.dr_region: Unknown AWS region",
        "stages.hyperscale: Unknown stage",
        "stages.launch.answers.colour: Unknown question",
        "stages.launch.answers.customers.value:",
        "stages.launch.answers.peak_rps.value:",
        "stages.launch.answers.traffic_pattern.value:",
        "stages.launch.answers.rpo_minutes.not_applicable: Unknown reason",
        "stages.launch.answers.monitoring.extra: Unknown key",
        "stages.launch.overrides:",
    ):
        assert expected in report, expected
    assert not Journey.objects.exists()
    assert not Team.objects.filter(slug="fresh").exists()


def test_a_file_that_is_not_json_is_one_clear_problem(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_journey", str(path), "--team", "t", stderr=err)
    assert "This is not a JSON document" in err.getvalue()


def test_the_wrong_format_is_reported(db: Any) -> None:
    problems = exchange.problems({"format": "journey/9", "journey": {}, "stages": {}})
    assert any(p.path == "format" for p in problems)


def test_download_and_upload_in_the_ui(editor_client: Any, journey: Journey, team: Team) -> None:
    editor_client.post(
        reverse("journeys:answer", args=[journey.pk, "launch", "customers"]), {"value": "300"}
    )
    response = editor_client.get(reverse("journeys:export", args=[journey.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="journey-{journey.pk}.json"'
    upload = SimpleUploadedFile("j.json", response.content, content_type="application/json")
    response = editor_client.post(reverse("journeys:import"), {"file": upload, "team": team.pk})
    assert response.status_code == 302
    copy = Journey.objects.exclude(pk=journey.pk).get()
    assert copy.answers.get(question="customers").value == 300


def test_an_upload_with_problems_lists_them_all_and_imports_nothing(
    editor_client: Any, journey: Journey, team: Team
) -> None:
    upload = SimpleUploadedFile("j.json", json.dumps(BROKEN).encode())
    response = editor_client.post(reverse("journeys:import"), {"file": upload, "team": team.pk})
    assert response.status_code == 422
    html = response.content.decode()
    assert "stages.launch.answers.colour" in html
    assert "Nothing was imported" in html
    assert Journey.objects.count() == 1


def test_an_upload_into_another_team_is_refused(
    editor_client: Any, journey: Journey, other_team: Team
) -> None:
    upload = SimpleUploadedFile("j.json", b"{}")
    response = editor_client.post(
        reverse("journeys:import"), {"file": upload, "team": other_team.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
