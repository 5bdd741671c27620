"""Architect review: submitting exact milestones, the review queue, comments, one-way-door
sign-offs, decisions, stakeholder share links and notifications.

Plain functions over the models; the views only parse the request and pick a template. Every
action is recorded in the journey's history through `record`, and anything a person typed that
cannot be accepted raises `ReviewError` with a message written for them (the views show it next
to the field, with the input kept).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from journeys import architecture, catalog, engine, tasks
from journeys.access import is_architect
from journeys.demo import ARCHITECTS_GROUP
from journeys.milestones import milestone_state
from journeys.models import (
    Comment,
    CommentRevision,
    Decision,
    HistoryEntry,
    Journey,
    Membership,
    Milestone,
    Notification,
    ShareLink,
    SignOff,
    Submission,
    SubmittedMilestone,
    Team,
    record,
)

User = get_user_model()


class ReviewError(Exception):
    """Something the person asked for that cannot be done, said in words for them.

    `errors` maps a form field (or a stage) to its message when there is more than one.
    """

    def __init__(self, message: str, errors: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = dict(errors or {})


def plain_text(value: str) -> str:
    """What someone typed, trimmed, with Unix line ends and without NUL characters (which
    PostgreSQL refuses to store: a stray one must not become a server error)."""
    return value.replace("\x00", "").replace("\r\n", "\n").strip()


# --- The status flow ---------------------------------------------------------------------------

DRAFT, IN_REVIEW, APPROVED, CHANGES_REQUESTED = (
    Journey.DRAFT,
    Journey.IN_REVIEW,
    Journey.APPROVED,
    Journey.CHANGES_REQUESTED,
)
SUBMIT, APPROVE, REQUEST_CHANGES, EDIT = "submit", "approve", "request_changes", "edit"
ACTIONS = (SUBMIT, APPROVE, REQUEST_CHANGES, EDIT)

# (status, action) -> the status after it. Editing is `Journey.reopen_after_edit`; it is listed
# here so that the whole flow reads in one place and the tests check both agree.
TRANSITIONS: dict[tuple[str, str], str] = {
    (DRAFT, SUBMIT): IN_REVIEW,
    (CHANGES_REQUESTED, SUBMIT): IN_REVIEW,
    (IN_REVIEW, APPROVE): APPROVED,
    (IN_REVIEW, REQUEST_CHANGES): CHANGES_REQUESTED,
    (IN_REVIEW, EDIT): DRAFT,
    (APPROVED, EDIT): DRAFT,
    (CHANGES_REQUESTED, EDIT): DRAFT,
}
REFUSALS: dict[str, dict[str, str]] = {
    SUBMIT: {
        IN_REVIEW: "This journey is already in review: wait for the architect's decision.",
        APPROVED: "This journey is approved as submitted. Change it to submit a new version.",
    },
    APPROVE: {
        DRAFT: "There is nothing to decide: the journey is not in review.",
        APPROVED: "This submission is decided already.",
        CHANGES_REQUESTED: "This submission is decided already.",
    },
    EDIT: {DRAFT: "A draft stays a draft when it is edited."},
}
REFUSALS[REQUEST_CHANGES] = REFUSALS[APPROVE]


def next_status(status: str, action: str) -> str:
    """The status after `action`, or ReviewError saying why it is not possible now."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise ReviewError(REFUSALS.get(action, {}).get(status, "Not possible now.")) from None


def may_submit(journey: Journey) -> bool:
    return (journey.status, SUBMIT) in TRANSITIONS


def self_approval_forbidden() -> bool:
    return bool(getattr(settings, "REVIEW_FORBID_SELF_APPROVAL", True))


def may_decide(user: Any, journey: Journey, submission: Submission | None) -> bool:
    """Architects review; with the setting on (the default) not their own team's journeys,
    nor a submission they made themselves."""
    if not is_architect(user):
        return False
    if not self_approval_forbidden():
        return True
    # A journey fetched for this user already knows; any other is asked about.
    member = getattr(journey, "is_member", None) if _fetched_for(journey, user) else None
    if member is None:
        member = Membership.objects.filter(team=journey.team_id, user=user).exists()
    own = submission is not None and submission.submitted_by_id == user.pk
    return not member and not own


def _fetched_for(journey: Journey, user: Any) -> bool:
    return getattr(journey, "fetched_for", None) == user.pk


def _require_decider(user: Any, journey: Journey, submission: Submission) -> None:
    if not is_architect(user):
        raise PermissionDenied("Only architects review journeys.")
    if not may_decide(user, journey, submission):
        raise ReviewError(
            "You are in this journey's team (or submitted it): another architect reviews it."
        )


# --- Submitting ---------------------------------------------------------------------------------


@dataclass
class StageChoice:
    """One line of the submit (or share) form: a stage, its milestones and the one picked."""

    stage: catalog.Stage
    milestones: list[Milestone]
    chosen: Milestone | None = None
    error: str = ""
    stale: bool = False


def _milestones_by_stage(journey: Journey) -> dict[str, list[Milestone]]:
    """The journey's milestones, newest first per stage, without their (large) JSON."""
    grouped: dict[str, list[Milestone]] = {slug: [] for slug in catalog.STAGE_SLUGS}
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


def default_milestones(journey: Journey, grouped: dict[str, list[Milestone]]) -> dict[str, int]:
    """{stage: milestone id}: the latest submission's milestones, else each stage's newest."""
    submission = Submission.objects.filter(journey=journey, latest=True).first()
    if submission is not None:
        return {e.stage: e.milestone_id for e in submission.entries.all()}
    return {stage: found[0].pk for stage, found in grouped.items() if found}


