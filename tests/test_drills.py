"""Drills with a real `celery worker` process (PostgreSQL + Redis pass): what an operator does
to the worker, and what the jobs do about it. Each job must end, and the worker keep working.

- kill -9 of the pool child running a diagram, an estimate, an export: the broker delivers the
  task again (acks_late + task_reject_on_worker_lost), the same message takes its job back, and
  each completes within 60 s; the worker then takes new work.
- With the worker stopped, the page watching a job asks whether a worker is running; started,
  the worker completes the job.
- Redis restarted (killed, started again empty) while an export runs, with a diagram's message
  waiting in it and another diagram asked for while it is down: every job completes and the
  worker keeps consuming.
- Ctrl-C of `make run` (honcho: web, worker, beat) stops everything within 10 seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journeys import architecture, roadmap
from journeys.jobs import diagrams, estimates, exports
from journeys.models import Answer, Diagram, Estimate, Export, Job, Journey
from tests.conftest import ROOT, broker_at, database_url, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WARNING = "No worker has started this yet — is a worker running?"


class Worker:
    """A prefork `celery worker` (two children, the project's pool) with the drill hooks."""

    def __init__(
        self, folder: Path, media: Path, *, concurrency: int = 2, beat: bool = False, **env: str
    ) -> None:
        self.folder = folder
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(media),
            "PRICING_SOURCE": "snapshot",
            "DRILL_DIR": str(folder),
            "DRILL_SLEEP": "4",
            **env,
        }
        self.concurrency = concurrency
        self.beat = beat  # Celery beat inside the worker (-B): the reaper is sent
        self.log_path = folder / "worker.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")
        command = [sys.executable, "-m", "celery", "-A", "planner", "worker"]
        command += ["-c", str(self.concurrency), *(["-B"] if self.beat else [])]
        command += ["--queues", "default,diagrams,pricing,exports", "-I", "tests.drill_hooks"]
        command += ["--without-gossip", "--without-mingle", "--loglevel", "INFO"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        assert wait_for(lambda: " ready." in self.log(), seconds=60), self.log()[-3000:]

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGQUIT)
            self.process.wait(timeout=10)
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill_the_child_running(self, kind: str) -> None:
        """Wait until a job of this kind is in its slowed part, then kill -9 its pool child."""
        marker, pid_file = self.folder / f"slow-{kind}", self.folder / f"pid-{kind}"
        assert wait_for(pid_file.exists, seconds=60), f"no {kind} started\n{self.log()[-3000:]}"
        marker.unlink()
        os.kill(int(pid_file.read_text()), signal.SIGKILL)

    def slow_down(self, kind: str) -> None:
        (self.folder / f"slow-{kind}").touch()


@pytest.fixture
def drill_worker(tmp_path: Path, settings: Any) -> Iterator[Worker]:
    from planner.celery import app

    app.control.purge()
    settings.PRICING_SOURCE = "snapshot"
    worker = Worker(tmp_path, settings.MEDIA_ROOT)
    try:
        yield worker
    finally:
        worker.stop()
        print(worker.log()[-4000:])


class Redis:
    """A redis-server of the drill's own (never the machine's: other processes use it), with
    no persistence, so a restart loses every message in it: a crash of a Redis without RDB or
    AOF, or a new one in its place."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        log = (self.folder / "redis.log").open("ab")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        assert wait_for(self._answers, seconds=10), f"redis-server on {self.port} did not start"

    def kill(self) -> None:
        """kill -9: the broker goes away at once, as in a crash."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def waiting(self, queue: str) -> int:
        """Messages waiting in a queue."""
        return int(self.client().llen(queue))

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)

    def _answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.ConnectionError:
            return False


REDIS_PORT = int(os.environ.get("DRILL_REDIS_PORT", "6390"))


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[Redis]:
    folder = tmp_path / "redis"
    folder.mkdir()
    server = Redis(folder, REDIS_PORT)
    assert not server._answers(), f"port {REDIS_PORT} is taken: set DRILL_REDIS_PORT"
    server.start()
    try:
        yield server
    finally:
        server.kill()


def finished(row: Job, seconds: float = 60) -> Job:
    model = type(row)
    assert wait_for(
        lambda: model.objects.get(pk=row.pk).status in (Job.DONE, Job.FAILED), seconds=seconds
    ), f"{row} still {model.objects.get(pk=row.pk).status}"
    row.refresh_from_db()
    return row


def diagram_of(journey: Journey, stage: str) -> Diagram:
    state, previous = architecture.stage_with_previous(journey, stage)
    return diagrams.ensure_diagram(journey, stage, state, previous)


def estimate_of(journey: Journey, stage: str) -> Estimate:
    answers = architecture.JourneyAnswers.of(journey)
    state = architecture.stage_state(journey, stage, answers)
    facts = architecture.stage_facts(stage, answers)
    return estimates.ensure_estimate(journey, stage, state, facts)


def test_kill_9_of_the_child_running_each_job_redelivers_it_and_it_completes(
    drill_worker: Worker, journey: Journey
) -> None:
    drill_worker.start()
    jobs: list[tuple[str, Any]] = [
        ("diagram", lambda: diagram_of(journey, "growth")),
        ("estimate", lambda: estimate_of(journey, "growth")),
        ("export", lambda: exports.request_export(journey, None, roadmap.live_selection())),
    ]
    for kind, make in jobs:
        drill_worker.slow_down(kind)
        started = time.monotonic()
        row = make()
        drill_worker.kill_the_child_running(kind)
        row = finished(row)
        assert row.status == Job.DONE, f"{kind}: {row.reason}"
        assert row.lost == 1 and row.attempts >= 2, f"{kind} was not taken back"
        assert time.monotonic() - started < 60
    assert "WorkerLostError" in drill_worker.log()
    # The worker keeps consuming: new work after three killed children.
    assert finished(diagram_of(journey, "scale"), seconds=30).status == Diagram.DONE
    assert isinstance(Export.objects.get(), Export)


