"""/health/ and /ready/: what a load balancer probes, without signing in, over plain http."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db.utils import OperationalError
from django.test import Client
from django.utils import timezone
from moto import mock_aws

from journeys.models import Heartbeat
from journeys.tasks import reap_jobs
from planner import health
from planner.celery import app

SECRET_PASSWORD = "s3cr3t-broker-password"


@pytest.fixture
def beat(db: Any) -> None:
    Heartbeat.beat("worker")


def ready(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get("/ready/")
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def test_health_answers_without_the_database(client: Client) -> None:
    # No `db` fixture: any query would raise.
    response = client.get("/health/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_ready_is_green_with_the_database_broker_storage_and_a_worker(
    client: Client, beat: None
) -> None:
    status, report = ready(client)
    assert status == 200, report
    assert report["status"] == "ok" and report["failing"] == []
    checks = report["checks"]
    assert all(checks[name]["ok"] for name in ("database", "broker", "storage", "worker"))
    assert set(checks["broker"]["queues"]) == {"default", "diagrams", "pricing", "exports"}
    assert checks["worker"]["seen_seconds_ago"] < 5


def test_both_need_no_sign_in_and_no_https(client: Client, settings: Any, beat: None) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/").status_code == 200
    assert client.get("/ready/").status_code == 200
    assert client.get("/").status_code == 301  # the rest of the site is redirected to https


def test_ready_is_red_naming_the_database_when_it_is_down(
    client: Client, monkeypatch: pytest.MonkeyPatch, beat: None
) -> None:
    def down() -> None:
        raise OperationalError("connection to server at 10.0.0.5 failed: password=hunter2")

    monkeypatch.setattr(health, "database", down)
    status, report = ready(client)
    assert status == 503
    assert report["failing"] == ["database"]
    assert report["checks"]["database"] == {
        "ok": False,
        "ms": report["checks"]["database"]["ms"],
        "error": "OperationalError",
    }
    assert "hunter2" not in json.dumps(report) and "10.0.0.5" not in json.dumps(report)


def test_ready_is_red_naming_the_broker_when_it_is_down(
    client: Client, settings: Any, beat: None
) -> None:
    # A port nothing listens on; the password in the URL must not appear in the report.
    url = f"redis://:{SECRET_PASSWORD}@127.0.0.1:1/0"
    settings.READY_TIMEOUT = 0.5
    # The check reads through `broker_read_url`, which comes before the CELERY_BROKER_URL the
    # services pass sets in the environment (Celery reads that ahead of `broker_url`).
    original = app.conf["broker_read_url"]
    app.conf["broker_read_url"] = url
    try:
        status, report = ready(client)
    finally:
        app.conf["broker_read_url"] = original
    assert status == 503
    assert report["failing"] == ["broker"]
    assert SECRET_PASSWORD not in json.dumps(report)


@pytest.fixture
def missing_bucket(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():  # an S3 with no such bucket: deleted, or credentials for another account
        settings.AWS_STORAGE_BUCKET_NAME = "no-such-bucket"
        settings.AWS_S3_REGION_NAME = "us-east-1"
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "storages.backends.s3.S3Storage"},
        }
        yield


def test_ready_is_red_naming_the_storage_when_the_bucket_cannot_be_reached(
    client: Client, missing_bucket: None, beat: None
) -> None:
    status, report = ready(client)
    assert status == 503
    assert report["failing"] == ["storage"]
    assert report["checks"]["storage"]["error"] == "ClientError"


def test_ready_is_red_naming_the_storage_when_the_media_folder_is_not_writable(
    client: Client, settings: Any, tmp_path: Any, beat: None
) -> None:
    settings.MEDIA_ROOT = tmp_path / "file-not-folder"
    settings.MEDIA_ROOT.write_text("")
    status, report = ready(client)
    assert status == 503 and report["failing"] == ["storage"]


def test_a_worker_not_seen_lately_is_named_but_the_web_stays_in_service(
    client: Client, settings: Any, db: Any
) -> None:
    Heartbeat.objects.create(name="worker", seen=timezone.now() - timedelta(minutes=10))
    status, report = ready(client)
    assert status == 200
    assert report["checks"]["worker"]["ok"] is False
    assert report["checks"]["worker"]["error"] == "last seen 600 s ago"
    settings.READY_NEEDS_WORKER = True
    status, report = ready(client)
    assert status == 503 and report["failing"] == ["worker"]


def test_no_worker_ever_is_said_so(client: Client, db: Any) -> None:
    _, report = ready(client)
    assert report["checks"]["worker"]["error"] == "never seen"


def test_the_reaper_run_is_the_workers_heartbeat(db: Any) -> None:
    assert Heartbeat.age("worker") is None
    reap_jobs.run()
    age = Heartbeat.age("worker")
    assert age is not None and age < 5