def stage_choices(
    journey: Journey,
    picked: Mapping[str, str] | None = None,
    *,
    defaults: str = "latest",
    check_stale: bool = False,
) -> list[StageChoice]:
    """One `StageChoice` per stage. `picked` holds the numbers a form sent ({stage: "3"});
    without it each stage gets its default: the newest milestone ("latest"), or the latest
    submission's milestone ("submission", for share links). `check_stale` compares each
    default with the stage's current answers, so the form can say "save a new milestone"."""
    grouped = _milestones_by_stage(journey)
    if defaults == "submission":
        default_ids = default_milestones(journey, grouped)
    else:
        default_ids = {stage: found[0].pk for stage, found in grouped.items() if found}
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
            choice.chosen = next(
                (m for m in milestones if m.pk == default_ids.get(stage.slug)), None
            )
        if not milestones:
            choice.error = f"{short_title(stage.slug)} has no milestone yet: save one to submit it."
        if check_stale and choice.chosen is not None:
            choice.stale = choice.chosen.state_hash != live[stage.slug].hash
        choices.append(choice)
    return choices


def picked_milestones(data: Mapping[str, str]) -> dict[str, str]:
    """The milestone numbers a form sent, as {stage: number}; a stage the form did not send
    keeps its default."""
    return {slug: data[f"stage-{slug}"] for slug in catalog.STAGE_SLUGS if f"stage-{slug}" in data}


def _milestone_summary(entries: Iterable[tuple[str, int]]) -> str:
    return ", ".join(f"{short_title(stage)} #{number}" for stage, number in entries)


def submit(journey: Journey, user: Any, picked: Mapping[str, str], note: str) -> Submission:
    """Send the journey for review with the picked milestone of every stage.

    Raises ReviewError when the status does not allow it or a stage has no milestone (then
    `errors` says which stage, for the form).
    """
    note = plain_text(note)
    if len(note) > 2000:
        raise ReviewError(
            "Keep the note under 2,000 characters.", {"note": "At most 2,000 characters."}
        )
    with transaction.atomic():
        # The lock makes two submissions (or a submission and a decision) take turns.
        locked = Journey.objects.select_for_update().get(pk=journey.pk)
        before = locked.status
        after = next_status(before, SUBMIT)
        choices = stage_choices(locked, picked)
        errors = {c.stage.slug: c.error for c in choices if c.error or c.chosen is None}
        errors = {stage: message or "Pick a milestone." for stage, message in errors.items()}
        if errors:
            raise ReviewError(
                "Every stage needs a milestone before the journey is submitted.", errors
            )
        previous = Submission.objects.filter(journey=locked, latest=True).first()
        previous_ids = (
            dict(previous.entries.values_list("stage", "milestone_id")) if previous else {}
        )
        chosen = {c.stage.slug: c.chosen for c in choices if c.chosen is not None}
        changed = [s for s in catalog.STAGE_SLUGS if previous_ids.get(s) != chosen[s].pk]
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
            + _milestone_summary(numbers.items()),
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
            reverse("reviews:review", args=[locked.pk]),
        )
    return submission


# --- The review queue ----------------------------------------------------------------------------

QUEUE_PAGE_SIZE = 20
ALL = "all"
QUEUE_STATUSES = [
    (IN_REVIEW, "Waiting for review"),
    (CHANGES_REQUESTED, "Changes requested"),
    (APPROVED, "Approved"),
    (DRAFT, "Back to draft"),
    (ALL, "Any status"),
]
WAITING_CHOICES = [
    ("", "Any time"),
    ("1", "Over a day"),
    ("3", "Over 3 days"),
    ("7", "Over a week"),
]


@dataclass
class QueueFilters:
    status: str = IN_REVIEW
    team: str = ""
    stage: str = ""
    waiting: str = ""
    query: str = ""
    page: str = "1"

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> QueueFilters:
        """Unknown values fall back to the default: a hand-edited URL shows a page, not an error."""
        status = params.get("status", IN_REVIEW)
        stage = params.get("stage", "")
        waiting = params.get("waiting", "")
        return cls(
            status=status if status in dict(QUEUE_STATUSES) else IN_REVIEW,
            team=params.get("team", "")[:100],
            stage=stage if stage in catalog.STAGE_SLUGS else "",
            waiting=waiting if waiting in dict(WAITING_CHOICES) else "",
            query=params.get("q", "").strip()[:100],
            page=params.get("page", "1"),
        )

    @property
    def any_set(self) -> bool:
        return bool(self.team or self.stage or self.waiting or self.query)


