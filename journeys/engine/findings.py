"""What the rules speak in: the facts they judge, what a rule says when it fires (`Hit`), the
rule itself, and the `Finding` a state keeps. Pure Python, no Django, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from journeys.vocabulary import PILLARS, STAGES

# The talk's own headings, so that a finding can say where the advice comes from.
STAGE_SECTIONS = {
    "launch": "Scaling to 100+ customers",
    "growth": "Scaling to 10000+ customers",
    "scale": "Scaling to 1M+ customers",
    "beyond": "Scaling beyond a million customers",
}


@dataclass(frozen=True)
class Finding:
    """One risk of one stage, tied to the answers that cause it and to what removes it: the
    components it concerns, the action, the talk's reason, and the stage by which to act."""

    id: str
    pillar: str
    risk: str
    title: str
    # The answers behind it, "Question label: answer", only those the team gave or inherited.
    because: tuple[str, ...]
    action: str
    fixed_by: str
    section: str
    components: tuple[str, ...] = ()
    reason: str = ""
    due: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "pillar": self.pillar,
            "risk": self.risk,
            "title": self.title,
            "because": list(self.because),
            "action": self.action,
            "fixed_by": self.fixed_by,
            "section": self.section,
        }
        # Left out when empty, so that a milestone stored before they existed keeps its hash.
        if self.components:
            data["components"] = list(self.components)
        if self.reason:
            data["reason"] = self.reason
        if self.due:
            data["due"] = self.due
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        return cls(
            id=data["id"],
            pillar=data["pillar"],
            risk=data["risk"],
            title=data["title"],
            because=tuple(data["because"]),
            action=data["action"],
            fixed_by=data["fixed_by"],
            section=data["section"],
            components=tuple(data.get("components", ())),
            reason=data.get("reason", ""),
            due=data.get("due", ""),
        )


@dataclass(frozen=True)
class Asked:
    """How the catalogue asks a question, so that a finding can cite the team's answer in the
    team's words: the question's label, its unit, and each choice's label."""

    label: str
    unit: str | None = None
    choices: Mapping[str, str] = field(default_factory=dict)

    def cite(self, value: Any) -> str:
        if isinstance(value, list | tuple):
            shown = ", ".join(self.choices.get(v, str(v)) for v in value) or "none of these"
        elif isinstance(value, str):
            shown = self.choices.get(value, value)
        elif isinstance(value, bool):
            shown = "yes" if value else "no"
        elif isinstance(value, int | float):
            number = f"{value:,}" if float(value).is_integer() else f"{value:,.4g}"
            number = number.removesuffix(".0")
            shown = f"{number} {self.unit}" if self.unit else number
        else:
            shown = str(value)
        return f"{self.label} {shown}" if self.label.endswith("?") else f"{self.label}: {shown}"


@dataclass(frozen=True)
class Facts:
    """What the rules may look at: the resolved answers and the sized architecture."""

    stage: str
    values: Mapping[str, Any]  # every answer the engine used, stage defaults filled in
    answered: frozenset[str]  # the ids the team actually answered
    raw_answers: Mapping[str, Any]  # as given, including questions the engine does not read
    kinds: Mapping[str, str]  # component id -> kind
    params: Mapping[str, Mapping[str, Any]]  # component id -> params
    azs: Mapping[str, int]  # component id -> AZs it spans
    overridden: Mapping[str, tuple[str, ...]]  # component id -> params set by overrides
    dr_strategy: str
    dr_region: str
    # (component id, what) for every service limit the demand goes past.
    beyond_limits: tuple[tuple[str, str], ...] = ()
    # Why the DR plan cannot meet the RPO asked for, or "".
    rpo_shortfall: str = ""
    # The home region (dr_region equals it when recovery stays there), and whether the team set
    # the DR region on the journey rather than the planner choosing it.
    region: str = ""
    dr_region_set: bool = False
    # The yes/no inputs a catalogue question decided -> that question (what findings cite).
    sources: Mapping[str, str] = field(default_factory=dict)
    # The catalogue's wording of the questions, for citing answers; ids when absent.
    asked: Mapping[str, Asked] = field(default_factory=dict)

    def at_least(self, stage: str) -> bool:
        return STAGES.index(self.stage) >= STAGES.index(stage)

    def fix(self, component_id: str, brought_by: str) -> str:
        """The component when this stage can already have it, else the stage that brings it."""
        return component_id if self.at_least(brought_by) else brought_by

    def has(self, component_id: str) -> bool:
        return component_id in self.kinds

    def because(self, *question_ids: str) -> tuple[str, ...]:
        """The answers behind a finding, each cited by its question: only those the team gave
        or inherited (a stage default is nobody's answer), once each."""
        cited: dict[str, str] = {}
        for name in question_ids:
            qid = self.sources.get(name, name)
            if qid not in self.answered or qid in cited:
                continue
            value = self.values[qid] if qid in self.values else self.raw_answers.get(qid)
            asked = self.asked.get(qid)
            cited[qid] = asked.cite(value) if asked else f"{qid}={format_value(value)}"
        return tuple(cited.values())

    def overrides_of(self, component_id: str, *params: str) -> tuple[str, ...]:
        """Overrides that helped cause a finding, in the same key=value shape as answers."""
        chosen = self.overridden.get(component_id, ())
        got = {**self.params.get(component_id, {}), "azs": self.azs.get(component_id)}
        return tuple(f"{component_id}.{p}={format_value(got[p])}" for p in params if p in chosen)

    @property
    def availability(self) -> float:
        return float(self.values["availability_target"])


@dataclass(frozen=True)
class Hit:
    """What a rule says when it fires; `evaluate` adds the rule's id, pillar and section."""

    risk: str
    title: str
    because: tuple[str, ...]
    action: str
    fixed_by: str
    # The components the finding concerns; empty: the one in `fixed_by`, if it is one.
    components: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    pillar: str
    section: str
    check: Callable[[Facts], Hit | None]
    # The stages where the rule judges at all; outside them its answers are not its business.
    stages: tuple[str, ...] = STAGES
    # Why the talk says so, in a sentence.
    reason: str = ""


def format_value(value: Any) -> str:
    """An answer as it reads in "question_id=value": yes/no, whole numbers without ".0"."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.4g}"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def count_risks(findings: tuple[Finding, ...]) -> dict[str, dict[str, int]]:
    """{pillar: {"high": n, "medium": n}} for all six pillars, zeros included."""
    counts = {pillar: {"high": 0, "medium": 0} for pillar in PILLARS}
    for finding in findings:
        counts[finding.pillar][finding.risk] += 1
    return counts
