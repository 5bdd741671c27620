"""Whether what a roadmap shows was reviewed, and what changed since the approved roadmap;
the latest submission and its decision, for the cover.

A stage is approved when the roadmap shows exactly the milestone that the journey's latest
approved submission carried for it. The cover and every page's footer say so: "Approved by …
on …", or "Draft — not reviewed" for anything else (live answers, a newer milestone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist

from journeys import engine
from journeys.milestones import milestone_state
from journeys.models import Decision, Journey, Milestone
from journeys.roadmap.limits import LONG_TEXT_LIMIT, NAME_LIMIT, clip
from journeys.roadmap.sources import StageSource
from journeys.vocabulary import STAGES, short_title

DRAFT = "Draft — not reviewed"
# Components named in one "what changed" sentence before "and N more".
NAMED = 4


def person(user: User | None) -> str:
    if user is None:
        return "a former user"
    return user.get_full_name() or user.get_username()


def day(moment: datetime) -> str:
    return f"{moment:%-d %B %Y}"


@dataclass(frozen=True)
class Approval:
    """The latest approved submission: who approved it, when, and its milestone per stage."""

    architect: str
    on: datetime
    number: int
    milestones: dict[str, Milestone] = field(default_factory=dict)

    @property
    def line(self) -> str:
        return f"Approved by {self.architect} on {day(self.on)}"


def latest_approval(journey: Journey) -> Approval | None:
    decision = (
        Decision.objects.filter(submission__journey=journey, outcome=Decision.APPROVED)
        .select_related("architect", "submission")
        .order_by("-submission__number")
        .first()
    )
    if decision is None:
        return None
    entries = decision.submission.entries.select_related("milestone")
    return Approval(
        architect=person(decision.architect),
        on=decision.created,
        number=decision.submission.number,
        milestones={e.stage: e.milestone for e in entries},
    )


def stage_approved(approval: Approval | None, source: StageSource) -> bool:
    if approval is None or source.milestone is None:
        return False
    approved = approval.milestones.get(source.stage)
    return approved is not None and approved.pk == source.milestone.pk


def status_line(approval: Approval | None, sources: Sequence[StageSource]) -> str:
    """The roadmap's status, one line: approved, partly approved, or a draft."""
    approved = [s for s in sources if stage_approved(approval, s)]
    if approval is None or not approved:
        return DRAFT
    if len(approved) == len(sources):
        return approval.line
    names = ", ".join(short_title(s.stage) for s in approved)
    approved_by = approval.line[0].lower() + approval.line[1:]
    return f"Partly approved: {names} {approved_by}; the other stages are drafts, not reviewed"


def _names(items: Sequence[str]) -> str:
    shown = list(items[:NAMED])
    more = len(items) - len(shown)
    text = ", ".join(shown)
    return f"{text} and {more} more" if more else text


def _diff_sentences(before: engine.ArchitectureState, after: engine.ArchitectureState) -> list[str]:
    diff = engine.diff(before, after)
    now = {c.id: c.label for c in after.components}
    then = {c.id: c.label for c in before.components}
    old_risks = {f.id: f.title for f in before.findings}
    new_risks = {f.id: f.title for f in after.findings}
    sentences = []
    if diff.added:
        sentences.append(f"adds {_names([now[c] for c in diff.added])}")
    if diff.removed:
        sentences.append(f"drops {_names([then[c] for c in diff.removed])}")
    if diff.changed:
        sentences.append(f"resizes {_names([now[c] for c in diff.changed])}")
    if diff.dr_strategy:
        old, new = (engine.DR_LABELS[s] for s in diff.dr_strategy)
        sentences.append(f"moves disaster recovery from {old} to {new}")
    if diff.findings_resolved:
        sentences.append(
            f"removes the risk of {_names([old_risks[f] for f in diff.findings_resolved])}"
        )
    if diff.findings_new:
        sentences.append(f"raises {_names([new_risks[f] for f in diff.findings_new])}")
    return sentences


def changes_since(
    approval: Approval | None, sources: Sequence[StageSource]
) -> list[dict[str, Any]]:
    """Per stage, what this roadmap changes from the approved one, in a sentence; empty when
    there is no approved roadmap or this one is it."""
    if approval is None or all(stage_approved(approval, s) for s in sources):
        return []
    rows = []
    for source in sorted(sources, key=lambda s: STAGES.index(s.stage)):
        approved = approval.milestones.get(source.stage)
        title = short_title(source.stage)
        if approved is None:
            text = "was not part of the approved roadmap."
        elif stage_approved(approval, source):
            text = "is as approved."
        else:
            said = _diff_sentences(milestone_state(approved), source.state)
            text = (
                ("; ".join(said) + ".")
                if said
                else "has the same architecture as approved (only answers or notes differ)."
            )
        rows.append({"stage": title, "text": text})
    return rows


def review(journey: Journey) -> dict[str, Any] | None:
    """The latest submission and its decision, for the cover."""
    submission = journey.submissions.select_related("submitted_by").order_by("-number").first()
    if submission is None:
        return None
    try:
        decision = submission.decision
    except ObjectDoesNotExist:
        decision = None
    return {
        "number": submission.number,
        "submitted": day(submission.created),
        "submitted_by": clip(person(submission.submitted_by), NAME_LIMIT),
        "outcome": decision.get_outcome_display() if decision else "",
        "architect": clip(person(decision.architect), NAME_LIMIT) if decision else "",
        "decided": day(decision.created) if decision else "",
        "summary": clip(decision.summary, LONG_TEXT_LIMIT) if decision else "",
    }