def queue(filters: QueueFilters) -> dict[str, Any]:
    """The latest submission of every journey that is or was in review: filtered, one page,
    and the number of journeys per status."""
    base = Submission.objects.filter(latest=True, journey__archived__isnull=True)
    counts = base.aggregate(
        all=Count("pk"),
        **{s: Count("pk", filter=Q(journey__status=s)) for s, _ in Journey.STATUS_CHOICES},
    )
    rows = base.select_related("journey__team", "submitted_by", "decision")
    if filters.status != ALL:
        rows = rows.filter(journey__status=filters.status)
    if filters.team:
        rows = rows.filter(journey__team__slug=filters.team)
    if filters.stage:
        rows = rows.filter(changed_stages__contains=filters.stage)
    if filters.waiting:
        rows = rows.filter(created__lte=timezone.now() - timedelta(days=int(filters.waiting)))
    if filters.query:
        rows = rows.filter(
            Q(journey__name__icontains=filters.query)
            | Q(journey__description__icontains=filters.query)
            | Q(journey__team__name__icontains=filters.query)
        )
    # What has waited longest comes first; decided journeys read newest first.
    order = ("created", "id") if filters.status == IN_REVIEW else ("-created", "-id")
    page = Paginator(rows.order_by(*order), QUEUE_PAGE_SIZE).get_page(filters.page)
    teams = Team.objects.filter(
        Exists(Submission.objects.filter(journey__team=OuterRef("pk"), latest=True))
    ).order_by("name")
    return {"page": page, "counts": counts, "teams": teams}


def waiting_count() -> int:
    """Journeys waiting for a decision, for the architects' link in the nav."""
    return Submission.objects.filter(
        latest=True, journey__status=IN_REVIEW, journey__archived__isnull=True
    ).count()


# --- The review page ---------------------------------------------------------------------------


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
    for stage in catalog.get().stages:
        milestone = entries.get(stage.slug)
        if milestone is None:
            continue
        state = milestone_state(milestone)
        doors = [
            Door(stage, milestone, c, sign_offs.get((milestone.pk, c.id)))
            for c in state.components
            if c.door == "one_way"
        ]
        stages.append(SubmittedStage(stage, milestone, state, doors))
    return stages


def missing_sign_offs(stages: list[SubmittedStage]) -> list[Door]:
    return [d for s in stages for d in s.doors if d.sign_off is None]


def is_decided(submission: Submission) -> bool:
    try:
        return submission.decision is not None
    except Decision.DoesNotExist:
        return False


def is_open(journey: Journey, submission: Submission) -> bool:
    """Open for sign-offs and a decision: the newest submission, undecided, and the journey
    still in review (a change after submitting makes it a draft until it is submitted again)."""
    return submission.latest and journey.status == IN_REVIEW and not is_decided(submission)


def submission_or_404(journey: Journey, number: int | str) -> Submission:
    found = (
        Submission.objects.filter(journey=journey, number=number)
        .select_related("submitted_by", "decision")
        .first()
        if str(number).isdigit()
        else None
    )
    if found is None:
        raise Http404("No such submission.")
    return found


