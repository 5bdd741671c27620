"""The proposed architecture beside the questions: panel, overrides, assumptions."""

from typing import Any

from django.urls import reverse

from journeys import answers, engine
from journeys.models import Answer, Journey

HTMX = {"HX-Request": "true"}


def answer(client: Any, journey: Journey, stage: str, qid: str, value: str) -> None:
    url = reverse("journeys:answer", args=[journey.pk, stage, qid])
    # Saved over the current answer, as a page drawn just now would.
    current = Answer.objects.filter(journey=journey, stage=stage, question=qid).first()
    data = {"value": value, "version": str(answers.version_of(current))}
    assert client.post(url, data, headers=HTMX).status_code == 200


def panel(client: Any, journey: Journey, stage: str) -> str:
    response = client.get(reverse("journeys:panel", args=[journey.pk, stage]), headers=HTMX)
    assert response.status_code == 200
    return response.content.decode()


def test_the_stage_page_shows_the_proposed_architecture(
    editor_client: Any, journey: Journey
) -> None:
    html = editor_client.get(
        reverse("journeys:stage", args=[journey.pk, "growth"])
    ).content.decode()
    assert 'id="architecture-panel"' in html
    assert "Application Load Balancer" in html
    assert "Disaster recovery" in html
    assert 'hx-trigger="answer-saved from:body"' in html


def test_answers_change_the_panel(editor_client: Any, journey: Journey) -> None:
    before = panel(editor_client, journey, "growth")
    assert "Amazon DynamoDB" not in before
    answer(editor_client, journey, "growth", "database_engine", "dynamodb")
    after = panel(editor_client, journey, "growth")
    assert "DynamoDB" in after


def test_more_load_means_more_instances_in_the_panel(editor_client: Any, journey: Journey) -> None:
    answer(editor_client, journey, "growth", "peak_rps", "100")
    small = engine.recommend("growth", {"peak_rps": 100}, region="eu-west-1")
    answer(editor_client, journey, "growth", "peak_rps", "5000")
    large = engine.recommend("growth", {"peak_rps": 5000}, region="eu-west-1")
    count = lambda s: s.component("web-asg").params["count"]  # noqa: E731
    assert count(large) > count(small)
    assert f"Instances</span> {count(large)}" in panel(editor_client, journey, "growth")


def test_a_finding_shows_its_action_and_goes_when_fixed(
    editor_client: Any, journey: Journey
) -> None:
    answer(editor_client, journey, "launch", "l7_protection", "none")
    assert "finding-open-to-layer-7-attacks" in panel(editor_client, journey, "launch")
    answer(editor_client, journey, "launch", "l7_protection", "waf")
    assert "finding-open-to-layer-7-attacks" not in panel(editor_client, journey, "launch")


def override_url(journey: Journey, stage: str, component: str) -> str:
    return reverse("journeys:override", args=[journey.pk, stage, component])


def test_an_override_is_applied_shown_and_resettable(editor_client: Any, journey: Journey) -> None:
    response = editor_client.post(
        override_url(journey, "growth", "web-asg"), {"instance_type": "c6g.xlarge"}, headers=HTMX
    )
    html = response.content.decode()
    assert "overridden" in html and "c6g.xlarge" in html
    journey.refresh_from_db()
    assert journey.overrides["growth"]["web-asg"] == {"instance_type": "c6g.xlarge"}

    editor_client.post(override_url(journey, "growth", "web-asg"), {"reset": "1"}, headers=HTMX)
    journey.refresh_from_db()
    assert "web-asg" not in journey.overrides["growth"]


def test_an_invalid_override_says_why_and_keeps_the_rest(
    editor_client: Any, journey: Journey
) -> None:
    response = editor_client.post(
        override_url(journey, "growth", "web-asg"), {"count": "-4"}, headers=HTMX
    )
    html = response.content.decode()
    assert "must be a whole number" in html
    assert 'value="-4"' in html
    journey.refresh_from_db()
    assert journey.overrides.get("growth", {}).get("web-asg") is None


