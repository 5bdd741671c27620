"""What several test modules build or look up the same way: a component for the pricing tests
(usage given, parameters as keywords) and a component or the findings of a recommended state."""

from __future__ import annotations

from typing import Any

from journeys.engine import ArchitectureState, Component


def priced_component(
    cid: str, kind: str, usage: dict[str, float], region: str = "us-east-1", **params: Any
) -> Component:
    """A component with its usage, as the price keys read it (label = id, one AZ)."""
    return Component(cid, kind, cid, params, region, 1, usage=usage)


def component(state: ArchitectureState, component_id: str) -> Component:
    """The state's component with this id; fails the test, listing the ids, if there is none."""
    found = state.component(component_id)
    assert found is not None, f"{component_id} missing from {[c.id for c in state.components]}"
    return found


def finding_ids(state: ArchitectureState) -> set[str]:
    return {f.id for f in state.findings}