def review_context(
    journey: Journey, user: Any, number: str | None, stage: str | None, next_url: str
) -> dict[str, Any]:
    """What the review page shows: the submissions, and one submission at one stage."""
    submissions = list(
        Submission.objects.filter(journey=journey)
        .select_related("submitted_by", "decision", "decision__architect")
        .order_by("-number")
    )
    context: dict[str, Any] = {
        "journey": journey,
        "submissions": submissions,
        "history": recent_history(journey),
        "journey_comments": comment_block(journey, user, "", None, next_url),
    }
    if not submissions:
        return context
    submission = next((s for s in submissions if str(s.number) == (number or "")), submissions[0])
    stages = submitted_stages(submission)
    open_threads = dict(
        Comment.objects.filter(journey=journey, parent=None, resolved__isnull=True)
        .exclude(stage="")
        .values("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    for s in stages:
        s.open_threads = open_threads.get(s.stage.slug, 0)
    current = next((s for s in stages if s.stage.slug == stage), stages[0] if stages else None)
    open_now = is_open(journey, submission)
    context.update(
        {
            "submission": submission,
            "stages": stages,
            "current": current,
            "missing": missing_sign_offs(stages),
            "doors_total": sum(len(s.doors) for s in stages),
            "is_open": open_now,
            "can_decide": open_now and may_decide(user, journey, submission),
            "outcomes": [(APPROVE, "Approve"), (REQUEST_CHANGES, "Request changes")],
        }
    )
    if current is not None:
        index = stages.index(current)
        previous = stages[index - 1] if index else None
        panel = architecture.panel(current.state, previous.state if previous else None)
        panel["previous_title"] = previous.stage.title if previous else None
        # At the top level: the shared `architecture.html#state` partial reads these names.
        context.update(panel)
        context["stage_comments"] = comment_block(
            journey, user, current.stage.slug, current.milestone, next_url
        )
        if previous is not None:
            context["compare_query"] = (
                f"a={previous.stage.slug}:{previous.milestone.number}"
                f"&b={current.stage.slug}:{current.milestone.number}"
            )
    return context


# --- Comparing any two milestones ----------------------------------------------------------------


def _milestone_key(m: Milestone) -> str:
    return f"{m.stage}:{m.number}"


def compare_context(journey: Journey, a: str, b: str) -> dict[str, Any]:
    """Two milestones side by side, of one stage or of two: components, parameters, findings,
    and (through the products include) diagrams and costs. Without a choice: the latest
    submission's first two stages, else the two newest milestones."""
    grouped = _milestones_by_stage(journey)
    options = [
        (_milestone_key(m), f"{short_title(slug)} · milestone {m.number}", m)
        for slug in catalog.STAGE_SLUGS
        for m in grouped.get(slug, [])
    ]
    by_key = {key: m for key, _, m in options}
    if a not in by_key or b not in by_key:
        submission = Submission.objects.filter(journey=journey, latest=True).first()
        entries = (
            list(submission.entries.select_related("milestone").order_by("milestone__created"))
            if submission
            else []
        )
        ordered = [
            e.milestone for e in sorted(entries, key=lambda e: catalog.STAGE_SLUGS.index(e.stage))
        ]
        if len(ordered) < 2:
            ordered = sorted(by_key.values(), key=lambda m: (m.created, m.pk))[-2:]
        if len(ordered) >= 2:
            a = a if a in by_key else _milestone_key(ordered[0])
            b = b if b in by_key else _milestone_key(ordered[1])
    context: dict[str, Any] = {"journey": journey, "options": options, "a": a, "b": b}
    if a not in by_key or b not in by_key:
        return context
    full = {m.pk: m for m in Milestone.objects.filter(pk__in=[by_key[a].pk, by_key[b].pk])}
    left_m, right_m = full[by_key[a].pk], full[by_key[b].pk]
    left = (a, f"{short_title(left_m.stage)} #{left_m.number}", milestone_state(left_m))
    right = (b, f"{short_title(right_m.stage)} #{right_m.number}", milestone_state(right_m))
    left_findings = {f.id: f for f in left[2].findings}
    right_findings = {f.id: f for f in right[2].findings}
    finding_ids = [*left_findings, *(i for i in right_findings if i not in left_findings)]
    context.update(
        {
            "left": left,
            "right": right,
            "left_milestone": left_m,
            "right_milestone": right_m,
            "diff": engine.diff(left[2], right[2]),
            "components": architecture.component_pairs(left, right),
            "findings": [(i, left_findings.get(i), right_findings.get(i)) for i in finding_ids],
        }
    )
    return context


# --- Comments ----------------------------------------------------------------------------------


def can_comment(journey: Journey, user: Any) -> bool:
    """The team's editors and the architects reviewing the journey; viewers read."""
    return bool(getattr(journey, "can_edit", False) or getattr(journey, "is_reviewer", False))


def short_title(slug: str) -> str:
    """ "Growth" rather than the catalogue's "Growth: 10,000+ customers", for messages."""
    return slug.capitalize()


def anchor_choices(stage: str, state: engine.ArchitectureState | None) -> list[tuple[str, str]]:
    """What a new thread can be about: the journey, or a stage and its components and findings."""
    if not stage:
        return [("journey", "The whole journey")]
    choices = [("stage", f"The {short_title(stage)} stage")]
    if state is not None:
        choices += [(f"component:{c.id}", f"Component: {c.label}") for c in state.components]
        choices += [(f"finding:{f.id}", f"Risk: {f.title}") for f in state.findings]
    return choices


def _scope_state(
    journey: Journey, stage: str, milestone: Milestone | None
) -> engine.ArchitectureState | None:
    if not stage:
        return None
    if milestone is not None:
        return milestone_state(milestone)
    return architecture.stage_with_previous(journey, stage)[0]


def threads(journey: Journey, stage: str) -> list[Comment]:
    """The threads of the journey (stage "") or of one stage, each with `.thread_replies`;
    open threads first. Two queries whatever the number of comments."""
    comments = list(
        Comment.objects.filter(journey=journey, stage=stage)
        .select_related("author", "resolved_by")
        .prefetch_related(
            Prefetch("revisions", queryset=CommentRevision.objects.order_by("-replaced"))
        )
        .order_by("created", "id")
    )
    roots = [c for c in comments if c.parent_id is None]
    replies: dict[int, list[Comment]] = {}
    for c in comments:
        if c.parent_id is not None:
            replies.setdefault(c.parent_id, []).append(c)
    for root in roots:
        root.thread_replies = replies.get(root.pk, [])
    return sorted(roots, key=lambda c: c.resolved is not None)


def comment_block(
    journey: Journey,
    user: Any,
    stage: str,
    milestone: Milestone | None,
    next_url: str,
    *,
    error: ReviewError | None = None,
    submitted: Mapping[str, str] | None = None,
    compact: bool = False,
) -> dict[str, Any]:
    """The context of one block of threads (the journey's, or a stage's) with its forms.
    `error` and `submitted` bring a refused comment back, with its text kept, in the form it was
    typed in: a reply (`parent`), an edit (`comment`) or a new thread."""
    found = threads(journey, stage)
    allowed = can_comment(journey, user)
    submitted = dict(submitted or {})
    failed_parent = failed_edit = None
    failed_new = False
    if error is not None:
        if submitted.get("comment", "").isdigit():
            failed_edit = int(submitted["comment"])
        elif submitted.get("parent", "").isdigit():
            failed_parent = int(submitted["parent"])
        else:
            failed_new = True
    open_count = sum(1 for t in found if t.resolved is None)
    return {
        "journey": journey,
        "scope": stage,
        "scope_id": stage or "journey",
        "scope_title": short_title(stage) if stage else "",
        "milestone": milestone,
        "threads": found,
        "open_count": open_count,
        "resolved_count": len(found) - open_count,
        "anchors": anchor_choices(stage, _scope_state(journey, stage, milestone))
        if allowed
        else [],
        "can_comment": allowed,
        "user_id": user.pk,
        "next_url": next_url,
        "errors": error.errors if error is not None else {},
        "submitted": submitted,
        "failed_new": failed_new,
        "failed_parent": failed_parent,
        "failed_edit": failed_edit,
        "compact": compact,
    }


def _clean_body(body: str) -> str:
    body = plain_text(body)
    if not body:
        raise ReviewError("Write something first.", {"body": "Write something first."})
    if len(body) > Comment.MAX_LENGTH:
        message = f"Keep it under {Comment.MAX_LENGTH:,} characters (this is {len(body):,})."
        raise ReviewError(message, {"body": message})
    return body


def _scope_milestone(journey: Journey, stage: str, milestone_id: str) -> Milestone | None:
    if not stage or not milestone_id.isdigit():
        return None
    return Milestone.objects.filter(pk=milestone_id, journey=journey, stage=stage).first()


def scope_from_post(journey: Journey, data: Mapping[str, str]) -> tuple[str, Milestone | None]:
    """The block a comment form belongs to, from its hidden fields; unknown stages are the
    journey's own block."""
    stage = data.get("scope", "")
    stage = stage if stage in catalog.STAGE_SLUGS else ""
    return stage, _scope_milestone(journey, stage, data.get("scope_milestone", ""))


def add_comment(journey: Journey, user: Any, data: Mapping[str, str]) -> Comment:
    """A new thread (anchored by `anchor` in the form's scope) or a reply (`parent`)."""
    if not can_comment(journey, user):
        raise PermissionDenied("Viewers read the review; editors and architects comment.")
    body = _clean_body(data.get("body", ""))
    stage, milestone = scope_from_post(journey, data)
    parent_id = data.get("parent", "")
    if parent_id:
        parent = Comment.objects.filter(pk=parent_id if parent_id.isdigit() else 0).first()
        if parent is None or parent.journey_id != journey.pk:
            raise Http404("No such comment.")
        root = parent if parent.parent_id is None else Comment.objects.get(pk=parent.parent_id)
        anchor = {
            "stage": root.stage,
            "kind": root.kind,
            "target": root.target,
            "target_label": root.target_label,
            "milestone": root.milestone,
        }
    else:
        root = None
        anchor = _anchor(journey, stage, milestone, data.get("anchor", ""))
    comment = Comment.objects.create(
        journey=journey,
        parent=root,
        author=user,
        body=body,
        submission=Submission.objects.filter(journey=journey, latest=True).first(),
        **anchor,
    )
    what = "Replied" if root else "Commented"
    record(
        journey,
        user,
        "comment_added",
        f"{what} on {comment.anchor_text}",
        comment=comment.pk,
        stage=comment.stage,
        kind=comment.kind,
        target=comment.target,
        reply=root is not None,
    )
    _notify_comment(journey, user, comment, root)
    return comment


def _anchor(
    journey: Journey, stage: str, milestone: Milestone | None, value: str
) -> dict[str, Any]:
    refused = ReviewError(
        "Pick what the comment is about from the list.", {"anchor": "Pick one from the list."}
    )
    if value == "journey" or not stage:
        if value not in ("journey", ""):
            raise refused
        return {"stage": "", "kind": Comment.JOURNEY, "target": "", "target_label": ""}
    base = {"stage": stage, "milestone": milestone}
    if value in ("stage", ""):
        return {**base, "kind": Comment.STAGE, "target": "", "target_label": ""}
    kind, _, target = value.partition(":")
    state = _scope_state(journey, stage, milestone)
    assert state is not None
    if kind == Comment.COMPONENT:
        component = state.component(target)
        if component is not None:
            return {**base, "kind": kind, "target": target, "target_label": component.label}
    if kind == Comment.FINDING:
        finding = next((f for f in state.findings if f.id == target), None)
        if finding is not None:
            return {**base, "kind": kind, "target": target, "target_label": finding.title[:200]}
    raise refused


def comment_or_404(journey: Journey, comment_id: int) -> Comment:
    found = Comment.objects.filter(pk=comment_id, journey=journey).select_related("author").first()
    if found is None:
        raise Http404("No such comment.")
    return found


def edit_comment(journey: Journey, user: Any, comment: Comment, body: str) -> bool:
    """Change one's own comment; the previous text is kept as a revision. False when the text
    did not change."""
    if comment.author_id != user.pk:
        raise PermissionDenied("Only the author edits a comment.")
    body = _clean_body(body)
    if body == comment.body:
        return False
    now = timezone.now()
    with transaction.atomic():
        CommentRevision.objects.create(
            comment=comment, body=comment.body, written=comment.edited or comment.created
        )
        comment.body, comment.edited = body, now
        comment.save(update_fields=["body", "edited"])
        record(
            journey,
            user,
            "comment_edited",
            f"Edited a comment on {comment.anchor_text}",
            comment=comment.pk,
        )
    return True


def set_resolved(journey: Journey, user: Any, comment: Comment, resolved: bool) -> bool:
    """Resolve or reopen a thread (a reply stands for its thread). False when nothing changed."""
    if not can_comment(journey, user):
        raise PermissionDenied("Viewers read the review; editors and architects resolve threads.")
    root = comment if comment.parent_id is None else Comment.objects.get(pk=comment.parent_id)
    if (root.resolved is not None) == resolved:
        return False
    root.resolved = timezone.now() if resolved else None
    root.resolved_by = user if resolved else None
    root.save(update_fields=["resolved", "resolved_by"])
    action = "comment_resolved" if resolved else "comment_reopened"
    verb = "Resolved" if resolved else "Reopened"
    record(journey, user, action, f"{verb} the thread on {root.anchor_text}", comment=root.pk)
    return True


def _notify_comment(journey: Journey, author: Any, comment: Comment, root: Comment | None) -> None:
    """An architect's comment goes to the team; a team member's to the architects who took part
    in the review; a reply also goes to everyone in its thread."""
    team = User.objects.filter(memberships__team=journey.team_id, is_active=True)
    is_member = team.filter(pk=author.pk).exists()
    recipients: set[int] = set()
    if is_member:
        reviewers = User.objects.filter(groups__name=ARCHITECTS_GROUP, is_active=True).filter(
            Q(pk__in=Comment.objects.filter(journey=journey).values("author"))
            | Q(pk__in=Decision.objects.filter(submission__journey=journey).values("architect"))
        )
        recipients |= set(reviewers.values_list("pk", flat=True))
    else:
        recipients |= set(team.values_list("pk", flat=True))
    if root is not None:
        thread = Comment.objects.filter(Q(pk=root.pk) | Q(parent=root)).values_list(
            "author", flat=True
        )
        recipients |= {pk for pk in thread if pk is not None}
    recipients.discard(author.pk)
    where = f"{journey.name}" + (f" · {short_title(comment.stage)}" if comment.stage else "")
    notify(
        journey,
        User.objects.filter(pk__in=recipients, is_active=True),
        Notification.COMMENTED,
        f"{author.username} commented on {comment.anchor_text} ({where})",
        comment_url(journey, comment, member=True),
        architect_url=comment_url(journey, comment, member=False),
    )


def comment_url(journey: Journey, comment: Comment, *, member: bool) -> str:
    """Where a comment is read: the team on the stage (or journey) page, architects on the
    review page."""
    if member:
        if comment.stage:
            base = reverse("journeys:stage", args=[journey.pk, comment.stage])
        else:
            base = reverse("journeys:detail", args=[journey.pk])
    else:
        base = reverse("reviews:review", args=[journey.pk])
        if comment.stage:
            base += f"?stage={comment.stage}"
    return f"{base}#comment-{comment.pk}"


# --- Sign-offs and decisions -------------------------------------------------------------------


def sign_off(
    journey: Journey,
    user: Any,
    number: int | str,
    stage: str,
    component_id: str,
    *,
    note: str = "",
    withdraw: bool = False,
) -> SignOff | None:
    """Sign off (or withdraw the sign-off of) one one-way door of the submission."""
    submission = submission_or_404(journey, number)
    _require_decider(user, journey, submission)
    with transaction.atomic():
        locked = Journey.objects.select_for_update().get(pk=journey.pk)
        if not is_open(locked, submission):
            raise ReviewError("This submission is not open for review any more.")
        entry = (
            SubmittedMilestone.objects.filter(submission=submission, stage=stage)
            .select_related("milestone")
            .first()
        )
        component = milestone_state(entry.milestone).component(component_id) if entry else None
        if entry is None or component is None or component.door != "one_way":
            raise ReviewError("That is not a one-way door of this submission.")
        title = f"{short_title(stage)} · {component.label}"
        existing = SignOff.objects.filter(milestone=entry.milestone, component=component_id)
        if withdraw:
            if existing.delete()[0]:
                record(
                    locked,
                    user,
                    "sign_off_withdrawn",
                    f"Withdrew the sign-off of {title}",
                    submission=submission.number,
                    stage=stage,
                    component=component_id,
                    milestone=entry.milestone.number,
                )
            return None
        found = existing.first()
        if found is not None:
            return found
        signed = SignOff.objects.create(
            milestone=entry.milestone,
            component=component_id,
            label=component.label[:200],
            note=plain_text(note)[:500],
            architect=user,
            submission=submission,
        )
        record(
            locked,
            user,
            "signed_off",
            f"Signed off the one-way door {title}",
            submission=submission.number,
            stage=stage,
            component=component_id,
            milestone=entry.milestone.number,
        )
    return signed


DECISION_ACTIONS = {APPROVE: APPROVED, REQUEST_CHANGES: CHANGES_REQUESTED}


def decide(journey: Journey, user: Any, number: int | str, action: str, summary: str) -> Decision:
    """Approve the submission or request changes, with a summary for the team."""
    submission = submission_or_404(journey, number)
    _require_decider(user, journey, submission)
    if action not in DECISION_ACTIONS:
        raise ReviewError(
            "Pick approve or request changes.", {"outcome": "Pick approve or request changes."}
        )
    summary = plain_text(summary)
    if not summary:
        message = "Write a summary: the team reads it first."
        raise ReviewError(message, {"summary": message})
    if len(summary) > 4000:
        message = "Keep the summary under 4,000 characters."
        raise ReviewError(message, {"summary": message})
    with transaction.atomic():
        locked = Journey.objects.select_for_update().select_related("team").get(pk=journey.pk)
        before = locked.status
        after = next_status(before, action)
        if not is_open(locked, submission):
            raise ReviewError("This submission is not open for review any more.")
        if action == APPROVE:
            missing = missing_sign_offs(submitted_stages(submission))
            if missing:
                names = "; ".join(
                    f"{short_title(d.stage.slug)} · {d.component.label}" for d in missing
                )
                message = f"Sign off every one-way door before approving. Missing: {names}."
                raise ReviewError(message, {"outcome": message})
        decision = Decision.objects.create(
            submission=submission, outcome=after, summary=summary, architect=user
        )
        now = timezone.now()
        Journey.objects.filter(pk=locked.pk).update(status=after, updated=now)
        journey.status, journey.updated = after, now
        verb = "Approved" if action == APPROVE else "Requested changes to"
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
            f"{user.username} {verb.lower()} “{locked.name}” (submission {submission.number})",
            reverse("journeys:detail", args=[locked.pk]),
        )
    return decision


# --- History ------------------------------------------------------------------------------------

HISTORY_PAGE_SIZE = 50


def recent_history(journey: Journey, limit: int = 10) -> list[HistoryEntry]:
    return list(journey.history.select_related("actor")[:limit])


def history_page(journey: Journey, number: str | None) -> Page:
    entries = journey.history.select_related("actor")
    return Paginator(entries, HISTORY_PAGE_SIZE).get_page(number)


# --- Share links --------------------------------------------------------------------------------

SHARE_SALT = "journeys.reviews.share-link"


def share_token(link: ShareLink) -> str:
    """The link's token: its random key and a signature, so a changed token is refused before
    the database is asked."""
    return signing.Signer(salt=SHARE_SALT).sign(link.key)


def share_url(link: ShareLink) -> str:
    return reverse("reviews:shared", args=[share_token(link)])


def link_from_token(token: str) -> ShareLink | None:
    """The link a token stands for, active or not; None for a token that was tampered with."""
    try:
        key = signing.Signer(salt=SHARE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return ShareLink.objects.select_related("journey__team").filter(key=key).first()


def share_days_default() -> int:
    return int(getattr(settings, "SHARE_LINK_DEFAULT_DAYS", 14))


def share_days_max() -> int:
    return int(getattr(settings, "SHARE_LINK_MAX_DAYS", 90))


def create_share_link(
    journey: Journey, user: Any, days: str, label: str, picked: Mapping[str, str]
) -> ShareLink:
    """A new read-only link, valid for `days`, showing the picked milestones (a stage without
    any is left out). Anyone in the team may give one."""
    errors: dict[str, str] = {}
    longest = share_days_max()
    try:
        valid_days = int(days.strip())
    except ValueError:
        valid_days = 0
        errors["days"] = "Enter a whole number of days."
    else:
        if not 1 <= valid_days <= longest:
            errors["days"] = f"Between 1 and {longest} days."
    label = plain_text(label)
    if len(label) > 120:
        errors["label"] = "At most 120 characters."
    choices = stage_choices(journey, picked, defaults="submission")
    for choice in choices:
        if choice.milestones and choice.error:
            errors[choice.stage.slug] = choice.error
    if errors:
        raise ReviewError("The link was not created: see the messages below.", errors)
    chosen = [c.chosen for c in choices if c.chosen is not None]
    with transaction.atomic():
        link = ShareLink.objects.create(
            journey=journey,
            key=secrets.token_urlsafe(32),
            label=label,
            created_by=user,
            expires=timezone.now() + timedelta(days=valid_days),
        )
        link.milestones.set(chosen)
        record(
            journey,
            user,
            "share_link_created",
            f"Shared a read-only link{f' with {label}' if label else ''} until "
            f"{link.expires:%d %b %Y}",
            link=link.pk,
            expires=link.expires.isoformat(),
            milestones={m.stage: m.number for m in chosen},
        )
    return link


def share_links(journey: Journey) -> list[ShareLink]:
    links = list(
        ShareLink.objects.filter(journey=journey)
        .select_related("created_by", "revoked_by")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.defer("state", "answers", "overrides", "assumptions"),
            )
        )
    )
    for link in links:
        link.url = share_url(link)
        link.shown = sorted(link.milestones.all(), key=lambda m: catalog.STAGE_SLUGS.index(m.stage))
    return links


