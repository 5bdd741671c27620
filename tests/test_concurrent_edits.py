"""Two people on the same stage: a save based on an answer that changed meanwhile is refused
with the other answer shown, and nothing either of them typed is lost."""

import re
import threading
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journeys import answers, catalog, exchange
from journeys.answers import AnswerChanged, Version, save_answer
from journeys.forms import AnswerForm
from journeys.models import Answer, Journey

HTMX = {"HX-Request": "true"}
VERSION = re.compile(r'name="version" value="([^"]*)"')


def answer_url(journey: Journey, stage: str = "launch", question: str = "customers") -> str:
    return reverse("journeys:answer", args=[journey.pk, stage, question])


def stage_url(journey: Journey, stage: str = "launch") -> str:
    return reverse("journeys:stage", args=[journey.pk, stage])


def version_in(html: str, question: str = "customers") -> str:
    """The version the question's form carries, as a browser would send it."""
    start = html.index(f'id="q-{question}"')
    match = VERSION.search(html, start)
    assert match is not None, "the question's form carries no version"
    return match[1]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def stored(journey: Journey, question: str = "customers") -> Answer:
    return Answer.objects.get(journey=journey, question=question)


@pytest.fixture
def two_pages(journey: Journey, editor: User, owner: User) -> tuple[Client, str, Client, str]:
    """Erin and Olga open the launch stage; customers was answered with 100 before."""
    first = client_for(editor)
    first.post(answer_url(journey), {"value": "100", "version": "0"}, headers=HTMX)
    erin, olga = first, client_for(owner)
    erin_version = version_in(erin.get(stage_url(journey)).content.decode())
    olga_version = version_in(olga.get(stage_url(journey)).content.decode())
    return erin, erin_version, olga, olga_version


# --- The version travels with the page --------------------------------------------------------


def test_the_stage_page_carries_the_version_of_each_answer(
    editor_client: Any, journey: Journey
) -> None:
    editor_client.post(answer_url(journey), {"value": "150", "version": "0"}, headers=HTMX)
    html = editor_client.get(stage_url(journey)).content.decode()
    answer = stored(journey)
    assert answer.version == 1
    assert version_in(html) == f"{answer.pk}.1"
    assert version_in(html, "peak_rps") == "0"


def test_each_save_returns_the_next_version_for_the_following_save(
    editor_client: Any, journey: Journey
) -> None:
    response = editor_client.post(
        answer_url(journey), {"value": "150", "version": "0"}, headers=HTMX
    )
    pk = stored(journey).pk
    assert version_in(response.content.decode()) == f"{pk}.1"
    for n, value in enumerate(["160", "170", "180"], start=1):
        response = editor_client.post(
            answer_url(journey), {"value": value, "version": f"{pk}.{n}"}, headers=HTMX
        )
        assert response.status_code == 200
        assert version_in(response.content.decode()) == f"{pk}.{n + 1}"
    assert (stored(journey).value, stored(journey).version) == (180, 4)


# --- A stale save is refused ------------------------------------------------------------------


def test_a_save_from_a_stale_page_is_refused_and_keeps_the_other_answer(
    journey: Journey, two_pages: tuple[Client, str, Client, str], owner: User
) -> None:
    erin, erin_version, olga, olga_version = two_pages
    assert (
        olga.post(
            answer_url(journey), {"value": "250", "version": olga_version}, headers=HTMX
        ).status_code
        == 200
    )
    response = erin.post(
        answer_url(journey), {"value": "300", "version": erin_version}, headers=HTMX
    )
    assert response.status_code == 409
    assert "HX-Trigger" not in response
    answer = stored(journey)
    assert (answer.value, answer.updated_by, answer.version) == (250, owner, 2)


def test_the_refusal_shows_the_other_value_who_set_it_and_when_and_keeps_the_input(
    journey: Journey, two_pages: tuple[Client, str, Client, str], owner: User
) -> None:
    owner.first_name, owner.last_name = "Olga", "Berg"
    owner.save()
    erin, erin_version, olga, olga_version = two_pages
    olga.post(
        answer_url(journey),
        {"value": "2500", "note": "Launch partner adds 2k.", "version": olga_version},
        headers=HTMX,
    )
    response = erin.post(
        answer_url(journey),
        {"value": "300", "note": "Our estimate.", "version": erin_version},
        headers=HTMX,
    )
    html = response.content.decode()
    answer = stored(journey)
    assert "Olga Berg changed this answer after you opened the page." in html
    assert '<strong class="their-value">2,500 customers</strong>' in html
    assert "Launch partner adds 2k." in html
    assert f'datetime="{answer.updated.isoformat()}"' in html
    # What Erin typed is still in the inputs, not replaced by Olga's answer.
    assert 'name="value" id="id_customers_value" value="300"' in html
    assert ">Our estimate.</textarea>" in html
    # Further saves from this page stay refused until Erin chooses.
    assert version_in(html) == erin_version
    assert f'name="overwrite" value="{answer.pk}.2"' in html
    assert 'name="discard" value="mine"' in html


