"""What background jobs make for a stage: its diagram and its cost estimate, and downloads."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial, wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from journeys import architecture, charts, vocabulary
from journeys.access import (
    JourneyAccess,
    journey_access_or_404,
    readable_milestones,
    review_access_or_404,
)
from journeys.jobs import base, diagrams, estimates
from journeys.jobs.diagrams import milestone_diagram_for
from journeys.jobs.estimates import milestone_estimate_for
from journeys.models import Diagram, Estimate, Journey, Milestone, ShareLink
from journeys.pricing import reports
from journeys.views import HtmxHttpRequest, HtmxRequest, download_name, files, safe_next

TEMPLATE = "journeys/products.html"


def _slot(stage: str, number: int | None = None) -> str:
    """The id suffix of a diagram or estimate on a page: one per stage, or per milestone."""
    return stage if number is None else f"{stage}-m{number}"


def _diagram_response(
    request: HtmxRequest,
    journey: Journey,
    diagram: Diagram,
    url: str,
    slot: str = "",
    file_url: Callable[[str], str] | None = None,
    *,
    can_edit: bool = False,
) -> HttpResponse:
    context = {
        "journey": journey,
        "can_edit": can_edit,
        "diagram": diagram,
        "diagram_url": url,
        "slot": slot or diagram.stage,
    }
    if diagram.status == Diagram.DONE:
        # Share-link pages serve the files through the token, everyone else by journey.
        url_of = file_url or (
            lambda kind: reverse("journeys:diagram_file", args=[journey.pk, diagram.pk, kind])
        )
        context["files"] = {kind: url_of(kind) for kind in diagrams.FILES}
    template = f"{TEMPLATE}#diagram" if request.htmx else "journeys/diagram.html"
    response = render(request, template, context)
    if diagram.status == Diagram.DONE and request.htmx:
        # Tell the page the picture is there (screen readers hear it through aria-live too).
        response["HX-Trigger"] = "diagram-ready"
    return response


@require_GET
def stage_diagram(request: HtmxHttpRequest, journey_id: int, stage: str) -> HttpResponse:
    access = journey_access_or_404(request.user, journey_id)
    journey = access.journey
    state, previous = architecture.stage_with_previous(journey, stage)
    diagram = diagrams.ensure_diagram(journey, stage, state, previous)
    return _diagram_response(request, journey, diagram, request.path, can_edit=access.can_edit)


def _milestone_access_or_404(
    request: HtmxHttpRequest, journey_id: int, stage: str, number: int
) -> tuple[JourneyAccess, Milestone]:
    """A milestone of the journey; architects review submitted milestones, so they see the
    diagram and estimate of those (and only those) too."""
    access = review_access_or_404(request.user, journey_id)
    milestone = get_object_or_404(readable_milestones(access), stage=stage, number=number)
    return access, milestone


@require_GET
def milestone_diagram(
    request: HtmxHttpRequest, journey_id: int, stage: str, number: int
) -> HttpResponse:
    access, milestone = _milestone_access_or_404(request, journey_id, stage, number)
    diagram = milestone_diagram_for(access.journey, milestone)
    slot = _slot(stage, number)
    return _diagram_response(
        request, access.journey, diagram, request.path, slot, can_edit=access.can_edit
    )


@require_GET
def diagram_file(
    request: HtmxHttpRequest, journey_id: int, diagram_id: int, kind: str
) -> HttpResponse:
    access = review_access_or_404(request.user, journey_id)
    journey = access.journey
    diagram = get_object_or_404(Diagram, pk=diagram_id, journey=journey, status=Diagram.DONE)
    if not _is_readable(access, diagram, diagram.render_key, diagrams.milestone_render_key):
        raise Http404("No such diagram.")
    return _file_response(request, journey, diagram, kind)


def _is_readable(
    access: JourneyAccess,
    row: Diagram | Estimate,
    key: str,
    key_of: Callable[[Journey, Milestone], str],
) -> bool:
    """The team reads every diagram and estimate of its journey; an architect outside it only
    those of milestones in a submission (a live stage's products are the team's work in
    progress, and their ids are easy to guess). The milestones' keys are compared: reading a
    file queues nothing."""
    if access.is_member:
        return True
    milestones = readable_milestones(access).filter(stage=row.stage)
    return any(key_of(access.journey, m) == key for m in milestones)


def _file_response(
    request: HtmxRequest, journey: Journey, diagram: Diagram, kind: str
) -> HttpResponse:
    if kind not in diagrams.FILES:
        raise Http404("No such file.")
    # Streamed through here even from a bucket: the SVG is shown inline, under the policy below.
    response = HttpResponse(
        files.content(diagrams.file_of(diagram, kind)), content_type=diagrams.FILES[kind]
    )
    part = f"{diagram.stage}-diagram"
    name = download_name(journey.name, journey.pk, part, kind, diagram.created)
    disposition = "inline" if kind == "svg" and "download" not in request.GET else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    # The SVG is the project's own output, but it is served with a strict policy anyway.
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    )
    response["Cache-Control"] = "private, max-age=86400, immutable"
    return response


@require_POST
def diagram_retry(request: HtmxHttpRequest, journey_id: int, diagram_id: int) -> HttpResponse:
    return _retry(request, journey_id, Diagram, diagram_id)


def _estimate_response(
    request: HtmxRequest,
    journey: Journey,
    row: Estimate,
    url: str,
    slot: str = "",
    csv_url: Callable[[int], str] | None = None,
    *,
    can_edit: bool = False,
    fallback: bool = True,
) -> HttpResponse:
    """The estimate's partial or page. While it is pending or failed, the stage's newest
    finished estimate stands in, unless `fallback` is off (that one may be of live answers)."""
    shown = row if row.status == Estimate.DONE else None
    if shown is None and fallback:
        shown = estimates.latest_done(journey, row.stage)
    sort = "component" if request.GET.get("sort") == "component" else "cost"
    context = {
        "journey": journey,
        "can_edit": can_edit,
        "estimate": row,
        "shown": shown,
        "estimate_url": url,
        "sort": sort,
        # A chosen sort order means the reader has the line items open: keep them open.
        "lines_open": "sort" in request.GET,
        "lines": cost_lines(shown.figures, sort) if shown else [],
        "slot": slot or row.stage,
        "csv_url": (csv_url or _csv_url(journey))(shown.pk) if shown else "",
    }
    template = f"{TEMPLATE}#estimate" if request.htmx else "journeys/estimate.html"
    return render(request, template, context)


def cost_lines(result: dict[str, Any], sort: str) -> list[dict[str, Any]]:
    lines = list(result["lines"])
    if sort == "cost":
        lines.sort(key=lambda line: Decimal(line["monthly_usd"]), reverse=True)
    return lines


@require_GET
def stage_estimate(request: HtmxHttpRequest, journey_id: int, stage: str) -> HttpResponse:
    access = journey_access_or_404(request.user, journey_id)
    journey = access.journey
    answers = architecture.JourneyAnswers.of(journey)
    state = architecture.stage_state(journey, stage, answers)
    facts = architecture.stage_facts(stage, answers)
    row = estimates.ensure_estimate(journey, stage, state, facts)
    return _estimate_response(request, journey, row, request.path, can_edit=access.can_edit)


@require_GET
def milestone_estimate(
    request: HtmxHttpRequest, journey_id: int, stage: str, number: int
) -> HttpResponse:
    access, milestone = _milestone_access_or_404(request, journey_id, stage, number)
    row = milestone_estimate_for(access.journey, milestone)
    return _estimate_response(
        request,
        access.journey,
        row,
        request.path,
        _slot(stage, number),
        can_edit=access.can_edit,
        fallback=access.is_member,  # an architect never sees the team's live figures
    )


def _csv_url(journey: Journey) -> Callable[[int], str]:
    return lambda pk: reverse("journeys:estimate_csv", args=[journey.pk, pk])


@require_GET
def estimate_csv(request: HtmxHttpRequest, journey_id: int, estimate_id: int) -> HttpResponse:
    access = review_access_or_404(request.user, journey_id)
    journey = access.journey
    row = get_object_or_404(Estimate, pk=estimate_id, journey=journey, status=Estimate.DONE)
    if not _is_readable(access, row, row.estimate_key, estimates.milestone_estimate_key):
        raise Http404("No such estimate.")
    return _csv_response(journey, row)


def _csv_response(journey: Journey, row: Estimate) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = download_name(journey.name, journey.pk, f"{row.stage}-costs", "csv", row.created)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    reports.write_csv(row, response)
    return response


@require_POST
def estimate_retry(request: HtmxHttpRequest, journey_id: int, estimate_id: int) -> HttpResponse:
    return _retry(request, journey_id, Estimate, estimate_id)


# A job kind the stage pages show: the body is checked once for each.
JobRow = TypeVar("JobRow", Diagram, Estimate)


def _retry(request: HtmxHttpRequest, journey_id: int, model: type[JobRow], pk: int) -> HttpResponse:
    """Queue a failed job again; htmx gets the job's partial back, polling again."""
    access = journey_access_or_404(request.user, journey_id, edit=True)
    journey = access.journey
    row = get_object_or_404(model, pk=pk, journey=journey)
    base.retry(row)
    url = safe_next(request, "")
    if not request.htmx or not url:
        return redirect("journeys:stage", journey.pk, row.stage)
    if isinstance(row, Diagram):
        return _diagram_response(request, journey, row, url, can_edit=access.can_edit)
    return _estimate_response(request, journey, row, url, can_edit=access.can_edit)


