"""The quick start: about ten answers fill all four stages through carry-forward."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse

from journeys import architecture
from journeys.models import Answer, HistoryEntry, Journey

GOOD = {
    "product": "b2b_saas",
    "customers_now": "300",
    "customers_1y": "20,000",
    "customers_3y": "1500000",
    "region": "eu-central-1",
    "data_residency": "yes",
    "availability_target": "99.95",
    "recovery": "minutes",
    "compute_model": "containers",
    "database_engine": "aurora-postgresql",
    "customer_identity": "managed",
}


def post(client: Any, journey: Journey, **changes: str) -> Any:
    url = reverse("journeys:quick_start", args=[journey.pk])
    return client.post(url, {**GOOD, **changes})


def test_the_page_asks_about_ten_questions_and_says_what_it_assumes(
    editor_client: Any, journey: Journey
) -> None:
    response = editor_client.get(reverse("journeys:quick_start", args=[journey.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["form"].fields) == len(GOOD) <= 12
    assert "What the quick start assumes" in html
    assert 'value="eu-west-1" selected' in html  # the journey's region to start from


def test_ten_answers_fill_the_four_stages_and_lead_to_the_journey_page(
    editor_client: Any, journey: Journey
) -> None:
    response = post(editor_client, journey)
    assert response.status_code == 302 and response["Location"] == journey.get_absolute_url()
    stored = {(a.stage, a.question): a.value for a in Answer.objects.filter(journey=journey)}
    # Eleven inputs: the product sets three answers of the load shape, recovery RPO and RTO.
    assert len(stored) == 13
    assert stored[("launch", "customers")] == 300
    assert stored[("growth", "customers")] == 20_000
    assert stored[("scale", "customers")] == 1_500_000
    assert stored[("scale", "data_residency")] is True
    assert stored[("launch", "compute_model")] == "containers"
    assert (stored[("launch", "rpo_minutes")], stored[("launch", "rto_minutes")]) == (1, 5)
    journey.refresh_from_db()
    assert journey.region == "eu-central-1"
    assert HistoryEntry.objects.filter(journey=journey, action="quick_start").exists()

    answers = architecture.JourneyAnswers.of(journey)
    assert answers.stage("beyond")["customers"].value == 15_000_000
    states = architecture.all_states(journey, answers)
    for stage, state in states.items():
        kinds = {c.kind for c in state.components}
        assert "container_service" in kinds and "compute" not in kinds, stage
        assert state.dr.strategy == "warm_standby", stage
        assert state.region == "eu-central-1"
        assert state.coverage is not None
    assert states["growth"].coverage.inherited >= 8
    assert architecture.stage_facts("beyond", answers).customers == 15_000_000

    page = editor_client.get(journey.get_absolute_url()).content.decode()
    assert "Quick start saved" in page
    assert 'id="quick-start-invite"' not in page
    assert "Export roadmap" in page
    assert 'id="diagram-scale"' in page and 'id="journey-costs"' in page


def test_a_bad_number_keeps_the_input_and_shows_the_error_next_to_it(
    editor_client: Any, journey: Journey
) -> None:
    response = post(editor_client, journey, customers_1y="lots")
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_customers_1y_error"' in html
    assert 'value="lots"' in html and 'value="20,000"' not in html
    assert 'value="300"' in html  # the other inputs are kept too
    assert not Answer.objects.filter(journey=journey).exists()


def test_customers_that_shrink_over_time_are_refused(editor_client: Any, journey: Journey) -> None:
    response = post(editor_client, journey, customers_3y="1000")
    assert response.status_code == 422
    assert "at least as many customers as in one year" in response.content.decode()


def test_the_region_may_not_be_the_recovery_region(editor_client: Any, journey: Journey) -> None:
    journey.dr_region = "eu-central-1"
    journey.save()
    response = post(editor_client, journey)
    assert response.status_code == 422
    assert "recovery region" in response.content.decode()


def test_user_text_is_escaped_on_the_page(editor_client: Any, journey: Journey) -> None:
    response = post(editor_client, journey, customers_now="<script>x</script>")
    html = response.content.decode()
    assert "<script>x</script>" not in html and "&lt;script&gt;" in html


def test_viewers_cannot_run_the_quick_start(client: Any, viewer: User, journey: Journey) -> None:
    client.force_login(viewer)
    assert post(client, journey).status_code == 403
    assert not Answer.objects.filter(journey=journey).exists()


def test_it_replaces_only_its_own_questions(editor_client: Any, journey: Journey) -> None:
    Answer.objects.create(
        journey=journey, stage="launch", question="monitoring", value="full", catalogue_version="x"
    )
    Answer.objects.create(
        journey=journey,
        stage="launch",
        question="compute_model",
        value="vms",
        catalogue_version="x",
    )
    assert (
        "already has answers"
        in editor_client.get(reverse("journeys:quick_start", args=[journey.pk])).content.decode()
    )
    post(editor_client, journey)
    values = {a.question: a.value for a in Answer.objects.filter(journey=journey, stage="launch")}
    assert values["monitoring"] == "full" and values["compute_model"] == "containers"
