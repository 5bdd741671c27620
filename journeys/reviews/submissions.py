"""Submitting a journey for review: exactly one milestone per stage, picked by the team."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from journeys import architecture, catalog
from journeys.access import ARCHITECTS_GROUP
from journeys.milestones import save_milestone
from journeys.models import Journey, Milestone, Notification, Submission, SubmittedMilestone, record
from journeys.reviews import flow
from journeys.reviews.notifications import notify
from journeys.vocabulary import STAGES, short_title

LATEST, SUBMISSION = "latest", "submission"


@dataclass
class StageChoice:
    """One line of the submit (or share) form: a stage, its milestones and the one picked."""

    stage: catalog.Stage
    milestones: list[Milestone]
    chosen: Milestone | None = None
    error: str = ""
    stale: bool = False


def milestones_by_stage(journey: Journey) -> dict[str, list[Milestone]]:
    """The journey's milestones, newest first per stage, without their (large) JSON."""
    grouped: dict[str, list[Milestone]] = {slug: [] for slug in STAGES}
    milestones = (
        Milestone.objects.filter(journey=journey)
        .defer("state", "answers", "overrides", "assumptions")
        .select_related("author")
        .order_by("stage", "-number")
    )
    for m in milestones:
        grouped.setdefault(m.stage, []).append(m)
    return grouped


def latest_submission(journey: Journey) -> Submission | None:
    return (
        Submission.objects.filter(journey=journey, latest=True)
        .select_related("submitted_by", "decision", "decision__architect")
        .first()
    )


def _default_ids(
    journey: Journey, grouped: dict[str, list[Milestone]], defaults: str
) -> dict[str, int]:
    """{stage: milestone id}: each stage's newest milestone, or (for share links) the latest
    submission's milestones when there is one."""
    if defaults == SUBMISSION:
        submission = latest_submission(journey)
        if submission is not None:
            return {e.stage: e.milestone_id for e in submission.entries.all()}
    return {stage: found[0].pk for stage, found in grouped.items() if found}


def stage_choices(
    journey: Journey,
    picked: Mapping[str, str] | None = None,
    *,
    defaults: str = LATEST,
    check_stale: bool = False,
) -> list[StageChoice]:
    """One `StageChoice` per stage. `picked` holds the numbers a form sent ({stage: "3"}; ""
    picks none); a stage it does not name gets its default (see `_default_ids`). `check_stale`
    compares each pick with the stage's current answers, so the form can say "save a new
    milestone"."""
    grouped = milestones_by_stage(journey)
    default_ids = _default_ids(journey, grouped, defaults)
    live = architecture.all_states(journey) if check_stale else {}
    choices = []
    for stage in catalog.get().stages:
        milestones = grouped.get(stage.slug, [])
        choice = StageChoice(stage=stage, milestones=milestones)
        if picked is not None and stage.slug in picked:
            wanted = picked[stage.slug].strip()
            choice.chosen = next((m for m in milestones if str(m.number) == wanted), None)
            if choice.chosen is None and wanted and milestones:
                choice.error = "Pick one of this stage's milestones."
        else:
            wanted_id = default_ids.get(stage.slug)
            choice.chosen = next((m for m in milestones if m.pk == wanted_id), None)
        if not milestones:
            choice.error = f"{short_title(stage.slug)} has no milestone yet: save one to submit it."
        if check_stale and choice.chosen is not None:
            choice.stale = choice.chosen.state_hash != live[stage.slug].hash
        choices.append(choice)
    return choices


def milestone_summary(entries: Iterable[tuple[str, int]]) -> str:
    return ", ".join(f"{short_title(stage)} #{number}" for stage, number in entries)


def submit(
    journey: Journey,
    user: User,
    picked: Mapping[str, Milestone] | None = None,
    note: str = "",
) -> Submission:
    """Send the journey for review with a milestone of every stage: the picked one, else the
    stage's newest. ValidationError when the status does not allow it, or (by stage) when a
    stage has no milestone."""
    picked = picked or {}
    with transaction.atomic():
        # The lock makes two submissions (or a submission and a decision) take turns.
        locked = Journey.objects.select_for_update().select_related("team").get(pk=journey.pk)
        before = locked.status
        after = flow.next_status(before, flow.SUBMIT)
        grouped = milestones_by_stage(locked)
        chosen: dict[str, Milestone] = {}
        errors: dict[str, str] = {}
        for slug in STAGES:
            found = picked.get(slug) or next(iter(grouped[slug]), None)
            if found is None or found.journey_id != locked.pk or found.stage != slug:
                errors[slug] = f"{short_title(slug)} has no milestone yet: save one to submit it."
            else:
                chosen[slug] = found
        if errors:
            raise ValidationError(errors)
        previous = Submission.objects.filter(journey=locked, latest=True).first()
        previous_ids = (
            dict(previous.entries.values_list("stage", "milestone_id")) if previous else {}
        )
        changed = [s for s in STAGES if previous_ids.get(s) != chosen[s].pk]
        Submission.objects.filter(journey=locked, latest=True).update(latest=False)
        submission = Submission.objects.create(
            journey=locked,
            number=(previous.number + 1) if previous else 1,
            note=note,
            submitted_by=user,
            changed_stages=",".join(changed),
        )
        SubmittedMilestone.objects.bulk_create(
            SubmittedMilestone(submission=submission, milestone=m, stage=stage)
            for stage, m in chosen.items()
        )
        now = timezone.now()
        Journey.objects.filter(pk=locked.pk).update(status=after, updated=now)
        journey.status, journey.updated = after, now
        numbers = {stage: m.number for stage, m in chosen.items()}
        record(
            locked,
            user,
            "submitted",
            f"Submitted for review (submission {submission.number}): "
            + milestone_summary(numbers.items()),
            submission=submission.number,
            milestones=numbers,
            status=[before, after],
        )
        architects = User.objects.filter(groups__name=ARCHITECTS_GROUP, is_active=True)
        notify(
            locked,
            architects.exclude(pk=user.pk),
            Notification.SUBMITTED,
            f"{locked.team.name} submitted “{locked.name}” for review",
            submission.get_absolute_url(),
        )
    return submission


def save_and_submit(journey: Journey, user: User, note: str = "") -> Submission:
    """One action for the team: freeze every stage as it is now (a stage that did not change
    keeps its latest milestone) and submit those milestones."""
    with transaction.atomic():
        flow.next_status(journey.status, flow.SUBMIT)  # refused before anything is saved
        # The journey locked once and its answers read once, for the four stages.
        locked = Journey.objects.select_for_update().get(pk=journey.pk)
        answers = architecture.JourneyAnswers.of(locked)
        picked = {
            slug: save_milestone(locked, slug, "For review", user, answers)[0] for slug in STAGES
        }
        return submit(journey, user, picked, note)
