"""Pages that list things keep a fixed number of queries however much data there is."""

from typing import Any

import pytest
from django.urls import reverse

from journeys import catalog
from journeys.models import Answer, Journey, Team

# session + user, journeys page + count, teams for the filter, editable teams check
LIST_QUERIES = 6
# session, user, the journey with the role, the answers of this and the previous stage,
# the latest milestone, whether the journey has a submission (an edit may return to it)
STAGE_QUERIES = 6


def fill(team: Team, journeys: int) -> Journey:
    created = Journey.objects.bulk_create(
        Journey(team=team, name=f"J{i}", region="us-east-1") for i in range(journeys)
    )
    first = created[0]
    stage = catalog.get().stage("growth")
    Answer.objects.bulk_create(
        Answer(
            journey=first,
            stage="growth",
            question=q.id,
            value=None,
            note="n",
            catalogue_version="v",
        )
        for q in stage.questions.values()
    )
    return first


@pytest.mark.parametrize("journeys", [1, 40])
def test_the_journey_list_query_count_is_fixed(
    editor_client: Any, team: Team, journeys: int, django_assert_num_queries: Any
) -> None:
    fill(team, journeys)
    with django_assert_num_queries(LIST_QUERIES):
        response = editor_client.get(reverse("journeys:list"))
    html = response.content.decode()
    # Every journey of the page is drawn (team, status, answer count): the count covers them.
    assert html.count('<td><a href="/journeys/') == min(journeys, 20)


@pytest.mark.parametrize("journeys", [1, 40])
def test_the_stage_page_query_count_is_fixed(
    editor_client: Any, team: Team, journeys: int, django_assert_num_queries: Any
) -> None:
    first = fill(team, journeys)
    with django_assert_num_queries(STAGE_QUERIES):
        response = editor_client.get(reverse("journeys:stage", args=[first.pk, "growth"]))
    html = response.content.decode()
    # The counted page is the whole one: the questions with their notes, and the panel.
    assert 'id="architecture-panel"' in html and 'id="q-peak_rps"' in html
    assert html.count(">n</textarea>") == len(catalog.get().stage("growth").questions)
