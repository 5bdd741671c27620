"""Review comments: the blocks of threads on the journey, review and stage pages, and the
forms that add, edit and resolve them (htmx swaps the whole block; without JavaScript the form
redirects back, or shows itself again with the text kept)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from journeys import catalog
from journeys.access import JourneyAccess, review_access_or_404
from journeys.forms import CommentBodyForm, CommentForm, first_errors
from journeys.models import Comment, HistoryEntry, Milestone
from journeys.reviews import comments, flow, sharing, submissions
from journeys.views import HtmxHttpRequest, safe_next
from journeys.vocabulary import STAGES, is_stage, short_title

COMMENTS = "reviews/comments.html"


def journey_home(access: JourneyAccess) -> str:
    """The page a person reads the journey on: the team's journey page, or the review page."""
    if access.is_member:
        return reverse("journeys:detail", args=[access.journey.pk])
    return reverse("reviews:review", args=[access.journey.pk])


def recent_history(access: JourneyAccess, limit: int = 10) -> list[HistoryEntry]:
    return list(access.journey.history.select_related("actor")[:limit])


def comment_block(
    access: JourneyAccess,
    stage: str,
    milestone: Milestone | None,
    next_url: str,
    *,
    errors: Mapping[str, str] | None = None,
    submitted: Mapping[str, str] | None = None,
    compact: bool = False,
) -> dict[str, Any]:
    """The context of one block of threads (the journey's, or a stage's) with its forms.
    `errors` and `submitted` bring a refused comment back, with its text kept, in the form it
    was typed in: a reply (`parent`), an edit (`comment`) or a new thread."""
    journey = access.journey
    found = comments.threads(journey, stage)
    submitted = dict(submitted or {})
    failed_parent = failed_edit = None
    failed_new = False
    if errors:
        if submitted.get("comment", "").isdigit():
            failed_edit = int(submitted["comment"])
        elif submitted.get("parent", "").isdigit():
            failed_parent = int(submitted["parent"])
        else:
            failed_new = True
    open_count = sum(1 for thread in found if not thread.resolved)
    anchors = []
    if access.can_comment:
        state = comments.scope_state(journey, stage, milestone)
        anchors = comments.anchor_choices(stage, state)
    return {
        "journey": journey,
        "scope": stage,
        "scope_id": stage or "journey",
        "scope_title": short_title(stage) if stage else "",
        "milestone": milestone,
        "threads": found,
        "open_count": open_count,
        "resolved_count": len(found) - open_count,
        "anchors": anchors,
        "can_comment": access.can_comment,
        "user_id": access.user.pk,
        "next_url": next_url,
        "errors": dict(errors or {}),
        "submitted": submitted,
        "failed_new": failed_new,
        "failed_parent": failed_parent,
        "failed_edit": failed_edit,
        "compact": compact,
    }


def journey_panel(access: JourneyAccess) -> dict[str, Any]:
    """What the team sees about reviews on the journey page: status, the latest submission and
    its decision, the comments, the history and the share links."""
    journey = access.journey
    submission = submissions.latest_submission(journey)
    entries = []
    if submission is not None:
        entries = list(
            submission.entries.select_related("milestone")
            .defer("milestone__state", "milestone__answers")
            .order_by("milestone__stage")
        )
        entries.sort(key=lambda e: STAGES.index(e.stage))
    open_threads = comments.open_threads_by_stage(journey)
    stage_threads = [
        (s, open_threads[s.slug]) for s in catalog.get().stages if open_threads.get(s.slug)
    ]
    next_url = reverse("journeys:detail", args=[journey.pk])
    return {
        "journey": journey,
        "access": access,
        "submission": submission,
        "entries": entries,
        "decision": submission.decision if submission and submission.is_decided else None,
        "can_submit": access.can_edit and flow.allows(journey.status, flow.SUBMIT),
        "stage_threads": stage_threads,
        "comments": comment_block(access, "", None, next_url),
        "history": recent_history(access),
        "active_links": sharing.active_count(journey),
    }


def _scope(access: JourneyAccess, data: Mapping[str, str]) -> tuple[str, Milestone | None]:
    """The block a comment form belongs to, from its hidden fields; unknown stages are the
    journey's own block."""
    stage = data.get("scope", "")
    stage = stage if is_stage(stage) else ""
    return stage, comments.scope_milestone(access.journey, stage, data.get("scope_milestone", ""))


