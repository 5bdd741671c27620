"""Roadmap exports: the job, the task, the pages and the command line.

The PDF layout is replaced by a stand-in where a test is about the job rather than the PDF
(tests/test_roadmap.py reads real PDFs); diagrams and estimates are real.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.http import FileResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journeys import architecture, roadmap, vocabulary
from journeys.jobs import base, diagrams, exports
from journeys.milestones import save_milestone
from journeys.models import Diagram, Estimate, Export, HistoryEntry, Journey
from journeys.tasks import export_roadmap

HTMX = {"HX-Request": "true"}
FAKE_PDF = b"%PDF-1.7\n% a stand-in for the layout\n"


@pytest.fixture(autouse=True)
def snapshot_prices(settings: Any) -> None:
    settings.PRICING_SOURCE = "snapshot"


@pytest.fixture
def fake_layout(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """WeasyPrint replaced by a stand-in that records the HTML it was given."""
    given: list[str] = []

    def write_pdf(html: str) -> roadmap.Pdf:
        given.append(html)
        return roadmap.Pdf(data=FAKE_PDF, pages=3, seconds=0.01)

    monkeypatch.setattr(roadmap, "write_pdf", write_pdf)
    return given


def queued(journey: Journey, user: Any = None, **selection: int) -> Export:
    return exports.request_export(
        journey, user, {**roadmap.live_selection(), **selection}, queue=False
    )


def test_asking_for_an_export_records_it_and_queues_one_task_on_commit(
    journey: Journey, viewer: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        export = exports.request_export(journey, viewer, roadmap.live_selection())
    assert len(callbacks) == 1
    assert export.status == Export.QUEUED and export.requested_by == viewer
    assert export.page_size == "A4" and export.progress_total == exports.STEPS
    entry = HistoryEntry.objects.get(journey=journey, action="export_requested")
    assert entry.actor == viewer
    assert entry.summary == (
        "Roadmap PDF requested (launch live, growth live, scale live, beyond live)"
    )
    assert entry.detail["export"] == export.pk


def test_the_task_draws_and_prices_what_is_missing_and_reports_progress(
    journey: Journey, editor: User, fake_layout: list[str]
) -> None:
    milestone, _ = save_milestone(journey, "growth", "", editor)
    export = queued(journey, editor, growth=milestone.number)
    export_roadmap.run(export.pk)
    export.refresh_from_db()
    assert export.status == Export.DONE, export.reason
    assert export.progress_done == export.progress_total == exports.STEPS
    assert export.page_count == 3 and export.size_bytes == len(FAKE_PDF)
    assert exports.read(export) == FAKE_PDF
    assert export.file.name == f"roadmaps/{export.content_hash}.pdf"
    assert Diagram.objects.filter(journey=journey, status="done").count() == 4
    assert Estimate.objects.filter(journey=journey, status="done").count() == 4
    assert (
        len(fake_layout) == 1 and "data:image/svg+xml;base64," in fake_layout[0]
    )  # vector diagrams
    assert "Milestone 1, saved by erin" in fake_layout[0]


def test_a_second_delivery_of_the_task_does_nothing(
    journey: Journey, fake_layout: list[str]
) -> None:
    export = queued(journey)
    export_roadmap.run(export.pk)
    export.refresh_from_db()
    finished = export.finished
    export_roadmap.run(export.pk)
    export.refresh_from_db()
    assert export.finished == finished and export.attempts == 1
    assert len(fake_layout) == 1


def test_a_diagram_another_worker_finished_is_used_as_it_is(
    journey: Journey, fake_layout: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    export_roadmap.run(queued(journey).pk)

    def must_not_draw(diagram_id: int) -> None:
        raise AssertionError("drew again")

    monkeypatch.setattr(exports.diagrams, "render", must_not_draw)
    export = queued(journey)
    export_roadmap.run(export.pk)
    export.refresh_from_db()
    assert export.status == Export.DONE


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[int], float | None]]:
    """The tasks sent to the broker (by name), instead of sending them."""
    messages: list[tuple[str, list[int], float | None]] = []

    def send_task(name: str, args: list[int], countdown: float | None = None) -> None:
        messages.append((name, args, countdown))

    monkeypatch.setattr(current_app, "send_task", send_task)
    return messages


def drawn_elsewhere(journey: Journey, stage: str) -> Diagram:
    """The stage's live diagram, claimed by another worker that is still drawing it."""
    state, previous = architecture.stage_with_previous(journey, stage)
    diagram = diagrams.ensure_diagram(journey, stage, state, previous)
    assert Diagram.objects.claim(diagram.pk)
    return diagram


