"""Arbitrary input to the answer endpoint never gives a 500, whatever version it claims."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeys import catalog

QUESTIONS = [(stage.slug, q.id) for stage in catalog.get().stages for q in stage.questions.values()]
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=True).map(str),
)
VALUES = st.one_of(st.text(max_size=300), NUMBERS, st.sampled_from(["", " ", "1e999999", "١٢"]))
# The version a page carries is text too: a forged or garbled one must not fail either.
VERSIONS = st.one_of(
    st.text(max_size=30), st.sampled_from(["0", "1.1", "1.0", "0.1", "1.99999999999", "9" * 40])
)
FORMS = st.fixed_dictionaries(
    {"value": st.lists(VALUES, max_size=3)},
    optional={
        "version": VERSIONS,
        "overwrite": VERSIONS,
        "discard": st.sampled_from(["mine", ""]),
        "note": st.text(max_size=2500),
        "na": st.sampled_from(["on", "", "x"]),
        "na_reason": st.one_of(st.text(max_size=20), st.sampled_from(["other", "out_of_scope"])),
    },
)


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(question=st.sampled_from(QUESTIONS), data=FORMS, htmx=st.booleans())
def test_the_answer_endpoint_never_fails(
    journey_for_fuzz: Any, question: tuple[str, str], data: dict[str, Any], htmx: bool
) -> None:
    client, journey = journey_for_fuzz
    stage, qid = question
    url = reverse("journeys:answer", args=[journey.pk, stage, qid])
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(url, data, headers=headers)
    # 409: the answer was saved by an earlier example since "the page" was drawn.
    assert response.status_code in (200, 302, 409), response.status_code


@pytest.fixture
def journey_for_fuzz(journey: Any, editor: Any) -> tuple[Client, Any]:
    client = Client()
    client.force_login(editor)
    return client, journey
