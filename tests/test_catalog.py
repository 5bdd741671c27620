"""The stage catalogue: every shipped file loads, broken files say exactly what is wrong, and
`Question.clean` takes anything without raising anything but InvalidAnswer.

Plain pytest: no database and no Django settings needed.
"""

import contextlib
import math
import re
import shutil
import subprocess
import sys
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeys import catalog, vocabulary
from journeys.catalog import CatalogueProblem, InvalidAnswer, Question

CORE_TYPES = {
    "customers": ("integer", "customers"),
    "peak_rps": ("decimal", "requests per second"),
    "avg_response_kb": ("decimal", "KB"),
    "static_share": ("percentage", "%"),
    "traffic_pattern": ("single", None),
    "read_ratio": ("percentage", "%"),
    "db_storage_gb": ("decimal", "GB"),
    "object_storage_gb": ("decimal", "GB"),
    "users_geography": ("single", None),
    "availability_target": ("single", None),
    "rpo_minutes": ("integer", "minutes"),
    "rto_minutes": ("integer", "minutes"),
    "compute_model": ("single", None),
    "database_engine": ("single", None),
    "customer_identity": ("single", None),
    "l7_protection": ("single", None),
    "release_process": ("single", None),
    "monitoring": ("single", None),
}
CORE_CHOICES = {
    "traffic_pattern": ["steady", "daily_peaks", "spiky"],
    "users_geography": ["one_region", "continent", "global"],
    "availability_target": ["99.0", "99.5", "99.9", "99.95", "99.99"],
    "compute_model": ["vms", "containers", "serverless"],
    "database_engine": ["postgresql", "mysql", "aurora-postgresql", "aurora-mysql", "dynamodb"],
    "customer_identity": ["none", "in_app", "managed"],
    "l7_protection": ["none", "waf"],
    "release_process": ["manual", "scripted", "ci_cd"],
    "monitoring": ["none", "basic", "full"],
}
ALL_QUESTIONS = [q for s in catalog.get().stages for q in s.questions.values()]


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A private copy of the shipped catalogue, ready to be broken."""
    target = tmp_path / "catalogue"
    shutil.copytree(catalog.DATA_DIR, target)
    return target


def edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text()
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1))


def _question_span(text: str, qid: str) -> tuple[int, int]:
    start = text.index(f'[[sections.questions]]\nid = "{qid}"\n')
    end = text.find("\n[[sections.questions]]\n", start + 1)
    section_end = text.find("\n[[sections]]\n", start)
    ends = [e for e in (end, section_end) if e != -1]
    return start, min(ends) + 1 if ends else len(text)


def edit_question(folder: Path, file: str, qid: str, old: str, new: str) -> None:
    """Replace `old` inside the block of question `qid` only."""
    path = folder / file
    text = path.read_text()
    start, end = _question_span(text, qid)
    block = text[start:end]
    assert old in block, f"{old!r} not in question {qid} of {file}"
    path.write_text(text[:start] + block.replace(old, new, 1) + text[end:])


def remove_question(folder: Path, file: str, qid: str) -> None:
    path = folder / file
    text = path.read_text()
    start, end = _question_span(text, qid)
    path.write_text(text[:start] + text[end:])


def problems_of(folder: Path) -> list[CatalogueProblem]:
    with pytest.raises(catalog.CatalogueError) as caught:
        catalog.load(folder)
    return caught.value.problems


def the_problem(folder: Path) -> CatalogueProblem:
    found = problems_of(folder)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


# --- the shipped catalogue -------------------------------------------------------------------


def test_every_shipped_file_loads() -> None:
    cat = catalog.load(catalog.DATA_DIR)
    assert cat.version == "2026.12"
    assert [s.slug for s in cat.stages] == list(vocabulary.STAGES)


def test_the_default_catalogue_is_loaded_once() -> None:
    assert catalog.get() is catalog.get()


def test_the_shortcuts_read_the_default_catalogue() -> None:
    assert catalog.stage("scale") is catalog.get().stage("scale")
    assert (
        catalog.question("growth", "peak_rps")
        is catalog.get().stage("growth").questions["peak_rps"]
    )


def test_unknown_stages_and_questions_raise_key_error() -> None:
    cat = catalog.get()
    with pytest.raises(KeyError):
        cat.stage("hypergrowth")
    with pytest.raises(KeyError):
        cat.question("launch", "no_such_question")
    with pytest.raises(KeyError):
        cat.question("nowhere", "customers")


@pytest.mark.parametrize("slug", vocabulary.STAGES)
def test_every_stage_has_the_four_sections_in_the_talks_order(slug: str) -> None:
    stage = catalog.get().stage(slug)
    assert [(s.id, s.title) for s in stage.sections] == [
        ("build", "Build"),
        ("measure", "Measure"),
        ("learn", "Learn"),
        ("best_practices", "Best-practices check"),
    ]
    assert all(s.intro and s.questions for s in stage.sections)


@pytest.mark.parametrize("slug", vocabulary.STAGES)
def test_every_stage_asks_every_core_question_with_its_type_and_unit(slug: str) -> None:
    stage = catalog.get().stage(slug)
    for qid, (qtype, unit) in CORE_TYPES.items():
        q = stage.questions[qid]
        assert (q.type, q.unit, q.core, q.required) == (qtype, unit, True, True), qid
        if qid in CORE_CHOICES:
            assert [c.value for c in q.choices] == CORE_CHOICES[qid]
    assert stage.questions["customers"].min == 1
    assert stage.questions["static_share"].min == 0
    assert stage.questions["static_share"].max == 100
    assert {q.id for q in stage.questions.values() if q.core} == set(CORE_TYPES)


def test_the_core_ids_of_the_loader_match_the_design() -> None:
    assert list(vocabulary.CORE_QUESTION_IDS) == list(CORE_TYPES)
    assert list(catalog.CORE_QUESTIONS) == list(CORE_TYPES)


def test_planned_customers_grow_stage_by_stage() -> None:
    defaults = [s.questions["customers"].default for s in catalog.get().stages]
    assert defaults == [100, 10_000, 1_000_000, 10_000_000]


@pytest.mark.parametrize("slug", vocabulary.STAGES)
def test_each_stage_has_a_usable_number_of_questions(slug: str) -> None:
    stage = catalog.get().stage(slug)
    assert 22 <= len(stage.questions) <= 34
    assert list(stage.questions) == [q.id for s in stage.sections for q in s.questions]


@pytest.mark.parametrize("slug", vocabulary.STAGES)
def test_each_stage_says_what_it_is_and_when_the_next_one_comes(slug: str) -> None:
    stage = catalog.get().stage(slug)
    assert stage.title and stage.customers_label and len(stage.summary) > 200
    assert len(stage.thresholds) >= 4


def test_every_question_has_a_label_and_practical_help() -> None:
    for q in ALL_QUESTIONS:
        assert q.label.endswith("?"), (q.stage, q.id)
        assert 40 <= len(q.help) <= 400, (q.stage, q.id)


def test_every_default_is_a_valid_answer_that_cleans_to_itself() -> None:
    for q in ALL_QUESTIONS:
        if q.default is not None:
            assert q.clean(q.default) == q.default, (q.stage, q.id)


@pytest.mark.parametrize("slug", vocabulary.STAGES)
def test_the_best_practices_check_covers_all_six_pillars(slug: str) -> None:
    section = catalog.get().stage(slug).sections[3]
    assert {q.pillar for q in section.questions} == set(vocabulary.PILLARS)
    for q in section.questions:
        # Like the Well-Architected Tool: at least one answer is a risk, at least one is not.
        levels = [q.risks_for(c.value) for c in q.choices]
        assert any(levels) and not all(levels), (slug, q.id)


@pytest.mark.parametrize("slug", vocabulary.STAGES)
def test_the_talks_risks_are_flagged_in_every_stage(slug: str) -> None:
    stage = catalog.get().stage(slug)

    def risks(qid: str, value: str) -> dict[str, str]:
        return stage.questions[qid].risks_for(value)

    assert risks("release_process", "manual") == {
        "operational_excellence": "high",
        "reliability": "medium",
    }
    assert risks("monitoring", "none") == {
        "operational_excellence": "high",
        "reliability": "medium",
    }
    assert risks("l7_protection", "none") == {"security": "high"}
    assert risks("customer_identity", "none") == {"security": "high"}
    assert risks("customer_identity", "managed") == {}
    assert risks("release_process", "ci_cd") == {}


def test_the_launch_review_finds_single_points_of_failure_and_one_used_zone() -> None:
    q = catalog.get().question("launch", "learn_availability")
    assert q.risks_for(["single_points_of_failure", "one_az"]) == {"reliability": "high"}


def test_learn_questions_are_multiple_choice_with_an_empty_answer_allowed() -> None:
    for stage in catalog.get().stages:
        learn = stage.sections[2]
        assert all(q.type == "multiple" for q in learn.questions)
        assert all(q.clean([]) == [] for q in learn.questions)
        assert any(q.id.startswith("learn_") for q in learn.questions)


# --- broken catalogues -----------------------------------------------------------------------


def test_invalid_toml_is_reported_with_its_file_and_line(folder: Path) -> None:
    text = (folder / "launch.toml").read_text()
    line = text[: text.index('slug = "launch"')].count("\n") + 1
    edit(folder, "launch.toml", 'slug = "launch"', 'slug = "launch')
    problem = the_problem(folder)
    assert (problem.file, problem.question) == ("launch.toml", None)
    assert problem.message.startswith("invalid TOML: ")
    assert f"line {line}" in problem.message


def test_a_missing_catalogue_file_is_reported(folder: Path) -> None:
    (folder / "catalogue.toml").unlink()
    assert the_problem(folder) == CatalogueProblem("catalogue.toml", None, "file is missing")


def test_a_missing_version_is_reported(folder: Path) -> None:
    edit(folder, "catalogue.toml", 'version = "2026.12"\n', "")
    assert str(the_problem(folder)) == (
        'catalogue.toml: version is required (a string such as "2026.11")'
    )


def test_a_missing_stage_file_is_reported(folder: Path) -> None:
    (folder / "scale.toml").unlink()
    assert the_problem(folder) == CatalogueProblem("scale.toml", None, "stage file is missing")


def test_a_file_for_an_unknown_stage_is_reported(folder: Path) -> None:
    shutil.copy(folder / "growth.toml", folder / "hypergrowth.toml")
    assert the_problem(folder) == CatalogueProblem(
        "hypergrowth.toml",
        None,
        "unknown stage 'hypergrowth'; the stages are launch, growth, scale, beyond",
    )


def test_a_slug_that_differs_from_the_file_name_is_reported(folder: Path) -> None:
    edit(folder, "beyond.toml", 'slug = "beyond"', 'slug = "scale"')
    assert str(the_problem(folder)) == (
        "beyond.toml: slug must be \"beyond\", the file's name (found 'scale')"
    )


def test_a_duplicate_question_id_is_reported_with_its_file(folder: Path) -> None:
    edit_question(folder, "growth.toml", "stale_reads", 'id = "stale_reads"', 'id = "app_state"')
    assert str(the_problem(folder)) == (
        "growth.toml: question 'app_state': duplicate question id (also in section 'build')"
    )


def test_an_unknown_section_is_reported(folder: Path) -> None:
    edit(folder, "launch.toml", 'id = "learn"\n', 'id = "lessons"\n')
    assert [str(p) for p in problems_of(folder)] == [
        "launch.toml: section 'lessons': unknown section; the sections are build, measure, "
        "learn, best_practices",
        "launch.toml: sections must be build, measure, learn, best_practices, in this order "
        "(found: build, measure, best_practices)",
    ]


def test_sections_out_of_order_are_reported(folder: Path) -> None:
    path = folder / "scale.toml"
    text = path.read_text()
    text = text.replace('id = "measure"\n', 'id = "SWAP"\n', 1)
    text = text.replace('id = "learn"\n', 'id = "measure"\n', 1)
    path.write_text(text.replace('id = "SWAP"\n', 'id = "learn"\n', 1))
    assert str(the_problem(folder)) == (
        "scale.toml: sections must be build, measure, learn, best_practices, in this order "
        "(found: build, learn, measure, best_practices)"
    )


def test_a_section_that_appears_twice_is_reported(folder: Path) -> None:
    edit(folder, "growth.toml", 'id = "learn"\n', 'id = "measure"\n')
    assert [str(p) for p in problems_of(folder)] == [
        "growth.toml: section 'measure': appears twice",
        "growth.toml: sections must be build, measure, learn, best_practices, in this order "
        "(found: build, measure, best_practices)",
    ]


def test_an_unknown_question_type_is_reported(folder: Path) -> None:
    edit_question(folder, "scale.toml", "data_residency", 'type = "yes_no"', 'type = "boolean"')
    assert the_problem(folder) == CatalogueProblem(
        "scale.toml",
        "data_residency",
        "unknown type 'boolean'; use one of single, multiple, integer, decimal, percentage, "
        "yes_no, text",
    )


def test_a_missing_label_is_reported(folder: Path) -> None:
    edit_question(
        folder,
        "beyond.toml",
        "integration_style",
        'label = "How do features talk to each other?"\n',
        "",
    )
    assert the_problem(folder) == CatalogueProblem(
        "beyond.toml", "integration_style", "label is required"
    )


def test_a_misspelt_key_is_reported_with_a_suggestion(folder: Path) -> None:
    edit_question(folder, "launch.toml", "app_structure", "label = ", "lable = ")
    assert [str(p) for p in problems_of(folder)] == [
        "launch.toml: question 'app_structure': unknown key 'lable' (did you mean 'label'?)",
        "launch.toml: question 'app_structure': label is required",
    ]


def test_a_minimum_above_the_maximum_is_reported(folder: Path) -> None:
    edit_question(folder, "growth.toml", "latency_target_ms", "max = 60000", "max = 5")
    assert str(the_problem(folder)) == (
        "growth.toml: question 'latency_target_ms': min (10) is greater than max (5)"
    )


def test_every_shipped_number_question_has_a_maximum() -> None:
    unbounded = [
        f"{q.stage}.{q.id}"
        for q in ALL_QUESTIONS
        if q.type in catalog.NUMBER_TYPES and q.max is None
    ]
    assert unbounded == []


def test_the_shipped_core_numbers_stop_at_their_business_maxima() -> None:
    growth = catalog.get().stage("growth").questions
    assert growth["customers"].max == 1_000_000_000
    assert growth["peak_rps"].max == 10_000_000
    for qid, spec in catalog.CORE_QUESTIONS.items():
        if spec.max is not None:
            assert all(s.questions[qid].max <= spec.max for s in catalog.get().stages), qid


def test_a_number_question_without_a_maximum_is_reported(folder: Path) -> None:
    edit_question(folder, "growth.toml", "latency_target_ms", "max = 60000\n", "")
    assert str(the_problem(folder)) == (
        "growth.toml: question 'latency_target_ms': max is required for an integer question "
        "(the largest sensible answer)"
    )


def test_a_core_maximum_above_its_ceiling_is_reported(folder: Path) -> None:
    edit_question(folder, "scale.toml", "peak_rps", "max = 10_000_000", "max = 10_000_001")
    assert str(the_problem(folder)) == (
        "scale.toml: question 'peak_rps': core question must have max of at most 10,000,000 "
        "(found 10,000,001): the estimate is sized for that"
    )


def test_a_maximum_beyond_what_a_number_answer_holds_is_reported(folder: Path) -> None:
    edit_question(folder, "growth.toml", "latency_target_ms", "max = 60000", "max = 1e20")
    assert str(the_problem(folder)) == (
        "growth.toml: question 'latency_target_ms': max must be at most "
        "1,000,000,000,000,000 in size"
    )


def test_a_default_out_of_bounds_is_reported(folder: Path) -> None:
    edit_question(folder, "launch.toml", "customers", "default = 100\n", "default = 0\n")
    assert str(the_problem(folder)) == (
        "launch.toml: question 'customers': default 0 is not a valid answer: "
        "Enter a number between 1 and 1,000,000,000."
    )


def test_a_default_that_is_not_a_choice_is_reported(folder: Path) -> None:
    edit_question(
        folder, "launch.toml", "compute_model", 'default = "vms"', 'default = "mainframe"'
    )
    assert str(the_problem(folder)) == (
        "launch.toml: question 'compute_model': default 'mainframe' is not a valid answer: "
        "Choose one of the listed options."
    )


def test_a_default_of_the_wrong_type_is_reported(folder: Path) -> None:
    edit_question(folder, "launch.toml", "customers", "default = 100\n", 'default = "100"\n')
    assert str(the_problem(folder)) == (
        "launch.toml: question 'customers': default '100' has the wrong type for an integer "
        "question"
    )


def test_a_choice_question_without_choices_is_reported(folder: Path) -> None:
    edit_question(folder, "scale.toml", "data_residency", 'type = "yes_no"', 'type = "single"')
    assert str(the_problem(folder)) == (
        "scale.toml: question 'data_residency': a single question needs choices "
        "([[sections.questions.choices]])"
    )


def test_duplicate_choice_values_are_reported(folder: Path) -> None:
    edit_question(folder, "growth.toml", "app_state", 'value = "mixed"', 'value = "on_server"')
    assert str(the_problem(folder)) == (
        "growth.toml: question 'app_state': choice 'on_server': duplicate choice value"
    )


def test_an_unknown_pillar_in_a_choice_is_reported(folder: Path) -> None:
    edit_question(folder, "growth.toml", "app_state", "{ reliability = ", "{ reliabilty = ")
    assert str(the_problem(folder)) == (
        "growth.toml: question 'app_state': choice 'on_server': unknown pillar 'reliabilty' "
        "(did you mean 'reliability'?)"
    )


def test_an_unknown_risk_level_is_reported(folder: Path) -> None:
    edit_question(
        folder, "growth.toml", "app_state", '{ reliability = "high"', '{ reliability = "critical"'
    )
    assert str(the_problem(folder)) == (
        "growth.toml: question 'app_state': choice 'on_server': unknown risk level 'critical' "
        "for reliability; use 'medium' or 'high' (leave the pillar out for no risk)"
    )


def test_a_missing_unit_is_reported_for_a_decimal_question(folder: Path) -> None:
    edit_question(folder, "growth.toml", "peak_rps", 'unit = "requests per second"\n', "")
    assert str(the_problem(folder)) == (
        "growth.toml: question 'peak_rps': unit is required for a decimal question"
    )


def test_a_missing_core_question_is_reported_with_its_file(folder: Path) -> None:
    remove_question(folder, "scale.toml", "rto_minutes")
    assert the_problem(folder) == CatalogueProblem(
        "scale.toml",
        "rto_minutes",
        "core question is missing; every stage must ask it (DESIGN 3.1)",
    )


def test_a_core_question_of_the_wrong_type_is_reported_once(folder: Path) -> None:
    edit_question(folder, "beyond.toml", "rpo_minutes", 'type = "integer"', 'type = "decimal"')
    assert str(the_problem(folder)) == (
        "beyond.toml: question 'rpo_minutes': core question must be of type integer (found decimal)"
    )


def test_a_core_question_with_another_unit_is_reported(folder: Path) -> None:
    edit_question(folder, "launch.toml", "db_storage_gb", 'unit = "GB"', 'unit = "TB"')
    assert str(the_problem(folder)) == (
        "launch.toml: question 'db_storage_gb': core question must have unit \"GB\" (found 'TB')"
    )


def test_a_core_question_with_other_choices_is_reported(folder: Path) -> None:
    edit_question(folder, "growth.toml", "monitoring", 'value = "full"', 'value = "complete"')
    assert str(the_problem(folder)) == (
        "growth.toml: question 'monitoring': core question must have exactly the choices "
        "none, basic, full (found none, basic, complete)"
    )


def test_a_core_question_marked_not_core_is_reported(folder: Path) -> None:
    edit_question(folder, "launch.toml", "customers", "core = true", "core = false")
    assert str(the_problem(folder)) == (
        "launch.toml: question 'customers': this id belongs to a core question; "
        "it must be core = true"
    )


def test_a_best_practices_question_without_a_pillar_is_reported(folder: Path) -> None:
    edit_question(folder, "beyond.toml", "footprint", 'pillar = "sustainability"\n', "")
    assert str(the_problem(folder)) == (
        "beyond.toml: question 'footprint': a best-practices question needs a pillar "
        "(operational_excellence, security, reliability, performance_efficiency, "
        "cost_optimization, sustainability)"
    )


@pytest.mark.parametrize(
    ("qid", "old", "new", "message"),
    [
        (
            "latency_target_ms",
            'unit = "milliseconds"',
            'unit = "milliseconds"\nchoices = []',
            "choices only apply to single and multiple questions, not to integer",
        ),
        (
            "app_structure",
            'type = "single"',
            'type = "single"\nunit = "apps"',
            "unit only applies to number questions, not to a single question",
        ),
        (
            "app_structure",
            'type = "single"',
            'type = "single"\nmax_length = 10',
            "max_length only applies to text questions, not to a single question",
        ),
        ("static_share", 'type = "percentage"', 'type = "percentage"\nmax = 150', None),
        ("app_structure", 'type = "single"', 'type = "single"\nrequired = "yes"', None),
    ],
)
def test_settings_that_do_not_fit_the_question_type_are_reported(
    folder: Path, qid: str, old: str, new: str, message: str | None
) -> None:
    edit_question(folder, "launch.toml", qid, old, new)
    problem = the_problem(folder)
    assert (problem.file, problem.question) == ("launch.toml", qid)
    if message:
        assert problem.message == message


def test_every_problem_of_every_file_is_reported_at_once(folder: Path) -> None:
    edit_question(folder, "launch.toml", "customers", "default = 100\n", "default = 0\n")
    edit_question(folder, "growth.toml", "peak_rps", 'unit = "requests per second"\n', "")
    remove_question(folder, "growth.toml", "monitoring")
    edit(folder, "beyond.toml", 'slug = "beyond"', 'slug = "beyond')
    with pytest.raises(catalog.CatalogueError) as caught:
        catalog.load(folder)
    found = [(p.file, p.question) for p in caught.value.problems]
    assert found == [
        ("launch.toml", "customers"),
        ("growth.toml", "peak_rps"),
        ("growth.toml", "monitoring"),
        ("beyond.toml", None),
    ]
    assert str(caught.value) == "\n".join(str(p) for p in caught.value.problems)


def test_a_missing_folder_is_reported(tmp_path: Path) -> None:
    problem = the_problem(tmp_path / "nowhere")
    assert problem.message == "catalogue folder not found"


# --- clean, per type -------------------------------------------------------------------------


def question(qtype: str, **kwargs: Any) -> Question:
    kwargs.setdefault("unit", "requests per second" if qtype in ("integer", "decimal") else None)
    return Question(id="q", stage="launch", section="build", type=qtype, label="Q?", **kwargs)


def refused(q: Question, raw: object) -> str:
    with pytest.raises(InvalidAnswer) as caught:
        q.clean(raw)
    return str(caught.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1200", 1200), (" 10,000 ", 10_000), (1200, 1200), (1e3, 1000), ("1e3", 1000), ("+7", 7)],
)
def test_an_integer_question_takes_whole_numbers_in_any_plain_spelling(
    raw: object, expected: int
) -> None:
    value = catalog.question("launch", "customers").clean(raw)
    assert value == expected and type(value) is int


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1.5", "Enter a whole number."),
        ("0", "Enter a number between 1 and 1,000,000,000."),
        ("-3", "Enter a number between 1 and 1,000,000,000."),
        ("1000000001", "Enter a number between 1 and 1,000,000,000."),
        (True, "Enter a whole number, not yes or no."),
        (False, "Enter a whole number, not yes or no."),
        ("", "This question needs an answer."),
        ("   ", "This question needs an answer."),
        (None, "This question needs an answer."),
        ("twelve", "Enter a whole number."),
        ("١٢", "Enter a whole number."),
        ("１２", "Enter a whole number."),
        ("1,00", "Enter a whole number."),
        (10**400, "That number is too large."),
        ("1e999999", "Enter a number between 1 and 1,000,000,000."),
        ("9" * 60, "Enter a whole number."),
        ([12], "Enter a whole number."),
        ({"value": 12}, "Enter a whole number."),
    ],
)
def test_an_integer_question_refuses_everything_else_with_a_clear_message(
    raw: object, message: str
) -> None:
    assert refused(catalog.question("launch", "customers"), raw) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12.5", 12.5), ("400", 400), (400.0, 400), (Decimal("2.50"), 2.5), (".25", 0.25)],
)
def test_a_decimal_answer_is_an_int_when_whole_and_a_float_otherwise(
    raw: object, expected: float
) -> None:
    value = catalog.question("growth", "peak_rps").clean(raw)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (math.nan, "Enter a finite number."),
        (math.inf, "Enter a finite number."),
        (-math.inf, "Enter a finite number."),
        (Decimal("NaN"), "Enter a finite number."),
        ("nan", "Enter a number."),
        ("Infinity", "Enter a number."),
        ("-1", "Enter a number between 0 and 10,000,000."),
        ("10000000.0001", "Enter a number between 0 and 10,000,000."),
        ("999999999999999", "Enter a number between 0 and 10,000,000."),
        ("1.23456", "Use at most 4 decimal places."),
        ("1e-9", "Use at most 4 decimal places."),
        ("1e16", "Enter a number between 0 and 10,000,000."),
        ("1e99999999999999999999", "That number is out of range."),
        # abs() of this overflows the default decimal context; it must still be a clean refusal.
        ("1E1000000", "Enter a number between 0 and 10,000,000."),
        ("1E-1000000", "Use at most 4 decimal places."),
    ],
)
def test_a_decimal_question_refuses_non_finite_and_out_of_range_numbers(
    raw: object, message: str
) -> None:
    assert refused(catalog.question("growth", "peak_rps"), raw) == message


def test_a_number_with_more_digits_than_a_float_holds_is_refused() -> None:
    unbounded = question("decimal")
    assert refused(unbounded, "123456789012.3456") == "Use at most 15 digits in all."
    assert refused(unbounded, "1e16") == "That number is too large."


def test_negative_zero_is_plain_zero() -> None:
    assert catalog.question("growth", "peak_rps").clean("-0") == 0
    assert catalog.question("growth", "peak_rps").clean("0E-1000000") == 0


def test_numbers_do_not_depend_on_the_threads_decimal_context() -> None:
    with localcontext() as context:
        context.prec = 2
        context.Emax = 3
        assert catalog.question("growth", "peak_rps").clean("1234.5") == 1234.5
        assert catalog.question("growth", "peak_rps").display(1234.5) == (
            "1,234.5 requests per second"
        )


def test_a_percentage_is_between_0_and_100_and_may_carry_a_percent_sign() -> None:
    q = catalog.question("launch", "static_share")
    assert q.clean("40 %") == 40
    assert q.clean("12.5%") == 12.5
    assert q.clean(100) == 100
    assert refused(q, 100.5) == "Enter a number between 0 and 100."
    assert refused(q, "-1") == "Enter a number between 0 and 100."
    assert refused(q, "%") == "This question needs an answer."


def test_bounds_messages_name_the_bounds_that_exist() -> None:
    assert refused(question("decimal", max=Decimal(5)), "6") == "Enter a number of at most 5."
    bounded = question("decimal", min=Decimal("0.5"), max=Decimal(1000))
    assert refused(bounded, "0.25") == "Enter a number between 0.5 and 1,000."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("yes", True),
        (" YES ", True),
        ("true", True),
        ("on", True),
        ("1", True),
        (True, True),
        (1, True),
        ("no", False),
        ("false", False),
        ("0", False),
        (False, False),
        (0, False),
    ],
)
def test_a_yes_no_question_takes_the_usual_spellings(raw: object, expected: bool) -> None:
    assert catalog.question("scale", "data_residency").clean(raw) is expected


@pytest.mark.parametrize("raw", ["maybe", 2, 0.5, ["yes"]])
def test_a_yes_no_question_refuses_anything_else(raw: object) -> None:
    assert refused(catalog.question("scale", "data_residency"), raw) == "Answer yes or no."


def test_a_single_choice_takes_a_listed_value_only() -> None:
    q = catalog.question("launch", "traffic_pattern")
    assert q.clean("spiky") == "spiky"
    assert q.clean(" spiky ") == "spiky"
    for raw in ("Spiky", "bursty", 3, ["spiky"], True):
        assert refused(q, raw) == "Choose one of the listed options."
    assert refused(q, "") == "This question needs an answer."


def test_a_numeric_choice_may_come_as_a_json_number() -> None:
    q = catalog.question("growth", "availability_target")
    assert q.clean(99.9) == "99.9"
    assert q.clean(99) == "99.0"
    assert refused(q, 98) == "Choose one of the listed options."
    assert refused(q, math.nan) == "Choose one of the listed options."


def test_a_multiple_choice_answer_is_deduplicated_in_catalogue_order() -> None:
    q = catalog.question("scale", "purpose_built_stores")
    assert q.clean(["search", "key_value", "search"]) == ["key_value", "search"]
    assert q.clean("search") == ["search"]
    assert q.clean(("caching",)) == ["caching"]


def test_an_empty_multiple_choice_answer_means_none_of_these() -> None:
    q = catalog.question("scale", "purpose_built_stores")
    assert q.clean([]) == []
    # What a hidden "nothing ticked" form field posts.
    assert q.clean([""]) == []


@pytest.mark.parametrize("raw", [["graph"], [["search"]], [None], [1], {"search": True}, 7])
def test_a_multiple_choice_question_refuses_anything_unlisted(raw: object) -> None:
    message = refused(catalog.question("scale", "purpose_built_stores"), raw)
    assert message in ("Choose only from the listed options.", "Choose from the listed options.")


def test_a_text_answer_is_stripped_and_keeps_newlines_and_tabs() -> None:
    q = question("text")
    assert q.clean("  hello\r\nworld\t!  ") == "hello\nworld\t!"


@pytest.mark.parametrize("raw", ["a\x00b", "bell\x07", "esc\x1b[31m", "half \ud800 surrogate"])
def test_a_text_answer_refuses_control_characters(raw: str) -> None:
    assert refused(question("text"), raw) == "Remove the control characters from the text."


def test_a_text_answer_has_a_maximum_length() -> None:
    q = question("text", max_length=10)
    assert q.clean("x" * 10) == "x" * 10
    assert refused(q, "x" * 11) == "Use at most 10 characters (this has 11)."
    assert question("text").max_length == 200


def test_a_text_answer_must_be_text() -> None:
    assert refused(question("text"), 12) == "Enter text."
    assert refused(question("text"), " \n ") == "This question needs an answer."


# --- risks and display -----------------------------------------------------------------------


def test_risks_of_a_single_choice_are_those_of_the_choice() -> None:
    q = catalog.question("launch", "release_process")
    assert q.risks_for("manual") == {"operational_excellence": "high", "reliability": "medium"}
    assert q.risks_for("ci_cd") == {}
    assert q.risks_for("unknown") == {}
    assert q.risks_for(None) == {}


def test_risks_of_several_choices_merge_and_the_highest_level_wins() -> None:
    q = catalog.question("launch", "learn_development")
    merged = q.risks_for(["development_slow", "manual_releases", "few_tests"])
    assert merged == {"operational_excellence": "high", "reliability": "medium"}
    assert q.risks_for([]) == {}
    assert catalog.question("launch", "customers").risks_for(100) == {}


@pytest.mark.parametrize(
    ("stage", "qid", "value", "shown"),
    [
        ("growth", "peak_rps", 400, "400 requests per second"),
        ("growth", "peak_rps", 12.5, "12.5 requests per second"),
        ("scale", "customers", 1_000_000, "1,000,000 customers"),
        ("launch", "static_share", 40, "40 %"),
        ("scale", "data_residency", True, "Yes"),
        ("scale", "data_residency", False, "No"),
        ("launch", "traffic_pattern", "spiky", "Spiky: sudden bursts (campaigns, launches, news)"),
        ("launch", "customers", None, "Not answered"),
        ("scale", "purpose_built_stores", [], "None of these"),
    ],
)
def test_display_reads_as_people_write(stage: str, qid: str, value: object, shown: str) -> None:
    assert catalog.question(stage, qid).display(value) == shown


def test_display_of_several_choices_lists_their_labels() -> None:
    q = catalog.question("scale", "purpose_built_stores")
    assert q.display(["key_value", "search"]) == (
        "High-volume key-value lookups (Amazon DynamoDB), Full-text search (Amazon OpenSearch "
        "Service)"
    )


def test_the_catalogue_imports_no_django() -> None:
    code = (
        "import sys; from journeys import catalog; catalog.get(); "
        "sys.exit(any(m.split('.')[0] == 'django' for m in sys.modules))"
    )
    root = Path(catalog.__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)


def test_the_constants_match_the_interface() -> None:
    assert vocabulary.STAGES == ("launch", "growth", "scale", "beyond")
    assert vocabulary.NA_REASONS[0] == ("out_of_scope", "Out of scope")
    assert len(vocabulary.PILLARS) == 6


# --- fuzz ------------------------------------------------------------------------------------

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.decimals()
    | st.text()
    | st.from_regex(r"\A[+-]?[0-9,.]{0,12}([eE][+-]?[0-9]{1,8})?%?\Z")
)
anything = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=400, deadline=None)
@given(q=st.sampled_from(ALL_QUESTIONS), raw=anything)
def test_clean_never_raises_anything_but_invalid_answer(q: Question, raw: object) -> None:
    try:
        value = q.clean(raw)
    except InvalidAnswer as error:
        assert str(error).strip()
        return
    # Whatever is accepted is JSON-ready, cleans to itself and can be shown.
    assert isinstance(value, int | float | str | bool | list)
    assert not (isinstance(value, float) and not math.isfinite(value))
    assert q.clean(value) == value
    assert isinstance(q.display(value), str)
    assert set(q.risks_for(value)) <= set(vocabulary.PILLARS)


@settings(max_examples=300, deadline=None)
@given(q=st.sampled_from(ALL_QUESTIONS), raw=anything | st.integers(min_value=10**5000))
def test_display_and_risks_take_any_stored_value_without_raising(q: Question, raw: object) -> None:
    assert isinstance(q.display(raw), str)
    assert set(q.risks_for(raw)) <= set(vocabulary.PILLARS)


@settings(max_examples=200, deadline=None)
@given(q=st.sampled_from(ALL_QUESTIONS), raw=st.lists(st.text(), max_size=6))
def test_clean_of_any_list_of_strings_never_raises_anything_else(
    q: Question, raw: list[str]
) -> None:
    with contextlib.suppress(InvalidAnswer):
        q.clean(raw)


@settings(max_examples=200, deadline=None)
@given(raw=st.text())
def test_a_text_question_accepts_exactly_clean_printable_text(raw: str) -> None:
    q = question("text", max_length=50)
    try:
        value = q.clean(raw)
    except InvalidAnswer:
        return
    assert value == value.strip() and 0 < len(value) <= 50
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", value)


# --- declared effects ------------------------------------------------------------------------


def test_every_shipped_question_declares_what_it_shapes() -> None:
    for stage in catalog.get().stages:
        for q in stage.questions.values():
            assert q.effect, f"{stage.slug}/{q.id}"
            assert set(q.effect) <= {"architecture", "findings"}
            assert bool(q.findings) == ("findings" in q.effect), f"{stage.slug}/{q.id}"


def test_a_question_without_a_declared_effect_is_refused(folder: Path) -> None:
    edit_question(folder, "launch.toml", "app_structure", 'effect = ["findings"]\n', "")
    edit_question(folder, "launch.toml", "app_structure", 'findings = ["tangled-codebase"]\n', "")
    problem = the_problem(folder)
    assert (problem.file, problem.question) == ("launch.toml", "app_structure")
    assert problem.message.startswith("effect is required")


def test_an_unknown_effect_is_refused(folder: Path) -> None:
    edit_question(folder, "launch.toml", "customers", '"architecture"', '"architectur"')
    problem = the_problem(folder)
    assert (problem.file, problem.question) == ("launch.toml", "customers")
    assert problem.message == "unknown effect 'architectur'; use architecture or findings"


def test_a_finding_the_engine_does_not_have_is_refused_with_a_guess(folder: Path) -> None:
    edit_question(folder, "launch.toml", "app_structure", '"tangled-codebase"', '"tangled-code"')
    problem = the_problem(folder)
    assert problem.question == "app_structure"
    assert problem.message == (
        "unknown finding 'tangled-code' (did you mean 'tangled-codebase'?): the engine has no "
        "such finding"
    )


def test_a_findings_effect_must_name_its_findings(folder: Path) -> None:
    edit_question(folder, "launch.toml", "app_structure", 'findings = ["tangled-codebase"]\n', "")
    assert the_problem(folder).message.startswith('effect "findings" needs findings = [')


def test_a_risk_on_a_choice_the_engine_has_no_words_for_is_refused(folder: Path) -> None:
    edit_question(
        folder,
        "launch.toml",
        "app_structure",
        'label = "One deployable with clear modules and interfaces"\n',
        'label = "One deployable with clear modules and interfaces"\n'
        'risks = { reliability = "medium" }\n',
    )
    problem = the_problem(folder)
    assert problem.question == "app_structure"
    assert problem.message.startswith("choice 'modular': a risk needs a finding that says what")
