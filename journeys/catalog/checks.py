"""The checks on a question's fields in a catalogue file: each reads one field and reports every
problem it finds through `add`, a message already tied to its file and question."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from journeys.catalog.answers import MAX_MAGNITUDE, InvalidAnswer, format_number
from journeys.catalog.core_questions import CORE_QUESTIONS
from journeys.catalog.questionnaire import (
    CHOICE_TYPES,
    DEFAULT_TEXT_LENGTH,
    EFFECTS,
    MAX_TEXT_LENGTH,
    NUMBER_TYPES,
    Choice,
    Question,
)
from journeys.engine import FINDING_IDS
from journeys.vocabulary import PILLARS, RISK_LEVELS

_HUNDRED = Decimal(100)
# How the readers report a problem: a message, already tied to its file and question.
Add = Callable[[str], None]

_CHOICE_VALUE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,49}", re.ASCII)
_CHOICE_KEYS = ("value", "label", "risks", "help")


def check_keys(data: Mapping[str, Any], allowed: tuple[str, ...], where: str, add: Add) -> None:
    for key in data:
        if key not in allowed:
            guess = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            add(f"{where}unknown key '{key}'{hint}")


def read_effect(raw: Mapping[str, Any], add: Add) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the answer shapes, and the findings it can produce: every question must say,
    so that a question that changes nothing cannot slip into the questionnaire."""
    effect = raw.get("effect")
    if effect is None:
        add(
            'effect is required: what the answer shapes, ["architecture"], ["findings"] or '
            "both (a question that shapes nothing does not belong in the questionnaire)"
        )
        return (), ()
    if not isinstance(effect, list) or not effect or not all(isinstance(e, str) for e in effect):
        add(f'effect must be a non-empty list such as ["architecture"] (found {effect!r})')
        return (), ()
    unknown = [e for e in effect if e not in EFFECTS]
    if unknown:
        add(f"unknown effect {unknown[0]!r}; use {' or '.join(EFFECTS)}")
    if len(set(effect)) != len(effect):
        add("effect lists the same effect twice")
    findings = raw.get("findings", [])
    if not isinstance(findings, list) or not all(isinstance(f, str) for f in findings):
        add("findings must be a list of finding ids")
        return tuple(effect), ()
    if "findings" in effect and not findings:
        add('effect "findings" needs findings = [the ids of the findings the answer can give]')
    elif findings and "findings" not in effect:
        add('findings are listed but effect does not include "findings"')
    for finding in findings:
        if finding not in FINDING_IDS:
            guess = difflib.get_close_matches(finding, sorted(FINDING_IDS), n=1)
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            add(f"unknown finding {finding!r}{hint}: the engine has no such finding")
    return tuple(effect), tuple(findings)


def read_flag(raw: Mapping[str, Any], key: str, add: Add) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        add(f"{key} must be true or false")
        return False
    return value


def read_unit(raw: Mapping[str, Any], qtype: str | None, add: Add) -> str | None:
    unit = raw.get("unit")
    if unit is not None and (not isinstance(unit, str) or not unit.strip()):
        add("unit must be a non-empty string")
        return None
    if qtype in ("integer", "decimal") and unit is None:
        add(f"unit is required for {article(qtype)} {qtype} question")
    elif qtype == "percentage" and unit not in (None, "%"):
        add("a percentage question's unit is always '%'; leave unit out")
    elif qtype is not None and qtype not in NUMBER_TYPES and unit is not None:
        add(f"unit only applies to number questions, not to a {qtype} question")
    return unit.strip() if isinstance(unit, str) else None


def read_bounds(
    raw: Mapping[str, Any], qtype: str | None, add: Add
) -> tuple[Decimal | None, Decimal | None]:
    bounds: list[Decimal | None] = []
    for key in ("min", "max"):
        value = raw.get(key)
        if value is None:
            bounds.append(None)
            continue
        if qtype is not None and qtype not in NUMBER_TYPES:
            add(f"{key} only applies to number questions, not to a {qtype} question")
            bounds.append(None)
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            add(f"{key} must be a number")
            bounds.append(None)
            continue
        if isinstance(value, float) and not math.isfinite(value):
            add(f"{key} must be a finite number")
            bounds.append(None)
            continue
        bounds.append(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))
    low, high = bounds
    # Every number has a ceiling: an unbounded answer is how a typo of 999999999999999
    # requests per second once reached the estimate and overflowed it. A percentage has
    # its own (100).
    if qtype in ("integer", "decimal") and "max" not in raw:
        add(f"max is required for {article(qtype)} {qtype} question (the largest sensible answer)")
    for key, bound in (("min", low), ("max", high)):
        if bound is not None and bound.copy_abs() > MAX_MAGNITUDE:
            add(f"{key} must be at most {format_number(MAX_MAGNITUDE)} in size")
    if qtype == "percentage":
        for key, bound in (("min", low), ("max", high)):
            if bound is not None and not 0 <= bound <= _HUNDRED:
                add(f"{key} of a percentage must be between 0 and 100")
    if low is not None and high is not None and low > high:
        add(f"min ({format_number(low)}) is greater than max ({format_number(high)})")
    return low, high


def read_max_length(raw: Mapping[str, Any], qtype: str | None, add: Add) -> int:
    if "max_length" not in raw:
        return DEFAULT_TEXT_LENGTH
    value = raw["max_length"]
    if qtype is not None and qtype != "text":
        add(f"max_length only applies to text questions, not to a {qtype} question")
    elif isinstance(value, bool) or not isinstance(value, int):
        add("max_length must be a whole number")
    elif not 1 <= value <= MAX_TEXT_LENGTH:
        add(f"max_length must be between 1 and {MAX_TEXT_LENGTH:,}")
    else:
        return value
    return DEFAULT_TEXT_LENGTH


