"""The journey exchange format (`journey/1`): one JSON document per journey.

`problems()` checks a document completely and returns every problem with its path, so a user
fixes a file in one go; `create_journey()` only runs on a document without problems and creates
the whole journey in one transaction, or nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from journeys import catalog
from journeys.models import Answer, Journey, Team
from journeys.regions import REGIONS
from journeys.vocabulary import NA_REASONS, STAGES

FORMAT = "journey/1"
JOURNEY_FIELDS = {"name": 120, "description": 4000}
ANSWER_KEYS = {"value", "note", "not_applicable"}
_NA_REASON_IDS = {reason for reason, _ in NA_REASONS}


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class InvalidDocument(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def document(journey: Journey) -> dict[str, Any]:
    """The journey as a `journey/1` document; answers in catalogue order."""
    cat = catalog.get()
    by_stage = journey.answers_by_stage()
    stages: dict[str, Any] = {}
    for stage in cat.stages:
        answers = by_stage.get(stage.slug, {})
        entries: dict[str, Any] = {}
        for qid in stage.questions:
            answer = answers.get(qid)
            if answer is None:
                continue
            entry: dict[str, Any] = {"value": answer.value}
            if answer.note:
                entry["note"] = answer.note
            if answer.not_applicable:
                entry["not_applicable"] = answer.not_applicable
            entries[qid] = entry
        stages[stage.slug] = {
            "answers": entries,
            "overrides": journey.overrides.get(stage.slug, {}),
        }
    return {
        "format": FORMAT,
        "catalogue": cat.version,
        "journey": {
            "name": journey.name,
            "description": journey.description,
            "region": journey.region,
            "dr_region": journey.dr_region or None,
        },
        "stages": stages,
    }


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def parse(text: str | bytes) -> dict[str, Any]:
    """Decode a document; a file that is not JSON is one problem at the root."""
    try:
        doc = json.loads(text)
    except (UnicodeDecodeError, ValueError) as error:
        raise InvalidDocument([Problem("$", f"This is not a JSON document ({error}).")]) from None
    if not isinstance(doc, dict):
        raise InvalidDocument([Problem("$", "The document must be a JSON object.")])
    return doc


def problems(doc: dict[str, Any]) -> list[Problem]:
    cat = catalog.get()
    found: list[Problem] = []
    add = lambda path, message: found.append(Problem(path, message))  # noqa: E731

    if doc.get("format") != FORMAT:
        add("format", f"Expected “{FORMAT}”, found {json.dumps(doc.get('format'))}.")
    if "catalogue" in doc and not isinstance(doc["catalogue"], str):
        add("catalogue", "The catalogue version must be a string.")
    for key in sorted(set(doc) - {"format", "catalogue", "journey", "stages"}):
        add(key, "Unknown key.")

    meta = doc.get("journey")
    if not isinstance(meta, dict):
        add("journey", "Missing: an object with name, description, region and dr_region.")
    else:
        _check_journey(meta, add)

    stages = doc.get("stages", {})
    if not isinstance(stages, dict):
        add("stages", "Must be an object keyed by stage.")
        return found
    for slug, body in stages.items():
        path = f"stages.{slug}"
        if slug not in STAGES:
            add(path, f"Unknown stage; the stages are {', '.join(STAGES)}.")
            continue
        if not isinstance(body, dict):
            add(path, "Must be an object with answers and overrides.")
            continue
        for key in sorted(set(body) - {"answers", "overrides"}):
            add(f"{path}.{key}", "Unknown key.")
        _check_answers(cat.stage(slug), body.get("answers", {}), f"{path}.answers", add)
        overrides = body.get("overrides", {})
        if not isinstance(overrides, dict) or not all(
            isinstance(v, dict) for v in overrides.values()
        ):
            add(f"{path}.overrides", "Must map component ids to objects of parameters.")
    return found


def _check_journey(meta: dict[str, Any], add: Any) -> None:
    for key in sorted(set(meta) - {"name", "description", "region", "dr_region"}):
        add(f"journey.{key}", "Unknown key.")
    name = meta.get("name")
    if not isinstance(name, str) or not name.strip():
        add("journey.name", "Missing: every journey needs a name.")
    description = meta.get("description", "")
    if not isinstance(description, str):
        add("journey.description", "Must be a string.")
    for key, limit in JOURNEY_FIELDS.items():
        if isinstance(meta.get(key), str) and len(meta[key]) > limit:
            add(f"journey.{key}", f"Longer than {limit} characters.")
    region = meta.get("region")
    if region not in REGIONS:
        add("journey.region", f"Unknown AWS region {json.dumps(region)}.")
    dr_region = meta.get("dr_region")
    if dr_region not in (None, "") and dr_region not in REGIONS:
        add("journey.dr_region", f"Unknown AWS region {json.dumps(dr_region)}.")
    elif dr_region and dr_region == region:
        add("journey.dr_region", "The recovery region must differ from the main region.")


def _check_answers(stage: catalog.Stage, answers: Any, path: str, add: Any) -> None:
    if not isinstance(answers, dict):
        add(path, "Must be an object keyed by question id.")
        return
    for qid, entry in answers.items():
        qpath = f"{path}.{qid}"
        question = stage.questions.get(qid)
        if question is None:
            add(qpath, f"Unknown question of stage {stage.slug}.")
            continue
        if not isinstance(entry, dict):
            add(qpath, "Must be an object with value, note and not_applicable.")
            continue
        for key in sorted(set(entry) - ANSWER_KEYS):
            add(f"{qpath}.{key}", "Unknown key.")
        note = entry.get("note", "")
        if not isinstance(note, str) or len(note) > 2000:
            add(f"{qpath}.note", "Must be a string of at most 2,000 characters.")
        reason = entry.get("not_applicable")
        if reason not in (None, ""):
            if reason not in _NA_REASON_IDS:
                add(
                    f"{qpath}.not_applicable",
                    f"Unknown reason; use one of {', '.join(sorted(_NA_REASON_IDS))}.",
                )
            continue
        value = entry.get("value")
        if value is None or value == []:
            continue
        try:
            question.clean(value)
        except catalog.InvalidAnswer as error:
            add(f"{qpath}.value", str(error))


@transaction.atomic
def create_journey(doc: dict[str, Any], team: Team, user: User | None = None) -> Journey:
    """Create the journey of a document; raises InvalidDocument and creates nothing if any
    part of it is wrong."""
    found = problems(doc)
    if found:
        raise InvalidDocument(found)
    cat = catalog.get()
    meta = doc["journey"]
    version = doc.get("catalogue") or cat.version
    journey = Journey.objects.create(
        team=team,
        name=meta["name"].strip(),
        description=meta.get("description", ""),
        region=meta["region"],
        dr_region=meta.get("dr_region") or "",
        overrides={s: b.get("overrides", {}) for s, b in doc.get("stages", {}).items()},
        created_by=user,
    )
    rows = []
    for slug, body in doc.get("stages", {}).items():
        stage = cat.stage(slug)
        for qid, entry in body.get("answers", {}).items():
            reason = entry.get("not_applicable") or ""
            value = entry.get("value")
            cleaned: Any
            if reason or value is None or value == []:
                cleaned = None if reason or value is None else []
            else:
                cleaned = stage.questions[qid].clean(value)
            rows.append(
                Answer(
                    journey=journey,
                    stage=slug,
                    question=qid,
                    value=cleaned,
                    note=entry.get("note", ""),
                    not_applicable=reason,
                    catalogue_version=version,
                    updated_by=user,
                )
            )
    Answer.objects.bulk_create(rows)
    return journey
