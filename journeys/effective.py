"""Effective answers: what the engine uses for each question of each stage (DESIGN 2).

A stage's own answer wins; else the latest earlier stage's answer to the same question carries
forward (*inherited*, with the stage it came from); else the stage default applies
(*defaulted*). Changing a Launch answer therefore flows into every later stage that did not
answer that question itself, and an answer given in Growth stops Launch's from reaching Growth
and the stages after it.

Two kinds of question never carry forward:

- the stage-growth figures (`GROWTH_FIGURES`: customers, peak requests per second, database
  and object storage): each stage is planned for its own size, so Launch's 100 customers must
  not become Scale's. An unanswered `customers` takes the stage default, or ten times the
  stage before it (`STAGE_GROWTH`) when that is more; the other three are derived by the
  engine from the stage's customers;
- the Learn questions, which record what the team observed in that stage.

A "not applicable" answer is the stage's own decision: it is counted as answered and stops
inheritance, and the engine uses the stage default for it. It does not carry forward itself.

Pure: the catalogue and the stored answers in, plain data out; no Django, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from journeys.catalog.answers import InvalidAnswer
from journeys.catalog.questionnaire import Catalogue, Question, Stage
from journeys.engine.state import Coverage
from journeys.engine.tables import STAGE_DEFAULTS
from journeys.vocabulary import short_title

ANSWERED, INHERITED, DEFAULTED = "answered", "inherited", "defaulted"
GROWTH_FIGURES = frozenset({"customers", "peak_rps", "db_storage_gb", "object_storage_gb"})
# An unanswered stage plans for at least ten times the customers of the stage before it.
STAGE_GROWTH = 10
CARRY_RULE = (
    "Answers carry forward: a question you leave blank takes the latest earlier stage's "
    "answer, else the stage default. Customers, peak load and storage never carry forward: "
    f"a blank stage plans for its default customers, or {STAGE_GROWTH} times the stage before "
    "when that is more."
)


@dataclass(frozen=True, slots=True)
class Given:
    """One stored answer as the resolver needs it: the value, or a not-applicable reason."""

    value: Any
    not_applicable: str = ""

    @property
    def has_value(self) -> bool:
        return self.value is not None and not self.not_applicable


@dataclass(frozen=True, slots=True)
class EffectiveAnswer:
    """What one question of one stage amounts to.

    `value` is what the engine reads (None: the engine's own default, e.g. "not applicable");
    for a defaulted question it is the default shown to people, which the engine applies
    itself. `origin` is the stage that gave the value (itself when answered). `basis` says how
    a derived default was reached ("ten times Growth's 50,000"); such a value goes to the
    engine, since the engine cannot know it.
    """

    kind: str
    value: Any
    origin: str | None = None
    basis: str = ""
    not_applicable: str = ""

    @property
    def for_engine(self) -> bool:
        if self.kind == DEFAULTED:
            return bool(self.basis)
        return self.value is not None and not self.not_applicable


StageAnswers = dict[str, EffectiveAnswer]
GivenByStage = Mapping[str, Mapping[str, Given]]


def carries_forward(question: Question) -> bool:
    """Whether a later stage may inherit this question's answer (see the module's rules)."""
    return question.section != "learn" and question.id not in GROWTH_FIGURES


def stage_default(stage: str, question: Question) -> Any:
    """The default the engine applies, or the catalogue's suggestion for questions the engine
    does not read; None when there is none (the engine derives it, or nothing applies)."""
    engine_defaults = STAGE_DEFAULTS.get(stage, {})
    if question.id in engine_defaults:
        return engine_defaults[question.id]
    return question.default


def resolve(catalogue: Catalogue, given: GivenByStage) -> dict[str, StageAnswers]:
    """Every stage's effective answers, in stage order: {stage: {question id: answer}}."""
    resolved: dict[str, StageAnswers] = {}
    earlier: list[Stage] = []
    for stage in catalogue.stages:
        answers: StageAnswers = {}
        for q in stage.questions.values():
            answers[q.id] = _resolve_one(stage, q, given, earlier, resolved)
        resolved[stage.slug] = answers
        earlier.append(stage)
    return resolved


def resolve_question(
    catalogue: Catalogue, stage_slug: str, question_id: str, given: GivenByStage
) -> EffectiveAnswer:
    """One question's effective answer (the wizard's autosave needs no more than this)."""
    stages = list(catalogue.stages)
    index = [s.slug for s in stages].index(stage_slug)
    stage = stages[index]
    if question_id == "customers":
        # Customers scale from the stage before, so that stage must be resolved first.
        return resolve(catalogue, given)[stage_slug][question_id]
    return _resolve_one(stage, stage.question(question_id), given, stages[:index], {})


def _resolve_one(
    stage: Stage,
    q: Question,
    given: GivenByStage,
    earlier: list[Stage],
    resolved: Mapping[str, StageAnswers],
) -> EffectiveAnswer:
    own = given.get(stage.slug, {}).get(q.id)
    if own is not None and own.not_applicable:
        return EffectiveAnswer(ANSWERED, None, stage.slug, not_applicable=own.not_applicable)
    if own is not None and own.has_value and _still_valid(q, own.value):
        return EffectiveAnswer(ANSWERED, own.value, stage.slug)
    if carries_forward(q):
        for before in reversed(earlier):
            found = given.get(before.slug, {}).get(q.id)
            if found is None or not found.has_value:
                continue
            try:
                value = q.clean(found.value)
            except InvalidAnswer:
                continue  # not a valid answer here (other choices): look further back
            return EffectiveAnswer(INHERITED, value, before.slug)
    if q.id == "customers" and earlier:
        return _scaled_customers(stage, q, earlier[-1].slug, resolved)
    return EffectiveAnswer(DEFAULTED, stage_default(stage.slug, q))


def _still_valid(q: Question, value: Any) -> bool:
    """Whether a stored answer passes today's checks. One stored before a bound existed (a peak
    of 999,999,999,999,999 requests a second) is set aside like no answer, so it can never
    overflow an estimate; the wizard asks for it again with the bound in its message."""
    try:
        q.clean(value)
    except InvalidAnswer:
        return False
    return True


def _scaled_customers(
    stage: Stage, q: Question, before: str, resolved: Mapping[str, StageAnswers]
) -> EffectiveAnswer:
    default = stage_default(stage.slug, q)
    previous = resolved.get(before, {}).get("customers")
    prior = previous.value if previous is not None else None
    if isinstance(prior, int | float) and isinstance(default, int | float):
        grown = int(prior) * STAGE_GROWTH
        if grown > default:
            basis = f"{STAGE_GROWTH} × {short_title(before)}'s {int(prior):,}"
            return EffectiveAnswer(DEFAULTED, grown, basis=basis)
    return EffectiveAnswer(DEFAULTED, default)


def engine_values(answers: Mapping[str, EffectiveAnswer]) -> dict[str, Any]:
    """The answers the engine reads for a stage: own and inherited values, derived defaults."""
    return {qid: a.value for qid, a in answers.items() if a.for_engine}


def coverage(answers: Mapping[str, EffectiveAnswer]) -> Coverage:
    kinds = [a.kind for a in answers.values()]
    return Coverage(kinds.count(ANSWERED), kinds.count(INHERITED), kinds.count(DEFAULTED))
