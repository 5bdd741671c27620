"""The engine's findings, answers, components, parameters and regions in words people read."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from journeys import catalog, labels
from journeys.regions import REGIONS
from journeys.roadmap.limits import clip

_QUESTION_VALUE = re.compile(r"^([a-z][a-z0-9_]*)\s*=\s*(.*)$")
_COMPONENT_ID = re.compile(r"\s*\((?:dr-)?[a-z0-9]+(?:-[a-z0-9]+)*\)$")
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# question_id=value in engine text; a value may list several choices ("key_value,caching").
_CAUSE_IN_TEXT = re.compile(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)=([A-Za-z0-9_.,\-]*[A-Za-z0-9])")


def stage_title(slug: str) -> str:
    return catalog.get().stage(slug).title


def region_name(region: str) -> str:
    """ "eu-west-1, Europe (Ireland)" where the region is known."""
    name = REGIONS.get(region)
    return f"{region}, {name}" if name else region


def plain(stage: str, text: str) -> str:
    """Engine text with its `question_id=value` asides said in words: "(database_engine=
    postgresql)" reads "(database engine: PostgreSQL on Amazon RDS)"."""

    def said(match: re.Match[str]) -> str:
        qid, value = match.group(1), match.group(2)
        return f"{labels.words(qid).lower()}: {labels.answer_label(stage, qid, value)}"

    return _SNAKE.sub(lambda m: labels.words(m.group(0)).lower(), _CAUSE_IN_TEXT.sub(said, text))


def because(stage: str, causes: Iterable[str]) -> str:
    """A finding's causes as answers people recognise: "How releases reach production:
    Manual" rather than `release_process=manual`."""
    stage_questions = catalog.get().stage(stage).questions
    said = []
    for cause in causes:
        match = _QUESTION_VALUE.match(cause)
        question = stage_questions.get(match.group(1)) if match else None
        if match is None:
            said.append(cause)
        elif question is None:
            said.append(f"{labels.words(match.group(1))}: {match.group(2)}")
        else:
            asked = question.label if question.label.endswith("?") else f"{question.label}:"
            said.append(f"{asked} {question.display(question_value(question, match.group(2)))}")
    return clip("; ".join(said))


def question_value(question: Any, text: str) -> Any:
    """The raw text of a finding's cause, as the question's own value type where it parses."""
    try:
        return question.clean(text)
    except Exception:
        return text


def component_name(text: str) -> str:
    """ "Aurora Global Database secondary" from the engine's "… (dr-primary-db)"."""
    return _COMPONENT_ID.sub("", text)


def params_line(params: Mapping[str, Any]) -> str:
    return clip(
        "; ".join(f"{labels.param_label(k)} {labels.param_value(k, v)}" for k, v in params.items())
    )


def shown(param: str, value: Any) -> str:
    """A parameter's value, or a component's kind, for people."""
    if param == "kind" and isinstance(value, str):
        return labels.kind_label(value)
    return labels.param_value(param, value)
