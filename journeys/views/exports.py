"""Roadmap PDFs: ask for one (live answers or chosen milestones), watch it, download it.

Viewers may export: a PDF only reads the journey. Every POST goes through Django's CSRF
check like any other form of the site.
"""

from collections.abc import Mapping
from typing import Any

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from journeys import catalog, roadmap
from journeys.access import journey_access_or_404
from journeys.jobs import base
from journeys.jobs import exports as export_jobs
from journeys.models import Export, Journey
from journeys.reviews import submissions
from journeys.views import HtmxHttpRequest, export_filename, files, page_or_part, wants_part
from journeys.vocabulary import STAGES

PAGE = "journeys/exports.html"
PARTS = "journeys/includes/exports.html"


def _page(
    request: HtmxHttpRequest, journey: Journey, errors: dict[str, str], status: int = 200
) -> HttpResponse:
    context = {"journey": journey, "exports": export_jobs.past_exports(journey), "errors": errors}
    # The list refreshes itself alone (the form's milestones are not read); a refusal shows the
    # whole page again, the form with its errors.
    part = "export-list" if wants_part(request) and not errors else None
    if part is None:
        context["choices"] = _stage_choices(journey, request.POST if errors else None)
    return page_or_part(request, PAGE, part, context, status=status)


def _stage_choices(journey: Journey, data: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """For the export form: each stage's milestones, newest first, and the one picked
    ("" for the live answers) — from the submitted form when it comes back with an error."""
    by_stage = submissions.milestones_by_stage(journey)
    return [
        {
            "stage": stage,
            "title": catalog.get().stage(stage).title,
            "field": f"milestone-{stage}",
            "milestones": by_stage[stage],
            "picked": str(data.get(f"milestone-{stage}", "")) if data is not None else "",
        }
        for stage in STAGES
    ]


@require_http_methods(["GET", "POST"])
def exports(request: HtmxHttpRequest, journey_id: int) -> HttpResponse:
    """The past exports and the form for a new one; POST asks for a new one."""
    access = journey_access_or_404(request.user, journey_id)
    journey = access.journey
    if request.method == "POST":
        try:
            selection = roadmap.parse_selection(journey, request.POST)
        except roadmap.InvalidSelection as error:
            return _page(request, journey, error.errors, status=422)
        export = export_jobs.request_export(journey, request.user, selection)
        if not request.htmx:
            return redirect(f"{reverse('journeys:exports', args=[journey.pk])}#export-{export.pk}")
    return _page(request, journey, {})


@require_GET
def export_status(request: HtmxHttpRequest, journey_id: int, export_id: int) -> HttpResponse:
    """One export's row: the page polls it while the export runs."""
    access = journey_access_or_404(request.user, journey_id)
    journey = access.journey
    export = get_object_or_404(
        Export.objects.select_related("requested_by"), pk=export_id, journey=journey
    )
    if not request.htmx:
        return redirect(f"{reverse('journeys:exports', args=[journey.pk])}#export-{export.pk}")
    export = base.check_lease(export)
    return render(request, f"{PARTS}#export", {"journey": journey, "export": export})


@require_GET
def export_download(request: HtmxHttpRequest, journey_id: int, export_id: int) -> HttpResponseBase:
    access = journey_access_or_404(request.user, journey_id)
    journey = access.journey
    export = get_object_or_404(
        Export.objects.select_related("journey"), pk=export_id, journey=journey, status="done"
    )
    response = files.attachment(export.file, export_filename(export), "application/pdf")
    if not files.presigns():
        # The file never changes (a new export is a new file), and it is the team's alone.
        response["Cache-Control"] = "private, max-age=86400, immutable"
    return response