def revoke_share_link(journey: Journey, user: Any, link_id: int) -> ShareLink:
    link = ShareLink.objects.filter(pk=link_id, journey=journey).first()
    if link is None:
        raise Http404("No such link.")
    if link.revoked is None:
        link.revoked, link.revoked_by = timezone.now(), user
        link.save(update_fields=["revoked", "revoked_by"])
        record(
            journey,
            user,
            "share_link_revoked",
            f"Revoked the read-only link{f' for {link.label}' if link.label else ''}",
            link=link.pk,
        )
    return link


def done_export(journey: Journey, link: ShareLink | None = None) -> Any:
    """The newest finished roadmap export; for a share link, the newest one made of exactly
    the milestones the link shows (a stakeholder never gets a PDF of something else). None
    when there is none."""
    if not hasattr(journey, "exports"):
        return None
    exports = journey.exports.filter(status="done").order_by("-pk")
    if link is None:
        return exports.first()
    shown = {m.stage: m.number for m in link.milestones.all()}
    wanted = {stage: shown.get(stage) for stage in catalog.STAGE_SLUGS}
    return next((e for e in exports if _selection(e) == wanted), None)


def _selection(export: Any) -> dict[str, int | None]:
    return {stage: export.selection.get(stage) for stage in catalog.STAGE_SLUGS}


