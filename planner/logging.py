"""Request ids and JSON logs.

Every request gets an id: the proxy's `X-Request-ID` when it sends a sane one, else a new one.
It is given back in the response's `X-Request-ID`, stamped on every log line written while the
request is served, and carried in the headers of each Celery task the request queues, so the
worker's lines of that job carry it too. `LOG_FORMAT=json` writes one JSON object a line.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.conf import settings
from django.http import HttpRequest, HttpResponse

request_id: ContextVar[str] = ContextVar("request_id", default="-")
HEADER = "request_id"
# A proxy's id is taken as it is only if it is short and plain: it goes into every log line.
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
access_log = logging.getLogger("planner.requests")
job_log = logging.getLogger("planner.jobs")


def new_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets the request id for the time of the request; with LOG_REQUESTS, logs one line per
    request (method, path, status, milliseconds, user id)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        rid = given if _SANE_ID.match(given) else new_id()
        token = request_id.set(rid)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            if settings.LOG_REQUESTS:
                user = getattr(request, "user", None)
                access_log.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "ms": round((time.perf_counter() - start) * 1000, 1),
                        "user_id": user.pk if user is not None and user.is_authenticated else None,
                    },
                )
            return response
        finally:
            request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (a handler's filter: records of every logger)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


# The attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, the `extra` fields,
    and the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def _stamp_task(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    """A task queued while serving a request carries the request's id."""
    if headers is not None and HEADER not in headers:
        rid = request_id.get()
        if rid != "-":
            headers[HEADER] = rid


def _enter_task(task: Any = None, task_id: str = "", **kwargs: Any) -> None:
    """A task's lines carry the id of the request that queued it; its start is one of them."""
    rid = getattr(task.request, HEADER, None) if task is not None else None
    request_id.set(str(rid) if rid else "-")
    job_log.info("%s %s started", getattr(task, "name", "task"), task_id)


def _leave_task(**kwargs: Any) -> None:
    request_id.set("-")


def connect_celery() -> None:
    """Called by planner/celery.py: web and workers both load the Celery app."""
    before_task_publish.connect(_stamp_task, weak=False)
    task_prerun.connect(_enter_task, weak=False)
    task_postrun.connect(_leave_task, weak=False)