def test_with_the_worker_stopped_the_page_warns_and_a_started_worker_completes_the_job(
    drill_worker: Worker, journey: Journey, editor_client: Client
) -> None:
    diagram = diagram_of(journey, "growth")
    Diagram.objects.filter(pk=diagram.pk).update(created=timezone.now() - timedelta(seconds=31))
    url = reverse("journeys:stage_diagram", args=[journey.pk, "growth"])
    page = editor_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert WARNING in page
    drill_worker.start()
    assert finished(diagram, seconds=30).status == Diagram.DONE, diagram.reason
    page = editor_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert WARNING not in page and "<img" in page


def test_ctrl_c_of_make_run_stops_the_web_server_the_worker_and_beat_within_10_seconds(
    tmp_path: Path,
) -> None:
    """The embedded default (SQLite, the filesystem broker), as `make run` starts it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "CELERY_BROKER_URL")
    }
    env.update({"VAR_DIR": str(tmp_path), "PORT": "8799", "DEBUG": "true"})
    log = (tmp_path / "honcho.log").open("wb")
    honcho = subprocess.Popen(
        [str(ROOT / ".venv/bin/honcho"), "start", "-f", "Procfile"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    text = lambda: (tmp_path / "honcho.log").read_text(errors="replace")  # noqa: E731
    try:
        assert wait_for(lambda: " ready." in text(), seconds=60), text()[-3000:]
        started = time.monotonic()
        honcho.send_signal(signal.SIGINT)
        honcho.wait(timeout=15)
        assert time.monotonic() - started < 10, text()[-3000:]
    finally:
        if honcho.poll() is None:
            honcho.kill()
    time.sleep(0.5)
    assert not celery_processes_of(tmp_path), text()[-3000:]


def celery_processes_of(var_dir: Path) -> list[str]:
    """The celery processes (worker, children, beat) started with this VAR_DIR."""
    found = subprocess.run(["pgrep", "-f", "celery -A planner"], capture_output=True, text=True)
    mine = []
    for pid in found.stdout.split():
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue  # gone meanwhile
        if f"VAR_DIR={var_dir}".encode() in environ:
            mine.append(pid)
    return mine


def test_redis_restarted_mid_job_every_job_completes_and_the_worker_keeps_consuming(
    tmp_path: Path, settings: Any, journey: Journey, own_redis: Redis
) -> None:
    """One worker process (one child) with beat on a Redis of the drill's own. While it lays
    out an export, Redis holds a diagram's message; Redis is killed, a second diagram is
    asked for (the broker is away), Redis starts again empty. The export finishes in its
    first run (not cancelled for the lost connection); the reaper sends both lost diagrams
    again; a new diagram after all that is made too."""
    settings.PRICING_SOURCE = "snapshot"
    worker = Worker(
        tmp_path,
        settings.MEDIA_ROOT,
        concurrency=1,
        beat=True,
        CELERY_BROKER_URL=own_redis.url,
        VAR_DIR=str(tmp_path / "var"),
        JOB_REAP_EVERY="2",
        JOB_RESEND_AFTER="3",
        DRILL_SLEEP="5",
    )
    # Diagrams of another journey (another growth peak), so the export draws none of them.
    other = Journey.objects.create(team=journey.team, name="Search", region=journey.region)
    peak = Answer.objects.create(
        journey=other, stage="growth", question="peak_rps", value=3000, catalogue_version="x"
    )
    try:
        with broker_at(own_redis.url):
            worker.start()
            worker.slow_down("export")
            export = exports.request_export(journey, None, roadmap.live_selection())
            assert wait_for((tmp_path / "pid-export").exists, seconds=60), worker.log()[-3000:]
            # The export queued its own diagrams too (and drew them): their messages wait.
            before = own_redis.waiting("diagrams")
            waiting = diagram_of(other, "growth")  # its message waits: the one child is busy
            assert waiting.status == Diagram.QUEUED
            assert own_redis.waiting("diagrams") == before + 1

            own_redis.kill()
            restarted = time.monotonic()
            asked = diagram_of(other, "scale")  # the broker is away: no error, the row waits
            assert asked.status == Diagram.QUEUED
            own_redis.start()
            assert own_redis.waiting("diagrams") == 0  # both diagrams' messages are gone

            for row in (export, waiting, asked):
                assert finished(row, seconds=90).status == Job.DONE, f"{row}: {row.reason}"
            assert time.monotonic() - restarted < 90
            assert export.attempts == 1 and export.lost == 0  # its first run finished it
            assert "Reaper:" in worker.log()  # the lost diagrams were sent again

            # The worker keeps consuming: a new state's diagram, asked for after all that.
            peak.value = 5000
            peak.save()
            after = diagram_of(other, "growth")
            assert after.pk != waiting.pk and after.status == Diagram.QUEUED
            assert finished(after, seconds=30).status == Diagram.DONE, after.reason
            assert worker.process is not None and worker.process.poll() is None
    finally:
        worker.stop()
        # What the worker said, without beat's reaper every two seconds.
        said = [line for line in worker.log().splitlines() if "reap_jobs" not in line]
        print("\n".join(said)[-8000:])