def shared_context(link: ShareLink, stage: str | None) -> dict[str, Any]:
    """The stakeholder's page: a summary of every shared stage, and one stage in full."""
    journey = link.journey
    milestones = {m.stage: m for m in link.milestones.select_related("author")}
    stages = []
    for s in catalog.get().stages:
        m = milestones.get(s.slug)
        if m is None:
            continue
        state = milestone_state(m)
        high = sum(counts.get("high", 0) for counts in state.risk_counts.values())
        medium = sum(counts.get("medium", 0) for counts in state.risk_counts.values())
        doors = [c.label for c in state.components if c.door == "one_way"]
        stages.append(
            {
                "stage": s,
                "milestone": m,
                "state": state,
                "high": high,
                "medium": medium,
                "doors": doors,
            }
        )
    current = next((s for s in stages if s["stage"].slug == stage), stages[0] if stages else None)
    context: dict[str, Any] = {
        "link": link,
        "journey": journey,
        "stages": stages,
        "current": current,
        "decision": _decision_for(journey, set(milestones.values())),
        "export": done_export(journey, link),
        "token": share_token(link),
    }
    if current is not None:
        index = stages.index(current)
        previous = stages[index - 1] if index else None
        panel = architecture.panel(current["state"], previous["state"] if previous else None)
        panel["previous_title"] = previous["stage"].title if previous else None
        context.update(panel)
    return context


