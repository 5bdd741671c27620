"""An architect's side of a review: the one-way doors of a submission and their sign-offs, and
the decision (approve or request changes) that ends the review of a submission."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from journeys import catalog, engine
from journeys.access import JourneyAccess
from journeys.milestones import in_stage_order, milestone_state
from journeys.models import (
    Decision,
    Journey,
    Milestone,
    Notification,
    SignOff,
    Submission,
    SubmittedMilestone,
    record,
)
from journeys.reviews import flow
from journeys.reviews.notifications import notify
from journeys.vocabulary import short_title

OUTCOMES = [(flow.APPROVE, "Approve"), (flow.REQUEST_CHANGES, "Request changes")]
NOT_OPEN = "This submission is not open for review any more."


@dataclass
class Door:
    """A one-way-door component of a submitted milestone, and its sign-off if it has one."""

    stage: catalog.Stage
    milestone: Milestone
    component: engine.Component
    sign_off: SignOff | None = None


@dataclass
class SubmittedStage:
    stage: catalog.Stage
    milestone: Milestone
    state: engine.ArchitectureState
    doors: list[Door] = field(default_factory=list)
    open_threads: int = 0


def submitted_stages(submission: Submission) -> list[SubmittedStage]:
    """The submitted milestone of every stage, its state and its one-way doors."""
    entries = {
        e.stage: e.milestone
        for e in submission.entries.select_related("milestone", "milestone__author")
    }
    sign_offs = {
        (s.milestone_id, s.component): s
        for s in SignOff.objects.filter(
            milestone__in=[m.pk for m in entries.values()]
        ).select_related("architect", "submission")
    }
    stages = []
    for stage, milestone, state in in_stage_order(entries):
        doors = [
            Door(stage, milestone, c, sign_offs.get((milestone.pk, c.id)))
            for c in state.components
            if c.door == "one_way"
        ]
        stages.append(SubmittedStage(stage, milestone, state, doors))
    return stages


def missing_sign_offs(stages: list[SubmittedStage]) -> list[Door]:
    return [d for s in stages for d in s.doors if d.sign_off is None]


@dataclass
class DoorGroup:
    """One component's one-way doors across the submitted stages: the same database reviewed
    at Launch, Growth, Scale and Beyond is one decision for the architect, signed off at once."""

    component_id: str
    label: str
    kind: str
    doors: list[Door] = field(default_factory=list)

    @property
    def unsigned(self) -> list[Door]:
        return [d for d in self.doors if d.sign_off is None]

    @property
    def signed(self) -> list[Door]:
        return [d for d in self.doors if d.sign_off is not None]


def door_groups(stages: list[SubmittedStage]) -> list[DoorGroup]:
    """The doors grouped by component, in the order they first appear."""
    groups: dict[str, DoorGroup] = {}
    for s in stages:
        for d in s.doors:
            group = groups.setdefault(
                d.component.id, DoorGroup(d.component.id, d.component.label, d.component.kind)
            )
            group.doors.append(d)
    return list(groups.values())


def may_decide(access: JourneyAccess, submission: Submission | None) -> bool:
    """Architects review; with REVIEW_FORBID_SELF_APPROVAL on (the default) not their own
    team's journeys, nor a submission they made themselves."""
    if not access.is_architect:
        return False
    if not settings.REVIEW_FORBID_SELF_APPROVAL:
        return True
    own = submission is not None and submission.submitted_by_id == access.user.pk
    return not access.is_member and not own


def _require_decider(access: JourneyAccess, submission: Submission) -> None:
    if not access.is_architect:
        raise PermissionDenied("Only architects review journeys.")
    if not may_decide(access, submission):
        raise ValidationError(
            "You are in this journey's team (or submitted it): another architect reviews it."
        )


def _lock(journey: Journey, submission: Submission) -> Journey:
    """The journey, locked so that sign-offs, decisions and submissions take turns, and the
    submission read against its current status."""
    locked = Journey.objects.select_for_update().select_related("team").get(pk=journey.pk)
    submission.journey = locked
    return locked


