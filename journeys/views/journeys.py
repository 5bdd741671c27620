"""Journeys: the list, create, overview, edit, duplicate, archive, delete, export and import."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from journeys import architecture, catalog, exchange, vocabulary
from journeys.access import editable_teams, is_architect, journey_access_or_404
from journeys.forms import DeleteJourneyForm, ImportForm, JourneyForm
from journeys.models import Journey, Team
from journeys.progress import stage_progress
from journeys.views import HtmxHttpRequest, download_name, page_or_part

PAGE_SIZE = 20
ARCHIVED = "archived"


@require_GET
def journey_list(request: HtmxHttpRequest) -> HttpResponse:
    teams = list(Team.objects.filter(memberships__user=request.user).order_by("name"))
    if not teams and is_architect(request.user):
        # An architect in no team has no journeys of their own: their work is the queue.
        return redirect("reviews:queue")
    query = request.GET.get("q", "").strip()[:100]
    team = request.GET.get("team", "")
    status = request.GET.get("status", "")
    journeys = (
        Journey.objects.visible_to(request.user)
        .search(query)
        .select_related("team")
        .annotate(answer_count=Count("answers", filter=Q(answers__value__isnull=False)))
        .order_by("-updated", "-id")
    )
    if team:
        journeys = journeys.filter(team__slug=team)
    if status == ARCHIVED:
        journeys = journeys.filter(archived__isnull=False)
    else:
        journeys = journeys.filter(archived__isnull=True)
        if status in dict(Journey.STATUS_CHOICES):
            journeys = journeys.filter(status=status)
    page = Paginator(journeys, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "team": team,
        "status": status,
        "teams": teams,
        "status_choices": [*Journey.STATUS_CHOICES, (ARCHIVED, "Archived")],
        "can_create": any(editable_teams(request.user)),
    }
    return page_or_part(request, "journeys/list.html", "results", context)


@require_http_methods(["GET", "POST"])
def journey_create(request: HtmxHttpRequest) -> HttpResponse:
    teams = editable_teams(request.user)
    if not teams.exists():
        messages.info(request, "Create a team first: journeys belong to a team.")
        return redirect("teams:create")
    form = JourneyForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        journey = form.save(commit=False)
        journey.created_by = request.user
        journey.save()
        if "stage_by_stage" in request.POST:
            messages.success(request, "Journey created. Start with the launch stage.")
            return redirect("journeys:stage", journey.pk, vocabulary.STAGES[0])
        messages.success(request, "Journey created. Ten answers plan all four stages.")
        return redirect("journeys:quick_start", journey.pk)
    return render(request, "journeys/create.html", {"form": form})


@require_GET
def journey_detail(request: HtmxHttpRequest, journey_id: int) -> HttpResponse:
    access = journey_access_or_404(request.user, journey_id)
    journey = access.journey
    answers = architecture.JourneyAnswers.of(journey)
    stages = [
        (
            stage,
            stage_progress(stage, answers.own(stage.slug))["stage"],
            answers.coverage(stage.slug),
        )
        for stage in catalog.get().stages
    ]
    context = {
        "journey": journey,
        "access": access,
        "stages": stages,
        "coverage": answers.total_coverage(),
        "is_empty": answers.is_empty,
    }
    return render(request, "journeys/detail.html", context)


@require_http_methods(["GET", "POST"])
def journey_edit(request: HtmxHttpRequest, journey_id: int) -> HttpResponse:
    access = journey_access_or_404(request.user, journey_id, edit=True)
    journey = access.journey
    form = JourneyForm(request.POST or None, instance=journey)
    if request.method == "POST" and form.is_valid():
        journey = form.save(commit=False)
        journey.updated = timezone.now()
        journey.save()
        messages.success(request, "Journey saved.")
        if {"region", "dr_region"} & set(form.changed_data) and journey.reopen_after_edit(
            request.user
        ):
            messages.warning(request, "The regions changed after submission: back to draft.")
        return redirect(journey)
    return render(request, "journeys/edit.html", {"journey": journey, "form": form})


@require_POST
def journey_duplicate(request: HtmxHttpRequest, journey_id: int) -> HttpResponse:
    access = journey_access_or_404(request.user, journey_id, edit=True)
    journey = access.journey
    copy = journey.duplicate(request.user)
    messages.success(request, f"“{journey.name}” duplicated. You are now in the copy.")
    return redirect(copy)


@require_POST
def journey_archive(request: HtmxHttpRequest, journey_id: int) -> HttpResponse:
    access = journey_access_or_404(request.user, journey_id, edit=True)
    journey = access.journey
    journey.archived = None if journey.archived else timezone.now()
    journey.save(update_fields=["archived"])
    if journey.archived:
        messages.success(request, f"“{journey.name}” archived. It stays under Archived.")
    else:
        messages.success(request, f"“{journey.name}” restored.")
    return redirect(journey)


@require_http_methods(["GET", "POST"])
def journey_delete(request: HtmxHttpRequest, journey_id: int) -> HttpResponse:
    access = journey_access_or_404(request.user, journey_id, edit=True)
    journey = access.journey
    form = DeleteJourneyForm(journey, request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            context = {"journey": journey, "form": form}
            return render(request, "journeys/delete.html", context, status=422)
        name = journey.name
        journey.delete()
        messages.success(request, f"“{name}” deleted.")
        if request.htmx:
            return HttpResponseClientRedirect("/")
        return redirect("journeys:list")
    return render(request, "journeys/delete.html", {"journey": journey, "form": form})


@require_GET
def journey_export(request: HtmxHttpRequest, journey_id: int) -> HttpResponse:
    access = journey_access_or_404(request.user, journey_id)
    journey = access.journey
    response = HttpResponse(
        exchange.dumps(exchange.document(journey)), content_type="application/json"
    )
    name = download_name(journey.name, journey.pk, "answers", "json", timezone.now())
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def journey_import(request: HtmxHttpRequest) -> HttpResponse:
    teams = editable_teams(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, teams=teams)
    problems: list[exchange.Problem] = []
    if request.method == "POST" and form.is_valid():
        try:
            doc = exchange.parse(form.cleaned_data["file"])
            journey = exchange.create_journey(doc, form.cleaned_data["team"], request.user)
        except exchange.InvalidDocument as error:
            problems = error.problems
        else:
            messages.success(request, f"Imported “{journey.name}”.")
            return redirect(journey)
    status = 422 if problems else 200
    context = {"form": form, "problems": problems}
    return render(request, "journeys/import.html", context, status=status)