def test_an_export_needing_another_workers_diagram_lets_go_and_comes_back(
    journey: Journey,
    editor: User,
    fake_layout: list[str],
    sent: list[tuple[str, list[int], float | None]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    busy = drawn_elsewhere(journey, "growth")
    export = queued(journey)
    with django_capture_on_commit_callbacks(execute=True):
        export_roadmap.run(export.pk)
    export.refresh_from_db()
    # No worker held idle: the export is back in the queue, saying what it waits for, and
    # sent again a moment later; everything else was made meanwhile.
    assert export.status == Export.QUEUED and fake_layout == []
    assert export.progress_label.startswith("Waiting for the growth diagram")
    again = ("journeys.tasks.export_roadmap", [export.pk], exports.RECHECK_SECONDS)
    assert [m for m in sent if m[0] == again[0]] == [again]
    assert Diagram.objects.filter(journey=journey, status="done").count() == 3
    assert Estimate.objects.filter(journey=journey, status="done").count() == 4
    body = (
        sign_in(editor)
        .get(reverse("journeys:export_status", args=[journey.pk, export.pk]), headers=HTMX)
        .content.decode()
    )
    assert "Waiting for the growth diagram" in body and "every 1s" in body

    diagrams.render(busy.pk)  # the other worker finishes
    export_roadmap.run(export.pk)
    export.refresh_from_db()
    assert export.status == Export.DONE and export.attempts == 2
    assert "The diagram is not ready." not in fake_layout[0]


def test_past_the_wait_the_roadmap_goes_ahead_and_says_the_diagram_is_not_ready(
    journey: Journey,
    fake_layout: list[str],
    sent: list[tuple[str, list[int], float | None]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    drawn_elsewhere(journey, "growth")
    export = queued(journey)
    Export.objects.filter(pk=export.pk).update(attempts=exports.MAX_LOOKS)
    with django_capture_on_commit_callbacks(execute=True):
        export_roadmap.run(export.pk)
    export.refresh_from_db()
    assert export.status == Export.DONE, export.reason
    assert fake_layout[0].count("The diagram is not ready.") == 1
    assert not [m for m in sent if m[0] == "journeys.tasks.export_roadmap"]


def test_the_command_line_does_not_wait_for_another_worker(
    journey: Journey, fake_layout: list[str], tmp_path: Path
) -> None:
    drawn_elsewhere(journey, "scale")
    call_command("export_roadmap", str(journey.pk), "--output", str(tmp_path / "r.pdf"))
    assert Export.objects.get(journey=journey).status == Export.DONE
    assert fake_layout[0].count("The diagram is not ready.") == 1


def test_past_the_time_limit_the_export_fails_with_the_reason(
    journey: Journey, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    def too_slow(html: str) -> roadmap.Pdf:
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(roadmap, "write_pdf", too_slow)
    export = queued(journey)
    export_roadmap.run(export.pk)
    export.refresh_from_db()
    assert export.status == Export.FAILED
    assert f"longer than {settings.EXPORT_SOFT_TIME_LIMIT} seconds" in export.reason
    assert not export.file


def test_a_diagram_the_export_was_drawing_when_stopped_is_not_left_running(
    journey: Journey, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    def too_slow(diagram_id: int) -> None:
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(exports.diagrams, "render", too_slow)
    export = queued(journey)
    export_roadmap.run(export.pk)
    export.refresh_from_db()
    assert export.status == Export.FAILED
    assert f"longer than {settings.EXPORT_SOFT_TIME_LIMIT} seconds" in export.reason
    diagram = Diagram.objects.get(journey=journey)
    assert diagram.status == Diagram.FAILED and "roadmap export" in diagram.reason


def test_an_unexpected_error_fails_the_export_instead_of_leaving_it_running(
    journey: Journey, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    def broken(html: str) -> roadmap.Pdf:
        raise RuntimeError("pango went away")

    monkeypatch.setattr(roadmap, "write_pdf", broken)
    export = queued(journey)
    export_roadmap.run(export.pk)
    export.refresh_from_db()
    assert export.status == Export.FAILED and "unexpected error" in export.reason
    assert "pango went away" in caplog.text  # in the worker's log, not in front of the user
    assert "pango" not in export.reason


def test_a_milestone_that_is_not_there_fails_the_export_with_the_reason(
    journey: Journey, fake_layout: list[str]
) -> None:
    export = Export.objects.create(
        journey=journey, selection={"launch": None, "growth": 42}, page_size="A4"
    )
    export_roadmap.run(export.pk)
    export.refresh_from_db()
    assert export.status == Export.FAILED
    assert "Milestone 42 of the growth stage no longer exists." in export.reason
    assert fake_layout == []


def test_an_export_of_equal_content_shares_the_file_without_laying_out_again(
    journey: Journey, fake_layout: list[str]
) -> None:
    first = queued(journey)
    export_roadmap.run(first.pk)
    second = queued(journey)
    export_roadmap.run(second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert len(fake_layout) == 1
    assert second.status == Export.DONE and second.file.name == first.file.name
    assert second.content_hash == first.content_hash and second.page_count == 3


def test_an_export_whose_worker_died_is_queued_again_once_then_shows_as_failed(
    journey: Journey, editor_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    export = queued(journey)
    url = reverse("journeys:export_status", args=[journey.pk, export.pk])
    response = None
    for _ in range(2):
        Export.objects.claim(export.pk, "task-1")
        Export.objects.filter(pk=export.pk).update(started=timezone.now() - timedelta(hours=1))
        with django_capture_on_commit_callbacks(execute=False) as sent:
            response = editor_client.get(url, headers=HTMX)
        export.refresh_from_db()
        if export.status == Export.QUEUED:
            assert len(sent) == 1 and export.lost == 1 and b"every 1s" in response.content
    assert export.status == Export.FAILED and "stopped twice" in export.reason
    assert b"stopped twice without finishing" in response.content
    assert b"every 1s" not in response.content


def test_a_running_export_keeps_running_within_its_time(journey: Journey) -> None:
    export = queued(journey)
    Export.objects.claim(export.pk)
    export.refresh_from_db()
    assert base.check_lease(export).status == Export.RUNNING


# --- Pages ---------------------------------------------------------------------------------


def sign_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_journey_page_offers_the_export_and_loads_the_past_ones(
    journey: Journey, viewer: User
) -> None:
    response = sign_in(viewer).get(journey.get_absolute_url())
    exports_url = reverse("journeys:exports", args=[journey.pk])
    assert b"Export roadmap" in response.content
    assert f'hx-post="{exports_url}"'.encode() in response.content
    assert f'hx-get="{exports_url}"'.encode() in response.content
    assert b"csrfmiddlewaretoken" in response.content


def test_a_viewer_may_export_and_lands_on_the_list(journey: Journey, viewer: User) -> None:
    url = reverse("journeys:exports", args=[journey.pk])
    response = sign_in(viewer).post(url, {"milestone-growth": ""})
    export = Export.objects.get(journey=journey)
    assert response.status_code == 302
    assert response["Location"] == f"{url}#export-{export.pk}"
    assert export.requested_by == viewer and export.selection == roadmap.live_selection()


def test_an_htmx_export_answers_with_the_list_polling_the_new_one(
    journey: Journey, editor: User
) -> None:
    url = reverse("journeys:exports", args=[journey.pk])
    response = sign_in(editor).post(url, {}, headers=HTMX)
    export = Export.objects.get(journey=journey)
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<div id="export-list">')
    status_url = reverse("journeys:export_status", args=[journey.pk, export.pk])
    assert f'hx-get="{status_url}" hx-trigger="every 1s"' in body
    assert "Waiting for a worker" in body and 'aria-live="polite"' in body


def test_the_form_offers_each_stages_milestones_and_exports_the_chosen_ones(
    journey: Journey, editor: User
) -> None:
    first, _ = save_milestone(journey, "scale", "Before the API", editor)
    client = sign_in(editor)
    url = reverse("journeys:exports", args=[journey.pk])
    page = client.get(url).content.decode()
    assert 'name="milestone-scale"' in page and "Milestone 1" in page
    assert "Before the API" in page
    client.post(url, {"milestone-scale": str(first.number)})
    assert Export.objects.get(journey=journey).selection["scale"] == first.number


def test_an_unknown_milestone_comes_back_with_the_message_and_exports_nothing(
    journey: Journey, editor: User
) -> None:
    url = reverse("journeys:exports", args=[journey.pk])
    response = sign_in(editor).post(
        url,
        {
            "milestone-growth": "9",
            "milestone-scale": "x",
            "milestone-launch": "²",
            "milestone-beyond": "9" * 5000,
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "The growth stage has no milestone 9." in body
    assert "The scale stage has no milestone x." in body
    assert "The launch stage has no milestone ²." in body
    assert "The beyond stage has no milestone 9999999999." in body
    assert 'aria-invalid="true"' in body
    assert not Export.objects.exists()


def test_posting_without_the_csrf_token_is_refused(journey: Journey, viewer: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(viewer)
    response = client.post(reverse("journeys:exports", args=[journey.pk]), {})
    assert response.status_code == 403
    assert not Export.objects.exists()


def test_the_status_row_polls_while_pending_and_offers_the_download_when_done(
    journey: Journey, editor: User, fake_layout: list[str]
) -> None:
    export = queued(journey, editor)
    client = sign_in(editor)
    url = reverse("journeys:export_status", args=[journey.pk, export.pk])
    assert b"every 1s" in client.get(url, headers=HTMX).content
    export_roadmap.run(export.pk)
    body = client.get(url, headers=HTMX).content.decode()
    assert "every 1s" not in body
    assert reverse("journeys:export_download", args=[journey.pk, export.pk]) in body
    assert "3 pages" in body and "Launch live" in body
    # Without htmx, the row's URL leads to the list.
    assert client.get(url)["Location"].endswith(f"#export-{export.pk}")


def test_the_download_is_the_pdf_under_a_safe_file_name(
    journey: Journey, viewer: User, fake_layout: list[str]
) -> None:
    journey.name = 'Ünïcode "quoted"\r\nX-Injected: yes; ../../etc'
    journey.save()
    export = queued(journey)
    export_roadmap.run(export.pk)
    response = sign_in(viewer).get(
        reverse("journeys:export_download", args=[journey.pk, export.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    day = timezone.localtime(export.created).date().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="unicode-quoted-x-injected-yes-etc-roadmap-{day}.pdf"'
    )
    assert isinstance(response, FileResponse)
    assert b"".join(response.streaming_content) == FAKE_PDF


def test_an_export_of_another_team_is_not_found_under_ones_own_journey(
    journey: Journey, editor: User, other_team: Any, fake_layout: list[str]
) -> None:
    theirs = Journey.objects.create(team=other_team, name="Search")
    export = queued(theirs)
    export_roadmap.run(export.pk)
    client = sign_in(editor)
    for name in ("export_download", "export_status"):
        url = reverse(f"journeys:{name}", args=[journey.pk, export.pk])
        assert client.get(url, headers=HTMX).status_code == 404
    own_url = reverse("journeys:export_download", args=[theirs.pk, export.pk])
    assert client.get(own_url).status_code == 404


def test_an_unfinished_or_lost_file_is_not_found(
    journey: Journey, editor: User, fake_layout: list[str]
) -> None:
    client = sign_in(editor)
    pending = queued(journey)
    url = reverse("journeys:export_download", args=[journey.pk, pending.pk])
    assert client.get(url).status_code == 404
    export_roadmap.run(pending.pk)
    pending.refresh_from_db()
    Path(pending.file.path).unlink()
    assert client.get(url).status_code == 404


def test_the_list_reads_a_fixed_number_of_queries(
    journey: Journey, editor: User, django_assert_num_queries: Any
) -> None:
    client = sign_in(editor)
    url = reverse("journeys:exports", args=[journey.pk])
    queued(journey, editor)
    client.get(url, headers=HTMX)  # warm the session and the user
    with django_assert_num_queries(4) as first:
        client.get(url, headers=HTMX)
    for _ in range(5):
        queued(journey, editor)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url, headers=HTMX)
    assert response.content.count(b'class="export ') == 6


def test_names_in_the_list_are_escaped(journey: Journey, editor: User) -> None:
    editor.username = "<b>erin</b>"
    editor.save()
    queued(journey, editor)
    response = sign_in(editor).get(reverse("journeys:exports", args=[journey.pk]))
    assert b"<b>erin</b>" not in response.content
    assert b"&lt;b&gt;erin&lt;/b&gt;" in response.content


# --- Command line --------------------------------------------------------------------------


def test_the_command_writes_the_pdf_through_the_worker_code(
    journey: Journey, editor: User, tmp_path: Path
) -> None:
    milestone, _ = save_milestone(journey, "growth", "", editor)
    out = tmp_path / "roadmap.pdf"
    stdout = io.StringIO()
    call_command(
        "export_roadmap",
        str(journey.pk),
        "--milestones",
        f"growth={milestone.number}",
        "--output",
        str(out),
        stdout=stdout,
    )
    export = Export.objects.get(journey=journey)
    assert out.read_bytes().startswith(b"%PDF-") and out.read_bytes() == exports.read(export)
    assert export.selection["growth"] == milestone.number and export.requested_by is None
    assert f"{export.page_count} pages" in stdout.getvalue()
    assert "growth milestone 1" in stdout.getvalue()
    assert HistoryEntry.objects.filter(journey=journey, action="export_requested").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--milestones", "growth=3"], "The growth stage has no milestone 3."),
        (["--milestones", "later=1"], "Name a milestone as STAGE=N"),
        (["--milestones", "growth"], "Name a milestone as STAGE=N"),
    ],
)
def test_the_command_refuses_milestones_that_do_not_exist(
    journey: Journey, tmp_path: Path, arguments: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command(
            "export_roadmap", str(journey.pk), *arguments, "--output", str(tmp_path / "r.pdf")
        )
    assert not Export.objects.exists()


def test_the_command_names_a_missing_journey(db: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no journey 999"):
        call_command("export_roadmap", "999", "--output", str(tmp_path / "r.pdf"))


def test_the_page_size_follows_the_setting(
    journey: Journey, settings: Any, fake_layout: list[str]
) -> None:
    settings.ROADMAP_PAGE_SIZE = "Letter"
    export = exports.request_export(journey, None, roadmap.live_selection(), queue=False)
    export_roadmap.run(export.pk)
    assert "@page { size: Letter; }" in fake_layout[0]
    assert Export.objects.get(pk=export.pk).page_size == "Letter"
    assert vocabulary.STAGES[0] in export.selection


def test_signing_in_is_needed_for_every_export_page(journey: Journey, client: Client) -> None:
    for url in (
        reverse("journeys:exports", args=[journey.pk]),
        reverse("journeys:export_status", args=[journey.pk, 1]),
        reverse("journeys:export_download", args=[journey.pk, 1]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]
