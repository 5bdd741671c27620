"""Read-only links for stakeholders: the team gives and revokes them; the page they open needs
no account. The rules live in `journeys.reviews`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from journeys import reviews
from journeys.access import journey_or_404
from journeys.reviews import ReviewError


@require_http_methods(["GET", "POST"])
def share_links(request: HttpRequest, journey_id: int) -> HttpResponse:
    journey = journey_or_404(request.user, journey_id)
    error: ReviewError | None = None
    picked = None
    if request.method == "POST":
        picked = reviews.picked_milestones(request.POST)
        try:
            link = reviews.create_share_link(
                journey,
                request.user,
                request.POST.get("days", ""),
                request.POST.get("label", ""),
                picked,
            )
        except ReviewError as refused:
            error = refused
        else:
            messages.success(request, "Link created. Copy it from the list and send it.")
            return redirect(f"{request.path}#link-{link.pk}")
    context = {
        "journey": journey,
        "links": reviews.share_links(journey),
        "choices": reviews.stage_choices(journey, picked, defaults="submission"),
        "errors": error.errors if error else {},
        "error": error,
        "days": request.POST.get("days", reviews.share_days_default()),
        "label": request.POST.get("label", ""),
        "max_days": reviews.share_days_max(),
    }
    return render(request, "reviews/share_links.html", context, status=422 if error else 200)


@require_POST
def revoke(request: HttpRequest, journey_id: int, link_id: int) -> HttpResponse:
    journey = journey_or_404(request.user, journey_id)
    link = reviews.revoke_share_link(journey, request.user, link_id)
    messages.success(
        request, f"Link revoked{f' for {link.label}' if link.label else ''}: it no longer opens."
    )
    return redirect("reviews:share_links", journey.pk)


def _private(response: HttpResponse) -> HttpResponse:
    # The token is the key: keep it out of caches, search engines and Referer headers.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_not_required
@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    link = reviews.link_from_token(token)
    if link is None:
        raise Http404("No such link.")
    if not link.is_active:
        return _private(render(request, "reviews/share_gone.html", {"link": link}, status=410))
    context = reviews.shared_context(link, request.GET.get("stage"))
    return _private(render(request, "reviews/shared.html", context))


@login_not_required
@require_GET
def shared_export(request: HttpRequest, token: str) -> HttpResponse:
    """The roadmap PDF of a shared journey, once the export feature has made one."""
    link = reviews.link_from_token(token)
    if link is None:
        raise Http404("No such link.")
    if not link.is_active:
        return _private(render(request, "reviews/share_gone.html", {"link": link}, status=410))
    export = reviews.done_export(link.journey, link)
    file = getattr(export, "file", None)
    if not file:
        raise Http404("No roadmap has been exported of the milestones this link shows.")
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=f"roadmap-{link.journey.pk}.pdf"
    )
    return _private(response)
