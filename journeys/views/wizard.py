"""The wizard: one page per stage; every answer is saved the moment it is given."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from journeys import catalog
from journeys.access import journey_or_404
from journeys.forms import AnswerForm
from journeys.models import Answer, Journey
from journeys.progress import stage_progress

TEMPLATE = "journeys/stage.html"


def _stage_or_404(slug: str) -> catalog.Stage:
    try:
        return catalog.get().stage(slug)
    except KeyError:
        raise Http404("No such stage.") from None


def _question_or_404(stage: catalog.Stage, question_id: str) -> catalog.Question:
    try:
        return stage.questions[question_id]
    except KeyError:
        raise Http404("No such question.") from None


def _stage_context(
    journey: Journey, stage: catalog.Stage, answers: dict[str, Answer], forms: dict[str, Any]
) -> dict[str, Any]:
    progress = stage_progress(stage, answers)
    cat = catalog.get()
    slugs = [s.slug for s in cat.stages]
    index = slugs.index(stage.slug)
    sections = [
        {
            "section": section,
            "progress": progress[section.id],
            "items": [
                (q, forms.get(q.id) or AnswerForm(q, answer=answers.get(q.id)))
                for q in section.questions
            ],
        }
        for section in stage.sections
    ]
    return {
        "journey": journey,
        "stage": stage,
        "stages": cat.stages,
        "previous": cat.stages[index - 1] if index > 0 else None,
        "next": cat.stages[index + 1] if index + 1 < len(slugs) else None,
        "sections": sections,
        "progress": progress,
    }


@require_GET
def stage_page(request: HttpRequest, journey_id: int, stage: str) -> HttpResponse:
    journey = journey_or_404(request.user, journey_id)
    current = _stage_or_404(stage)
    context = _stage_context(journey, current, journey.answers_for(current.slug), {})
    return render(request, TEMPLATE, context)


@require_POST
def answer(request: HttpRequest, journey_id: int, stage: str, question: str) -> HttpResponse:
    journey = journey_or_404(request.user, journey_id, edit=True)
    current = _stage_or_404(stage)
    q = _question_or_404(current, question)
    answers = journey.answers_for(current.slug)
    form = AnswerForm(q, request.POST, answer=answers.get(q.id))
    saved = form.is_valid()
    if saved:
        stored = form.save(journey, request.user)
        if stored is None:
            answers.pop(q.id, None)
        else:
            answers[q.id] = stored
        # A fresh form shows the value as stored (e.g. "1,5" typed, 1.5 kept).
        form = AnswerForm(q, answer=stored)
    if not request.htmx:
        if saved:
            messages.success(request, f"Saved: {q.label}")
            url = reverse("journeys:stage", args=[journey.pk, current.slug])
            return redirect(f"{url}#q-{q.id}")
        context = _stage_context(journey, current, answers, {q.id: form})
        return render(request, TEMPLATE, context)
    context = _stage_context(journey, current, answers, {q.id: form})
    context.update({"q": q, "form": form, "saved": saved})
    html = render_to_string(f"{TEMPLATE}#question", context, request)
    html += render_to_string(f"{TEMPLATE}#progress-oob", context, request)
    response = HttpResponse(html)
    if saved:
        response["HX-Trigger"] = "answer-saved"
    return response
