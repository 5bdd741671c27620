"""What the rules speak in: the facts they judge, what a rule says when it fires (`Hit`), the
rule itself, and the `Finding` a state keeps. Pure Python, no Django, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
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
    """One risk of one stage, tied to the answers that cause it and to what removes it."""

    id: str
    pillar: str
    risk: str
    title: str
    because: tuple[str, ...]
    action: str
    fixed_by: str
    section: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "pillar": self.pillar,
            "risk": self.risk,
            "title": self.title,
            "because": list(self.because),
            "action": self.action,
            "fixed_by": self.fixed_by,
            "section": self.section,
        }

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
        )


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

    def at_least(self, stage: str) -> bool:
        return STAGES.index(self.stage) >= STAGES.index(stage)

    def fix(self, component_id: str, brought_by: str) -> str:
        """The component when this stage can already have it, else the stage that brings it."""
        return component_id if self.at_least(brought_by) else brought_by

    def has(self, component_id: str) -> bool:
        return component_id in self.kinds

    def because(self, *question_ids: str) -> tuple[str, ...]:
        return tuple(f"{q}={format_value(self.values.get(q))}" for q in question_ids)

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


@dataclass(frozen=True)
class Rule:
    id: str
    pillar: str
    section: str
    check: Callable[[Facts], Hit | None]
    # The stages where the rule judges at all; outside them its answers are not its business.
    stages: tuple[str, ...] = STAGES
    # (question id, choice) pairs this rule judges for its pillar; a catalogue risk on the same
    # choice and pillar would only repeat it, so `evaluate` leaves that one out.
    covers: tuple[tuple[str, str], ...] = ()


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
