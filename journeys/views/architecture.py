"""The proposed architecture beside the questions: panel, overrides, assumptions, milestones."""

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from journeys import architecture, catalog, engine
from journeys.access import journey_access_or_404
from journeys.forms import AssumptionsForm, MilestoneForm, OverrideForm
from journeys.milestones import milestone_state, save_milestone
from journeys.models import Journey, Milestone, record
from journeys.reviews import submissions
from journeys.views import HtmxHttpRequest, safe_next

PANEL = "journeys/architecture.html"


def panel_context(
    journey: Journey,
    stage: str,
    override_form: OverrideForm | None = None,
    answers: architecture.JourneyAnswers | None = None,
) -> dict[str, Any]:
    """The architecture panel; `override_form` is a refused override, shown open in its
    component with the input kept."""
    answers = answers if answers is not None else architecture.JourneyAnswers.of(journey)
    proposal = architecture.stage_proposal(journey, stage, answers)
    state = proposal.state
    before = architecture.previous_stage(stage)
    previous = architecture.stage_state(journey, before, answers) if before else None
    context = architecture.panel(state, previous)
    context.update(
        {
            "journey": journey,
            # Stored overrides the engine set aside: marked on their component, or listed
            # above the components when their component is not in this stage's architecture.
            "ignored_overrides": proposal.ignored_by_component(),
            "ignored_elsewhere": [
                item for item in proposal.ignored if state.component(item.component_id) is None
            ],
            "stage_slug": stage,
            "stage_title": catalog.get().stage(stage).title,
            "previous_title": (
                catalog.get().stage(previous.stage).title if previous is not None else None
            ),
            # The override forms themselves load on demand; only a refused one comes inline.
            "override_form": override_form,
            "overridable_ids": {
                c.id for c in state.components if c.kind in engine.OVERRIDABLE_PARAMS
            },
            "latest_milestone": Milestone.objects.latest_for(journey, stage),
        }
    )
    return context


@require_GET
def panel(request: HtmxHttpRequest, journey_id: int, stage: str) -> HttpResponse:
    access = journey_access_or_404(request.user, journey_id)
    journey = access.journey
    context = panel_context(journey, stage)
    return render(request, f"{PANEL}#panel", {**context, "access": access})


@require_http_methods(["GET", "POST"])
def override(request: HtmxHttpRequest, journey_id: int, stage: str, component: str) -> HttpResponse:
    if request.method == "GET":
        return _override_form(request, journey_id, stage, component)
    access = journey_access_or_404(request.user, journey_id, edit=True)
    journey = access.journey
    form: OverrideForm | None = None
    with transaction.atomic():
        # Checked and stored under the row lock, so two changes at once cannot undo each other.
        locked = Journey.objects.select_for_update().get(pk=journey.pk)
        state = architecture.stage_state(locked, stage)
        found = state.component(component)
        if found is None:
            raise Http404("No such component in this stage.")
        if "reset" in request.POST:
            architecture.reset_overrides(locked, stage, component)
        else:
            form = OverrideForm(locked, stage, state, found, request.POST)
            if form.is_valid():
                locked.overrides = form.overrides
        if form is None or form.is_valid():
            locked.save(update_fields=["overrides"])
            if locked.reopen_after_edit(request.user):
                messages.warning(request, Journey.REOPENED_NOTICE)
    journey.overrides = locked.overrides
    refused = form if form is not None and not form.is_valid() else None
    if request.htmx:
        context = panel_context(journey, stage, refused)
        return render(request, f"{PANEL}#panel", {**context, "access": access})
    if refused is not None:
        context = _override_context(journey, stage, found, refused)
        return render(request, "journeys/override.html", context)
    url = reverse("journeys:stage", args=[journey.pk, stage])
    return redirect(f"{url}#component-{component}")


def _override_context(
    journey: Journey, stage: str, component: engine.Component, form: OverrideForm
) -> dict[str, Any]:
    stored = journey.overrides.get(stage, {})
    return {
        "journey": journey,
        "stage_slug": stage,
        "stage_title": catalog.get().stage(stage).title,
        "c": component,
        "form": form,
        # Reset is offered for any stored override, applied or set aside.
        "has_overrides": bool(stored.get(component.id)) if isinstance(stored, dict) else False,
    }


