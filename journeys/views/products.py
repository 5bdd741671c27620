"""What background jobs make for a stage: its diagram and its cost estimate, and downloads."""

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from journeys import architecture, catalog, charts, vocabulary
from journeys.access import journey_access_or_404, review_access_or_404
from journeys.jobs import base, diagrams, estimates
from journeys.jobs.diagrams import milestone_diagram_for
from journeys.jobs.estimates import milestone_estimate_for
from journeys.models import Diagram, Estimate, Journey, Milestone, ShareLink
from journeys.pricing import reports

TEMPLATE = "journeys/products.html"


def _slot(stage: str, number: int | None = None) -> str:
    """The id suffix of a diagram or estimate on a page: one per stage, or per milestone."""
    return stage if number is None else f"{stage}-m{number}"


def _diagram_response(
    request: HttpRequest,
    journey: Journey,
    diagram: Diagram,
    url: str,
    slot: str = "",
    file_url: Any = None,
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
def stage_diagram(request: HttpRequest, journey_id: int, stage: str) -> HttpResponse:
    access = journey_access_or_404(request.user, journey_id)
    journey = access.journey
    state, previous = architecture.stage_with_previous(journey, stage)
    diagram = diagrams.ensure_diagram(journey, stage, state, previous)
    return _diagram_response(request, journey, diagram, request.path, can_edit=access.can_edit)


@require_GET
def milestone_diagram(
    request: HttpRequest, journey_id: int, stage: str, number: int
) -> HttpResponse:
    # Architects review submitted milestones: they see their diagrams too.
    access = review_access_or_404(request.user, journey_id)
    journey = access.journey
    milestone = get_object_or_404(Milestone, journey=journey, stage=stage, number=number)
    diagram = milestone_diagram_for(journey, milestone)
    return _diagram_response(
        request, journey, diagram, request.path, _slot(stage, number), can_edit=access.can_edit
    )


@require_GET
def diagram_file(request: HttpRequest, journey_id: int, diagram_id: int, kind: str) -> HttpResponse:
    access = review_access_or_404(request.user, journey_id)
    journey = access.journey
    diagram = get_object_or_404(Diagram, pk=diagram_id, journey=journey, status=Diagram.DONE)
    return _file_response(request, journey, diagram, kind)


def _file_response(
    request: HttpRequest, journey: Journey, diagram: Diagram, kind: str
) -> HttpResponse:
    if kind not in diagrams.FILES:
        raise Http404("No such file.")
    response = HttpResponse(diagrams.read(diagram, kind), content_type=diagrams.FILES[kind])
    name = f"journey-{journey.pk}-{diagram.stage}-{diagram.render_key[:8]}.{kind}"
    disposition = "inline" if kind == "svg" and "download" not in request.GET else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    # The SVG is the project's own output, but it is served with a strict policy anyway.
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    )
    response["Cache-Control"] = "private, max-age=86400, immutable"
    return response


@require_POST
def diagram_retry(request: HttpRequest, journey_id: int, diagram_id: int) -> HttpResponse:
    return _retry(request, journey_id, Diagram, diagram_id, base.retry, _diagram_response)


def _estimate_response(
    request: HttpRequest,
    journey: Journey,
    row: Estimate,
    url: str,
    slot: str = "",
    csv_url: Any = None,
    *,
    can_edit: bool = False,
) -> HttpResponse:
    shown = row if row.status == Estimate.DONE else estimates.latest_done(journey, row.stage)
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
        "lines": cost_lines(shown.result, sort) if shown else [],
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
def stage_estimate(request: HttpRequest, journey_id: int, stage: str) -> HttpResponse:
    access = journey_access_or_404(request.user, journey_id)
    journey = access.journey
    answers = architecture.JourneyAnswers.of(journey)
    state = architecture.stage_state(journey, stage, answers)
    facts = architecture.stage_facts(stage, answers)
    row = estimates.ensure_estimate(journey, stage, state, facts)
    return _estimate_response(request, journey, row, request.path, can_edit=access.can_edit)


@require_GET
def milestone_estimate(
    request: HttpRequest, journey_id: int, stage: str, number: int
) -> HttpResponse:
    access = review_access_or_404(request.user, journey_id)
    journey = access.journey
    milestone = get_object_or_404(Milestone, journey=journey, stage=stage, number=number)
    row = milestone_estimate_for(journey, milestone)
    return _estimate_response(
        request, journey, row, request.path, _slot(stage, number), can_edit=access.can_edit
    )


