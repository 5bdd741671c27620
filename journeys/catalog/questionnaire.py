"""The questionnaire's shape: a catalogue of stages, each of sections of questions, some of
choices. Frozen dataclasses, built once by the reader and shared by every request.

`Question.clean` is the one rule for what an answer may be (the rules themselves live in
`answers`); `Question.display` is how a stored answer reads again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from journeys.catalog.answers import (
    NEEDS_AN_ANSWER,
    InvalidAnswer,
    as_text,
    clean_multiple,
    clean_number,
    clean_single,
    clean_text,
    clean_yes_no,
    format_number,
)
from journeys.vocabulary import PILLARS

SECTION_IDS = ("build", "measure", "learn", "best_practices")
SECTION_TITLES = {
    "build": "Build",
    "measure": "Measure",
    "learn": "Learn",
    "best_practices": "Best-practices check",
}
# What a question's answer shapes: the proposed architecture (components, parameters, sizing,
# DR), the findings, or both. Declared by every question and proven by tests/test_declared_effects.
EFFECTS = ("architecture", "findings")
QUESTION_TYPES = ("single", "multiple", "integer", "decimal", "percentage", "yes_no", "text")
NUMBER_TYPES = ("integer", "decimal", "percentage")
CHOICE_TYPES = ("single", "multiple")
DEFAULT_TEXT_LENGTH = 200
MAX_TEXT_LENGTH = 10_000
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    # Pillars with no risk are absent. Excluded from the hash because dicts have none.
    risks: dict[str, str] = field(default_factory=dict, hash=False)
    help: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    stage: str
    section: str
    type: str
    label: str
    help: str = ""
    unit: str | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    required: bool = False
    choices: tuple[Choice, ...] = ()
    # Already cleaned, so JSON-ready; a suggestion for the form, never an answer by itself.
    default: Any = field(default=None, hash=False)
    max_length: int = DEFAULT_TEXT_LENGTH
    core: bool = False
    # The Well-Architected pillar a best-practices question belongs to (None elsewhere).
    pillar: str | None = None
    # What the answer shapes (`EFFECTS`) and, for findings, the finding ids it can produce.
    effect: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    _by_value: dict[str, Choice] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        # A percentage is a number from 0 to 100 whatever the file says, so that the engine can
        # divide by 100 without checking; the object is frozen, hence object.__setattr__.
        if self.type == "percentage":
            object.__setattr__(self, "unit", self.unit or "%")
            object.__setattr__(self, "min", Decimal(0) if self.min is None else self.min)
            object.__setattr__(self, "max", _HUNDRED if self.max is None else self.max)
        object.__setattr__(self, "_by_value", {c.value: c for c in self.choices})

    def choice(self, value: Any) -> Choice | None:
        """The choice with this value, or None (also for values of the wrong type)."""
        return self._by_value.get(value) if isinstance(value, str) else None

    def clean(self, raw: Any) -> Any:
        """The answer `raw` as a JSON-ready value, or InvalidAnswer with a message for people.

        `raw` is what a form posts (a str, or a list of str for multiple) or what a JSON
        document holds. Anything at all may come in; only InvalidAnswer may come out.
        """
        if raw is None:
            raise InvalidAnswer(NEEDS_AN_ANSWER)
        if self.type in NUMBER_TYPES:
            whole, percent = self.type == "integer", self.type == "percentage"
            return clean_number(raw, whole=whole, percent=percent, low=self.min, high=self.max)
        if self.type == "yes_no":
            return clean_yes_no(raw)
        # The dict of choices by value is also the ordered collection of the values.
        if self.type == "single":
            return clean_single(raw, self._by_value)
        if self.type == "multiple":
            return clean_multiple(raw, self._by_value)
        return clean_text(raw, self.max_length)

    def risks_for(self, value: Any) -> dict[str, str]:
        """The risk level per pillar that this answer carries; the highest one wins."""
        if self.type == "single":
            chosen = self.choice(value)
            return dict(chosen.risks) if chosen else {}
        if self.type != "multiple" or not isinstance(value, list | tuple):
            return {}
        merged: dict[str, str] = {}
        for item in value:
            chosen = self.choice(item)
            for pillar, level in (chosen.risks if chosen else {}).items():
                if merged.get(pillar) != "high":
                    merged[pillar] = level
        return {p: merged[p] for p in PILLARS if p in merged}

    def display(self, value: Any) -> str:
        """The answer as people read it: "400 requests per second", "Yes", "Spiky", "40 %".

        Never raises, even for a stored value that no longer fits the question.
        """
        if value is None:
            return "Not answered"
        if self.type in NUMBER_TYPES and isinstance(value, int | float | Decimal):
            number = format_number(value)
            return f"{number} {self.unit}" if self.unit else number
        if self.type == "yes_no" and isinstance(value, bool):
            return "Yes" if value else "No"
        if self.type == "single":
            chosen = self.choice(value)
            return chosen.label if chosen else as_text(value)
        if self.type == "multiple" and isinstance(value, list | tuple):
            labels = [c.label if (c := self.choice(v)) else as_text(v) for v in value]
            return ", ".join(labels) if labels else "None of these"
        return as_text(value)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Stage:
    slug: str
    title: str
    customers_label: str
    summary: str
    thresholds: tuple[str, ...]
    sections: tuple[Section, ...]
    questions: dict[str, Question] = field(hash=False)

    def question(self, qid: str) -> Question:
        """The question with this id; KeyError if the stage has none."""
        try:
            return self.questions[qid]
        except (KeyError, TypeError):
            raise KeyError(f"stage {self.slug!r} has no question {qid!r}") from None


@dataclass(frozen=True)
class Catalogue:
    version: str
    stages: tuple[Stage, ...]
    title: str = ""
    description: str = ""
    _by_slug: dict[str, Stage] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_slug", {s.slug: s for s in self.stages})

    def stage(self, slug: str) -> Stage:
        """The stage with this slug; KeyError for any other."""
        try:
            return self._by_slug[slug]
        except (KeyError, TypeError):
            raise KeyError(f"unknown stage {slug!r}") from None

    def question(self, stage_slug: str, qid: str) -> Question:
        return self.stage(stage_slug).question(qid)