def _override_form(
    request: HtmxHttpRequest, journey_id: int, stage: str, component: str
) -> HttpResponse:
    """The form that changes one component's parameters (inline with htmx, or a page)."""
    access = journey_access_or_404(request.user, journey_id, edit=True)
    journey = access.journey
    state = architecture.stage_state(journey, stage)
    found = state.component(component)
    if found is None or found.kind not in engine.OVERRIDABLE_PARAMS:
        raise Http404("No such component in this stage.")
    context = _override_context(journey, stage, found, OverrideForm(journey, stage, state, found))
    template = f"{PANEL}#override-form" if request.htmx else "journeys/override.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def assumptions(request: HtmxHttpRequest, journey_id: int) -> HttpResponse:
    access = journey_access_or_404(request.user, journey_id, edit=request.method == "POST")
    journey = access.journey
    form = AssumptionsForm(
        request.POST or None, current=journey.assumptions, editable=access.can_edit
    )
    if request.method == "POST" and form.is_valid():
        journey.assumptions = form.chosen()
        journey.save(update_fields=["assumptions", "updated"])
        if journey.reopen_after_edit(request.user):
            messages.warning(request, Journey.REOPENED_NOTICE)
        messages.success(request, "Assumptions saved: every stage is sized with them now.")
        return redirect("journeys:assumptions", journey.pk)
    rows = [(a, form[name], name in journey.assumptions) for name, a in engine.ASSUMPTIONS.items()]
    context = {"journey": journey, "access": access, "rows": rows}
    return render(request, "journeys/assumptions.html", context)


@require_http_methods(["GET", "POST"])
def milestone_list(request: HtmxHttpRequest, journey_id: int, stage: str) -> HttpResponse:
    access = journey_access_or_404(request.user, journey_id, edit=request.method == "POST")
    journey = access.journey
    form = MilestoneForm(request.POST or None, auto_id="milestone-%s")
    if request.method == "POST" and form.is_valid():
        milestone, created = save_milestone(journey, stage, form.cleaned_data["note"], request.user)
        if created:
            record(
                journey,
                request.user,
                "milestone_saved",
                f"Saved milestone {milestone.number} of {stage}",
                stage=stage,
                number=milestone.number,
                state_hash=milestone.state_hash,
            )
            messages.success(request, f"Milestone {milestone.number} of this stage saved.")
        else:
            messages.info(
                request,
                f"No changes since milestone {milestone.number}: nothing new was saved.",
            )
        return redirect(safe_next(request, milestone.get_absolute_url()))
    milestones = submissions.milestones_by_stage(journey)[stage]
    return render(
        request,
        "journeys/milestones.html",
        {
            "journey": journey,
            "access": access,
            "stage": catalog.get().stage(stage),
            "milestones": milestones,
            "form": form,
        },
    )


def _milestone_or_404(journey: Journey, stage: str, number: int) -> Milestone:
    return get_object_or_404(Milestone, journey=journey, stage=stage, number=number)


@require_GET
def milestone_detail(
    request: HtmxHttpRequest, journey_id: int, stage: str, number: int
) -> HttpResponse:
    access = journey_access_or_404(request.user, journey_id)
    journey = access.journey
    milestone = _milestone_or_404(journey, stage, number)
    state = milestone_state(milestone)
    before = architecture.previous_stage(stage)
    previous_milestone = Milestone.objects.latest_for(journey, before) if before else None
    previous = milestone_state(previous_milestone) if previous_milestone else None
    context = architecture.panel(state, previous)
    context.update(
        {
            "journey": journey,
            "stage": catalog.get().stage(stage),
            "milestone": milestone,
            "answers": architecture.readable_answers(stage, milestone.answers),
            "previous_milestone": previous_milestone,
        }
    )
    return render(request, "journeys/milestone.html", context)


@require_GET
def milestone_diff(request: HtmxHttpRequest, journey_id: int, stage: str) -> HttpResponse:
    """Any two milestones of a stage side by side; "current" stands for the live state."""
    access = journey_access_or_404(request.user, journey_id)
    journey = access.journey
    milestones = list(Milestone.objects.filter(journey=journey, stage=stage).order_by("number"))
    sides: list[architecture.Side] = []
    for key in ("a", "b"):
        choice = request.GET.get(key, "current" if key == "b" else "")
        if choice == "current":
            state = architecture.stage_state(journey, stage)
            sides.append(("current", "Current answers", state))
            continue
        found = next((m for m in milestones if str(m.number) == choice), None)
        if found is None and milestones:
            found = milestones[-1] if key == "a" else milestones[0]
        if found is None:
            sides.append(None)
            continue
        sides.append((str(found.number), f"Milestone {found.number}", milestone_state(found)))
    context = {
        "journey": journey,
        "stage": catalog.get().stage(stage),
        "milestones": milestones,
        "left": sides[0],
        "right": sides[1],
        **architecture.comparison(sides[0], sides[1]),
    }
    return render(request, "journeys/milestone_diff.html", context)