def _decision_for(journey: Journey, milestones: set[Milestone]) -> Decision | None:
    """The decision on a submission of exactly these milestones, if one was made."""
    wanted = {m.pk for m in milestones}
    for submission in (
        Submission.objects.filter(journey=journey, decision__isnull=False)
        .select_related("decision", "decision__architect")
        .prefetch_related("entries")
        .order_by("-number")
    ):
        if {e.milestone_id for e in submission.entries.all()} == wanted:
            return submission.decision
    return None


# --- Notifications ------------------------------------------------------------------------------

NOTIFICATION_PAGE_SIZE = 30


def notify(
    journey: Journey,
    users: QuerySet[Any],
    kind: str,
    message: str,
    url: str,
    *,
    architect_url: str | None = None,
) -> list[int]:
    """Tell these users in the app, and by email once the transaction commits. Architects who
    are not in the journey's team get `architect_url` (they read it on the review page)."""
    members = set(Membership.objects.filter(team=journey.team_id).values_list("user_id", flat=True))
    created = Notification.objects.bulk_create(
        Notification(
            user_id=pk,
            journey=journey,
            kind=kind,
            message=message[:300],
            url=(url if architect_url is None or pk in members else architect_url)[:300],
        )
        for pk in users.values_list("pk", flat=True)
    )
    ids = [n.pk for n in created]
    if ids:
        tasks.email_review_notifications.delay_on_commit(ids)
    return ids


