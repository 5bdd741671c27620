"""A stage's one-way doors (decisions expensive to undo) and their architects' sign-offs."""

from __future__ import annotations

from typing import Any

from journeys import labels
from journeys.roadmap.limits import NAME_LIMIT, clip
from journeys.roadmap.sources import StageSource
from journeys.roadmap.status import day, person
from journeys.roadmap.words import plain
from journeys.vocabulary import short_title


def one_way_doors(source: StageSource) -> list[dict[str, Any]]:
    """The stage's one-way doors and their sign-offs (a live stage has none)."""
    signed = (
        {s.component: s for s in source.milestone.sign_offs.select_related("architect")}
        if source.milestone is not None
        else {}
    )
    doors = []
    for c in source.state.components:
        if c.door != "one_way":
            continue
        sign_off = signed.get(c.id)
        if sign_off is not None:
            who = clip(person(sign_off.architect), NAME_LIMIT)
            state = f"Signed off by {who} on {day(sign_off.created)}"
        elif source.milestone is not None:
            state = "Not signed off yet"
        else:
            state = "Not signed off: live answers, not yet submitted for review"
        doors.append(
            {
                "label": c.label,
                "stage": short_title(source.stage),
                "kind": labels.kind_label(c.kind),
                "why": clip(plain(source.stage, c.reasons[0]) if c.reasons else "", 200),
                "signed": sign_off is not None,
                "state": state,
                "note": clip(sign_off.note) if sign_off else "",
            }
        )
    return doors
