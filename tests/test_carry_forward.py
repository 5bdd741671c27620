"""Answers carry forward between stages (DESIGN 2, "Effective answer"), and every state says
how much of it was answered, carried forward or defaulted."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from journeys import architecture, catalog, effective, engine, exchange
from journeys.effective import ANSWERED, DEFAULTED, INHERITED, Given
from journeys.jobs import exports
from journeys.milestones import milestone_state, save_milestone
from journeys.models import Answer, Journey, Milestone, Team
from journeys.roadmap import live_selection, read_sources


def answer(journey: Journey, stage: str, question: str, value: Any, **extra: Any) -> None:
    Answer.objects.update_or_create(
        journey=journey,
        stage=stage,
        question=question,
        defaults={"value": value, "catalogue_version": catalog.get().version, **extra},
    )


def resolve(given: dict[str, dict[str, Any]]) -> dict[str, effective.StageAnswers]:
    wrapped = {
        stage: {qid: v if isinstance(v, Given) else Given(v) for qid, v in answers.items()}
        for stage, answers in given.items()
    }
    return effective.resolve(catalog.get(), wrapped)


# --- the rule, without a database -------------------------------------------------------------


def test_an_answer_at_launch_reaches_every_later_stage_with_its_origin() -> None:
    resolved = resolve({"launch": {"compute_model": "containers"}})
    assert resolved["launch"]["compute_model"].kind == ANSWERED
    for stage in ("growth", "scale", "beyond"):
        found = resolved[stage]["compute_model"]
        assert (found.kind, found.value, found.origin) == (INHERITED, "containers", "launch")


def test_the_latest_earlier_answer_wins_and_a_stage_own_answer_stops_the_flow() -> None:
    resolved = resolve(
        {"launch": {"compute_model": "vms"}, "growth": {"compute_model": "serverless"}}
    )
    assert resolved["growth"]["compute_model"].kind == ANSWERED
    assert resolved["scale"]["compute_model"].value == "serverless"
    assert resolved["scale"]["compute_model"].origin == "growth"


def test_an_unanswered_question_nobody_answered_is_the_stage_default() -> None:
    resolved = resolve({})
    for stage in ("launch", "scale"):
        found = resolved[stage]["compute_model"]
        assert found.kind == DEFAULTED
        assert found.value == engine.STAGE_DEFAULTS[stage]["compute_model"]
        assert not found.for_engine  # the engine applies its own default


def test_customers_never_carry_forward_but_a_blank_stage_grows_tenfold_from_the_one_before() -> (
    None
):
    resolved = resolve({"launch": {"customers": 100}, "scale": {"customers": 2_000_000}})
    growth, beyond = resolved["growth"]["customers"], resolved["beyond"]["customers"]
    assert (growth.kind, growth.value, growth.basis) == (DEFAULTED, 10_000, "")
    assert (beyond.kind, beyond.value) == (DEFAULTED, 20_000_000)
    assert beyond.basis == "10 × Scale's 2,000,000" and beyond.for_engine
    big_launch = resolve({"launch": {"customers": 5_000}})
    assert big_launch["growth"]["customers"].value == 50_000


def test_peak_load_and_storage_are_derived_per_stage_not_copied() -> None:
    resolved = resolve({"launch": {"peak_rps": 40, "db_storage_gb": 5}})
    assert resolved["growth"]["peak_rps"].kind == DEFAULTED
    assert resolved["growth"]["db_storage_gb"].kind == DEFAULTED


def test_learn_questions_record_their_own_stage_and_do_not_carry_forward() -> None:
    resolved = resolve({"launch": {"learn_performance": ["latency"]}})
    assert resolved["growth"]["learn_performance"].kind == DEFAULTED


def test_not_applicable_is_the_stage_own_decision_and_does_not_carry_forward() -> None:
    resolved = resolve(
        {
            "launch": {"l7_protection": Given(None, "out_of_scope")},
            "growth": {"compute_model": Given(None, "other")},
        }
    )
    assert resolved["launch"]["l7_protection"].kind == ANSWERED
    assert not resolved["launch"]["l7_protection"].for_engine
    assert resolved["growth"]["l7_protection"].kind == DEFAULTED
    assert resolved["growth"]["compute_model"].kind == ANSWERED  # blocks nothing earlier: none


def test_coverage_counts_each_stage_questions_by_where_they_came_from() -> None:
    resolved = resolve({"launch": {"compute_model": "containers", "customers": 300}})
    launch = effective.coverage(resolved["launch"])
    growth = effective.coverage(resolved["growth"])
    asked = len(catalog.get().stage("growth").questions)
    assert (launch.answered, launch.inherited) == (2, 0)
    assert (growth.answered, growth.inherited, growth.defaulted) == (0, 1, asked - 1)
    assert growth.mostly_defaulted
    assert growth.sentence == f"Based on 0 answers, 1 carried forward, {asked - 1} defaults"


# --- the engine and its consumers work on the effective answers --------------------------------


def test_containers_chosen_at_launch_stay_containers_in_growth(journey: Journey) -> None:
    answer(journey, "launch", "compute_model", "containers")
    growth = architecture.stage_state(journey, "growth")
    kinds = {c.id: c.kind for c in growth.components}
    assert "app-service" in kinds and "web-asg" not in kinds
    assert growth.coverage is not None and growth.coverage.inherited == 1


def test_changing_a_launch_answer_flows_into_growth_until_growth_answers_itself(
    journey: Journey,
) -> None:
    answer(journey, "launch", "database_engine", "mysql")
    first = architecture.stage_state(journey, "growth")
    answer(journey, "launch", "database_engine", "aurora-mysql")
    followed = architecture.stage_state(journey, "growth")
    assert followed.hash != first.hash
    assert "aurora-mysql" in json.dumps(followed.to_dict())

    answer(journey, "growth", "database_engine", "postgresql")
    own = architecture.stage_state(journey, "growth")
    answer(journey, "launch", "database_engine", "mysql")
    assert architecture.stage_state(journey, "growth").hash == own.hash
    assert architecture.stage_state(journey, "launch").hash != own.hash


def test_the_estimate_facts_use_the_inherited_traffic_pattern(journey: Journey) -> None:
    answer(journey, "launch", "traffic_pattern", "spiky")
    facts = architecture.stage_facts("scale", architecture.JourneyAnswers.of(journey))
    assert facts.traffic_pattern == "spiky"
    assert facts.customers == 1_000_000


def test_confirming_an_inherited_answer_keeps_the_architecture_and_its_hash(
    journey: Journey,
) -> None:
    answer(journey, "launch", "compute_model", "containers")
    inherited = architecture.stage_state(journey, "growth")
    answer(journey, "growth", "compute_model", "containers")
    confirmed = architecture.stage_state(journey, "growth")
    assert confirmed.hash == inherited.hash
    assert confirmed.coverage != inherited.coverage


def test_a_milestone_freezes_the_effective_answers_with_their_origins(
    journey: Journey, editor: User
) -> None:
    answer(journey, "launch", "compute_model", "containers")
    answer(journey, "scale", "customers", 3_000_000)
    growth, _ = save_milestone(journey, "growth", "", editor)
    beyond, _ = save_milestone(journey, "beyond", "", editor)
    assert growth.answers["compute_model"] == {"value": "containers", "from": "launch"}
    assert beyond.answers["customers"] == {
        "value": 30_000_000,
        "derived": "10 × Scale's 3,000,000",
    }
    assert milestone_state(growth).coverage == architecture.stage_state(journey, "growth").coverage
    rows = architecture.readable_answers("growth", growth.answers)
    assert [r["origin"] for r in rows if r["question"].id == "compute_model"] == ["from Launch"]

    # Changing Launch afterwards leaves the frozen milestone as it was.
    answer(journey, "launch", "compute_model", "serverless")
    again = Milestone.objects.get(pk=growth.pk)
    assert again.answers["compute_model"]["value"] == "containers"
    assert milestone_state(again).hash == growth.state_hash


def test_a_milestone_saved_before_coverage_existed_still_reads(
    journey: Journey, editor: User, editor_client: Any
) -> None:
    milestone, _ = save_milestone(journey, "growth", "", editor)
    old = dict(milestone.state)
    old.pop("coverage")
    Milestone.objects.filter(pk=milestone.pk).delete()
    Milestone.objects.create(
        **{
            f.name: getattr(milestone, f.name)
            for f in Milestone._meta.concrete_fields
            if f.name not in ("id", "state")
        },
        state=old,
    )
    state = milestone_state(Milestone.objects.get(journey=journey, stage="growth"))
    assert state.coverage is None and state.hash == milestone.state_hash
    page = editor_client.get(reverse("journeys:milestone", args=[journey.pk, "growth", 1]))
    assert page.status_code == 200


def test_the_exchange_format_keeps_own_answers_and_an_import_gives_the_same_plan(
    journey: Journey, team: Team
) -> None:
    answer(journey, "launch", "compute_model", "containers")
    answer(journey, "growth", "database_engine", "aurora-postgresql")
    doc = exchange.document(journey)
    assert "compute_model" not in doc["stages"]["growth"]["answers"]
    copy = exchange.create_journey(doc, team)
    original, imported = architecture.all_states(journey), architecture.all_states(copy)
    for stage, state in original.items():
        assert imported[stage].hash == state.hash, stage
        assert imported[stage].coverage == state.coverage, stage


def test_journey_state_prints_the_coverage(journey: Journey) -> None:
    answer(journey, "launch", "compute_model", "containers")
    out = StringIO()
    call_command("journey_state", journey.pk, "--stage", "growth", stdout=out)
    coverage = json.loads(out.getvalue())["coverage"]
    asked = len(catalog.get().stage("growth").questions)
    assert coverage == {"answered": 0, "inherited": 1, "defaulted": asked - 1, "total": asked}
    text = StringIO()
    call_command("journey_state", journey.pk, "--stage", "growth", "--format", "text", stdout=text)
    assert "Based on 0 answers, 1 carried forward" in text.getvalue()


# --- what people see --------------------------------------------------------------------------


def test_the_wizard_shows_an_inherited_answer_with_its_origin_and_a_confirm_button(
    journey: Journey, editor_client: Any
) -> None:
    answer(journey, "launch", "compute_model", "containers")
    page = editor_client.get(reverse("journeys:stage", args=[journey.pk, "growth"])).content
    html = page.decode()
    assert 'id="q-compute_model-carried"' in html
    assert "from Launch" in html and "Containers (Amazon ECS or EKS" in html
    assert "Confirm for this stage" in html
    assert "Based on 0 answers, 1 carried forward" in html
    # A question nobody answered says "default".
    assert 'id="q-l7_protection-carried"' in html


def test_confirming_saves_the_inherited_value_as_the_stage_own_answer(
    journey: Journey, editor_client: Any
) -> None:
    answer(journey, "launch", "compute_model", "containers")
    url = reverse("journeys:answer", args=[journey.pk, "growth", "compute_model"])
    response = editor_client.post(
        url, {"value": "containers", "note": ""}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert Answer.objects.get(journey=journey, stage="growth", question="compute_model").value
    assert "q-compute_model-carried" not in response.content.decode()


def test_emptying_an_answer_shows_what_the_stage_inherits_again(
    journey: Journey, editor_client: Any
) -> None:
    answer(journey, "launch", "rpo_minutes", 30)
    answer(journey, "growth", "rpo_minutes", 10)
    own = Answer.objects.get(journey=journey, stage="growth", question="rpo_minutes")
    url = reverse("journeys:answer", args=[journey.pk, "growth", "rpo_minutes"])
    # The page carries the version of the answer it shows (the concurrency check).
    data = {"value": "", "version": f"{own.pk}.{own.version}"}
    response = editor_client.post(url, data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "from Launch" in html and "30 minutes" in html


@pytest.mark.parametrize("stage", ["launch", "growth", "scale", "beyond"])
def test_the_panel_shows_the_coverage_of_its_stage(
    journey: Journey, editor_client: Any, stage: str
) -> None:
    html = editor_client.get(reverse("journeys:panel", args=[journey.pk, stage])).content.decode()
    assert "Based on 0 answers, 0 carried forward" in html
    assert "Most of this stage rests on defaults" in html


def test_the_journey_page_shows_coverage_and_invites_an_empty_journey_to_the_quick_start(
    journey: Journey, editor_client: Any
) -> None:
    html = editor_client.get(reverse("journeys:detail", args=[journey.pk])).content.decode()
    assert 'id="quick-start-invite"' in html
    assert reverse("journeys:quick_start", args=[journey.pk]) in html
    assert "Based on 0 answers" in html
    answer(journey, "launch", "compute_model", "containers")
    html = editor_client.get(reverse("journeys:detail", args=[journey.pk])).content.decode()
    assert 'id="quick-start-invite"' not in html
    assert "Based on 1 answer, 3 carried forward" in html


def test_a_roadmap_of_defaults_says_so_on_its_cover_and_stage_pages(
    journey: Journey, settings: Any
) -> None:
    settings.PRICING_SOURCE = "snapshot"
    html = exports.compose(journey, read_sources(journey, live_selection()), "A4")
    assert "No question has been answered" in html
    assert html.count("Mostly defaults.") == 4
    assert 'id="cover-coverage">Based on 0 answers, 0 carried forward' in html


def test_a_roadmap_states_its_coverage_and_the_origin_of_each_answer(
    journey: Journey, settings: Any
) -> None:
    settings.PRICING_SOURCE = "snapshot"
    answer(journey, "launch", "compute_model", "containers")
    html = exports.compose(journey, read_sources(journey, live_selection()), "A4")
    assert "No question has been answered" not in html
    assert "Based on 1 answer, 3 carried forward" in html
    assert "(from Launch)" in html


def test_the_stores_and_residency_chosen_at_scale_carry_into_beyond(journey: Journey) -> None:
    """Beyond asks both questions too, so Scale's answers flow on: Beyond keeps the search
    domain and the in-country recovery region rather than dropping them in its diff."""
    journey.region = "ap-south-1"
    journey.save(update_fields=["region"])
    answer(journey, "scale", "purpose_built_stores", ["search"])
    answer(journey, "scale", "data_residency", True)
    answers = architecture.JourneyAnswers.of(journey)
    assert answers.stage("beyond")["purpose_built_stores"].kind == INHERITED
    beyond, scale = architecture.stage_with_previous(journey, "beyond", answers)
    kinds = {c.kind for c in beyond.components}
    assert "search" in kinds and "nosql_db" not in kinds
    assert beyond.dr_region == scale.dr_region == "ap-south-2"  # Hyderabad: same country
    search_ids = {c.id for c in scale.components if c.kind == "search"}
    assert search_ids and not search_ids & set(engine.diff(scale, beyond).removed)
