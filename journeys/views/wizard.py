"""The wizard: one page per stage; every answer is saved the moment it is given."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from journeys import architecture, catalog, effective, vocabulary
from journeys.access import autosave_access_or_404, journey_access_or_404
from journeys.answers import AnswerChanged, current_answer, save_answer
from journeys.forms import AnswerForm
from journeys.models import Answer, Journey, Submission
from journeys.progress import stage_progress
from journeys.views import HtmxHttpRequest
from journeys.views.architecture import panel_context

TEMPLATE = "journeys/stage.html"


def _question_or_404(stage: catalog.Stage, question_id: str) -> catalog.Question:
    try:
        return stage.questions[question_id]
    except KeyError:
        raise Http404("No such question.") from None


def _progress_context(stage: catalog.Stage, answers: dict[str, Answer]) -> dict[str, Any]:
    progress = stage_progress(stage, answers)
    sections = [{"section": sec, "progress": progress[sec.id]} for sec in stage.sections]
    return {"progress": progress, "sections": sections, "na_reasons": vocabulary.NA_REASONS}


def carried(q: catalog.Question, answer: effective.EffectiveAnswer | None) -> dict[str, Any]:
    """What the question shows when the stage has not answered it: the answer it inherits
    ("from Launch: Containers", with the values a "confirm" posts) or its default."""
    if answer is None or answer.kind == effective.ANSWERED:
        return {}
    shown = q.display(answer.value) if answer.value is not None else ""
    if answer.kind == effective.INHERITED and answer.origin:
        return {
            "kind": answer.kind,
            "origin": vocabulary.short_title(answer.origin),
            "shown": shown,
            "posted": _posted(q, answer.value),
        }
    return {"kind": answer.kind, "shown": shown, "basis": answer.basis}


def _posted(q: catalog.Question, value: Any) -> list[str]:
    """A stored value as the form posts it, so that "confirm" saves exactly this value."""
    if q.type == "yes_no":
        return ["yes" if value else "no"]
    if isinstance(value, list):
        return [str(v) for v in value] or [""]
    return [str(value)]


def _answered(form: AnswerForm) -> bool:
    """Whether a valid form leaves the stage with its own answer (a value or "not
    applicable"), rather than an emptied question."""
    data = form.cleaned_data
    return data["value"] is not None or bool(data["na_reason"])


def _stage_context(
    journey: Journey,
    stage: catalog.Stage,
    answers: architecture.JourneyAnswers,
    forms: dict[str, AnswerForm],
) -> dict[str, Any]:
    cat = catalog.get()
    index = cat.stages.index(stage)
    own = answers.own(stage.slug)
    resolved = answers.stage(stage.slug)
    context = _progress_context(stage, own)
    for entry in context["sections"]:
        entry["items"] = [
            (
                q,
                forms.get(q.id) or AnswerForm(q, answer=own.get(q.id)),
                carried(q, resolved.get(q.id)),
            )
            for q in entry["section"].questions
        ]
    context.update(
        {
            "journey": journey,
            "stage": stage,
            "stages": cat.stages,
            "previous": cat.stages[index - 1] if index > 0 else None,
            "next": cat.stages[index + 1] if index + 1 < len(cat.stages) else None,
            "coverage": answers.coverage(stage.slug),
            "carry_rule": effective.CARRY_RULE,
            # Saves then say so, and an edit back to the submitted version restores its status.
            "has_submission": journey.status != Journey.DRAFT
            or Submission.objects.filter(journey=journey, latest=True).exists(),
        }
    )
    return context


@require_GET
def stage_page(request: HtmxHttpRequest, journey_id: int, stage: str) -> HttpResponse:
    access = journey_access_or_404(request.user, journey_id)
    journey = access.journey
    current = catalog.get().stage(stage)
    answers = architecture.JourneyAnswers.of(journey)
    context = _stage_context(journey, current, answers, {})
    context.update(panel_context(journey, current.slug, answers=answers))
    context["access"] = access
    # A submitted or approved journey asks before its first change: the answers stay locked
    # until the person says they mean to change them (which makes it a draft again).
    context["confirm_edit"] = (
        access.can_edit and journey.status != Journey.DRAFT and request.GET.get("edit") != "1"
    )
    return render(request, TEMPLATE, context)


@require_GET
def stage_progress_view(request: HtmxHttpRequest, journey_id: int, stage: str) -> HttpResponse:
    """The progress counts, swapped in out of band after each autosave."""
    access = journey_access_or_404(request.user, journey_id, fields=("id",))
    journey = access.journey
    current = catalog.get().stage(stage)
    context = _progress_context(current, journey.answers_for(current.slug))
    return render(request, f"{TEMPLATE}#progress-oob", context)


@require_POST
def answer(request: HtmxHttpRequest, journey_id: int, stage: str, question: str) -> HttpResponse:
    access = autosave_access_or_404(request.user, journey_id)
    journey = access.journey
    current = catalog.get().stage(stage)
    q = _question_or_404(current, question)
    form = AnswerForm(q, request.POST)
    saved = reopened = discarded = False
    status = 200
    if form.discards_mine:
        # "Use their value": nothing is written; the question is drawn again from what is stored.
        discarded = True
        form = AnswerForm(q, answer=current_answer(journey, q))
    elif form.is_valid():
        try:
            outcome = save_answer(journey, q, form.cleaned_data, request.user)
        except AnswerChanged as changed:
            # Someone saved this question after the page was drawn: refused with 409, their
            # answer shown beside what this person typed.
            form.refuse(changed)
            status = 409
        else:
            form.answer = outcome.answer
            saved, reopened = True, outcome.reopened
    if not request.htmx:
        if saved or discarded:
            kept = "Saved" if saved else "Their answer is kept"
            messages.success(request, f"{kept}: {q.label}")
            if reopened:
                messages.warning(request, Journey.REOPENED_NOTICE)
            url = reverse("journeys:stage", args=[journey.pk, current.slug])
            return redirect(f"{url}#q-{q.id}")
        full_access = journey_access_or_404(request.user, journey.pk)
        full = full_access.journey
        answers = architecture.JourneyAnswers.of(full)
        context = _stage_context(full, current, answers, {q.id: form})
        context.update(panel_context(full, current.slug, answers=answers))
        context["access"] = full_access
        return render(request, TEMPLATE, context, status=status)
    # Only this question goes back; the progress and other panels refresh themselves on the
    # "answer-saved" event, so a save stays as short as the write itself.
    context = {
        "journey": journey,
        "access": access,
        "stage": current,
        "q": q,
        "form": form,
        "saved": saved,
        "has_submission": bool(request.POST.get("submitted")) or journey.status != Journey.DRAFT,
        "na_reasons": vocabulary.NA_REASONS,
        # An emptied answer shows again what the stage inherits or defaults to.
        "carried": (
            carried(q, architecture.carried_answer(journey, q))
            if saved and not _answered(form)
            else {}
        ),
    }
    # The partial needs none of the context processors, only the CSRF token of its form.
    context["csrf_token"] = get_token(request)
    html = render_to_string(f"{TEMPLATE}#question", context)
    if reopened:
        html += render_to_string(f"{TEMPLATE}#status-notice", {"journey": journey, "oob": True})
    response = HttpResponse(html, status=status)
    if saved or discarded:
        # The panels refresh: after a save, and after "Use their value" to show their answer.
        response["HX-Trigger"] = "answer-saved"
    return response
