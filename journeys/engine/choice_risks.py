"""The catalogue's own risks: a finding for every answered choice that the catalogue marks as a
risk for a pillar, unless one of the rules already judges that choice for that pillar.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from journeys.engine.findings import STAGE_SECTIONS, Facts, Finding
from journeys.vocabulary import PILLARS, RISK_LEVELS


def _slug(text: str) -> str:
    # No regex: this runs for every answered choice on every recommendation.
    chars = "".join(c if c.isascii() and c.isalnum() else "-" for c in text.lower())
    return "-".join(part for part in chars.split("-") if part)


def _humanize(question_id: str) -> str:
    words = question_id.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _choices_of(value: Any) -> tuple[str, ...]:
    """The choice values an answer holds: a single choice, a multiple choice or a yes/no."""
    if isinstance(value, bool):
        return ("yes" if value else "no",)
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def choice_findings(
    f: Facts,
    choice_risks: Mapping[str, Mapping[str, Mapping[str, str]]],
    judged: frozenset[tuple[str, str, str]],
) -> list[Finding]:
    section = f"{STAGE_SECTIONS[f.stage]}: Best practices check"
    found: list[Finding] = []
    for qid in sorted(choice_risks):
        if qid not in f.answered:
            continue
        # Core answers come normalised (e.g. 99.9 -> "99.9"); others exactly as given.
        value = f.values[qid] if qid in f.values else f.raw_answers.get(qid)
        by_choice = choice_risks[qid]
        for choice in _choices_of(value):
            pillars = by_choice.get(choice) or {}
            for pillar in sorted(pillars, key=_pillar_order):
                risk = pillars[pillar]
                if pillar not in PILLARS:
                    raise ValueError(
                        f"choice_risks[{qid!r}][{choice!r}]: unknown pillar {pillar!r}; "
                        f"use one of {', '.join(PILLARS)}"
                    )
                if risk == "none":
                    continue
                if risk not in RISK_LEVELS:
                    raise ValueError(
                        f"choice_risks[{qid!r}][{choice!r}][{pillar!r}]: risk {risk!r} is not "
                        "'medium' or 'high'"
                    )
                if (qid, choice, pillar) in judged:
                    continue
                found.append(
                    Finding(
                        id=f"choice-{_slug(qid)}-{_slug(choice)}-{_slug(pillar)}",
                        pillar=pillar,
                        risk=risk,
                        title=f"{_humanize(qid)}: {choice}",
                        because=(f"{qid}={choice}",),
                        action=f"Review this answer against the {_humanize(pillar).lower()} "
                        "pillar of the AWS Well-Architected Framework and remediate the risk.",
                        fixed_by="",
                        section=section,
                    )
                )
    return found


def _pillar_order(pillar: str) -> tuple[int, str]:
    return (PILLARS.index(pillar) if pillar in PILLARS else len(PILLARS), pillar)
