"""The site's URLs plus the baseline views the benchmarks compare against."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils import timezone

from journeys.models import Journey


def one_write(request: HttpRequest, journey_id: int) -> HttpResponse:
    """The least a saving view can do: one ORM write."""
    Journey.objects.filter(pk=journey_id).update(updated=timezone.now())
    return HttpResponse("ok")


urlpatterns = [
    path("bench/one-write/<int:journey_id>/", one_write),
    path("", include("planner.urls")),
]
