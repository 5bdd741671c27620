"""What /ready/ checks: the database, the broker, the file storage, a worker seen lately and
the depth of each queue. Each check says ok or not and how long it took; a failure names only
the kind of error, never an address or a credential (a load balancer's log is not private).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection

from journeys.models import Heartbeat


@dataclass
class Check:
    ok: bool
    ms: float = 0.0
    error: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(data.pop("detail"))
        if not self.error:
            del data["error"]
        return data


def timed(probe: Callable[[], dict[str, Any] | None]) -> Check:
    start = time.perf_counter()
    try:
        detail = probe() or {}
    except Exception as error:  # a check reports, whatever went wrong
        return Check(False, _ms(start), type(error).__name__)
    return Check(True, _ms(start), detail=detail)


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def queue_names() -> list[str]:
    routed = {str(route["queue"]) for route in settings.CELERY_TASK_ROUTES.values()}
    return sorted(routed | {settings.CELERY_TASK_DEFAULT_QUEUE})


def broker() -> dict[str, Any]:
    """The broker answers; with it, how many messages wait in each queue. A queue the broker
    does not know has none waiting (Redis keeps no key for an empty queue)."""
    depth: dict[str, int] = {}
    with current_app.connection_for_read() as conn:
        conn.ensure_connection(max_retries=1, timeout=settings.READY_TIMEOUT)
        for name in queue_names():
            # A channel each: a failed passive declare closes its channel.
            channel: Any = conn.channel()
            try:
                depth[name] = int(channel.queue_declare(name, passive=True).message_count)
            except conn.channel_errors:
                depth[name] = 0
            finally:
                channel.close()
    return {"queues": depth}


def storage() -> dict[str, Any]:
    """The store files go to can be reached: the bucket (S3), or a writable folder."""
    bucket = getattr(default_storage, "bucket", None)
    if bucket is not None:
        bucket.meta.client.head_bucket(Bucket=bucket.name)
        return {"backend": "s3"}
    location = Path(default_storage.path(""))
    location.mkdir(parents=True, exist_ok=True)
    if not os.access(location, os.W_OK):
        raise PermissionError("not writable")
    return {"backend": "filesystem"}


def worker() -> dict[str, Any]:
    """A worker ran the reaper (sent by beat every JOB_REAP_EVERY seconds) lately."""
    age = Heartbeat.age("worker")
    seen = age is not None and age <= settings.READY_WORKER_SECONDS
    if not seen:
        raise LookupError("no worker seen" if age is None else "worker not seen lately")
    return {"seen_seconds_ago": round(age or 0.0, 1)}


def readiness() -> tuple[bool, dict[str, Any]]:
    """(ready, the report). Ready means the database, the broker and the storage answer;
    the worker counts only with READY_NEEDS_WORKER (without one, the web still serves)."""
    checks = {
        "database": timed(database),
        "broker": timed(broker),
        "storage": timed(storage),
    }
    seen = timed(worker)
    if not seen.ok:
        age = Heartbeat.age("worker") if checks["database"].ok else None
        seen.error = "never seen" if age is None else f"last seen {round(age)} s ago"
        seen.detail["within_seconds"] = settings.READY_WORKER_SECONDS
    checks["worker"] = seen
    required = ["database", "broker", "storage"]
    if settings.READY_NEEDS_WORKER:
        required.append("worker")
    failing = [name for name in required if not checks[name].ok]
    report: dict[str, Any] = {
        "status": "fail" if failing else "ok",
        "failing": failing,
        "checks": {name: check.as_json() for name, check in checks.items()},
    }
    return not failing, report
