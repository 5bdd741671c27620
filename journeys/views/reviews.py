"""Reviews: the architects' queue, submitting, the review page, comparing, sign-offs,
decisions, history and notifications. The rules live in the `journeys.reviews` package."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from journeys import architecture, catalog
from journeys.access import JourneyAccess, is_architect, journey_access_or_404, review_access_or_404
from journeys.forms import BulkSignOffForm, DecideForm, SignOffForm, SubmitForm, first_errors
from journeys.milestones import milestone_state
from journeys.models import Milestone, Submission
from journeys.reviews import comments, decisions, flow, notifications, submissions
from journeys.reviews import queue as review_queue_rules
from journeys.views import HtmxHttpRequest, page_or_part
from journeys.views.comments import comment_block, recent_history
from journeys.vocabulary import STAGES, is_stage, short_title

HISTORY_PAGE_SIZE = 50


@require_GET
def review_queue(request: HtmxHttpRequest) -> HttpResponse:
    if not is_architect(request.user):
        raise PermissionDenied("Only architects see the review queue.")
    filters = review_queue_rules.QueueFilters.from_query(request.GET)
    found = review_queue_rules.queue(filters)
    context = {
        "page": found.page,
        "counts": found.counts,
        "teams": found.teams,
        "filters": filters,
        "statuses": review_queue_rules.STATUSES,
        "waiting_choices": review_queue_rules.WAITING_CHOICES,
        "stages": catalog.get().stages,
    }
    return page_or_part(request, "reviews/queue.html", "results", context)


@require_http_methods(["GET", "POST"])
def submit(request: HtmxHttpRequest, journey_id: int) -> HttpResponse:
    access = journey_access_or_404(request.user, journey_id, edit=True)
    journey = access.journey
    refusal = flow.refusal(journey.status, flow.SUBMIT)
    errors: dict[str, str] = {}
    if request.method == "POST" and "save_all" in request.POST:
        # One action: a milestone of every stage as it is now, submitted. Only the note is
        # read; a note that is refused brings the whole form back with its message.
        try:
            note = SubmitForm.base_fields["note"].clean(request.POST.get("note", ""))
        except ValidationError:
            pass
        else:
            try:
                submission = submissions.save_and_submit(journey, request.user, note)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(journey)
            messages.success(
                request,
                f"All four stages saved and submitted for review (submission "
                f"{submission.number}). The architects are told.",
            )
            return redirect(journey)
    form = SubmitForm(journey, request.POST if request.method == "POST" else None)
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            try:
                submission = submissions.submit(
                    journey, request.user, data["milestones"], data["note"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    f"Submitted for review (submission {submission.number}). "
                    "The architects are told.",
                )
                return redirect(journey)
        errors = first_errors(form)
        refusal = errors.get("form", "") or "The journey was not submitted: see the messages below."
    context = {
        "journey": journey,
        "choices": form.choices,
        "errors": {**form.stage_errors(), **errors} if form.is_bound else {},
        "refusal": refusal,
        "note": request.POST.get("note", ""),
        "blocked": any(not c.milestones for c in form.choices),
        "closed": not flow.allows(journey.status, flow.SUBMIT),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "reviews/submit.html", context, status=status)


def submission_or_404(access: JourneyAccess, number: int | str) -> Submission:
    found = None
    if str(number).isdigit():
        found = (
            Submission.objects.filter(journey=access.journey, number=number)
            .select_related("submitted_by", "decision")
            .first()
        )
    if found is None:
        raise Http404("No such submission.")
    found.journey = access.journey
    return found


def _review_context(
    access: JourneyAccess, number: str | None, stage: str | None, next_url: str
) -> dict[str, Any]:
    """What the review page shows: the submissions, and one submission at one stage."""
    journey = access.journey
    found = list(
        Submission.objects.filter(journey=journey)
        .select_related("submitted_by", "decision", "decision__architect")
        .order_by("-number")
    )
    for s in found:
        s.journey = journey
    context: dict[str, Any] = {
        "journey": journey,
        "access": access,
        "submissions": found,
        "history": recent_history(access),
        "journey_comments": comment_block(access, "", None, next_url),
    }
    if not found:
        return context
    submission = next((s for s in found if str(s.number) == (number or "")), found[0])
    stages = decisions.submitted_stages(submission)
    open_threads = comments.open_threads_by_stage(journey)
    for entry in stages:
        entry.open_threads = open_threads.get(entry.stage.slug, 0)
    current = next((s for s in stages if s.stage.slug == stage), stages[0] if stages else None)
    context.update(
        {
            "submission": submission,
            "stages": stages,
            "current": current,
            "missing": decisions.missing_sign_offs(stages),
            "door_groups": decisions.door_groups(stages),
            "doors_total": sum(len(s.doors) for s in stages),
            "is_open": submission.is_open,
            "can_decide": submission.is_open and decisions.may_decide(access, submission),
            "outcomes": decisions.OUTCOMES,
        }
    )
    if current is not None:
        # At the top level: the shared `architecture.html#state` partial reads these names.
        context.update(architecture.panel_of(stages, current))
        index = stages.index(current)
        previous = stages[index - 1] if index else None
        context["stage_comments"] = comment_block(
            access, current.stage.slug, current.milestone, next_url
        )
        if previous is not None:
            context["compare_query"] = (
                f"a={previous.stage.slug}:{previous.milestone.number}"
                f"&b={current.stage.slug}:{current.milestone.number}"
            )
    return context


@require_GET
def review(request: HtmxHttpRequest, journey_id: int) -> HttpResponse:
    access = review_access_or_404(request.user, journey_id)
    context = _review_context(
        access, request.GET.get("submission"), request.GET.get("stage"), request.get_full_path()
    )
    return render(request, "reviews/review.html", context)


def _milestone_key(m: Milestone) -> str:
    return f"{m.stage}:{m.number}"


def _compare_context(access: JourneyAccess, a: str, b: str) -> dict[str, Any]:
    """Two milestones side by side, of one stage or of two: components, parameters, findings,
    and (through the products include) diagrams and costs. Without a choice: the latest
    submission's first two stages, else the two newest milestones."""
    journey = access.journey
    grouped = submissions.milestones_by_stage(journey)
    options = [
        (_milestone_key(m), f"{short_title(slug)} · milestone {m.number}", m)
        for slug in STAGES
        for m in grouped.get(slug, [])
    ]
    by_key = {key: m for key, _, m in options}
    if a not in by_key or b not in by_key:
        submission = submissions.latest_submission(journey)
        entries = (
            list(submission.entries.select_related("milestone").order_by("milestone__created"))
            if submission
            else []
        )
        ordered = [e.milestone for e in sorted(entries, key=lambda e: STAGES.index(e.stage))]
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
            "findings": [(i, left_findings.get(i), right_findings.get(i)) for i in finding_ids],
            **architecture.comparison(left, right),
        }
    )
    return context