def _block(
    request: HtmxHttpRequest,
    access: JourneyAccess,
    errors: Mapping[str, str] | None = None,
    submitted: Mapping[str, str] | None = None,
) -> HttpResponse:
    """The block of threads the form came from, after its action (or with its error)."""
    stage, milestone = _scope(access, request.POST or request.GET)
    next_url = safe_next(request, journey_home(access))
    context = comment_block(access, stage, milestone, next_url, errors=errors, submitted=submitted)
    return render(request, f"{COMMENTS}#block", context)


def _done(
    request: HtmxHttpRequest, access: JourneyAccess, message: str, fragment: str
) -> HttpResponse:
    if request.htmx:
        return _block(request, access)
    messages.success(request, message)
    return redirect(f"{safe_next(request, journey_home(access))}{fragment}")


def comment_or_404(access: JourneyAccess, comment_id: int | str) -> Comment:
    found = None
    if str(comment_id).isdigit():
        found = (
            Comment.objects.filter(pk=comment_id, journey=access.journey)
            .select_related("author")
            .first()
        )
    if found is None:
        raise Http404("No such comment.")
    return found


@require_GET
def stage_comments(request: HtmxHttpRequest, journey_id: int, stage: str) -> HttpResponse:
    """The comments of one stage, loaded into the stage page beside its questions; anchors come
    from its newest milestone."""
    access = review_access_or_404(request.user, journey_id)
    milestone = Milestone.objects.latest_for(access.journey, stage)
    next_url = reverse("journeys:stage", args=[access.journey.pk, stage])
    context = comment_block(access, stage, milestone, next_url, compact=True)
    return render(request, f"{COMMENTS}#block", context)


@require_POST
def comment_create(request: HtmxHttpRequest, journey_id: int) -> HttpResponse:
    access = review_access_or_404(request.user, journey_id)
    if not access.can_comment:
        raise PermissionDenied("Viewers read the review; editors and architects comment.")
    parent_id = request.POST.get("parent", "")
    parent = comment_or_404(access, parent_id) if parent_id else None
    form = CommentForm(access.journey, request.POST, reply=parent is not None)
    if not form.is_valid():
        return _refused(request, access, first_errors(form), request.POST.dict())
    data = form.cleaned_data
    comment = comments.add_comment(access, data["body"], anchor=data.get("anchor"), parent=parent)
    return _done(request, access, "Comment added.", f"#comment-{comment.pk}")


def _refused(
    request: HtmxHttpRequest,
    access: JourneyAccess,
    errors: dict[str, str],
    submitted: dict[str, str],
    editing: Comment | None = None,
) -> HttpResponse:
    """With htmx the block comes back with the message beside the form; without it a small
    page shows the form again (the edit form when `editing`). Either way the text typed is
    kept."""
    if request.htmx:
        return _block(request, access, errors, submitted)
    context: dict[str, Any] = {
        "journey": access.journey,
        "errors": errors,
        "submitted": submitted,
        "next_url": safe_next(request, journey_home(access)),
        "action": request.path,
    }
    if editing is not None:
        context.update({"c": editing, "editing": editing, "failed_edit": editing.pk})
    return render(request, "reviews/comment_form.html", context, status=422)


@require_http_methods(["GET", "POST"])
def comment_edit(request: HtmxHttpRequest, journey_id: int, comment_id: int) -> HttpResponse:
    access = review_access_or_404(request.user, journey_id)
    comment = comment_or_404(access, comment_id)
    if comment.author_id != request.user.pk:
        raise PermissionDenied("Only the author edits a comment.")
    next_url = safe_next(request, journey_home(access))
    if request.method == "GET":
        stage, milestone = _scope(access, request.GET)
        context = {
            "journey": access.journey,
            "c": comment,
            "scope": stage,
            "milestone": milestone,
            "next_url": next_url,
        }
        if request.htmx:
            return render(request, f"{COMMENTS}#edit-form", context)
        return render(request, "reviews/comment_form.html", {**context, "editing": comment})
    form = CommentBodyForm(request.POST)
    if not form.is_valid():
        submitted = {**request.POST.dict(), "comment": str(comment.pk)}
        return _refused(request, access, first_errors(form), submitted, editing=comment)
    changed = comments.edit_comment(access, comment, form.cleaned_data["body"])
    message = "Comment saved; the earlier text is in its edit history." if changed else "No change."
    return _done(request, access, message, f"#comment-{comment.pk}")


@require_POST
def comment_resolve(request: HtmxHttpRequest, journey_id: int, comment_id: int) -> HttpResponse:
    access = review_access_or_404(request.user, journey_id)
    comment = comment_or_404(access, comment_id)
    resolved = request.POST.get("resolved", "1") != "0"
    comments.set_resolved(access, comment, resolved)
    message = "Thread resolved." if resolved else "Thread reopened."
    return _done(request, access, message, f"#comment-{comment.pk}")
