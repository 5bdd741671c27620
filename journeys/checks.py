"""`manage.py check` validates the questionnaire catalogue, so a broken file fails at start-up
with the file, the question and what is wrong."""

from collections.abc import Sequence

from django.apps import AppConfig
from django.core import checks

from journeys import catalog


@checks.register()
def check_catalogue(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: object
) -> list[checks.CheckMessage]:
    catalog.get.cache_clear()
    try:
        catalog.get()
    except catalog.CatalogueError as error:
        return [
            checks.Error(str(problem), hint="Fix the catalogue file.", id="journeys.E001")
            for problem in error.problems
        ]
    return []
