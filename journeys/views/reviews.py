"""Reviews: submitting, the architects' queue and review page, comparing, comments, sign-offs,
decisions, history and notifications. The rules live in `journeys.reviews`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from journeys import catalog, reviews
from journeys.access import is_architect, journey_or_404, reviewable_journey_or_404
from journeys.models import Journey
from journeys.reviews import ReviewError

COMMENTS = "reviews/comments.html"


def _safe_next(request: HttpRequest, fallback: str) -> str:
    """Where a form without JavaScript goes back to: a page of this site only."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    if not is_architect(request.user):
        raise PermissionDenied("Only architects see the review queue.")
    filters = reviews.QueueFilters.from_query(request.GET)
    context = reviews.queue(filters)
    context.update(
        {
            "filters": filters,
            "statuses": reviews.QUEUE_STATUSES,
            "waiting_choices": reviews.WAITING_CHOICES,
            "stages": catalog.get().stages,
        }
    )
    template = "reviews/queue.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, journey_id: int) -> HttpResponse:
    journey = journey_or_404(request.user, journey_id, edit=True)
    errors: dict[str, str] = {}
    refusal = ""
    if request.method == "POST":
        picked = reviews.picked_milestones(request.POST)
        try:
            submission = reviews.submit(journey, request.user, picked, request.POST.get("note", ""))
        except ReviewError as error:
            errors, refusal = error.errors, error.message
        else:
            messages.success(
                request,
                f"Submitted for review (submission {submission.number}). The architects are told.",
            )
            return redirect(journey)
        choices = reviews.stage_choices(journey, picked, check_stale=True)
    else:
        choices = reviews.stage_choices(journey, check_stale=True)
        if not reviews.may_submit(journey):
            refusal = reviews.REFUSALS[reviews.SUBMIT][journey.status]
    context = {
        "journey": journey,
        "choices": choices,
        "errors": errors,
        "refusal": refusal,
        "note": request.POST.get("note", ""),
        "blocked": any(not c.milestones for c in choices),
        "closed": not reviews.may_submit(journey),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "reviews/submit.html", context, status=status)


@require_GET
def review(request: HttpRequest, journey_id: int) -> HttpResponse:
    journey = reviewable_journey_or_404(request.user, journey_id)
    context = reviews.review_context(
        journey,
        request.user,
        request.GET.get("submission"),
        request.GET.get("stage"),
        request.get_full_path(),
    )
    return render(request, "reviews/review.html", context)


@require_GET
def compare(request: HttpRequest, journey_id: int) -> HttpResponse:
    journey = reviewable_journey_or_404(request.user, journey_id)
    context = reviews.compare_context(journey, request.GET.get("a", ""), request.GET.get("b", ""))
    return render(request, "reviews/compare.html", context)


@require_GET
def history(request: HttpRequest, journey_id: int) -> HttpResponse:
    journey = reviewable_journey_or_404(request.user, journey_id)
    page = reviews.history_page(journey, request.GET.get("page"))
    return render(request, "reviews/history.html", {"journey": journey, "page": page})


@require_GET
def stage_comments(request: HttpRequest, journey_id: int, stage: str) -> HttpResponse:
    """The comments of one stage, loaded into the stage page beside its questions."""
    journey = reviewable_journey_or_404(request.user, journey_id)
    if stage not in catalog.STAGE_SLUGS:
        raise Http404("No such stage.")
    context = reviews.stage_slot(journey, request.user, stage)
    return render(request, f"{COMMENTS}#block", context)


def _block(
    request: HttpRequest,
    journey: Journey,
    error: ReviewError | None = None,
    submitted: dict[str, str] | None = None,
) -> HttpResponse:
    """The block of threads the form came from, after its action (or with its error)."""
    stage, milestone = reviews.scope_from_post(journey, request.POST or request.GET)
    context = reviews.comment_block(
        journey,
        request.user,
        stage,
        milestone,
        _safe_next(request, journey_home(journey)),
        error=error,
        submitted=submitted,
    )
    return render(request, f"{COMMENTS}#block", context)


def journey_home(journey: Journey) -> str:
    """The page a person reads the journey on: the team's journey page, or the review page."""
    if getattr(journey, "is_member", False):
        return reverse("journeys:detail", args=[journey.pk])
    return reverse("reviews:review", args=[journey.pk])


def _comment_refused(
    request: HttpRequest, journey: Journey, error: ReviewError, submitted: dict[str, str]
) -> HttpResponse:
    """With htmx the block comes back with the message beside the form; without it a small
    page shows the form again. Either way the text typed is kept."""
    if request.htmx:
        return _block(request, journey, error, submitted)
    context = {
        "journey": journey,
        "error": error,
        "submitted": submitted,
        "next_url": _safe_next(request, journey_home(journey)),
        "action": request.path,
    }
    return render(request, "reviews/comment_form.html", context, status=422)


def _comment_done(
    request: HttpRequest, journey: Journey, message: str, fragment: str
) -> HttpResponse:
    if request.htmx:
        return _block(request, journey)
    messages.success(request, message)
    return redirect(f"{_safe_next(request, journey_home(journey))}{fragment}")