def sign_off(
    access: JourneyAccess,
    submission: Submission,
    stage: str,
    component_id: str,
    *,
    note: str = "",
    withdraw: bool = False,
) -> SignOff | None:
    """Sign off (or withdraw the sign-off of) one one-way door of the submission."""
    _require_decider(access, submission)
    user = access.user
    with transaction.atomic():
        locked = _lock(access.journey, submission)
        if not submission.is_open:
            raise ValidationError(NOT_OPEN)
        entry = (
            SubmittedMilestone.objects.filter(submission=submission, stage=stage)
            .select_related("milestone")
            .first()
        )
        component = milestone_state(entry.milestone).component(component_id) if entry else None
        if entry is None or component is None or component.door != "one_way":
            raise ValidationError("That is not a one-way door of this submission.")
        existing = SignOff.objects.filter(milestone=entry.milestone, component=component_id)
        if withdraw:
            if existing.delete()[0]:
                title, detail = _door(submission, stage, entry.milestone, component)
                said = f"Withdrew the sign-off of {title}"
                record(locked, user, "sign_off_withdrawn", said, **detail)
            return None
        found = existing.first()
        if found is not None:
            return found
        return _sign(locked, user, submission, stage, entry.milestone, component, note)


def _door(
    submission: Submission, stage: str, milestone: Milestone, component: engine.Component
) -> tuple[str, dict[str, Any]]:
    """A door as the history names it: its title, and the details recorded with it."""
    title = f"{short_title(stage)} · {component.label}"
    detail = {
        "submission": submission.number,
        "stage": stage,
        "component": component.id,
        "milestone": milestone.number,
    }
    return title, detail


def _sign(
    locked: Journey,
    user: User,
    submission: Submission,
    stage: str,
    milestone: Milestone,
    component: engine.Component,
    note: str,
) -> SignOff:
    """Sign off one door and say so in the history (the caller holds the journey's lock)."""
    signed = SignOff.objects.create(
        milestone=milestone,
        component=component.id,
        label=component.label[:200],
        note=note,
        architect=user,
        submission=submission,
    )
    title, detail = _door(submission, stage, milestone, component)
    record(locked, user, "signed_off", f"Signed off the one-way door {title}", **detail)
    return signed


def sign_off_many(
    access: JourneyAccess, submission: Submission, components: set[str] | None, note: str = ""
) -> int:
    """Sign off, in one action, every unsigned one-way door of the given components in every
    submitted stage (`None`: every door of the submission). Returns how many were signed;
    ValidationError when nothing is picked or a component is not a door of the submission."""
    _require_decider(access, submission)
    if components is not None and not components:
        raise ValidationError("Tick the doors to sign off, or press “Sign off all”.")
    user = access.user
    with transaction.atomic():
        locked = _lock(access.journey, submission)
        if not submission.is_open:
            raise ValidationError(NOT_OPEN)
        stages = submitted_stages(submission)
        known = {d.component.id for s in stages for d in s.doors}
        unknown = (components or set()) - known
        if unknown:
            raise ValidationError("That is not a one-way door of this submission.")
        signed = 0
        for door in missing_sign_offs(stages):
            if components is not None and door.component.id not in components:
                continue
            _sign(locked, user, submission, door.stage.slug, door.milestone, door.component, note)
            signed += 1
    return signed


def decide(access: JourneyAccess, submission: Submission, action: str, summary: str) -> Decision:
    """Approve the submission or request changes, with a summary for the team. Approving needs
    every one-way door signed off (ValidationError on `outcome` naming the missing ones)."""
    _require_decider(access, submission)
    user = access.user
    with transaction.atomic():
        locked = _lock(access.journey, submission)
        before = locked.status
        after = flow.next_status(before, action)
        if not submission.is_open:
            raise ValidationError(NOT_OPEN)
        if action == flow.APPROVE:
            missing = missing_sign_offs(submitted_stages(submission))
            if missing:
                names = "; ".join(
                    f"{short_title(d.stage.slug)} · {d.component.label}" for d in missing
                )
                message = f"Sign off every one-way door before approving. Missing: {names}."
                raise ValidationError({"outcome": message})
        decision = Decision.objects.create(
            submission=submission, outcome=after, summary=summary, architect=user
        )
        now = timezone.now()
        Journey.objects.filter(pk=locked.pk).update(status=after, updated=now)
        access.journey.status, access.journey.updated = after, now
        verb = "Approved" if action == flow.APPROVE else "Requested changes to"
        record(
            locked,
            user,
            "decided",
            f"{verb} submission {submission.number}: {summary}",
            submission=submission.number,
            outcome=after,
            status=[before, after],
        )
        team_and_submitter = Q(memberships__team=locked.team_id) | Q(pk=submission.submitted_by_id)
        notify(
            locked,
            User.objects.filter(team_and_submitter, is_active=True).exclude(pk=user.pk).distinct(),
            Notification.DECIDED,
            f"{user.get_username()} {verb.lower()} “{locked.name}” "
            f"(submission {submission.number})",
            locked.get_absolute_url(),
        )
    return decision
