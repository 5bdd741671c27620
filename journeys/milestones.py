"""Saving milestones: freeze a stage's state, its answers and the catalogue version."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from journeys import catalog, effective, engine
from journeys.architecture import JourneyAnswers, stage_state
from journeys.models import Journey, Milestone


def answers_snapshot(answers: JourneyAnswers, stage: str) -> dict[str, dict[str, Any]]:
    """A stage's effective answers, frozen in a stable order: its own as the exchange format
    writes them; those carried forward with the stage they came from ("from"); a default
    derived from another stage with how ("derived"). Plain defaults are left out: absent
    means the stage default, as in milestones saved before answers carried forward."""
    own = answers.own(stage)
    resolved = answers.stage(stage)
    snapshot: dict[str, dict[str, Any]] = {}
    for qid in sorted({*own, *resolved}):
        answer, eff = own.get(qid), resolved.get(qid)
        entry: dict[str, Any]
        if answer is not None and (eff is None or eff.kind == effective.ANSWERED):
            entry = {"value": answer.value}
            if answer.note:
                entry["note"] = answer.note
            if answer.not_applicable:
                entry["not_applicable"] = answer.not_applicable
        elif eff is not None and eff.kind == effective.INHERITED:
            entry = {"value": eff.value, "from": eff.origin}
        elif eff is not None and eff.basis:
            entry = {"value": eff.value, "derived": eff.basis}
        else:
            continue
        snapshot[qid] = entry
    return snapshot


def content_hash(state_hash: str, answers: dict[str, Any], version: str) -> str:
    text = json.dumps([state_hash, answers, version], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def save_milestone(
    journey: Journey, stage: str, note: str, author: Any, answers: JourneyAnswers | None = None
) -> tuple[Milestone, bool]:
    """Freeze the stage as it is now. Returns the milestone and whether it is new: when
    nothing changed since the latest one, that one is returned instead of a duplicate.
    `answers`: the journey's, read by a caller that holds its lock (one read for many stages)."""
    with transaction.atomic():
        # Lock the journey so two saves at once cannot take the same number.
        journey = Journey.objects.select_for_update().get(pk=journey.pk)
        answers = answers if answers is not None else JourneyAnswers.of(journey)
        state = stage_state(journey, stage, answers)
        snapshot = answers_snapshot(answers, stage)
        version = catalog.get().version
        digest = content_hash(state.hash, snapshot, version)
        latest = Milestone.objects.latest_for(journey, stage)
        if latest is not None and latest.content_hash == digest:
            return latest, False
        milestone = Milestone.objects.create(
            journey=journey,
            stage=stage,
            number=(latest.number + 1) if latest else 1,
            note=note.strip()[:500],
            state=state.to_dict(),
            answers=snapshot,
            overrides=journey.overrides.get(stage, {}),
            assumptions=journey.assumptions,
            region=journey.region,
            dr_region=journey.dr_region,
            catalogue_version=version,
            state_hash=state.hash,
            content_hash=digest,
            author=author,
        )
    return milestone, True


def milestone_state(milestone: Milestone) -> engine.ArchitectureState:
    return engine.ArchitectureState.from_dict(milestone.state)


def in_stage_order(
    milestones: Mapping[str, Milestone],
) -> list[tuple[catalog.Stage, Milestone, engine.ArchitectureState]]:
    """One milestone a stage (keyed by stage slug), in the questionnaire's order, each with its
    frozen state: what a submission and a share link show."""
    return [
        (stage, milestones[stage.slug], milestone_state(milestones[stage.slug]))
        for stage in catalog.get().stages
        if stage.slug in milestones
    ]
