"""The architecture state and its parts: frozen dataclasses with plain-JSON `to_dict` and
`from_dict`, so that a milestone can store a state and give back exactly the same hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from journeys.engine.findings import Finding


@dataclass(frozen=True)
class Assumption:
    name: str
    value: float
    unit: str
    description: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "description": self.description,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Assumption:
        return cls(data["name"], data["value"], data["unit"], data["description"])


@dataclass(frozen=True)
class Component:
    """One AWS resource (or group of them) of the proposed architecture. Dict fields are
    read-only by convention: the dataclass is frozen, and states are compared by hash."""

    id: str
    kind: str
    label: str
    params: dict[str, Any]
    region: str
    azs: int
    links: tuple[str, ...] = ()
    usage: dict[str, float] = field(default_factory=dict)
    door: str = "two_way"
    reasons: tuple[str, ...] = ()
    overridden: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "params": dict(self.params),
            "region": self.region,
            "azs": self.azs,
            "links": list(self.links),
            "usage": dict(self.usage),
            "door": self.door,
            "reasons": list(self.reasons),
            "overridden": list(self.overridden),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Component:
        return cls(
            id=data["id"],
            kind=data["kind"],
            label=data["label"],
            params=dict(data["params"]),
            region=data["region"],
            azs=data["azs"],
            links=tuple(data["links"]),
            usage=dict(data["usage"]),
            door=data["door"],
            reasons=tuple(data["reasons"]),
            overridden=tuple(data["overridden"]),
        )


@dataclass(frozen=True)
class DrPlan:
    strategy: str
    rpo_minutes: int
    rto_minutes: int
    region: str
    runs_there: tuple[str, ...]
    why: str
    rejected: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "rpo_minutes": self.rpo_minutes,
            "rto_minutes": self.rto_minutes,
            "region": self.region,
            "runs_there": list(self.runs_there),
            "why": self.why,
            "rejected": [[s, r] for s, r in self.rejected],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DrPlan:
        return cls(
            strategy=data["strategy"],
            rpo_minutes=data["rpo_minutes"],
            rto_minutes=data["rto_minutes"],
            region=data["region"],
            runs_there=tuple(data["runs_there"]),
            why=data["why"],
            rejected=tuple((s, r) for s, r in data["rejected"]),
        )


@dataclass(frozen=True)
class Coverage:
    """Where a stage's inputs came from, counted over the questions the stage asks: answered
    in the stage itself (a "not applicable" counts: the team decided), carried forward from an
    earlier stage, or left to the stage default. DESIGN 2, "Effective answer"."""

    answered: int
    inherited: int
    defaulted: int

    @property
    def total(self) -> int:
        return self.answered + self.inherited + self.defaulted

    @property
    def mostly_defaulted(self) -> bool:
        """More than half of the stage rests on defaults: a plan to read with care."""
        return self.defaulted * 2 > self.total

    @property
    def sentence(self) -> str:
        """ "Based on 28 answers, 40 carried forward, 12 defaults"."""
        answers = "answer" if self.answered == 1 else "answers"
        defaults = "default" if self.defaulted == 1 else "defaults"
        return (
            f"Based on {self.answered} {answers}, {self.inherited} carried forward, "
            f"{self.defaulted} {defaults}"
        )

    def __add__(self, other: Coverage) -> Coverage:
        return Coverage(
            self.answered + other.answered,
            self.inherited + other.inherited,
            self.defaulted + other.defaulted,
        )

    def to_dict(self) -> dict[str, int]:
        return {
            "answered": self.answered,
            "inherited": self.inherited,
            "defaulted": self.defaulted,
            "total": self.total,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Coverage:
        return cls(int(data["answered"]), int(data["inherited"]), int(data["defaulted"]))


@dataclass(frozen=True)
class ArchitectureState:
    stage: str
    region: str
    dr_region: str
    components: tuple[Component, ...]
    findings: tuple[Finding, ...]
    dr: DrPlan
    assumptions: tuple[Assumption, ...]
    risk_counts: dict[str, dict[str, int]]
    # Where the inputs came from; attached by whoever knows the questionnaire (the engine does
    # not), and outside the hash: confirming an inherited answer changes no architecture, and
    # diagrams and estimates are reused by hash. None in milestones saved before it existed.
    coverage: Coverage | None = None

    def _content(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "region": self.region,
            "dr_region": self.dr_region,
            "components": [c.to_dict() for c in self.components],
            "findings": [f.to_dict() for f in self.findings],
            "dr": self.dr.to_dict(),
            "assumptions": [a.to_dict() for a in self.assumptions],
            "risk_counts": {p: dict(c) for p, c in self.risk_counts.items()},
        }

    @cached_property
    def hash(self) -> str:
        """sha256 of the canonical JSON of everything but the hash itself."""
        text = json.dumps(self._content(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        data = {**self._content(), "hash": self.hash}
        if self.coverage is not None:
            data["coverage"] = self.coverage.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ArchitectureState:
        """The inverse of to_dict; a stored "hash" is ignored and recomputed from the content."""
        coverage = data.get("coverage")
        return cls(
            stage=data["stage"],
            region=data["region"],
            dr_region=data["dr_region"],
            components=tuple(Component.from_dict(c) for c in data["components"]),
            findings=tuple(Finding.from_dict(f) for f in data["findings"]),
            dr=DrPlan.from_dict(data["dr"]),
            assumptions=tuple(Assumption.from_dict(a) for a in data["assumptions"]),
            risk_counts={p: dict(c) for p, c in data["risk_counts"].items()},
            coverage=Coverage.from_dict(coverage) if coverage else None,
        )

    @property
    def recovers_in_region(self) -> bool:
        """No second region is allowed (data residency): recovery stays in the region."""
        return self.dr_region == self.region

    def component(self, component_id: str) -> Component | None:
        for c in self.components:
            if c.id == component_id:
                return c
        return None


@dataclass(frozen=True)
class StateDiff:
    """What a stage changes from the previous one. `changed` maps a component id to
    {param: (old, new)}, with "region", "azs" and "kind" reported like params."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: dict[str, dict[str, tuple[Any, Any]]]
    findings_resolved: tuple[str, ...]
    findings_new: tuple[str, ...]
    dr_strategy: tuple[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": list(self.added),
            "removed": list(self.removed),
            "changed": {
                cid: {p: [old, new] for p, (old, new) in params.items()}
                for cid, params in self.changed.items()
            },
            "findings_resolved": list(self.findings_resolved),
            "findings_new": list(self.findings_new),
            "dr_strategy": list(self.dr_strategy) if self.dr_strategy else None,
        }


class InvalidOverride(ValueError):
    """An override the engine cannot apply; `message` is written for the person who typed it."""

    def __init__(self, component_id: str, param: str, message: str) -> None:
        super().__init__(f"{component_id}.{param}: {message}")
        self.component_id = component_id
        self.param = param
        self.message = message
