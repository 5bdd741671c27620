"""Review comments: threads anchored on the journey, a stage, or a component or finding of a
stage; replies, edits that keep the earlier text, resolving, and who is told."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from journeys import architecture, engine, labels
from journeys.access import ARCHITECTS_GROUP, JourneyAccess
from journeys.milestones import milestone_state
from journeys.models import (
    Comment,
    CommentRevision,
    Decision,
    Journey,
    Milestone,
    Notification,
    record,
)
from journeys.reviews.notifications import notify
from journeys.reviews.submissions import latest_submission
from journeys.vocabulary import short_title

Anchor = dict[str, Any]


def anchor_choices(stage: str, state: engine.ArchitectureState | None) -> list[tuple[str, str]]:
    """What a new thread can be about: the journey, or a stage and its components and findings."""
    if not stage:
        return [("journey", "The whole journey")]
    choices = [("stage", f"The {short_title(stage)} stage")]
    if state is not None:
        choices += [(f"component:{c.id}", f"Component: {c.label}") for c in state.components]
        choices += [
            (f"finding:{f.id}", f"Risk: {labels.finding_title(stage, f)}") for f in state.findings
        ]
    return choices


def scope_state(
    journey: Journey, stage: str, milestone: Milestone | None
) -> engine.ArchitectureState | None:
    """The state a stage's comments are about: the milestone's, else the live answers'."""
    if not stage:
        return None
    if milestone is not None:
        return milestone_state(milestone)
    return architecture.stage_state(journey, stage)


def scope_milestone(journey: Journey, stage: str, milestone_id: str) -> Milestone | None:
    if not stage or not milestone_id.isdigit():
        return None
    return Milestone.objects.filter(pk=milestone_id, journey=journey, stage=stage).first()


def anchor_for(journey: Journey, stage: str, milestone: Milestone | None, value: str) -> Anchor:
    """The fields of a new thread's anchor from the form's `anchor` value; ValidationError on
    `anchor` for anything that is not one of `anchor_choices`."""
    refused = ValidationError({"anchor": "Pick one from the list."})
    if value == "journey" or not stage:
        if value not in ("journey", ""):
            raise refused
        return {"stage": "", "kind": Comment.JOURNEY, "target": "", "target_label": ""}
    base = {"stage": stage, "milestone": milestone}
    if value in ("stage", ""):
        return {**base, "kind": Comment.STAGE, "target": "", "target_label": ""}
    kind, _, target = value.partition(":")
    state = scope_state(journey, stage, milestone)
    if state is not None and kind == Comment.COMPONENT:
        component = state.component(target)
        if component is not None:
            return {**base, "kind": kind, "target": target, "target_label": component.label}
    if state is not None and kind == Comment.FINDING:
        finding = next((f for f in state.findings if f.id == target), None)
        if finding is not None:
            return {
                **base,
                "kind": kind,
                "target": target,
                "target_label": labels.finding_title(stage, finding)[:200],
            }
    raise refused


@dataclass(frozen=True)
class Thread:
    """A comment that starts a thread, and the replies to it in the order they came."""

    root: Comment
    replies: list[Comment]

    @property
    def resolved(self) -> bool:
        return self.root.resolved is not None


def threads(journey: Journey, stage: str) -> list[Thread]:
    """The threads of the journey (stage "") or of one stage, open threads first. Two queries
    whatever the number of comments."""
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
    found = [Thread(root, replies.get(root.pk, [])) for root in roots]
    return sorted(found, key=lambda thread: thread.resolved)


def open_threads_by_stage(journey: Journey) -> dict[str, int]:
    return dict(
        Comment.objects.filter(journey=journey, parent=None, resolved__isnull=True)
        .exclude(stage="")
        .values("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )


def _thread_root(comment: Comment) -> Comment:
    """Replies hang off the thread's first comment, so threads are one level deep."""
    return comment if comment.parent_id is None else Comment.objects.get(pk=comment.parent_id)


def add_comment(
    access: JourneyAccess, body: str, *, anchor: Anchor | None = None, parent: Comment | None = None
) -> Comment:
    """A new thread about `anchor` (see `anchor_for`; the journey itself when None), or a reply
    to `parent`'s thread."""
    if not access.can_comment:
        raise PermissionDenied("Viewers read the review; editors and architects comment.")
    journey, user = access.journey, access.user
    root = _thread_root(parent) if parent is not None else None
    if root is not None:
        anchor = {
            "stage": root.stage,
            "kind": root.kind,
            "target": root.target,
            "target_label": root.target_label,
            "milestone": root.milestone,
        }
    comment = Comment.objects.create(
        journey=journey,
        parent=root,
        author=user,
        body=body,
        submission=latest_submission(journey),
        **(anchor or anchor_for(journey, "", None, "journey")),
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
    _notify(access, comment, root)
    return comment


def edit_comment(access: JourneyAccess, comment: Comment, body: str) -> bool:
    """Change one's own comment; the previous text is kept as a revision. False when the text
    did not change."""
    if comment.author_id != access.user.pk:
        raise PermissionDenied("Only the author edits a comment.")
    if body == comment.body:
        return False
    with transaction.atomic():
        CommentRevision.objects.create(
            comment=comment, body=comment.body, written=comment.edited or comment.created
        )
        comment.body, comment.edited = body, timezone.now()
        comment.save(update_fields=["body", "edited"])
        record(
            access.journey,
            access.user,
            "comment_edited",
            f"Edited a comment on {comment.anchor_text}",
            comment=comment.pk,
        )
    return True


def set_resolved(access: JourneyAccess, comment: Comment, resolved: bool) -> bool:
    """Resolve or reopen a thread (a reply stands for its thread). False when nothing changed."""
    if not access.can_comment:
        raise PermissionDenied("Viewers read the review; editors and architects resolve threads.")
    root = _thread_root(comment)
    if (root.resolved is not None) == resolved:
        return False
    root.resolved = timezone.now() if resolved else None
    root.resolved_by = access.user if resolved else None
    root.save(update_fields=["resolved", "resolved_by"])
    action = "comment_resolved" if resolved else "comment_reopened"
    verb = "Resolved" if resolved else "Reopened"
    record(
        access.journey,
        access.user,
        action,
        f"{verb} the thread on {root.anchor_text}",
        comment=root.pk,
    )
    return True


def _notify(access: JourneyAccess, comment: Comment, root: Comment | None) -> None:
    """An architect's comment goes to the team; a team member's to the architects who took part
    in the review; a reply also goes to everyone in its thread."""
    journey, author = access.journey, access.user
    team = User.objects.filter(memberships__team=journey.team_id, is_active=True)
    recipients: set[int] = set()
    if access.is_member:
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
        recipients |= set(thread)
    recipients.discard(author.pk)
    where = f"{journey.name}" + (f" · {short_title(comment.stage)}" if comment.stage else "")
    notify(
        journey,
        User.objects.filter(pk__in=recipients, is_active=True),
        Notification.COMMENTED,
        f"{_name(author)} commented on {comment.anchor_text} ({where})",
        comment.get_absolute_url(),
        architect_url=comment.review_url(),
    )


def _name(user: User) -> str:
    return user.get_username()
