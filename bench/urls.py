"""The site's URLs plus the baseline views the benchmarks compare against."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path
from django.utils import timezone

from journeys import architecture, catalog
from journeys.access import journey_access_or_404
from journeys.models import Journey
from journeys.views import HtmxHttpRequest
from journeys.views.wizard import _stage_context


def one_write(request: HttpRequest, journey_id: int) -> HttpResponse:
    """The least a saving view can do: one ORM write."""
    Journey.objects.filter(pk=journey_id).update(updated=timezone.now())
    return HttpResponse("ok")


def bare_stage(request: HtmxHttpRequest, journey_id: int, stage: str) -> HttpResponse:
    """The stage page as the wizard alone draws it: the same view code, without the panel."""
    access = journey_access_or_404(request.user, journey_id)
    journey = access.journey
    current = catalog.get().stage(stage)
    answers = architecture.JourneyAnswers.of(journey)
    context = {**_stage_context(journey, current, answers, {}), "access": access}
    return render(request, "journeys/stage.html", context)


urlpatterns = [
    # The site's URLs first: including them registers the `stage` path converter.
    path("", include("planner.urls")),
    path("bench/bare-stage/<int:journey_id>/<stage:stage>/", bare_stage),
    path("bench/one-write/<int:journey_id>/", one_write),
]
