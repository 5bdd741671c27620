"""The wizard: full pages, htmx partials, autosave, errors that keep the input."""

import re
from typing import Any

import pytest
from django.urls import reverse

from journeys import catalog, vocabulary
from journeys.models import Answer

HTMX = {"HX-Request": "true"}
VERSION = re.compile(r'name="version" value="([^"]*)"')


def version_in(html: str) -> str:
    """The version a question's form carries, as the browser sends it with the next save."""
    match = VERSION.search(html)
    assert match is not None
    return match[1]


def answer_url(journey: Any, stage: str, question: str) -> str:
    return reverse("journeys:answer", args=[journey.pk, stage, question])


def stage_url(journey: Any, stage: str) -> str:
    return reverse("journeys:stage", args=[journey.pk, stage])


@pytest.mark.parametrize("stage", vocabulary.STAGES)
def test_every_stage_page_shows_its_sections_and_core_questions(
    editor_client: Any, journey: Any, stage: str
) -> None:
    response = editor_client.get(stage_url(journey, stage))
    assert response.status_code == 200
    html = response.content.decode()
    for section in ("Build", "Measure", "Learn", "Best-practices check"):
        assert section in html
    for qid in ("customers", "peak_rps", "availability_target", "monitoring"):
        assert f'id="q-{qid}"' in html


def test_an_unknown_stage_is_a_404(editor_client: Any, journey: Any) -> None:
    # Built by hand: reverse() refuses a slug that the stage converter does not match.
    assert editor_client.get(f"/journeys/{journey.pk}/stages/hyperscale/").status_code == 404


