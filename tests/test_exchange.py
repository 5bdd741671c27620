"""The journey exchange format: export, import, and every problem of a broken document."""

import json
import os
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from journeys import architecture, demo, exchange
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
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="checkout-answers-{day}.json"'
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


# --- documents that must not get in -------------------------------------------------------


def valid_doc(**growth: Any) -> dict[str, Any]:
    return {
        "format": "journey/1",
        "journey": {"name": "Tiny", "description": "", "region": "us-east-1", "dr_region": None},
        "stages": {"growth": {"answers": {}, "overrides": {}, **growth}},
    }


def import_problems(db: Any, doc: dict[str, Any] | str) -> list[str]:
    text = doc if isinstance(doc, str) else json.dumps(doc)
    with pytest.raises(exchange.InvalidDocument) as caught:
        exchange.create_journey(exchange.parse(text), Team.objects.create(name="T", slug="t"))
    assert not Journey.objects.exists()
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"web-asg": {"count": "lots", "instance_type": "<script>"}},
            [
                "stages.growth.overrides.web-asg.count: 'lots' must be a whole number from 1 "
                "to 100.",
                "stages.growth.overrides.web-asg.instance_type: '<script>' is not offered;",
            ],
        ),
        (
            {"web-asg": {"count": 1e12}},
            ["stages.growth.overrides.web-asg.count: 1000000000000.0 must be a whole number"],
        ),
        (
            {"web-asg": {"count": [[[1]]]}},
            ["stages.growth.overrides.web-asg.count: [[[1]]] must be a whole number"],
        ),
        (
            {"web-asg": {"min": 5, "count": 3}},
            ["stages.growth.overrides.web-asg.count: min 5 is above count 3"],
        ),
        (
            {"web-asg": {"colour": "red"}},
            ["stages.growth.overrides.web-asg.colour: cannot be overridden; choose one of"],
        ),
        (
            {"app-service": {"tasks": 4}},
            ["stages.growth.overrides.app-service: No such component in this stage's"],
        ),
        ({"web-asg": [1]}, ["stages.growth.overrides.web-asg: Must be an object of parameters."]),
    ],
)
def test_overrides_are_checked_by_the_engine_and_named_by_their_path(
    db: Any, overrides: dict[str, Any], expected: list[str]
) -> None:
    found = import_problems(db, valid_doc(overrides=overrides))
    assert len(found) == len(expected), found
    for problem, start in zip(found, expected, strict=True):
        assert problem.startswith(start), problem


def test_valid_overrides_are_imported_and_applied(db: Any) -> None:
    doc = valid_doc(overrides={"web-asg": {"instance_type": "m6g.large", "count": 4}})
    journey = exchange.create_journey(doc, Team.objects.create(name="T", slug="t"))
    state = architecture.stage_state(journey, "growth")
    assert state.component("web-asg").params["count"] == 4


@pytest.mark.parametrize("question", ["peak_rps", "customers", "db_storage_gb"])
def test_a_number_above_its_maximum_is_refused(db: Any, question: str) -> None:
    doc = valid_doc(answers={question: {"value": 999999999999999}})
    (problem,) = import_problems(db, doc)
    assert problem.startswith(f"stages.growth.answers.{question}.value: Enter a number between")


def test_a_document_nested_5000_levels_deep_is_refused_at_once(db: Any) -> None:
    deep = '{"format": "journey/1", "x": ' + "[" * 5000 + "]" * 5000 + "}"
    started = time.perf_counter()
    assert import_problems(db, deep) == ["$: The document nests deeper than 32 levels (5001)."]
    assert time.perf_counter() - started < 1


def test_nesting_within_the_limit_is_measured_without_counting_brackets_in_strings(
    db: Any,
) -> None:
    doc = valid_doc()
    doc["journey"]["description"] = "[[[[{{{{" * 100
    journey = exchange.create_journey(doc, Team.objects.create(name="T", slug="t"))
    assert journey.description.startswith("[[[[{{{{")


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"journey": {"name": "Tiny\x00", "region": "us-east-1"}}, "journey.name: Holds a NUL"),
        (
            {"journey": {"name": "Tiny", "description": "a\x00b", "region": "us-east-1"}},
            "journey.description: Holds a NUL",
        ),
    ],
)
def test_nul_characters_are_refused_with_their_path(
    db: Any, where: dict[str, Any], expected: str
) -> None:
    (problem,) = import_problems(db, {**valid_doc(), **where})
    assert problem.startswith(expected)


def test_a_lone_surrogate_is_refused_with_its_path_and_the_report_prints(db: Any) -> None:
    text = json.dumps(valid_doc(answers={"peak_rps": {"value": 300, "note": "x"}}))
    text = text.replace('"note": "x"', '"note": "\\ud800"')
    (problem,) = import_problems(db, text)
    assert problem.startswith("stages.growth.answers.peak_rps.note: Holds a NUL character or")
    problem.encode("utf-8")  # the report itself can be printed and stored


def test_a_key_with_a_lone_surrogate_is_named_printably(db: Any) -> None:
    text = json.dumps(valid_doc()).replace('"growth"', '"gr\\ud800owth"')
    found = import_problems(db, text)
    assert "stages.gr\\ud800owth: The key holds a NUL character or a lone surrogate" in found[0]
    for problem in found:
        problem.encode("utf-8")


def test_nan_is_not_a_json_number(db: Any) -> None:
    text = json.dumps(valid_doc(answers={"peak_rps": {"value": 1}})).replace(": 1}", ": NaN}")
    (problem,) = import_problems(db, text)
    assert problem.startswith("$: This is not a JSON document (NaN is not a JSON number")


def test_an_upload_with_a_nul_in_the_name_lists_it_and_imports_nothing(
    editor_client: Any, journey: Journey, team: Team
) -> None:
    doc = {**valid_doc(), "journey": {"name": "Evil\x00", "region": "us-east-1"}}
    upload = SimpleUploadedFile("j.json", json.dumps(doc).encode())
    response = editor_client.post(reverse("journeys:import"), {"file": upload, "team": team.pk})
    assert response.status_code == 422
    assert "<strong>journey.name</strong>: Holds a NUL character" in response.content.decode()
    assert "\x00" not in response.content.decode()
    assert Journey.objects.count() == 1


def test_an_upload_nested_too_deep_is_one_clear_problem(
    editor_client: Any, journey: Journey, team: Team
) -> None:
    upload = SimpleUploadedFile("j.json", b"[" * 5000 + b"]" * 5000)
    response = editor_client.post(reverse("journeys:import"), {"file": upload, "team": team.pk})
    assert response.status_code == 422
    assert "nests deeper than 32 levels" in response.content.decode()


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000 + "]" * 5000,
        json.dumps(valid_doc(answers={"peak_rps": {"value": 1, "note": "x"}})).replace(
            '"note": "x"', '"note": "\\ud800"'
        ),
        json.dumps(valid_doc(overrides={"web-asg": {"count": "lots"}})),
    ],
    ids=["deep", "surrogate", "override"],
)
def test_the_command_reports_a_bad_document_without_a_traceback(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    database = tmp_path / "untouched.sqlite3"
    result = subprocess.run(
        [sys.executable, "manage.py", "import_journey", str(path), "--team", "t"],
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}"},
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nothing was imported" in result.stderr
    assert not database.exists() or database.stat().st_size == 0
