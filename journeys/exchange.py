"""The journey exchange format (`journey/1`): one JSON document per journey.

`parse()` refuses what is not a JSON object, is larger than `MAX_BYTES` or nests deeper than
`MAX_DEPTH` (measured before decoding, so a 5,000-level document is one clear problem rather
than a RecursionError). `problems()` then checks it completely and returns every problem with
its path, so a user fixes a file in one go: strings without NUL characters or lone surrogates,
answers through the catalogue's own `Question.clean` (and so within its bounds), overrides
through the engine's own checks against the architecture that the document's answers call for.
`create_journey()` only runs on a document without problems and creates the whole journey in
one transaction, or nothing.

An export carries the overrides that the stage's architecture applies: one stored for a
component that the answers no longer call for, or one the engine sets aside as invalid, is
left out, so that every export imports again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from journeys import architecture, catalog, effective
from journeys.models import Answer, Journey, Team
from journeys.regions import REGIONS
from journeys.vocabulary import NA_REASONS, STAGES

FORMAT = "journey/1"
JOURNEY_FIELDS = {"name": 120, "description": 4000}
ANSWER_KEYS = {"value", "note", "not_applicable"}
# A journey is about 30 KB and 6 levels deep; these leave room and stop pathological input.
MAX_BYTES = 1_000_000
MAX_DEPTH = 32
_NA_REASON_IDS = {reason for reason, _ in NA_REASONS}
# A JSON string (with its escapes) or one bracket: enough to measure nesting without decoding.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
# NUL cannot be stored in PostgreSQL text; a lone surrogate cannot be encoded as UTF-8.
_BAD_CHARS = re.compile(r"[\x00\ud800-\udfff]")
_Add = Callable[[str, str], None]


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __post_init__(self) -> None:
        # A path repeats the document's keys, which may hold the very characters refused:
        # escape them so that a report can always be printed and stored.
        object.__setattr__(self, "path", _printable(self.path))
        object.__setattr__(self, "message", _printable(self.message))

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _printable(text: str) -> str:
    return _BAD_CHARS.sub(lambda m: ascii(m.group())[1:-1], text)


class InvalidDocument(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def document(journey: Journey) -> dict[str, Any]:
    """The journey as a `journey/1` document; answers in catalogue order."""
    cat = catalog.get()
    by_stage = journey.answers_by_stage()
    effective_answers = architecture.JourneyAnswers(by_stage)
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
            "overrides": applied_overrides(journey, stage.slug, effective_answers),
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


def applied_overrides(
    journey: Journey, stage: str, answers: architecture.JourneyAnswers
) -> dict[str, dict[str, Any]]:
    """The stage's stored overrides that its architecture applies (see the module's note)."""
    stored = journey.overrides.get(stage, {}) if isinstance(journey.overrides, dict) else {}
    proposal = architecture.stage_proposal(journey, stage, answers)
    ignored = {(item.component_id, item.param) for item in proposal.ignored}
    applied: dict[str, dict[str, Any]] = {}
    for component in proposal.state.components:
        given = stored.get(component.id) if isinstance(stored, dict) else None
        if not isinstance(given, dict) or (component.id, "") in ignored:
            continue
        kept = {p: v for p, v in given.items() if (component.id, p) not in ignored}
        if kept:
            applied[component.id] = kept
    return applied


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def parse(text: str | bytes) -> dict[str, Any]:
    """Decode a document; a file that is not JSON, too large or too deep is one problem at
    the root."""
    if len(text) > MAX_BYTES:
        raise InvalidDocument([Problem("$", "The document is larger than 1 MB.")])
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        depth = _depth(text)
        if depth > MAX_DEPTH:
            raise InvalidDocument(
                [Problem("$", f"The document nests deeper than {MAX_DEPTH} levels ({depth}).")]
            )
        doc = json.loads(text, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise InvalidDocument([Problem("$", f"This is not a JSON document ({error}).")]) from None
    if not isinstance(doc, dict):
        raise InvalidDocument([Problem("$", "The document must be a JSON object.")])
    return doc


def _depth(text: str) -> int:
    """How deep the brackets of a JSON text nest, strings skipped; no recursion, one pass."""
    deepest = depth = 0
    for token in _TOKENS.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif bracket in "]}":
            depth -= 1
    return deepest


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _bad_characters(doc: Any, add: _Add) -> None:
    """Every string, key or value, with a NUL or a lone surrogate, by its path; iterative, so
    depth costs nothing (parse has bounded it anyway)."""
    stack: list[tuple[str, Any]] = [("", doc)]
    while stack:
        path, node = stack.pop()
        items: Any = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else ()
        )
        for key, value in items:
            child = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _BAD_CHARS.search(key):
                add(child, "The key holds a NUL character or a lone surrogate (\\ud800-\\udfff).")
            if isinstance(value, str) and _BAD_CHARS.search(value):
                add(
                    child, "Holds a NUL character or a lone surrogate (\\ud800-\\udfff); remove it."
                )
            elif isinstance(value, dict | list):
                stack.append((child, value))


def problems(doc: dict[str, Any]) -> list[Problem]:
    cat = catalog.get()
    found: list[Problem] = []

    def add(path: str, message: str) -> None:
        found.append(Problem(path, message))

    _bad_characters(doc, add)
    if doc.get("format") != FORMAT:
        add("format", f"Expected “{FORMAT}”, found {json.dumps(doc.get('format'))}.")
    if "catalogue" in doc and not isinstance(doc["catalogue"], str):
        add("catalogue", "The catalogue version must be a string.")
    for key in sorted(set(doc) - {"format", "catalogue", "journey", "stages"}, key=str):
        add(key, "Unknown key.")

    meta = doc.get("journey")
    place: tuple[str, str | None] | None = None
    if not isinstance(meta, dict):
        add("journey", "Missing: an object with name, description, region and dr_region.")
    else:
        place = _check_journey(meta, add)

    stages = doc.get("stages", {})
    if not isinstance(stages, dict):
        add("stages", "Must be an object keyed by stage.")
        return found
    given: dict[str, dict[str, effective.Given]] = {}
    overrides_to_check: list[tuple[str, Any, str]] = []
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
        given[slug] = _check_answers(
            cat.stage(slug), body.get("answers", {}), f"{path}.answers", add
        )
        overrides_to_check.append((slug, body.get("overrides", {}), f"{path}.overrides"))
    # Overrides are checked against the architecture the journey will have: each stage's
    # effective answers (its own, else carried forward, else the defaults), as after import.
    resolved = effective.resolve(cat, given)
    for slug, overrides, path in overrides_to_check:
        values = effective.engine_values(resolved[slug])
        _check_overrides(slug, overrides, values, place, path, add)
    return found


def _check_journey(meta: dict[str, Any], add: _Add) -> tuple[str, str | None] | None:
    """Checks the journey's fields; returns its (region, DR region) when both are usable."""
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
    usable = True
    if not isinstance(region, str) or region not in REGIONS:
        add("journey.region", f"Unknown AWS region {json.dumps(region)}.")
        usable = False
    dr_region = meta.get("dr_region")
    if dr_region not in (None, "") and (not isinstance(dr_region, str) or dr_region not in REGIONS):
        add("journey.dr_region", f"Unknown AWS region {json.dumps(dr_region)}.")
        usable = False
    elif dr_region and dr_region == region:
        add("journey.dr_region", "The recovery region must differ from the main region.")
        usable = False
    if not usable or not isinstance(region, str):
        return None
    return region, dr_region or None