@require_GET
def journey_costs(request: HtmxHttpRequest, journey_id: int) -> HttpResponse:
    """The cost of every stage and the chart across them (the journey page polls this)."""
    access = journey_access_or_404(request.user, journey_id)
    journey = access.journey
    answers = architecture.JourneyAnswers.of(journey)
    rows: dict[str, Estimate] = {}
    shown: dict[str, Estimate | None] = {}
    for stage in vocabulary.STAGES:
        state = architecture.stage_state(journey, stage, answers)
        facts = architecture.stage_facts(stage, answers)
        rows[stage] = estimates.ensure_estimate(journey, stage, state, facts)
        done = rows[stage].status == Estimate.DONE
        shown[stage] = rows[stage] if done else estimates.latest_done(journey, stage)
    summary = reports.stage_summary(shown)
    context = {
        "journey": journey,
        "summary": summary,
        "pending": any(row.is_pending for row in rows.values()),
        "failed": [row for row in rows.values() if row.status == Estimate.FAILED],
        "chart": charts.cost_by_stage(summary, inline_style=False),
        "costs_url": request.path,
    }
    template = f"{TEMPLATE}#journey-costs" if request.htmx else "journeys/costs.html"
    return render(request, template, context)


@login_not_required
@require_GET
def chart_stylesheet(request: HtmxRequest) -> HttpResponse:
    """The charts' CSS: the pages' Content-Security-Policy refuses the <style> of an SVG
    written into the page."""
    response = HttpResponse(charts.stylesheet(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# -- the same, for the holder of a share link (no account) ------------------------------------


@dataclass(frozen=True)
class SharedMilestone:
    """An active share link and one of the milestones it shows, as a URL names them."""

    token: str
    link: ShareLink
    milestone: Milestone

    @property
    def journey(self) -> Journey:
        return self.link.journey

    def url(self, name: str, *more: object) -> str:
        """Another of this milestone's share-link URLs."""
        m = self.milestone
        return reverse(f"journeys:{name}", args=[self.token, m.stage, m.number, *more])


def _milestone_through_link(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A milestone's diagram or estimate for the holder of a share link (no account): a link
    that is unknown, expired or revoked, or a milestone it does not show, is a 404 (the share
    page itself says 410 for a link that expired or was revoked). A stakeholder reads: the
    responses are drawn with `can_edit` off."""

    @login_not_required
    @require_GET
    @wraps(view)
    def through_link(
        request: HtmxRequest, token: str, stage: str, number: int, **more: str
    ) -> HttpResponse:
        link = ShareLink.from_token(token)
        if link is None or not link.is_active:
            raise Http404("No such link.")
        milestone = get_object_or_404(link.milestones.all(), stage=stage, number=number)
        return view(request, SharedMilestone(token, link, milestone), **more)

    return through_link


@_milestone_through_link
def shared_milestone_diagram(request: HtmxRequest, shared: SharedMilestone) -> HttpResponse:
    diagram = milestone_diagram_for(shared.journey, shared.milestone)
    slot = _slot(diagram.stage, shared.milestone.number)
    files = partial(shared.url, "shared_diagram_file")
    return _diagram_response(request, shared.journey, diagram, request.path, slot, file_url=files)


@_milestone_through_link
def shared_diagram_file(request: HtmxRequest, shared: SharedMilestone, kind: str) -> HttpResponse:
    diagram = milestone_diagram_for(shared.journey, shared.milestone)
    if diagram.status != Diagram.DONE:
        raise Http404("The diagram is not drawn yet.")
    return _file_response(request, shared.journey, diagram, kind)


@_milestone_through_link
def shared_milestone_estimate(request: HtmxRequest, shared: SharedMilestone) -> HttpResponse:
    row = milestone_estimate_for(shared.journey, shared.milestone)
    slot = _slot(row.stage, shared.milestone.number)
    csv = lambda pk: shared.url("shared_estimate_csv")  # noqa: E731  (one CSV per milestone)
    return _estimate_response(
        request, shared.journey, row, request.path, slot, csv_url=csv, fallback=False
    )


@_milestone_through_link
def shared_estimate_csv(request: HtmxRequest, shared: SharedMilestone) -> HttpResponse:
    row = milestone_estimate_for(shared.journey, shared.milestone)
    if row.status != Estimate.DONE:
        raise Http404("The estimate is not ready yet.")
    return _csv_response(shared.journey, row)