def email_notifications(notification_ids: list[int]) -> int:
    """Email each notification to its user, once. Returns how many were sent."""
    sent = 0
    for notification in Notification.objects.filter(pk__in=notification_ids).select_related(
        "user", "journey"
    ):
        if not notification.user.email:
            continue
        # Take it first so a retried task does not send it twice; give it back on failure.
        now = timezone.now()
        if not Notification.objects.filter(pk=notification.pk, emailed=None).update(emailed=now):
            continue  # another worker got there first
        context = {
            "notification": notification,
            "site_name": settings.SITE_NAME,
            "link": settings.SITE_URL.rstrip("/") + notification.url,
        }
        try:
            send_mail(
                # A header cannot hold a line break, and a journey's name is user text.
                subject=" ".join(f"{notification.message[:150]} · {settings.SITE_NAME}".split()),
                message=render_to_string("reviews/email.txt", context),
                from_email=None,
                recipient_list=[notification.user.email],
            )
        except OSError:
            Notification.objects.filter(pk=notification.pk).update(emailed=None)
            raise
        sent += 1
    return sent


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user).unread().count()


def notifications_page(user: Any, number: str | None) -> Page:
    """One page of the user's notifications; the unread ones on it are marked read (they keep
    `was_unread` so the page can still show them as new)."""
    rows = Notification.objects.filter(user=user).select_related("journey")
    page = Paginator(rows, NOTIFICATION_PAGE_SIZE).get_page(number)
    unread = [n.pk for n in page.object_list if n.read is None]
    for n in page.object_list:
        n.was_unread = n.read is None
    if unread:
        Notification.objects.filter(pk__in=unread).update(read=timezone.now())
    return page


# --- The journey page ---------------------------------------------------------------------------


def journey_panel(journey: Journey, user: Any) -> dict[str, Any]:
    """What the team sees about reviews on the journey page: status, the latest submission and
    its decision, the comments, the history and the share links."""
    journey.is_member, journey.fetched_for = True, user.pk
    journey.is_reviewer = is_architect(user) and Submission.objects.filter(journey=journey).exists()
    submission = latest_submission(journey)
    entries = []
    if submission is not None:
        entries = list(
            submission.entries.select_related("milestone")
            .defer("milestone__state", "milestone__answers")
            .order_by("milestone__stage")
        )
        entries.sort(key=lambda e: catalog.STAGE_SLUGS.index(e.stage))
    open_threads = dict(
        Comment.objects.filter(journey=journey, parent=None, resolved__isnull=True)
        .exclude(stage="")
        .values("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    stages = [(s, open_threads.get(s.slug, 0)) for s in catalog.get().stages]
    next_url = reverse("journeys:detail", args=[journey.pk])
    return {
        "journey": journey,
        "submission": submission,
        "entries": entries,
        "decision": submission.decision if submission and is_decided(submission) else None,
        "can_submit": journey.can_edit and may_submit(journey),
        "stage_threads": [(s, n) for s, n in stages if n],
        "comments": comment_block(journey, user, "", None, next_url),
        "history": recent_history(journey),
        "active_links": ShareLink.objects.filter(
            journey=journey, revoked__isnull=True, expires__gt=timezone.now()
        ).count(),
    }


def stage_slot(journey: Journey, user: Any, stage: str) -> dict[str, Any]:
    """The comments on one stage, beside its questions; anchors come from its newest milestone."""
    milestone = Milestone.objects.latest_for(journey, stage)
    next_url = reverse("journeys:stage", args=[journey.pk, stage])
    return comment_block(journey, user, stage, milestone, next_url, compact=True)