def _check_answers(
    stage: catalog.Stage, answers: Any, path: str, add: _Add
) -> dict[str, effective.Given]:
    """Checks a stage's answers; returns the good ones as the resolver of effective answers
    reads them (cleaned values and not-applicable reasons; empty ones left out)."""
    values: dict[str, effective.Given] = {}
    if not isinstance(answers, dict):
        add(path, "Must be an object keyed by question id.")
        return values
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
            else:
                values[qid] = effective.Given(None, reason)
            continue
        value = entry.get("value")
        if value is None or value == []:
            if value == []:
                values[qid] = effective.Given([])  # "none of these" is an answer
            continue
        try:
            values[qid] = effective.Given(question.clean(value))
        except catalog.InvalidAnswer as error:
            add(f"{qpath}.value", str(error))
    return values


def _check_overrides(
    stage: str,
    overrides: Any,
    values: dict[str, Any],
    place: tuple[str, str | None] | None,
    path: str,
    add: _Add,
) -> None:
    """Overrides through the engine's own checks, field by field and together, against the
    architecture that the stage's answers call for; every refusal is named by its path."""
    if not isinstance(overrides, dict):
        add(path, "Must map component ids to objects of parameters.")
        return
    usable: dict[str, dict[str, Any]] = {}
    for cid, params in overrides.items():
        if not isinstance(params, dict):
            add(f"{path}.{cid}", "Must be an object of parameters.")
        elif params:
            usable[cid] = params
    if not usable or place is None:
        return  # without a usable region there is no architecture to check against
    region, dr_region = place
    proposal = architecture.propose(stage, values, usable, region=region, dr_region=dr_region)
    for item in proposal.ignored:
        add(f"{path}.{item.path}", f"{item.message}.")
    for cid in usable:
        if proposal.state.component(cid) is None:
            add(f"{path}.{cid}", "No such component in this stage's architecture.")


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