def test_a_stale_note_does_not_overwrite_the_other_note(
    journey: Journey, two_pages: tuple[Client, str, Client, str]
) -> None:
    erin, erin_version, olga, olga_version = two_pages
    olga.post(
        answer_url(journey),
        {"value": "100", "note": "Olga's", "version": olga_version},
        headers=HTMX,
    )
    response = erin.post(
        answer_url(journey),
        {"value": "100", "note": "Erin's", "version": erin_version},
        headers=HTMX,
    )
    assert response.status_code == 409
    assert stored(journey).note == "Olga's"


def test_a_stale_page_cannot_clear_the_other_answer(
    journey: Journey, two_pages: tuple[Client, str, Client, str]
) -> None:
    erin, erin_version, olga, olga_version = two_pages
    olga.post(answer_url(journey), {"value": "250", "version": olga_version}, headers=HTMX)
    response = erin.post(answer_url(journey), {"value": "", "version": erin_version}, headers=HTMX)
    assert response.status_code == 409
    assert stored(journey).value == 250


def test_a_stale_page_cannot_mark_the_question_not_applicable(
    journey: Journey, two_pages: tuple[Client, str, Client, str]
) -> None:
    erin, erin_version, olga, olga_version = two_pages
    olga.post(answer_url(journey), {"value": "250", "version": olga_version}, headers=HTMX)
    response = erin.post(
        answer_url(journey),
        {"na": "on", "na_reason": "out_of_scope", "version": erin_version},
        headers=HTMX,
    )
    assert response.status_code == 409
    assert 'id="id_customers_na" checked' in response.content.decode()
    assert (stored(journey).value, stored(journey).not_applicable) == (250, "")


