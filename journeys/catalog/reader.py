"""Reading a catalogue folder: the TOML files, and every check on what they say.

A catalogue folder holds `catalogue.toml` (the version) and one file per growth stage
(`launch.toml`, `growth.toml`, `scale.toml`, `beyond.toml`). Everything is checked at load and
every problem is reported at once, with its file and question, because the people who edit these
files are not the people who wrote this reader, and fixing one error per restart is miserable.

Pure Python on purpose (no Django): the engine, the importer and `manage.py check` share it.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from journeys.catalog.answers import MAX_MAGNITUDE, InvalidAnswer, format_number
from journeys.catalog.core_questions import CORE_QUESTIONS
from journeys.catalog.questionnaire import (
    CHOICE_TYPES,
    DEFAULT_TEXT_LENGTH,
    EFFECTS,
    MAX_TEXT_LENGTH,
    NUMBER_TYPES,
    QUESTION_TYPES,
    SECTION_IDS,
    SECTION_TITLES,
    Catalogue,
    Choice,
    Question,
    Section,
    Stage,
)
from journeys.engine import FINDING_IDS, RISKY_CHOICES
from journeys.vocabulary import CORE_QUESTION_IDS, PILLARS, RISK_LEVELS, STAGES

CATALOGUE_FILE = "catalogue.toml"
_HUNDRED = Decimal(100)
# How the readers report a problem: a message, already tied to its file and question.
_Add = Callable[[str], None]

_ID_RE = re.compile(r"[a-z][a-z0-9_]{0,49}", re.ASCII)
_CHOICE_VALUE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,49}", re.ASCII)


@dataclass(frozen=True)
class CatalogueProblem:
    file: str
    question: str | None
    message: str

    def __str__(self) -> str:
        if self.question is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}: question '{self.question}': {self.message}"


class CatalogueError(Exception):
    """A catalogue folder that cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: Iterable[CatalogueProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


_CATALOGUE_KEYS = ("version", "title", "description")
_STAGE_KEYS = ("slug", "title", "customers_label", "summary", "thresholds", "sections")
_SECTION_KEYS = ("id", "title", "intro", "questions")
_QUESTION_KEYS = (
    "id",
    "type",
    "label",
    "help",
    "unit",
    "min",
    "max",
    "required",
    "default",
    "max_length",
    "core",
    "pillar",
    "effect",
    "findings",
    "choices",
)
_CHOICE_KEYS = ("value", "label", "risks", "help")


def load(path: Path) -> Catalogue:
    """Read and validate the catalogue folder at `path`; CatalogueError lists every problem."""
    path = Path(path)
    if not path.is_dir():
        raise CatalogueError([CatalogueProblem(str(path), None, "catalogue folder not found")])
    problems: list[CatalogueProblem] = []
    header = _read_toml(path / CATALOGUE_FILE, problems)
    version, title, description = _parse_header(header, problems)
    stages = []
    for slug in STAGES:
        data = _read_toml(path / f"{slug}.toml", problems, what="stage file")
        if data is not None:
            stages.append(_StageReader(f"{slug}.toml", slug, problems).read(data))
    for extra in sorted(path.glob("*.toml")):
        if extra.name != CATALOGUE_FILE and extra.stem not in STAGES:
            problems.append(
                CatalogueProblem(
                    extra.name,
                    None,
                    f"unknown stage '{extra.stem}'; the stages are {', '.join(STAGES)}",
                )
            )
    if problems:
        raise CatalogueError(problems)
    return Catalogue(
        version=version,
        stages=tuple(s for s in stages if s is not None),
        title=title,
        description=description,
    )


def _read_toml(
    file: Path, problems: list[CatalogueProblem], what: str = "file"
) -> dict[str, Any] | None:
    try:
        with file.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        problems.append(CatalogueProblem(file.name, None, f"{what} is missing"))
    except tomllib.TOMLDecodeError as error:
        problems.append(CatalogueProblem(file.name, None, f"invalid TOML: {error}"))
    except UnicodeDecodeError:
        problems.append(CatalogueProblem(file.name, None, "invalid TOML: the file is not UTF-8"))
    except OSError as error:
        problems.append(CatalogueProblem(file.name, None, f"cannot be read: {error.strerror}"))
    return None


def _parse_header(
    data: dict[str, Any] | None, problems: list[CatalogueProblem]
) -> tuple[str, str, str]:
    if data is None:
        return "", "", ""

    def add(message: str) -> None:
        problems.append(CatalogueProblem(CATALOGUE_FILE, None, message))

    _check_keys(data, _CATALOGUE_KEYS, "", add)
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        add('version is required (a string such as "2026.11")')
        version = ""
    texts = []
    for key in ("title", "description"):
        value = data.get(key, "")
        if not isinstance(value, str):
            add(f"{key} must be a string")
            value = ""
        texts.append(value)
    return version.strip(), texts[0], texts[1]


def _check_keys(data: Mapping[str, Any], allowed: tuple[str, ...], where: str, add: _Add) -> None:
    for key in data:
        if key not in allowed:
            guess = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            add(f"{where}unknown key '{key}'{hint}")


class _StageReader:
    """Reads one stage file, adding every problem it finds instead of stopping at the first."""

    def __init__(self, file: str, slug: str, problems: list[CatalogueProblem]) -> None:
        self.file = file
        self.slug = slug
        self.problems = problems
        self.failed = False

    def add(self, message: str, question: str | None = None) -> None:
        self.failed = True
        self.problems.append(CatalogueProblem(self.file, question, message))

    def read(self, data: dict[str, Any]) -> Stage | None:
        _check_keys(data, _STAGE_KEYS, "", self.add)
        slug = data.get("slug")
        if slug != self.slug:
            self.add(f'slug must be "{self.slug}", the file\'s name (found {slug!r})')
        title = self._text(data, "title", required=True)
        customers_label = self._text(data, "customers_label", required=True)
        summary = self._text(data, "summary", required=True)
        thresholds = data.get("thresholds", [])
        if not isinstance(thresholds, list) or not all(
            isinstance(t, str) and t.strip() for t in thresholds
        ):
            self.add("thresholds must be a list of non-empty strings")
            thresholds = []
        sections = self._sections(data.get("sections"))
        questions: dict[str, Question] = {}
        for section in sections:
            for q in section.questions:
                if q.id in questions:
                    self.add(
                        f"duplicate question id (also in section '{questions[q.id].section}')",
                        q.id,
                    )
                else:
                    questions[q.id] = q
        # With no readable sections, eighteen "missing" lines would only bury the real problem.
        if sections:
            for qid in CORE_QUESTION_IDS:
                if qid not in questions and not self._seen_broken(qid):
                    self.add("core question is missing; every stage must ask it (DESIGN 3.1)", qid)
        if self.failed:
            return None
        return Stage(
            slug=self.slug,
            title=title,
            customers_label=customers_label,
            summary=summary,
            thresholds=tuple(t.strip() for t in thresholds),
            sections=sections,
            questions=questions,
        )

    def _seen_broken(self, qid: str) -> bool:
        # A core question that is present but broken was reported already; saying "missing"
        # as well would send the reader looking for something that is there.
        return any(p.file == self.file and p.question == qid for p in self.problems)

    def _text(
        self, data: Mapping[str, Any], key: str, *, required: bool = False, qid: str | None = None
    ) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.add(f"{key} is required", qid)
            return ""
        if not isinstance(value, str):
            self.add(f"{key} must be a string", qid)
            return ""
        if required and not value.strip():
            self.add(f"{key} must not be empty", qid)
        return value.strip()

    def _sections(self, raw: Any) -> tuple[Section, ...]:
        if not isinstance(raw, list) or not raw:
            self.add("sections are missing: add [[sections]] build, measure, learn, best_practices")
            return ()
        sections: list[Section] = []
        found: list[str] = []
        for index, table in enumerate(raw, start=1):
            if not isinstance(table, dict):
                self.add(f"section {index} must be a table ([[sections]])")
                continue
            sid = table.get("id")
            where = f"section '{sid}': " if isinstance(sid, str) else f"section {index}: "
            _check_keys(table, _SECTION_KEYS, where, self.add)
            if sid not in SECTION_IDS:
                self.add(
                    f"{where}unknown section; the sections are {', '.join(SECTION_IDS)}"
                    if isinstance(sid, str)
                    else f"{where}id is required ({', '.join(SECTION_IDS)})"
                )
                sid = None
            elif sid in found:
                self.add(f"{where}appears twice")
                sid = None  # its questions would only repeat as duplicate ids
            else:
                found.append(sid)
            title = table.get("title", SECTION_TITLES.get(sid or "", ""))
            intro = table.get("intro", "")
            for key, value in (("title", title), ("intro", intro)):
                if not isinstance(value, str):
                    self.add(f"{where}{key} must be a string")
            questions = self._questions(table.get("questions"), sid or "", where)
            if sid is not None:
                sections.append(
                    Section(
                        id=sid,
                        title=title.strip() if isinstance(title, str) else "",
                        intro=intro.strip() if isinstance(intro, str) else "",
                        questions=questions,
                    )
                )
        # `found` holds each known id once, in file order: all four, in order, or a problem.
        if tuple(found) != SECTION_IDS:
            self.add(
                f"sections must be {', '.join(SECTION_IDS)}, in this order "
                f"(found: {', '.join(found) or 'none'})"
            )
        return tuple(sections)

    def _questions(self, raw: Any, section: str, where: str) -> tuple[Question, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.add(f"{where}questions must be a list ([[sections.questions]])")
            return ()
        questions = []
        for index, table in enumerate(raw, start=1):
            if not isinstance(table, dict):
                self.add(f"{where}question {index} must be a table")
                continue
            q = self._question(table, section, f"{where}question {index}")
            if q is not None:
                questions.append(q)
        return tuple(questions)

    def _question(self, raw: dict[str, Any], section: str, position: str) -> Question | None:
        qid = raw.get("id")
        if not isinstance(qid, str) or not _ID_RE.fullmatch(qid):
            self.add(
                f"{position}: id is required"
                if qid is None
                else f"{position}: id {qid!r} must be lowercase letters, digits and underscores"
            )
            return None
        before = len(self.problems)

        def add(message: str) -> None:
            self.add(message, qid)

        _check_keys(raw, _QUESTION_KEYS, "", add)
        qtype = raw.get("type")
        if qtype is None:
            add(f"type is required ({', '.join(QUESTION_TYPES)})")
        elif qtype not in QUESTION_TYPES:
            add(f"unknown type {qtype!r}; use one of {', '.join(QUESTION_TYPES)}")
        typed = qtype if qtype in QUESTION_TYPES else None
        label = self._text(raw, "label", required=True, qid=qid)
        help_text = self._text(raw, "help", qid=qid)
        required = self._flag(raw, "required", add)
        unit = self._unit(raw, typed, add)
        low, high = self._bounds(raw, typed, add)
        max_length = self._max_length(raw, typed, add)
        pillar = raw.get("pillar")
        if pillar is not None and pillar not in PILLARS:
            add(f"unknown pillar {pillar!r}; use one of {', '.join(PILLARS)}")
            pillar = None
        elif pillar is None and section == "best_practices":
            add(f"a best-practices question needs a pillar ({', '.join(PILLARS)})")
        choices = self._choices(raw.get("choices"), typed, add)
        for c in choices:
            if c.risks and (qid, c.value) not in RISKY_CHOICES:
                add(
                    f"choice '{c.value}': a risk needs a finding that says what to do, and the "
                    "engine has none for this choice (journeys/engine/choice_risks.py)"
                )
        effect, findings = self._effect(raw, add)
        core = self._core(raw, qid, add)
        if core:
            self._check_core(qid, typed, unit, (low, high), choices, required, add)
        if len(self.problems) > before or typed is None:
            return None
        question = Question(
            id=qid,
            stage=self.slug,
            section=section,
            type=typed,
            label=label,
            help=help_text,
            unit=unit,
            min=low,
            max=high,
            required=required,
            choices=choices,
            max_length=max_length,
            core=core,
            pillar=pillar,
            effect=effect,
            findings=findings,
        )
        if "default" in raw:
            default = self._default(question, raw["default"], add)
            if len(self.problems) > before:
                return None
            question = replace(question, default=default)
        return question

    def _effect(self, raw: Mapping[str, Any], add: _Add) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """What the answer shapes, and the findings it can produce: every question must say,
        so that a question that changes nothing cannot slip into the questionnaire."""
        effect = raw.get("effect")
        if effect is None:
            add(
                'effect is required: what the answer shapes, ["architecture"], ["findings"] or '
                "both (a question that shapes nothing does not belong in the questionnaire)"
            )
            return (), ()
        if (
            not isinstance(effect, list)
            or not effect
            or not all(isinstance(e, str) for e in effect)
        ):
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

    def _flag(self, raw: Mapping[str, Any], key: str, add: _Add) -> bool:
        value = raw.get(key, False)
        if not isinstance(value, bool):
            add(f"{key} must be true or false")
            return False
        return value

    def _unit(self, raw: Mapping[str, Any], qtype: str | None, add: _Add) -> str | None:
        unit = raw.get("unit")
        if unit is not None and (not isinstance(unit, str) or not unit.strip()):
            add("unit must be a non-empty string")
            return None
        if qtype in ("integer", "decimal") and unit is None:
            add(f"unit is required for {_article(qtype)} {qtype} question")
        elif qtype == "percentage" and unit not in (None, "%"):
            add("a percentage question's unit is always '%'; leave unit out")
        elif qtype is not None and qtype not in NUMBER_TYPES and unit is not None:
            add(f"unit only applies to number questions, not to a {qtype} question")
        return unit.strip() if isinstance(unit, str) else None

    def _bounds(
        self, raw: Mapping[str, Any], qtype: str | None, add: _Add
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
            add(
                f"max is required for {_article(qtype)} {qtype} question "
                "(the largest sensible answer)"
            )
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

    def _max_length(self, raw: Mapping[str, Any], qtype: str | None, add: _Add) -> int:
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

    def _choices(self, raw: Any, qtype: str | None, add: _Add) -> tuple[Choice, ...]:
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
            _check_keys(table, _CHOICE_KEYS, where, add)
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
            risks = self._risks(table.get("risks", {}), where, add)
            choices.append(Choice(value, label.strip(), risks, help_text.strip()))
        return tuple(choices)

    def _risks(self, raw: Any, where: str, add: _Add) -> dict[str, str]:
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

    def _core(self, raw: Mapping[str, Any], qid: str, add: _Add) -> bool:
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

    def _check_core(
        self,
        qid: str,
        qtype: str | None,
        unit: str | None,
        bounds: tuple[Decimal | None, Decimal | None],
        choices: tuple[Choice, ...],
        required: bool,
        add: _Add,
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

    def _default(self, question: Question, raw: Any, add: _Add) -> Any:
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
                f"{_article(question.type)} {question.type} question"
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


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
