"""A stage's findings as the roadmap lists them: highest risk first, each with its action."""

from __future__ import annotations

from journeys import labels
from journeys.roadmap.limits import LONG_TEXT_LIMIT, Capped, capped, clip
from journeys.roadmap.sources import StageSource
from journeys.roadmap.words import because, plain
from journeys.vocabulary import PILLARS


def finding_rows(source: StageSource) -> Capped:
    ordered = sorted(
        source.state.findings,
        key=lambda f: ({"high": 0, "medium": 1}.get(f.risk, 2), engine_pillar(f.pillar), f.title),
    )
    return capped(
        {
            "risk": f.risk,
            "risk_label": labels.risk_label(f.risk),
            "pillar": labels.pillar_label(f.pillar),
            "title": clip(plain(source.stage, f.title)),
            "because": because(source.stage, f.because),
            "action": clip(plain(source.stage, f.action), LONG_TEXT_LIMIT),
            "reason": clip(plain(source.stage, f.reason), LONG_TEXT_LIMIT) if f.reason else "",
            "due": labels.stage_label(f.due) if f.due else "",
            "by": labels.stage_label(f.fixed_by) if f.fixed_by else "",
        }
        for f in ordered
    )


def engine_pillar(pillar: str) -> int:
    return PILLARS.index(pillar) if pillar in PILLARS else len(PILLARS)
