"""Read-only links for stakeholders: the team gives and revokes them; the page they open needs
no account. The rules live in `journeys.reviews.sharing`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from journeys import architecture, catalog, charts
from journeys.access import JourneyAccess, journey_access_or_404
from journeys.engine import ArchitectureState
from journeys.forms import ShareLinkForm, first_errors
from journeys.jobs import estimates
from journeys.milestones import in_stage_order
from journeys.models import Estimate, Milestone, ShareLink
from journeys.pricing import reports
from journeys.reviews import sharing
from journeys.views import HtmxHttpRequest, HtmxRequest, export_filename, files


def _sharing_access_or_404(request: HtmxHttpRequest, journey_id: int) -> JourneyAccess:
    """The journey of a team member who may share it: other teams get a 404, viewers a 403."""
    access = journey_access_or_404(request.user, journey_id)
    if not access.can_share:
        raise PermissionDenied("Only the journey's owners and editors share it.")
    return access


@require_http_methods(["GET", "POST"])
def share_links(request: HtmxHttpRequest, journey_id: int) -> HttpResponse:
    access = _sharing_access_or_404(request, journey_id)
    journey = access.journey
    form = ShareLinkForm(journey, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        link = sharing.create_link(
            journey, request.user, data["days"], data["label"], data["milestones"]
        )
        messages.success(request, "Link created. Copy it from the list and send it.")
        return redirect(f"{request.path}#link-{link.pk}")
    errors = first_errors(form) if form.is_bound else {}
    days = form.fields["days"].initial
    links = sharing.links_of(journey)
    context = {
        "journey": journey,
        "links": links,
        # Whether each link's stakeholders can download a roadmap PDF; if not, the team can
        # make one from the list.
        "pdf_ready": sharing.links_with_pdf(journey, links),
        "choices": form.choices,
        "errors": errors,
        "error_message": errors.get("form", ""),
        "days": request.POST.get("days", days),
        "label": request.POST.get("label", ""),
        "max_days": form.fields["days"].max_value,  # type: ignore[attr-defined]
    }
    return render(request, "reviews/share_links.html", context, status=422 if errors else 200)


@require_POST
def revoke(request: HtmxHttpRequest, journey_id: int, link_id: int) -> HttpResponse:
    access = _sharing_access_or_404(request, journey_id)
    link = get_object_or_404(ShareLink, pk=link_id, journey=access.journey)
    sharing.revoke(access.journey, request.user, link)
    messages.success(
        request, f"Link revoked{f' for {link.label}' if link.label else ''}: it no longer opens."
    )
    return redirect("reviews:share_links", access.journey.pk)


def _private(response: HttpResponseBase) -> HttpResponseBase:
    # The token is the key: keep it out of caches, search engines and Referer headers.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _link_or_404(token: str) -> ShareLink:
    link = ShareLink.from_token(token)
    if link is None:
        raise Http404("No such link.")
    return link


def _gone(request: HtmxRequest, link: ShareLink) -> HttpResponseBase:
    """What an expired or revoked link shows, whatever it pointed to."""
    return _private(render(request, "reviews/share_gone.html", {"link": link}, status=410))


@dataclass(frozen=True)
class SharedStage:
    """One shared stage as the stakeholder's summary lists it."""

    stage: catalog.Stage
    milestone: Milestone
    state: ArchitectureState

    def _risks(self, level: str) -> int:
        return sum(counts.get(level, 0) for counts in self.state.risk_counts.values())

    @property
    def high(self) -> int:
        return self._risks("high")

    @property
    def medium(self) -> int:
        return self._risks("medium")

    @property
    def doors(self) -> list[str]:
        return [c.label for c in self.state.components if c.door == "one_way"]


def _shared_context(link: ShareLink, stage: str | None) -> dict[str, Any]:
    """The stakeholder's page: a summary of every shared stage, and one stage in full."""
    journey = link.journey
    milestones = {m.stage: m for m in link.milestones.select_related("author")}
    stages = [SharedStage(*entry) for entry in in_stage_order(milestones)]
    current = next((s for s in stages if s.stage.slug == stage), stages[0] if stages else None)
    context: dict[str, Any] = {
        "link": link,
        "journey": journey,
        "stages": stages,
        "current": current,
        "decision": sharing.decision_on(journey, milestones.values()),
        "export": sharing.done_export(journey, link),
        "token": link.token,
    }
    if current is not None:
        context.update(architecture.panel_of(stages, current))
    context.update(_shared_costs(link, stages))
    return context


def _shared_costs(link: ShareLink, stages: list[SharedStage]) -> dict[str, Any]:
    """The cost of every shared stage (its milestone's estimate, priced on first view) and the
    chart across them, as the journey page shows them to the team."""
    rows = {
        s.stage.slug: estimates.milestone_estimate_for(link.journey, s.milestone) for s in stages
    }
    done = {slug: row for slug, row in rows.items() if row.status == Estimate.DONE}
    summary = [r for r in reports.stage_summary(done) if r["stage"] in rows]
    return {
        "cost_summary": summary,
        "costs_pending": any(row.is_pending for row in rows.values()),
        "cost_chart": charts.cost_by_stage(summary, inline_style=False) if done else "",
    }


def _through_link(
    view: Callable[[HtmxRequest, ShareLink], HttpResponseBase],
) -> Callable[[HtmxRequest, str], HttpResponseBase]:
    """A page of a share link, for anyone holding it (no account): an unknown token is a 404,
    an expired or revoked link the 410 page, and nothing it answers is cached or indexed."""

    @login_not_required
    @require_GET
    @wraps(view)
    def through_link(request: HtmxRequest, token: str) -> HttpResponseBase:
        link = _link_or_404(token)
        if not link.is_active:
            return _gone(request, link)
        return _private(view(request, link))

    return through_link


@_through_link
def shared(request: HtmxRequest, link: ShareLink) -> HttpResponseBase:
    context = _shared_context(link, request.GET.get("stage"))
    return render(request, "reviews/shared.html", context)


@_through_link
def shared_export(request: HtmxRequest, link: ShareLink) -> HttpResponseBase:
    """The roadmap PDF of a shared journey, once an export of exactly its milestones is done."""
    export = sharing.done_export(link.journey, link)
    if export is None or not export.file:
        raise Http404("No roadmap has been exported of the milestones this link shows.")
    return files.attachment(export.file, export_filename(export), "application/pdf")