def test_a_save_after_someone_cleared_the_answer_is_refused_and_says_so(
    journey: Journey, two_pages: tuple[Client, str, Client, str]
) -> None:
    erin, erin_version, olga, olga_version = two_pages
    olga.post(answer_url(journey), {"value": "", "version": olga_version}, headers=HTMX)
    assert not Answer.objects.filter(question="customers").exists()
    response = erin.post(
        answer_url(journey), {"value": "300", "version": erin_version}, headers=HTMX
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone cleared this answer after you opened the page." in html
    assert 'name="overwrite" value="0"' in html
    assert not Answer.objects.filter(question="customers").exists()


def test_a_new_answer_is_not_taken_for_the_cleared_one_it_replaced(
    journey: Journey, two_pages: tuple[Client, str, Client, str]
) -> None:
    # Olga clears the answer and gives a new one: a new row, again at version 1. Erin's page
    # was drawn from version 1 of the old row, which must not match.
    erin, erin_version, olga, olga_version = two_pages
    cleared = olga.post(answer_url(journey), {"value": "", "version": olga_version}, headers=HTMX)
    olga.post(
        answer_url(journey),
        {"value": "400", "version": version_in(cleared.content.decode())},
        headers=HTMX,
    )
    assert stored(journey).version == 1
    response = erin.post(
        answer_url(journey), {"value": "300", "version": erin_version}, headers=HTMX
    )
    assert response.status_code == 409
    assert stored(journey).value == 400


def test_two_first_answers_to_the_same_question_do_not_overwrite_each_other(
    journey: Journey, editor: User, owner: User
) -> None:
    erin, olga = client_for(editor), client_for(owner)
    assert (
        olga.post(answer_url(journey), {"value": "250", "version": "0"}, headers=HTMX).status_code
        == 200
    )
    response = erin.post(answer_url(journey), {"value": "300", "version": "0"}, headers=HTMX)
    assert response.status_code == 409
    assert stored(journey).value == 250


@pytest.mark.parametrize("version", [None, "", "banana", "1.1.1", "-1.1", "99999999999999999999.1"])
def test_a_page_without_a_valid_version_cannot_overwrite_an_answer(
    journey: Journey, two_pages: tuple[Client, str, Client, str], version: str | None
) -> None:
    erin, _, _, _ = two_pages
    data = {"value": "300"} if version is None else {"value": "300", "version": version}
    response = erin.post(answer_url(journey), data, headers=HTMX)
    assert response.status_code == 409
    assert stored(journey).value == 100
    # The refusal offers the version to overwrite, so the value can still be kept.
    answer = stored(journey)
    assert f'name="overwrite" value="{answer.pk}.{answer.version}"' in response.content.decode()


def test_a_page_without_a_version_may_give_the_first_answer(
    editor_client: Any, journey: Journey
) -> None:
    response = editor_client.post(answer_url(journey), {"value": "300"}, headers=HTMX)
    assert response.status_code == 200
    assert (stored(journey).value, stored(journey).version) == (300, 1)


def test_saving_again_what_is_already_stored_is_not_a_conflict(
    journey: Journey, two_pages: tuple[Client, str, Client, str]
) -> None:
    # Two saves of one page that crossed (typing, then leaving the field) send the same value.
    erin, erin_version, _, _ = two_pages
    erin.post(answer_url(journey), {"value": "300", "version": erin_version}, headers=HTMX)
    response = erin.post(
        answer_url(journey), {"value": "300", "version": erin_version}, headers=HTMX
    )
    assert response.status_code == 200
    answer = stored(journey)
    assert answer.version == 2
    assert version_in(response.content.decode()) == f"{answer.pk}.2"


def test_a_refused_save_does_not_reopen_a_submitted_journey(
    journey: Journey, two_pages: tuple[Client, str, Client, str]
) -> None:
    erin, erin_version, olga, olga_version = two_pages
    olga.post(answer_url(journey), {"value": "250", "version": olga_version}, headers=HTMX)
    Journey.objects.filter(pk=journey.pk).update(status="approved")
    erin.post(answer_url(journey), {"value": "300", "version": erin_version}, headers=HTMX)
    journey.refresh_from_db()
    assert journey.status == "approved"
    assert not journey.history.exists()


def test_the_other_persons_note_is_escaped_in_the_refusal(
    journey: Journey, two_pages: tuple[Client, str, Client, str]
) -> None:
    erin, erin_version, olga, olga_version = two_pages
    hostile = "<script>alert(1)</script>"
    olga.post(
        answer_url(journey),
        {"value": "250", "note": hostile, "version": olga_version},
        headers=HTMX,
    )
    html = erin.post(
        answer_url(journey), {"value": "300", "version": erin_version}, headers=HTMX
    ).content.decode()
    assert hostile not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Settling it: "Use my value" or "Use their value" -----------------------------------------


def test_use_my_value_saves_it_over_the_version_it_was_shown(
    journey: Journey, two_pages: tuple[Client, str, Client, str], editor: User
) -> None:
    erin, erin_version, olga, olga_version = two_pages
    olga.post(answer_url(journey), {"value": "250", "version": olga_version}, headers=HTMX)
    refused = erin.post(
        answer_url(journey), {"value": "300", "version": erin_version}, headers=HTMX
    )
    shown = re.search(r'name="overwrite" value="([^"]*)"', refused.content.decode())
    assert shown is not None
    response = erin.post(
        answer_url(journey),
        {"value": "300", "version": erin_version, "overwrite": shown[1]},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "answer-saved"
    answer = stored(journey)
    assert (answer.value, answer.updated_by, answer.version) == (300, editor, 3)
    assert version_in(response.content.decode()) == f"{answer.pk}.3"
    assert "changed this answer" not in response.content.decode()


def test_use_my_value_is_refused_again_when_the_answer_changed_once_more(
    journey: Journey, two_pages: tuple[Client, str, Client, str]
) -> None:
    erin, erin_version, olga, olga_version = two_pages
    olga.post(answer_url(journey), {"value": "250", "version": olga_version}, headers=HTMX)
    pk = stored(journey).pk
    olga.post(answer_url(journey), {"value": "260", "version": f"{pk}.2"}, headers=HTMX)
    response = erin.post(
        answer_url(journey),
        {"value": "300", "version": erin_version, "overwrite": f"{pk}.2"},
        headers=HTMX,
    )
    assert response.status_code == 409
    assert "260 customers" in response.content.decode()
    assert stored(journey).value == 260


def test_use_their_value_shows_the_stored_answer_and_writes_nothing(
    journey: Journey, two_pages: tuple[Client, str, Client, str]
) -> None:
    erin, erin_version, olga, olga_version = two_pages
    olga.post(answer_url(journey), {"value": "250", "version": olga_version}, headers=HTMX)
    before = stored(journey)
    response = erin.post(
        answer_url(journey),
        {"value": "300", "version": erin_version, "discard": "mine"},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="value" id="id_customers_value" value="250"' in html
    assert version_in(html) == f"{before.pk}.2"
    after = stored(journey)
    assert (after.value, after.version, after.updated) == (250, 2, before.updated)


# --- Without JavaScript -----------------------------------------------------------------------


def test_without_javascript_a_stale_save_shows_the_whole_page_with_the_same_refusal(
    journey: Journey, two_pages: tuple[Client, str, Client, str]
) -> None:
    erin, erin_version, olga, olga_version = two_pages
    olga.post(answer_url(journey), {"value": "250", "version": olga_version}, headers=HTMX)
    response = erin.post(answer_url(journey), {"value": "300", "version": erin_version})
    assert response.status_code == 409
    html = response.content.decode()
    assert "<html" in html
    assert "changed this answer after you opened the page." in html
    assert 'name="value" id="id_customers_value" value="300"' in html
    assert '<button type="submit" name="overwrite"' in html
    assert stored(journey).value == 250


def test_without_javascript_use_their_value_goes_back_to_the_question(
    journey: Journey, two_pages: tuple[Client, str, Client, str]
) -> None:
    erin, erin_version, olga, olga_version = two_pages
    olga.post(answer_url(journey), {"value": "250", "version": olga_version}, headers=HTMX)
    response = erin.post(
        answer_url(journey), {"value": "300", "version": erin_version, "discard": "mine"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/stages/launch/#q-customers")
    assert stored(journey).value == 250


# --- The check and the write are one statement --------------------------------------------------


def cleaned(question: catalog.Question, value: str, version: Version) -> dict[str, Any]:
    """What `AnswerForm` hands over for this value, drawn from `version`."""
    data = QueryDict(mutable=True)
    data.update({"value": value, "version": str(version)})
    form = AnswerForm(question, data)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def test_a_save_is_one_conditional_update(journey: Journey, editor: User) -> None:
    q = catalog.get().stage("launch").questions["customers"]
    first = save_answer(journey, q, cleaned(q, "100", answers.NO_ANSWER), editor).answer
    version = answers.version_of(first)
    journey.updated = journey.updated.replace(year=3000)  # no touch of the journey row
    with CaptureQueriesContext(connection) as queries:
        save_answer(journey, q, cleaned(q, "200", version), editor)
    writes = [query["sql"] for query in queries.captured_queries]
    assert len(writes) == 1, writes
    assert writes[0].startswith("UPDATE") and '"version" = 1' in writes[0]


@pytest.mark.django_db(transaction=True)
def test_of_many_saves_from_the_same_version_at_once_exactly_one_is_written(
    team: Any, editor: User
) -> None:
    journey = Journey.objects.create(team=team, name="Race", region="eu-west-1", created_by=editor)
    q = catalog.get().stage("launch").questions["customers"]
    version = answers.version_of(
        save_answer(journey, q, cleaned(q, "100", answers.NO_ANSWER), editor).answer
    )
    racers = 8
    barrier = threading.Barrier(racers)
    written: list[int] = []
    refused: list[Any] = []

    def save(value: int) -> None:
        try:
            barrier.wait(timeout=10)
            save_answer(journey, q, cleaned(q, str(value), version), editor)
            written.append(value)
        except AnswerChanged as changed:
            refused.append(changed.current.value if changed.current else None)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(200 + n,)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(written) == 1, (written, refused)
    assert len(refused) == racers - 1
    answer = stored(journey)
    assert (answer.value, answer.version) == (written[0], 2)
    assert set(refused) == {written[0]}


# --- Versions outside the wizard ----------------------------------------------------------------


def test_imported_and_copied_answers_start_at_version_one_and_versions_are_not_exported(
    editor_client: Any, journey: Journey, team: Any, editor: User
) -> None:
    editor_client.post(answer_url(journey), {"value": "150", "version": "0"}, headers=HTMX)
    pk = stored(journey).pk
    editor_client.post(answer_url(journey), {"value": "160", "version": f"{pk}.1"}, headers=HTMX)
    assert stored(journey).version == 2
    doc = exchange.document(journey)
    assert doc["stages"]["launch"]["answers"]["customers"] == {"value": 160}
    assert "version" not in exchange.dumps(doc)
    imported = exchange.create_journey(exchange.parse(exchange.dumps(doc)), team, editor)
    assert imported.answers.get(question="customers").version == 1
    assert journey.duplicate(editor).answers.get(question="customers").version == 1
