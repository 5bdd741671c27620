"""Reading a catalogue folder: the TOML files, and every check on what they say (the checks on
one question's fields are `journeys.catalog.checks`).

A catalogue folder holds `catalogue.toml` (the version) and one file per growth stage
(`launch.toml`, `growth.toml`, `scale.toml`, `beyond.toml`). Everything is checked at load and
every problem is reported at once, with its file and question, because the people who edit these
files are not the people who wrote this reader, and fixing one error per restart is miserable.

Pure Python on purpose (no Django): the engine, the importer and `manage.py check` share it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from journeys.catalog import checks
from journeys.catalog.questionnaire import (
    QUESTION_TYPES,
    SECTION_IDS,
    SECTION_TITLES,
    Catalogue,
    Question,
    Section,
    Stage,
)
from journeys.engine import RISKY_CHOICES
from journeys.vocabulary import CORE_QUESTION_IDS, PILLARS, STAGES

CATALOGUE_FILE = "catalogue.toml"
_ID_RE = re.compile(r"[a-z][a-z0-9_]{0,49}", re.ASCII)


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

    checks.check_keys(data, _CATALOGUE_KEYS, "", add)
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
        checks.check_keys(data, _STAGE_KEYS, "", self.add)
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
            checks.check_keys(table, _SECTION_KEYS, where, self.add)
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

        checks.check_keys(raw, _QUESTION_KEYS, "", add)
        qtype = raw.get("type")
        if qtype is None:
            add(f"type is required ({', '.join(QUESTION_TYPES)})")
        elif qtype not in QUESTION_TYPES:
            add(f"unknown type {qtype!r}; use one of {', '.join(QUESTION_TYPES)}")
        typed = qtype if qtype in QUESTION_TYPES else None
        label = self._text(raw, "label", required=True, qid=qid)
        help_text = self._text(raw, "help", qid=qid)
        required = checks.read_flag(raw, "required", add)
        unit = checks.read_unit(raw, typed, add)
        low, high = checks.read_bounds(raw, typed, add)
        max_length = checks.read_max_length(raw, typed, add)
        pillar = raw.get("pillar")
        if pillar is not None and pillar not in PILLARS:
            add(f"unknown pillar {pillar!r}; use one of {', '.join(PILLARS)}")
            pillar = None
        elif pillar is None and section == "best_practices":
            add(f"a best-practices question needs a pillar ({', '.join(PILLARS)})")
        choices = checks.read_choices(raw.get("choices"), typed, add)
        for c in choices:
            if c.risks and (qid, c.value) not in RISKY_CHOICES:
                add(
                    f"choice '{c.value}': a risk needs a finding that says what to do, and the "
                    "engine has none for this choice (journeys/engine/choice_risks.py)"
                )
        effect, findings = checks.read_effect(raw, add)
        core = checks.read_core(raw, qid, add)
        if core:
            checks.check_core(qid, typed, unit, (low, high), choices, required, add)
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
            default = checks.read_default(question, raw["default"], add)
            if len(self.problems) > before:
                return None
            question = replace(question, default=default)
        return question