@require_POST
def comment_create(request: HttpRequest, journey_id: int) -> HttpResponse:
    journey = reviewable_journey_or_404(request.user, journey_id)
    submitted = request.POST.dict()
    try:
        comment = reviews.add_comment(journey, request.user, submitted)
    except ReviewError as error:
        return _comment_refused(request, journey, error, submitted)
    return _comment_done(request, journey, "Comment added.", f"#comment-{comment.pk}")


@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, journey_id: int, comment_id: int) -> HttpResponse:
    journey = reviewable_journey_or_404(request.user, journey_id)
    comment = reviews.comment_or_404(journey, comment_id)
    if comment.author_id != request.user.pk:
        raise PermissionDenied("Only the author edits a comment.")
    if request.method == "GET":
        stage, milestone = reviews.scope_from_post(journey, request.GET)
        context = {
            "journey": journey,
            "c": comment,
            "scope": stage,
            "milestone": milestone,
            "next_url": _safe_next(request, journey_home(journey)),
        }
        if request.htmx:
            return render(request, f"{COMMENTS}#edit-form", context)
        return render(request, "reviews/comment_form.html", {**context, "editing": comment})
    submitted = {**request.POST.dict(), "comment": str(comment.pk)}
    try:
        changed = reviews.edit_comment(journey, request.user, comment, request.POST.get("body", ""))
    except ReviewError as error:
        if request.htmx:
            return _block(request, journey, error, submitted)
        context = {
            "journey": journey,
            "c": comment,
            "editing": comment,
            "error": error,
            "submitted": submitted,
            "failed_edit": comment.pk,
            "errors": error.errors,
            "next_url": _safe_next(request, journey_home(journey)),
        }
        return render(request, "reviews/comment_form.html", context, status=422)
    message = "Comment saved; the earlier text is in its edit history." if changed else "No change."
    return _comment_done(request, journey, message, f"#comment-{comment.pk}")


@require_POST
def comment_resolve(request: HttpRequest, journey_id: int, comment_id: int) -> HttpResponse:
    journey = reviewable_journey_or_404(request.user, journey_id)
    comment = reviews.comment_or_404(journey, comment_id)
    resolved = request.POST.get("resolved", "1") != "0"
    reviews.set_resolved(journey, request.user, comment, resolved)
    message = "Thread resolved." if resolved else "Thread reopened."
    return _comment_done(request, journey, message, f"#comment-{comment.pk}")


def _review_url(journey: Journey, number: int, stage: str, fragment: str = "") -> str:
    url = reverse("reviews:review", args=[journey.pk]) + f"?submission={number}"
    if stage in catalog.STAGE_SLUGS:
        url += f"&stage={stage}"
    return url + fragment


@require_POST
def sign_off(request: HttpRequest, journey_id: int, number: int) -> HttpResponse:
    journey = reviewable_journey_or_404(request.user, journey_id)
    stage, component = request.POST.get("stage", ""), request.POST.get("component", "")
    withdraw = request.POST.get("withdraw") == "1"
    try:
        reviews.sign_off(
            journey,
            request.user,
            number,
            stage,
            component,
            note=request.POST.get("note", ""),
            withdraw=withdraw,
        )
    except ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Sign-off withdrawn." if withdraw else "Signed off.")
    fragment = f"#door-{stage}-{component}" if stage in catalog.STAGE_SLUGS else ""
    return redirect(_review_url(journey, number, request.POST.get("next_stage", ""), fragment))


@require_POST
def decide(request: HttpRequest, journey_id: int, number: int) -> HttpResponse:
    journey = reviewable_journey_or_404(request.user, journey_id)
    action, summary = request.POST.get("outcome", ""), request.POST.get("summary", "")
    stage = request.POST.get("next_stage", "")
    try:
        decision = reviews.decide(journey, request.user, number, action, summary)
    except ReviewError as error:
        # The page again, with the message beside the field and the summary kept.
        context = reviews.review_context(
            journey, request.user, str(number), stage, _review_url(journey, number, stage)
        )
        context["decision_errors"] = error.errors or {"outcome": error.message}
        context["decision_submitted"] = {"outcome": action, "summary": summary}
        return render(request, "reviews/review.html", context, status=422)
    messages.success(
        request, f"{decision.get_outcome_display()}: the team is told, with your summary."
    )
    return redirect(_review_url(journey, number, stage, "#decision"))


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = reviews.notifications_page(request.user, request.GET.get("page"))
    context = {"page": page, "is_architect": is_architect(request.user)}
    return render(request, "reviews/notifications.html", context)


@require_GET
def nav(request: HttpRequest) -> HttpResponse:
    """The nav's badges, loaded after the page so that no page pays for them up front."""
    architect = is_architect(request.user)
    context = {
        "unread": reviews.unread_count(request.user),
        "is_architect": architect,
        "waiting": reviews.waiting_count() if architect else 0,
    }
    return render(request, "reviews/notifications.html#nav", context)
