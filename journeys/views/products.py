"""What background jobs make for a stage: its diagram (and its downloads)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from journeys import architecture, catalog, diagram_jobs
from journeys.access import journey_or_404
from journeys.milestones import milestone_state
from journeys.models import Diagram, Journey, Milestone

TEMPLATE = "journeys/products.html"


def _stage_slug_or_404(stage: str) -> str:
    if stage not in catalog.STAGE_SLUGS:
        raise Http404("No such stage.")
    return stage


def milestone_diagram_for(journey: Journey, milestone: Milestone) -> Diagram:
    """A milestone's diagram: its frozen state, against the previous stage's latest milestone."""
    before = architecture.previous_stage(milestone.stage)
    previous = Milestone.objects.latest_for(journey, before) if before else None
    return diagram_jobs.ensure_diagram(
        journey,
        milestone.stage,
        milestone_state(milestone),
        milestone_state(previous) if previous else None,
    )


def _diagram_response(
    request: HttpRequest, journey: Journey, diagram: Diagram, url: str
) -> HttpResponse:
    context = {"journey": journey, "diagram": diagram, "diagram_url": url}
    template = f"{TEMPLATE}#diagram" if request.htmx else "journeys/diagram.html"
    response = render(request, template, context)
    if diagram.status == Diagram.DONE and request.htmx:
        # Tell the page the picture is there (screen readers hear it through aria-live too).
        response["HX-Trigger"] = "diagram-ready"
    return response


@require_GET
def stage_diagram(request: HttpRequest, journey_id: int, stage: str) -> HttpResponse:
    journey = journey_or_404(request.user, journey_id)
    stage = _stage_slug_or_404(stage)
    state, previous = architecture.stage_with_previous(journey, stage)
    diagram = diagram_jobs.ensure_diagram(journey, stage, state, previous)
    return _diagram_response(request, journey, diagram, request.path)


@require_GET
def milestone_diagram(
    request: HttpRequest, journey_id: int, stage: str, number: int
) -> HttpResponse:
    journey = journey_or_404(request.user, journey_id)
    milestone = get_object_or_404(
        Milestone, journey=journey, stage=_stage_slug_or_404(stage), number=number
    )
    diagram = milestone_diagram_for(journey, milestone)
    return _diagram_response(request, journey, diagram, request.path)


@require_GET
def diagram_file(request: HttpRequest, journey_id: int, diagram_id: int, kind: str) -> HttpResponse:
    journey = journey_or_404(request.user, journey_id)
    diagram = get_object_or_404(Diagram, pk=diagram_id, journey=journey, status=Diagram.DONE)
    if kind not in diagram_jobs.FILES:
        raise Http404("No such file.")
    response = HttpResponse(diagram_jobs.read(diagram, kind), content_type=diagram_jobs.FILES[kind])
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
    journey = journey_or_404(request.user, journey_id, edit=True)
    diagram = get_object_or_404(Diagram, pk=diagram_id, journey=journey)
    diagram_jobs.retry(diagram)
    url = request.POST.get("next", "")
    if request.htmx and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return _diagram_response(request, journey, diagram, url)
    return redirect("journeys:stage", journey.pk, diagram.stage)