def _csv_url(journey: Journey) -> Any:
    return lambda pk: reverse("journeys:estimate_csv", args=[journey.pk, pk])


@require_GET
def estimate_csv(request: HttpRequest, journey_id: int, estimate_id: int) -> HttpResponse:
    access = review_access_or_404(request.user, journey_id)
    journey = access.journey
    row = get_object_or_404(Estimate, pk=estimate_id, journey=journey, status=Estimate.DONE)
    return _csv_response(journey, row)


def _csv_response(journey: Journey, row: Estimate) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"journey-{journey.pk}-{row.stage}-estimate.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    reports.write_csv(row, response)
    return response


@require_POST
def estimate_retry(request: HttpRequest, journey_id: int, estimate_id: int) -> HttpResponse:
    return _retry(request, journey_id, Estimate, estimate_id, base.retry, _estimate_response)


def _retry(
    request: HttpRequest,
    journey_id: int,
    model: type[Diagram] | type[Estimate],
    pk: int,
    retry: Any,
    respond: Any,
) -> HttpResponse:
    """Queue a failed job again; htmx gets the job's partial back, polling again."""
    access = journey_access_or_404(request.user, journey_id, edit=True)
    journey = access.journey
    row = get_object_or_404(model, pk=pk, journey=journey)
    retry(row)
    url = request.POST.get("next", "")
    if request.htmx and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return respond(request, journey, row, url, can_edit=access.can_edit)
    return redirect("journeys:stage", journey.pk, row.stage)


@require_GET
def journey_costs(request: HttpRequest, journey_id: int) -> HttpResponse:
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
        "chart": charts.cost_by_stage(
            [
                {**row, "label": catalog.get().stage(row["stage"]).title.split(":")[0]}
                for row in summary
            ]
        ),
        "costs_url": request.path,
    }
    template = f"{TEMPLATE}#journey-costs" if request.htmx else "journeys/costs.html"
    return render(request, template, context)


# -- the same, for the holder of a share link (no account) ------------------------------------


def _shared_milestone_or_404(token: str, stage: str, number: int) -> tuple[ShareLink, Milestone]:
    """An active link and one of the milestones it shows; anything else is a 404 (the share
    page itself says 410 for a link that expired or was revoked). A stakeholder reads: the
    responses are drawn with `can_edit` off."""
    link = ShareLink.from_token(token)
    if link is None or not link.is_active:
        raise Http404("No such link.")
    milestone = get_object_or_404(link.milestones.all(), stage=stage, number=number)
    return link, milestone


@login_not_required
@require_GET
def shared_milestone_diagram(
    request: HttpRequest, token: str, stage: str, number: int
) -> HttpResponse:
    link, milestone = _shared_milestone_or_404(token, stage, number)
    journey = link.journey
    diagram = milestone_diagram_for(journey, milestone)
    files = lambda kind: reverse(  # noqa: E731
        "journeys:shared_diagram_file", args=[token, stage, number, kind]
    )
    return _diagram_response(
        request, journey, diagram, request.path, _slot(stage, number), file_url=files
    )


@login_not_required
@require_GET
def shared_diagram_file(
    request: HttpRequest, token: str, stage: str, number: int, kind: str
) -> HttpResponse:
    link, milestone = _shared_milestone_or_404(token, stage, number)
    diagram = milestone_diagram_for(link.journey, milestone)
    if diagram.status != Diagram.DONE:
        raise Http404("The diagram is not drawn yet.")
    return _file_response(request, link.journey, diagram, kind)


@login_not_required
@require_GET
def shared_milestone_estimate(
    request: HttpRequest, token: str, stage: str, number: int
) -> HttpResponse:
    link, milestone = _shared_milestone_or_404(token, stage, number)
    journey = link.journey
    row = milestone_estimate_for(journey, milestone)
    csv = lambda pk: reverse(  # noqa: E731
        "journeys:shared_estimate_csv", args=[token, stage, number]
    )
    return _estimate_response(
        request, journey, row, request.path, _slot(stage, number), csv_url=csv
    )


@login_not_required
@require_GET
def shared_estimate_csv(request: HttpRequest, token: str, stage: str, number: int) -> HttpResponse:
    link, milestone = _shared_milestone_or_404(token, stage, number)
    row = milestone_estimate_for(link.journey, milestone)
    if row.status != Estimate.DONE:
        raise Http404("The estimate is not ready yet.")
    return _csv_response(link.journey, row)