def test_an_htmx_answer_returns_only_the_question_partial_and_saves(
    editor_client: Any, journey: Any
) -> None:
    response = editor_client.post(
        answer_url(journey, "launch", "peak_rps"), {"value": "40"}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.count('id="q-peak_rps"') == 1
    assert "Saved" in html
    assert response["HX-Trigger"] == "answer-saved"
    answer = Answer.objects.get(journey=journey, stage="launch", question="peak_rps")
    assert answer.value == 40
    assert answer.catalogue_version == catalog.get().version


def test_after_a_save_the_progress_refreshes_out_of_band(editor_client: Any, journey: Any) -> None:
    editor_client.post(answer_url(journey, "launch", "customers"), {"value": "150"}, headers=HTMX)
    page = editor_client.get(stage_url(journey, "launch")).content.decode()
    progress_url = reverse("journeys:progress", args=[journey.pk, "launch"])
    assert f'hx-get="{progress_url}" hx-trigger="answer-saved from:body"' in page
    html = editor_client.get(progress_url, headers=HTMX).content.decode()
    assert 'id="progress-stage"' in html and 'hx-swap-oob="true"' in html
    assert "1 answered" in html
    assert 'id="progress-measure"' in html


def test_an_invalid_number_keeps_the_input_and_shows_the_error(
    editor_client: Any, journey: Any
) -> None:
    response = editor_client.post(
        answer_url(journey, "launch", "peak_rps"), {"value": "lots"}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="lots"' in html
    assert 'class="errorlist"' in html
    assert "HX-Trigger" not in response
    assert not Answer.objects.filter(journey=journey, question="peak_rps").exists()


def test_a_number_below_its_bound_is_refused_with_the_bound(
    editor_client: Any, journey: Any
) -> None:
    response = editor_client.post(
        answer_url(journey, "launch", "customers"), {"value": "0"}, headers=HTMX
    )
    html = response.content.decode()
    assert 'value="0"' in html
    assert "errorlist" in html
    assert not Answer.objects.filter(journey=journey, question="customers").exists()


@pytest.mark.parametrize(
    ("question", "maximum"),
    [
        ("customers", "1,000,000,000"),
        ("peak_rps", "10,000,000"),
        ("avg_response_kb", "100,000"),
        ("db_storage_gb", "1,000,000"),
        ("object_storage_gb", "100,000,000"),
        ("rpo_minutes", "525,600"),
    ],
)
def test_a_number_above_its_business_maximum_is_refused_with_the_bound(
    editor_client: Any, journey: Any, question: str, maximum: str
) -> None:
    response = editor_client.post(
        answer_url(journey, "growth", question), {"value": "999999999999999"}, headers=HTMX
    )
    html = response.content.decode()
    assert 'value="999999999999999"' in html
    assert f"and {maximum}." in html
    assert not Answer.objects.filter(journey=journey, question=question).exists()


def test_a_number_at_its_maximum_is_saved(editor_client: Any, journey: Any) -> None:
    editor_client.post(
        answer_url(journey, "growth", "peak_rps"), {"value": "10,000,000"}, headers=HTMX
    )
    assert Answer.objects.get(journey=journey, question="peak_rps").value == 10_000_000


def test_an_invalid_answer_does_not_overwrite_the_saved_one(
    editor_client: Any, journey: Any
) -> None:
    url = answer_url(journey, "growth", "read_ratio")
    editor_client.post(url, {"value": "80"}, headers=HTMX)
    editor_client.post(url, {"value": "180"}, headers=HTMX)
    assert Answer.objects.get(journey=journey, question="read_ratio").value == 80


def test_not_applicable_needs_a_reason(editor_client: Any, journey: Any) -> None:
    url = answer_url(journey, "launch", "object_storage_gb")
    response = editor_client.post(url, {"na": "on", "na_reason": ""}, headers=HTMX)
    assert "Choose why this question does not apply." in response.content.decode()
    assert not Answer.objects.filter(journey=journey, question="object_storage_gb").exists()

    editor_client.post(
        url, {"na": "on", "na_reason": "out_of_scope", "note": "No uploads yet."}, headers=HTMX
    )
    answer = Answer.objects.get(journey=journey, question="object_storage_gb")
    assert answer.not_applicable == "out_of_scope"
    assert answer.value is None
    assert answer.note == "No uploads yet."


def test_a_note_is_kept_with_the_answer(editor_client: Any, journey: Any) -> None:
    editor_client.post(
        answer_url(journey, "launch", "traffic_pattern"),
        {"value": "spiky", "note": "Marketing pushes on Mondays."},
        headers=HTMX,
    )
    answer = Answer.objects.get(journey=journey, question="traffic_pattern")
    assert (answer.value, answer.note) == ("spiky", "Marketing pushes on Mondays.")


def test_an_unknown_choice_is_refused(editor_client: Any, journey: Any) -> None:
    response = editor_client.post(
        answer_url(journey, "launch", "compute_model"), {"value": "mainframe"}, headers=HTMX
    )
    assert "errorlist" in response.content.decode()
    assert not Answer.objects.filter(journey=journey, question="compute_model").exists()


def test_without_javascript_a_saved_answer_redirects_back_to_the_question(
    editor_client: Any, journey: Any
) -> None:
    response = editor_client.post(answer_url(journey, "launch", "peak_rps"), {"value": "12.5"})
    assert response.status_code == 302
    assert response["Location"].endswith("/stages/launch/#q-peak_rps")
    assert Answer.objects.get(journey=journey, question="peak_rps").value == 12.5


def test_without_javascript_an_error_renders_the_whole_page_with_the_input(
    editor_client: Any, journey: Any
) -> None:
    response = editor_client.post(answer_url(journey, "launch", "peak_rps"), {"value": "-3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and 'value="-3"' in html and "errorlist" in html


def test_an_accepted_answer_comes_back_as_it_is_kept(editor_client: Any, journey: Any) -> None:
    response = editor_client.post(
        answer_url(journey, "launch", "customers"), {"value": "1,500"}, headers=HTMX
    )
    html = response.content.decode()
    assert 'value="1500"' in html and 'value="1,500"' not in html
    assert Answer.objects.get(journey=journey, question="customers").value == 1500


def test_the_saved_value_is_shown_when_the_page_is_reloaded(
    editor_client: Any, journey: Any
) -> None:
    editor_client.post(answer_url(journey, "scale", "rpo_minutes"), {"value": "15"}, headers=HTMX)
    html = editor_client.get(stage_url(journey, "scale")).content.decode()
    assert 'value="15"' in html


def test_clearing_an_optional_answer_removes_it(editor_client: Any, journey: Any) -> None:
    q = next(
        q
        for q in catalog.get().stage("launch").questions.values()
        if not q.required and q.type in ("integer", "decimal", "percentage", "text")
    )
    url = answer_url(journey, "launch", q.id)
    value = "hello" if q.type == "text" else str(q.min if q.min is not None else 1)
    saved = editor_client.post(url, {"value": value}, headers=HTMX).content.decode()
    assert Answer.objects.filter(journey=journey, question=q.id).exists()
    response = editor_client.post(url, {"value": "", "version": version_in(saved)}, headers=HTMX)
    assert response.status_code == 200
    assert not Answer.objects.filter(journey=journey, question=q.id).exists()
    # The emptied question starts again from "no answer".
    assert version_in(response.content.decode()) == "0"


def test_an_answer_is_changed_with_the_version_its_page_carries(
    editor_client: Any, journey: Any
) -> None:
    url = answer_url(journey, "growth", "read_ratio")
    first = editor_client.post(url, {"value": "80"}, headers=HTMX).content.decode()
    second = editor_client.post(url, {"value": "90", "version": version_in(first)}, headers=HTMX)
    assert second.status_code == 200
    answer = Answer.objects.get(journey=journey, question="read_ratio")
    assert (answer.value, answer.version) == (90, 2)
    assert version_in(second.content.decode()) == f"{answer.pk}.2"


def test_an_invalid_answer_keeps_the_version_the_page_had(editor_client: Any, journey: Any) -> None:
    url = answer_url(journey, "growth", "read_ratio")
    first = version_in(editor_client.post(url, {"value": "80"}, headers=HTMX).content.decode())
    refused = editor_client.post(url, {"value": "180", "version": first}, headers=HTMX)
    assert version_in(refused.content.decode()) == first
    again = editor_client.post(url, {"value": "85", "version": first}, headers=HTMX)
    assert again.status_code == 200
    assert Answer.objects.get(journey=journey, question="read_ratio").value == 85


def test_the_saves_of_one_question_go_one_after_the_other(editor_client: Any, journey: Any) -> None:
    # Typing saves and the save on leaving the field must not cross: each carries the version
    # the previous one returned.
    html = editor_client.get(stage_url(journey, "launch")).content.decode()
    assert html.count('hx-sync="this:queue last"') == len(catalog.get().stage("launch").questions)


def test_a_viewer_sees_the_answers_without_edit_controls(
    client: Any, viewer: Any, journey: Any
) -> None:
    client.force_login(viewer)
    html = client.get(stage_url(journey, "launch")).content.decode()
    assert "hx-post" not in html
    assert "read only" in html


def test_a_viewer_cannot_save(client: Any, viewer: Any, journey: Any) -> None:
    client.force_login(viewer)
    response = client.post(answer_url(journey, "launch", "peak_rps"), {"value": "3"}, headers=HTMX)
    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_answering_with_get_is_not_allowed(editor_client: Any, journey: Any) -> None:
    assert editor_client.get(answer_url(journey, "launch", "peak_rps")).status_code == 405


def test_an_unknown_question_is_a_404(editor_client: Any, journey: Any) -> None:
    response = editor_client.post(answer_url(journey, "launch", "colour"), {"value": "1"})
    assert response.status_code == 404


def test_htmx_posts_without_the_csrf_token_are_refused(editor: Any, journey: Any) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(answer_url(journey, "launch", "peak_rps"), {"value": "3"}, headers=HTMX)
    assert response.status_code == 403
    page = client.get(stage_url(journey, "launch")).content.decode()
    assert "x-csrftoken" in page


def test_user_text_is_escaped_in_the_page(editor_client: Any, journey: Any) -> None:
    hostile = "<script>alert(1)</script>"
    editor_client.post(
        answer_url(journey, "launch", "traffic_pattern"),
        {"value": "steady", "note": hostile},
        headers=HTMX,
    )
    html = editor_client.get(stage_url(journey, "launch")).content.decode()
    assert hostile not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- "None of these" is an answer (issue 14) ------------------------------------------------------


def test_none_of_these_is_a_real_answer_to_a_checkbox_question(
    editor_client: Any, journey: Any
) -> None:
    url = answer_url(journey, "scale", "purpose_built_stores")
    response = editor_client.post(url, {"none_of_these": "1", "none_shown": "0"}, headers=HTMX)
    assert response.status_code == 200
    stored = Answer.objects.get(journey=journey, stage="scale", question="purpose_built_stores")
    assert stored.value == [] and stored.is_answered
    assert re.search(
        r'name="none_of_these" value="1" id="[^"]+" checked', response.content.decode()
    )
    page = editor_client.get(stage_url(journey, "scale")).content.decode()
    assert "None of these" in page


def test_a_box_ticked_beside_none_of_these_replaces_it(editor_client: Any, journey: Any) -> None:
    url = answer_url(journey, "scale", "purpose_built_stores")
    first = editor_client.post(url, {"none_of_these": "1", "none_shown": "0"}, headers=HTMX)
    data = {
        "value": "caching",
        "none_of_these": "1",
        "none_shown": "1",
        "version": version_in(first.content.decode()),
    }
    editor_client.post(url, data, headers=HTMX)
    stored = Answer.objects.get(journey=journey, stage="scale", question="purpose_built_stores")
    assert stored.value == ["caching"]


def test_none_of_these_ticked_beside_boxes_clears_them(editor_client: Any, journey: Any) -> None:
    url = answer_url(journey, "scale", "purpose_built_stores")
    first = editor_client.post(url, {"value": "caching"}, headers=HTMX)
    data = {
        "value": "caching",
        "none_of_these": "1",
        "none_shown": "0",
        "version": version_in(first.content.decode()),
    }
    editor_client.post(url, data, headers=HTMX)
    stored = Answer.objects.get(journey=journey, stage="scale", question="purpose_built_stores")
    assert stored.value == []


def test_unticking_everything_leaves_a_checkbox_question_open(
    editor_client: Any, journey: Any
) -> None:
    url = answer_url(journey, "scale", "purpose_built_stores")
    first = editor_client.post(url, {"none_of_these": "1", "none_shown": "0"}, headers=HTMX)
    editor_client.post(url, {"version": version_in(first.content.decode())}, headers=HTMX)
    assert not Answer.objects.filter(journey=journey, question="purpose_built_stores").exists()
