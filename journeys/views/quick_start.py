"""The quick start: one short page of about ten questions that fills a whole journey."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from journeys import quick_start as quick
from journeys.access import journey_access_or_404
from journeys.forms import QuickStartForm
from journeys.views import HtmxHttpRequest


@require_http_methods(["GET", "POST"])
def quick_start(request: HtmxHttpRequest, journey_id: int) -> HttpResponse:
    access = journey_access_or_404(request.user, journey_id, edit=True)
    journey = access.journey
    form = QuickStartForm(journey, request.POST or None)
    if request.method == "POST" and form.is_valid():
        stored = quick.apply(journey, form.cleaned_data, request.user)
        messages.success(
            request,
            f"Quick start saved {stored} answers: all four stages are planned. "
            + " ".join(quick.assumptions(form.cleaned_data)[:2])
            + " Refine the plan stage by stage.",
        )
        return redirect(journey)
    context = {
        "journey": journey,
        "access": access,
        "form": form,
        "assumptions": quick.assumptions(),
        "has_answers": journey.answers.exists(),
    }
    status = 422 if form.errors else 200
    return render(request, "journeys/quick_start.html", context, status=status)