@require_GET
def compare(request: HtmxHttpRequest, journey_id: int) -> HttpResponse:
    access = review_access_or_404(request.user, journey_id)
    context = _compare_context(access, request.GET.get("a", ""), request.GET.get("b", ""))
    return render(request, "reviews/compare.html", context)


@require_GET
def history(request: HtmxHttpRequest, journey_id: int) -> HttpResponse:
    access = review_access_or_404(request.user, journey_id)
    entries = access.journey.history.select_related("actor")
    page = Paginator(entries, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"journey": access.journey, "access": access, "page": page}
    return render(request, "reviews/history.html", context)


def _review_url(access: JourneyAccess, number: int, stage: str, fragment: str = "") -> str:
    url = reverse("reviews:review", args=[access.journey.pk]) + f"?submission={number}"
    if is_stage(stage):
        url += f"&stage={stage}"
    return url + fragment


def _sign_off_many(
    request: HtmxHttpRequest, access: JourneyAccess, submission: Submission
) -> HttpResponse:
    form = BulkSignOffForm(request.POST)
    form.is_valid()  # both fields are optional: what is wrong, the rules say below
    try:
        signed = decisions.sign_off_many(
            access, submission, form.cleaned_data["components"], form.cleaned_data.get("note", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            f"Signed off {signed} one-way door{'s' if signed != 1 else ''}."
            if signed
            else "Every one of those doors was signed off already.",
        )
    next_stage = request.POST.get("next_stage", "")
    return redirect(_review_url(access, submission.number, next_stage, "#doors-title"))


@require_POST
def sign_off(request: HtmxHttpRequest, journey_id: int, number: int) -> HttpResponse:
    access = review_access_or_404(request.user, journey_id)
    submission = submission_or_404(access, number)
    if "bulk" in request.POST:
        return _sign_off_many(request, access, submission)
    form = SignOffForm(request.POST)
    form.is_valid()  # every field is optional: what is wrong, the rules say below
    data = form.cleaned_data
    stage, component = data.get("stage", ""), data.get("component", "")
    try:
        decisions.sign_off(
            access,
            submission,
            stage,
            component,
            note=data.get("note", ""),
            withdraw=data.get("withdraw", False),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Sign-off withdrawn." if data.get("withdraw") else "Signed off.")
    fragment = f"#door-{stage}-{component}" if is_stage(stage) else ""
    next_stage = request.POST.get("next_stage", "")
    return redirect(_review_url(access, submission.number, next_stage, fragment))


@require_POST
def decide(request: HtmxHttpRequest, journey_id: int, number: int) -> HttpResponse:
    access = review_access_or_404(request.user, journey_id)
    submission = submission_or_404(access, number)
    stage = request.POST.get("next_stage", "")
    form = DecideForm(request.POST)
    if not access.is_architect:
        raise PermissionDenied("Only architects review journeys.")
    if form.is_valid():
        try:
            decision = decisions.decide(
                access, submission, form.cleaned_data["outcome"], form.cleaned_data["summary"]
            )
        except ValidationError as error:
            # Every refusal of a decision is about its outcome (the summary was valid).
            form.add_error("outcome", error.messages)
        else:
            messages.success(
                request, f"{decision.get_outcome_display()}: the team is told, with your summary."
            )
            return redirect(_review_url(access, submission.number, stage, "#decision"))
    # The page again, with the message beside the field and the summary kept.
    context = _review_context(
        access, str(submission.number), stage, _review_url(access, submission.number, stage)
    )
    context["decision_errors"] = first_errors(form)
    context["decision_submitted"] = _submitted(request.POST, ("outcome", "summary"))
    return render(request, "reviews/review.html", context, status=422)


def _submitted(data: Mapping[str, str], names: tuple[str, ...]) -> dict[str, str]:
    return {name: data.get(name, "") for name in names}


@require_GET
def notification_list(request: HtmxHttpRequest) -> HttpResponse:
    page = notifications.page_of(request.user, request.GET.get("page"))
    context = {"page": page, "is_architect": is_architect(request.user)}
    return render(request, "reviews/notifications.html", context)


@require_GET
def nav(request: HtmxHttpRequest) -> HttpResponse:
    """The nav's badges, loaded after the page so that no page pays for them up front."""
    architect = is_architect(request.user)
    context = {
        "unread": notifications.unread_count(request.user),
        "is_architect": architect,
        "waiting": review_queue_rules.waiting_count() if architect else 0,
    }
    return render(request, "reviews/notifications.html#nav", context)
