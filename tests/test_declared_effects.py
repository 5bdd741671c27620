"""Every question of the catalogue does what it declares (issue 12, item 1).

On a realistic journey (the demo's answers, every other question answered sensibly, all four
stages, carried forward as in the app), each question of each stage is toggled through every
choice (multiple choices: each one ticked and unticked, none, all), and each number is moved
across its bounds and the engine's thresholds. Then:

- a question declared for "architecture" changes the components or the DR plan;
- a question declared for "findings" changes the findings, and produces each finding it names;
- every choice differs, in a declared way, from at least one other choice of its question;
- no finding is the generic "Review this answer ..." and every finding cites only answers the
  team gave or carried forward, by the question's own words.

No database: the catalogue, the resolver of effective answers and the engine are pure.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from journeys import catalog, effective, engine
from journeys.architecture import asked, choice_risks
from journeys.catalog.questionnaire import Question
from journeys.demo_answers import DEMO_ANSWERS
from journeys.engine import tables
from journeys.engine.choice_risks import TABLE
from journeys.engine.rules import RULES
from journeys.vocabulary import STAGES

# Helper E12B builds these two at the same time; once its branch is merged they must pass too.
PENDING_ELSEWHERE: frozenset[str] = frozenset()

# The engine's thresholds on numbers, so that a number is moved across each one.
THRESHOLDS: dict[str, tuple[float, ...]] = {
    "latency_target_ms": (
        tables.LATENCY_EDGE_MS,
        tables.LATENCY_ONE_REGION_MS,
        tables.LATENCY_CACHE_MS,
    ),
    "read_ratio": (tables.CACHE_WORTH_PERCENT, tables.READ_HEAVY_PERCENT),
}


def sensible(q: Question) -> Any:
    """What a careful team answers when it has nothing special to say."""
    if q.core and q.id in DEMO_ANSWERS[q.stage]:
        return DEMO_ANSWERS[q.stage][q.id]
    if q.section == "learn":
        return []  # nothing went wrong
    if q.default is not None:
        return q.default
    if q.type == "multiple":
        return [c.value for c in q.choices if not c.risks][:1]
    if q.type == "single":
        return next(c.value for c in q.choices if not c.risks)
    if q.type == "yes_no":
        return False
    return q.min if q.min is not None else 0


def realistic() -> dict[str, dict[str, Any]]:
    return {
        stage.slug: {q.id: sensible(q) for q in stage.questions.values()}
        for stage in catalog.get().stages
    }


def variants(q: Question, base: Any) -> list[Any]:
    """Every answer to try: each choice, or numbers on both sides of every threshold."""
    if q.type == "single":
        return [c.value for c in q.choices]
    if q.type == "multiple":
        values = [c.value for c in q.choices]
        ticked = set(base)
        toggled = [[v for v in values if (v in ticked) != (v == c)] for c in values]
        return [list(base), [], values, *toggled]
    if q.type == "yes_no":
        return [True, False]
    low = float(q.min) if q.min is not None else 0.0
    high = float(q.max) if q.max is not None else low * 10 + 1000
    points = {low, high, float(base)}
    for t in THRESHOLDS.get(q.id, ()):
        points |= {t - 1, t + 1}
    whole = q.type == "integer"
    return sorted(int(p) if whole else p for p in points if low <= p <= high)


@dataclass(frozen=True)
class Outcome:
    answer: Any
    architecture: str
    findings: str
    finding_ids: frozenset[str]
    state: engine.ArchitectureState


def outcome(stage: str, answers: dict[str, dict[str, Any]], answer: Any) -> Outcome:
    given = {
        slug: {qid: effective.Given(value) for qid, value in stage_answers.items()}
        for slug, stage_answers in answers.items()
    }
    resolved = effective.resolve(catalog.get(), given)
    state = engine.recommend(
        stage,
        effective.engine_values(resolved[stage]),
        choice_risks=choice_risks(stage),
        asked=asked(stage),
    )
    data = state.to_dict()
    shape = {"components": data["components"], "dr": data["dr"]}
    return Outcome(
        answer,
        json.dumps(shape, sort_keys=True),
        json.dumps(data["findings"], sort_keys=True),
        frozenset(f.id for f in state.findings),
        state,
    )


def outcomes(q: Question) -> list[Outcome]:
    base = realistic()
    found = []
    for answer in variants(q, base[q.stage][q.id]):
        answers = {slug: dict(a) for slug, a in base.items()}
        answers[q.stage][q.id] = answer
        found.append(outcome(q.stage, answers, answer))
    return found


def questions() -> Iterator[Any]:
    for stage in catalog.get().stages:
        for q in stage.questions.values():
            marks = (
                [pytest.mark.xfail(reason="built by helper E12B", strict=False)]
                if q.id in PENDING_ELSEWHERE
                else []
            )
            yield pytest.param(q, id=f"{q.stage}-{q.id}", marks=marks)


def observed(q: Question, found: list[Outcome]) -> tuple[bool, bool, frozenset[str]]:
    """(architecture changes, findings change, the finding ids only some answers produce)."""
    always = frozenset.intersection(*(o.finding_ids for o in found))
    produced = frozenset.union(*(o.finding_ids for o in found)) - always
    return (
        len({o.architecture for o in found}) > 1,
        len({o.findings for o in found}) > 1,
        produced,
    )


@pytest.mark.parametrize("q", list(questions()))
def test_each_question_has_the_effect_it_declares(q: Question) -> None:
    found = outcomes(q)
    architecture, findings, produced = observed(q, found)
    assert q.effect, "the catalogue's check lets no question through without an effect"
    if "architecture" in q.effect:
        assert architecture, f"no answer to {q.id} changes the components or the DR plan"
    if "findings" in q.effect:
        assert findings, f"no answer to {q.id} changes the findings"
        missing = set(q.findings) - produced
        assert not missing, f"{q.id} never produces {sorted(missing)}"

    def shows(o: Outcome) -> tuple[str, ...]:
        return (
            o.architecture if "architecture" in q.effect else "",
            o.findings if "findings" in q.effect else "",
        )

    for o in found:
        same = all(shows(o) == shows(other) for other in found)
        assert not same, f"{q.id}={o.answer!r} changes nothing that the question declares"


@pytest.mark.parametrize("stage", STAGES)
def test_no_finding_is_generic_and_each_cites_the_teams_own_answers(stage: str) -> None:
    base = realistic()
    cat = catalog.get().stage(stage)
    for q in cat.questions.values():
        for o in outcomes(q):
            answers = {slug: dict(a) for slug, a in base.items()}
            answers[stage][q.id] = o.answer
            given = {
                slug: {qid: effective.Given(v) for qid, v in a.items()}
                for slug, a in answers.items()
            }
            resolved = effective.resolve(catalog.get(), given)[stage]
            asked_here = {
                cat.question(qid).label
                for qid, a in resolved.items()
                if a.kind in (effective.ANSWERED, effective.INHERITED)
            }
            for f in o.state.findings:
                assert "Review this answer" not in f.action
                assert f.action and f.reason and f.due in STAGES, f.id
                for cited in f.because:
                    assert any(cited.startswith(label) for label in asked_here), (f.id, cited)


def test_a_default_is_nobodys_answer_and_is_not_cited() -> None:
    state = engine.recommend(
        "launch", {}, choice_risks=choice_risks("launch"), asked=asked("launch")
    )
    identity = next(f for f in state.findings if f.id == "no-identity-context")
    assert identity.because == ()
    answered = engine.recommend(
        "launch",
        {"customer_identity": "none"},
        choice_risks=choice_risks("launch"),
        asked=asked("launch"),
    )
    identity = next(f for f in answered.findings if f.id == "no-identity-context")
    label = catalog.question("launch", "customer_identity").label
    assert identity.because == (
        f"{label} {catalog.question('launch', 'customer_identity').display('none')}",
    )


def test_every_risky_choice_has_words_of_its_own_or_a_rule() -> None:
    rule_ids = {r.id for r in RULES}
    for stage in catalog.get().stages:
        for q in stage.questions.values():
            for c in q.choices:
                if not c.risks:
                    continue
                said = TABLE.get((q.id, c.value))
                assert said is not None, f"{stage.slug}: {q.id}={c.value} has no finding"
                assert said.id or said.echoes in rule_ids, (q.id, c.value)
                assert not said.echoes or said.echoes in rule_ids, said.echoes