def test_an_override_of_an_unknown_component_is_a_404(editor_client: Any, journey: Journey) -> None:
    response = editor_client.post(override_url(journey, "growth", "mainframe"), {"count": "2"})
    assert response.status_code == 404


def test_overrides_that_do_not_fit_together_are_refused(
    editor_client: Any, journey: Journey
) -> None:
    response = editor_client.post(
        override_url(journey, "growth", "web-asg"), {"min": "5", "max": "4"}, headers=HTMX
    )
    html = response.content.decode()
    assert "min 5 is above max 4" in html
    assert 'name="min" value="5"' in html and 'name="max" value="4"' in html
    journey.refresh_from_db()
    assert journey.overrides.get("growth", {}).get("web-asg") is None


def test_without_javascript_a_refused_override_shows_its_form_with_the_input(
    editor_client: Any, journey: Journey
) -> None:
    response = editor_client.post(override_url(journey, "growth", "web-asg"), {"count": "-4"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and "Change " in html
    assert 'id="ov-web-asg-count"' in html and 'value="-4"' in html
    assert "must be a whole number" in html


def test_without_javascript_an_override_goes_back_to_its_component(
    editor_client: Any, journey: Journey
) -> None:
    response = editor_client.post(override_url(journey, "growth", "web-asg"), {"count": "4"})
    assert response["Location"].endswith("/stages/growth/#component-web-asg")
    journey.refresh_from_db()
    assert journey.overrides["growth"]["web-asg"] == {"count": 4}


def test_the_override_form_shows_the_current_values(editor_client: Any, journey: Journey) -> None:
    response = editor_client.get(override_url(journey, "growth", "web-asg"), headers=HTMX)
    page = response.content.decode()
    web = engine.recommend("growth", {}, region=journey.region).component("web-asg")
    assert web is not None
    assert f'name="count" value="{web.params["count"]}"' in page
    assert f'<option value="{web.params["instance_type"]}" selected>' in page


def test_assumptions_change_the_sizing_and_bad_ones_are_refused(
    editor_client: Any, journey: Journey
) -> None:
    url = reverse("journeys:assumptions", args=[journey.pk])
    response = editor_client.post(url, {"rps_per_instance": "-3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'value="-3"' in html
    assert "must be a positive number" in html
    journey.refresh_from_db()
    assert journey.assumptions == {}
    editor_client.post(url, {"rps_per_instance": "50"})
    journey.refresh_from_db()
    assert journey.assumptions == {"rps_per_instance": 50}


def test_an_assumption_that_is_not_a_number_says_so_next_to_its_field(
    editor_client: Any, journey: Journey
) -> None:
    url = reverse("journeys:assumptions", args=[journey.pk])
    response = editor_client.post(url, {"rps_per_instance": "lots", "nat_traffic_share": "2"})
    html = response.content.decode()
    assert '<small class="error" id="as-rps_per_instance_error">Enter a number.</small>' in html
    assert 'value="lots"' in html
    assert "is a ratio: use a number from 0 to 1" in html
    journey.refresh_from_db()
    assert journey.assumptions == {}


def test_assumptions_are_read_as_people_write_them_and_defaults_are_not_stored(
    editor_client: Any, journey: Journey
) -> None:
    url = reverse("journeys:assumptions", args=[journey.pk])
    default = engine.ASSUMPTIONS["nat_traffic_share"].value
    response = editor_client.post(
        url, {"rps_per_instance": "1,500", "nat_traffic_share": str(default)}
    )
    assert response["Location"] == url
    journey.refresh_from_db()
    assert journey.assumptions == {"rps_per_instance": 1500}
    page = editor_client.get(url).content.decode()
    assert 'value="1500"' in page


def test_not_applicable_answers_are_left_to_the_engine_defaults(
    editor_client: Any, journey: Journey
) -> None:
    Answer.objects.create(
        journey=journey,
        stage="growth",
        question="database_engine",
        value=None,
        not_applicable="out_of_scope",
        catalogue_version="x",
    )
    html = panel(editor_client, journey, "growth")
    assert "DynamoDB" not in html