def read_choices(raw: Any, qtype: str | None, add: Add) -> tuple[Choice, ...]:
    if qtype is not None and qtype not in CHOICE_TYPES:
        if raw is not None:
            add(f"choices only apply to single and multiple questions, not to {qtype}")
        return ()
    if raw is None or raw == []:
        if qtype is not None:
            add(f"a {qtype} question needs choices ([[sections.questions.choices]])")
        return ()
    if not isinstance(raw, list):
        add("choices must be a list of tables ([[sections.questions.choices]])")
        return ()
    choices: list[Choice] = []
    seen: set[str] = set()
    for index, table in enumerate(raw, start=1):
        if not isinstance(table, dict):
            add(f"choice {index} must be a table")
            continue
        value = table.get("value")
        if not isinstance(value, str) or not _CHOICE_VALUE_RE.fullmatch(value):
            add(
                f"choice {index}: value is required"
                if value is None
                else f"choice {index}: value {value!r} must be letters, digits, '.', '-' or '_'"
            )
            continue
        where = f"choice '{value}': "
        check_keys(table, _CHOICE_KEYS, where, add)
        if value in seen:
            add(f"{where}duplicate choice value")
            continue
        seen.add(value)
        label = table.get("label")
        if not isinstance(label, str) or not label.strip():
            add(f"{where}label is required")
            label = ""
        help_text = table.get("help", "")
        if not isinstance(help_text, str):
            add(f"{where}help must be a string")
            help_text = ""
        risks = read_risks(table.get("risks", {}), where, add)
        choices.append(Choice(value, label.strip(), risks, help_text.strip()))
    return tuple(choices)


def read_risks(raw: Any, where: str, add: Add) -> dict[str, str]:
    if not isinstance(raw, dict):
        add(f'{where}risks must be a table such as {{ security = "high" }}')
        return {}
    risks: dict[str, str] = {}
    for pillar, level in raw.items():
        if pillar not in PILLARS:
            guess = difflib.get_close_matches(pillar, PILLARS, n=1)
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            add(f"{where}unknown pillar '{pillar}'{hint}")
        elif level not in RISK_LEVELS:
            add(
                f"{where}unknown risk level {level!r} for {pillar}; use 'medium' or 'high' "
                "(leave the pillar out for no risk)"
            )
        else:
            risks[pillar] = level
    # Pillar order, whatever order the file used, so displays and hashes are stable.
    return {p: risks[p] for p in PILLARS if p in risks}


def read_core(raw: Mapping[str, Any], qid: str, add: Add) -> bool:
    is_core = qid in CORE_QUESTIONS
    said = raw.get("core")
    if said is None:
        return is_core
    if not isinstance(said, bool):
        add("core must be true or false")
    elif said and not is_core:
        add(f"core = true is reserved for the core questions ({', '.join(CORE_QUESTIONS)})")
    elif not said and is_core:
        add("this id belongs to a core question; it must be core = true")
    return is_core


def check_core(
    qid: str,
    qtype: str | None,
    unit: str | None,
    bounds: tuple[Decimal | None, Decimal | None],
    choices: tuple[Choice, ...],
    required: bool,
    add: Add,
) -> None:
    spec = CORE_QUESTIONS[qid]
    if qtype is not None and qtype != spec.type:
        add(f"core question must be of type {spec.type} (found {qtype})")
        return
    # A missing unit was reported already ("unit is required"); only a wrong one is news.
    if spec.unit is not None and unit is not None and unit != spec.unit:
        add(f'core question must have unit "{spec.unit}" (found {unit!r})')
    low, high = bounds
    if spec.min is not None and low != spec.min:
        add(f"core question must have min = {spec.min} (found {low})")
    # A missing max was reported already; only one above the ceiling is news.
    if spec.max is not None and high is not None and high > spec.max and qtype != "percentage":
        add(
            f"core question must have max of at most {format_number(spec.max)} "
            f"(found {format_number(high)}): the estimate is sized for that"
        )
    if spec.choices and choices:
        values = tuple(c.value for c in choices)
        if set(values) != set(spec.choices):
            add(
                f"core question must have exactly the choices {', '.join(spec.choices)} "
                f"(found {', '.join(values)})"
            )
    if not required:
        add("core question must be required = true")


def read_default(question: Question, raw: Any, add: Add) -> Any:
    # The file must spell the default in its own type: a TOML string "100" for a number
    # would be accepted by clean, and would then mislead whoever edits the file next.
    expected = {
        "integer": (int,),
        "decimal": (int, float),
        "percentage": (int, float),
        "yes_no": (bool,),
        "single": (str,),
        "text": (str,),
        "multiple": (list,),
    }[question.type]
    wrong_bool = isinstance(raw, bool) and question.type != "yes_no"
    if wrong_bool or not isinstance(raw, expected):
        add(
            f"default {raw!r} has the wrong type for "
            f"{article(question.type)} {question.type} question"
        )
        return None
    if isinstance(raw, list) and not all(isinstance(v, str) for v in raw):
        add(f"default {raw!r} must be a list of choice values")
        return None
    try:
        return question.clean(raw)
    except InvalidAnswer as error:
        add(f"default {raw!r} is not a valid answer: {error.message}")
        return None


def article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
