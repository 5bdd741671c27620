"""A real Celery worker process on the Redis broker and the PostgreSQL test database."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from journeys import tasks
from journeys.models import Membership

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    s = connection.settings_dict
    user = s.get("USER") or ""
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


@pytest.fixture
def worker(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """Start `celery worker` against the test database; yields the folder it mails into."""
    from planner.celery import app

    app.control.purge()
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "planner",
            "worker",
            "--pool",
            "solo",
            "--queues",
            "default",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield mail_dir
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for(predicate: Any, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_real_worker_emails_a_new_member(
    worker: Path, team: Any, owner: Any, outsider: Any
) -> None:
    membership = Membership.objects.create(team=team, user=outsider, role="viewer")
    tasks.notify_new_member.delay(membership.pk)
    assert wait_for(lambda: worker.exists() and any(worker.iterdir())), "no email was written"
    text = next(worker.iterdir()).read_text()
    assert "oscar@example.com" in text and "Payments" in text
