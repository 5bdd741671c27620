"""The production smoke run (`make smoke`): the production stack on this machine, end to end.

Starts an S3-compatible endpoint (moto_server on 127.0.0.1), gunicorn (2 workers), two Celery
workers on different queues, each with a media folder of its own, and beat, all on PostgreSQL
(SMOKE_DATABASE_URL, else SERVICES_DATABASE_URL) and Redis (SMOKE_BROKER_URL, else
SERVICES_BROKER_URL). Then, over HTTP: sign up and sign in, import a journey, wait for its
diagrams and estimates, export the roadmap and download it; checks that the files are objects
in the bucket and not on any local disk, that the export's request id reached the worker's log,
and that /ready/ is green. Everything it started is stopped by its pid, also on failure.
Exit 0 and a summary, or 1 and the step that failed with the tail of the logs.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import boto3
import requests

from scripts.localstack import ensure_database, free_port, production_env, services

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
BUCKET = "planner-smoke"
DEADLINE = float(os.environ.get("SMOKE_WAIT_SECONDS", "60"))


class Failed(Exception):
    pass


class Stack:
    """The processes of the run, each in a session of its own: stopped by pid, group and all."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.folder, self.env = folder, env
        self.procs: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, args: list[str], **env: str) -> subprocess.Popen[bytes]:
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append((name, proc))
        return proc

    def run(self, name: str, args: list[str]) -> None:
        done = subprocess.run(args, cwd=ROOT, env=self.env, capture_output=True, timeout=120)
        if done.returncode:
            raise Failed(f"{name}: {done.stderr.decode(errors='replace')[-2000:]}")

    def check_alive(self) -> None:
        for name, proc in self.procs:
            if proc.poll() is not None:
                raise Failed(f"{name} exited with {proc.returncode}: {self.tail(name)}")

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.folder / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """TERM each one, then KILL the process group of any still there after 10 s."""
        for _, proc in reversed(self.procs):
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGTERM)
        end = time.monotonic() + 10
        for _name, proc in reversed(self.procs):
            try:
                proc.wait(timeout=max(0.1, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            with contextlib.suppress(ProcessLookupError):  # children left by a killed parent
                os.killpg(proc.pid, signal.SIGKILL)


def wait_for(what: str, probe: Callable[[], Any], stack: Stack, seconds: float = DEADLINE) -> Any:
    end = time.monotonic() + seconds
    last = ""
    while time.monotonic() < end:
        stack.check_alive()
        try:
            found = probe()
        except Exception as error:  # not up yet; said in the message if it never comes
            found, last = None, f" (last: {type(error).__name__}: {error})"
        if found:
            return found
        time.sleep(0.3)
    raise Failed(f"timed out after {seconds:.0f} s waiting for {what}{last}")


def csrf(session: requests.Session, base: str, path: str) -> str:
    page = session.get(base + path, timeout=10)
    page.raise_for_status()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not found:
        raise Failed(f"no CSRF token on {path}")
    return found.group(1)


def post(session: requests.Session, base: str, path: str, data: dict[str, Any], **kw: Any) -> Any:
    data = {"csrfmiddlewaretoken": csrf(session, base, path), **data}
    return session.post(base + path, data=data, headers={"Referer": base + path}, timeout=30, **kw)


def journey_document() -> dict[str, Any]:
    """A journey/1 document of the demo answers (what the import page takes)."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from journeys import catalog, exchange
    from journeys.demo_answers import DEMO_ANSWERS

    return {
        "format": exchange.FORMAT,
        "catalogue": catalog.get().version,
        "journey": {
            "name": "Smoke run",
            "description": "",
            "region": "eu-west-1",
            "dr_region": None,
        },
        "stages": {
            stage: {"answers": {q: {"value": v} for q, v in answers.items()}, "overrides": {}}
            for stage, answers in DEMO_ANSWERS.items()
        },
    }


def shows(
    session: requests.Session, url: str, pattern: str, headers: dict[str, str]
) -> Callable[[], re.Match[str] | None]:
    """A probe: the page at `url` shows `pattern` (a finished job's file link)."""
    return lambda: re.search(pattern, session.get(url, headers=headers, timeout=10).text)


def files_under(*folders: Path) -> list[str]:
    return [str(p) for f in folders if f.exists() for p in f.rglob("*") if p.is_file()]


def main() -> int:
    started = time.monotonic()
    database, broker = services("SMOKE")
    folder = Path(tempfile.mkdtemp(prefix="planner-smoke-"))
    web_port, s3_port = free_port(), free_port()
    base = f"http://127.0.0.1:{web_port}"
    media = {name: folder / f"media-{name}" for name in ("web", "worker-a", "worker-b")}
    env = {
        **production_env(database, broker, folder / "var", web_port),
        "CACHE_URL": broker.rsplit("/", 1)[0] + "/" + os.environ.get("SMOKE_CACHE_DB", "14"),
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "smoke",
        "AWS_SECRET_ACCESS_KEY": "smoke-secret",
        # The fake credentials above are for the bucket: prices come from the snapshot.
        "JOB_REAP_EVERY": "2",
        "LOG_FORMAT": "json",
        "WEB_CONCURRENCY": "2",
    }
    os.environ.update(env)
    stack = Stack(folder, env)
    summary: list[str] = []

    def step(text: str) -> None:
        summary.append(f"{time.monotonic() - started:6.1f}s  {text}")
        print(summary[-1], flush=True)

    try:
        stack.start("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)])
        s3 = boto3.client("s3", endpoint_url=env["AWS_S3_ENDPOINT_URL"], region_name="us-east-1")
        wait_for("the S3 endpoint", lambda: s3.list_buckets() is not None, stack, 20)
        s3.create_bucket(Bucket=BUCKET)
        step(f"S3 endpoint (moto_server) on 127.0.0.1:{s3_port}, private bucket {BUCKET}")

        ensure_database(database)
        stack.run("migrate", [str(BIN / "python"), "manage.py", "migrate", "--noinput"])
        step(f"database migrated: {urlparse(database).path.lstrip('/')}")

        celery = [str(BIN / "celery"), "-A", "planner"]
        stack.start(
            "web",
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "planner.wsgi"],
            MEDIA_ROOT=str(media["web"]),
        )
        for name, queues in (("worker-a", "default,diagrams"), ("worker-b", "pricing,exports")):
            stack.start(
                name,
                [*celery, "worker", "-Q", queues, "-c", "1", "-n", f"{name}@%h", "-l", "INFO"],
                MEDIA_ROOT=str(media[name]),
                CELERY_WORKER_MAX_MEMORY_PER_CHILD="600000",
            )
        stack.start("beat", [*celery, "beat", "--loglevel", "INFO"], MEDIA_ROOT=str(media["web"]))
        wait_for("gunicorn", lambda: requests.get(base + "/health/", timeout=2).ok, stack, 30)
        step("gunicorn (2 workers), worker-a (default,diagrams), worker-b (pricing,exports), beat")

        web = requests.Session()
        user = f"smoke-{secrets.token_hex(4)}"
        password = secrets.token_urlsafe(16)
        signup = {
            "username": user,
            "email": f"{user}@example.com",
            "team_name": "Smoke",
            "password1": password,
            "password2": password,
        }
        if post(web, base, "/accounts/signup/", signup).url.rstrip("/") != base:
            raise Failed("sign-up did not land on the journey list")
        web = requests.Session()
        signed = post(web, base, "/accounts/login/", {"username": user, "password": password})
        if "sessionid" not in web.cookies:
            raise Failed(f"sign-in refused ({signed.status_code})")
        step(f"signed up and signed in as {user}")

        page = web.get(base + "/journeys/import/", timeout=10).text
        team = re.search(r'<option value="(\d+)"', page)
        if not team:
            raise Failed("the import page offers no team")
        doc = json.dumps(journey_document()).encode()
        imported = post(
            web,
            base,
            "/journeys/import/",
            {"team": team.group(1)},
            files={"file": ("smoke.json", doc, "application/json")},
        )
        found = re.search(r"/journeys/(\d+)/$", imported.url)
        if not found:
            said = re.findall(r'<ul class="problems">(.*?)</ul>', imported.text, re.S)
            problems = re.sub(r"<[^>]+>", " ", said[0] if said else "")[:800]
            raise Failed(f"import did not open the journey ({imported.status_code}): {problems}")
        journey = found.group(1)
        step(f"imported journey {journey}")

        htmx = {"HX-Request": "true"}
        for stage in ("launch", "growth", "scale", "beyond"):
            prefix = f"{base}/journeys/{journey}/stages/{stage}"
            for what, url, done in (
                ("diagram", prefix + "/diagram/", r"/diagrams/\d+\.svg"),
                ("estimate", prefix + "/estimate/", r"/estimates/\d+\.csv"),
            ):
                wait_for(f"the {stage} {what}", shows(web, url, done, htmx), stack)
        step("diagrams and estimates of the four stages done (by the workers)")

        exports = f"/journeys/{journey}/exports/"
        live = {f"milestone-{s}": "" for s in ("launch", "growth", "scale", "beyond")}
        asked = post(web, base, exports, live)
        request_id = asked.history[0].headers.get("X-Request-ID", "") if asked.history else ""
        link = wait_for(
            "the roadmap export",
            lambda: re.search(
                rf"/journeys/{journey}/exports/\d+\.pdf", web.get(base + exports, timeout=10).text
            ),
            stack,
        )
        pdf = web.get(base + link.group(0), timeout=30)
        if pdf.status_code != 200 or not pdf.content.startswith(b"%PDF-"):
            raise Failed(f"the download is not a PDF ({pdf.status_code})")
        step(f"roadmap exported and downloaded: {len(pdf.content)} bytes of PDF")

        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
        pdfs = [k for k in keys if k.startswith("roadmaps/") and k.endswith(".pdf")]
        pictures = [k for k in keys if k.endswith((".svg", ".png"))]
        if not pdfs or len(pictures) < 8:
            raise Failed(f"expected the PDF and 4 diagrams' SVG+PNG in the bucket, found {keys}")
        local = files_under(*media.values())
        if local:
            raise Failed(f"files on the local disk: {local}")
        anonymous = requests.get(f"{env['AWS_S3_ENDPOINT_URL']}/{BUCKET}/{pdfs[0]}", timeout=5)
        if anonymous.status_code != 403:
            raise Failed(
                f"the PDF object is readable without a signature ({anonymous.status_code})"
            )
        step(
            f"bucket holds {len(keys)} objects ({len(pdfs)} PDF, {len(pictures)} pictures); "
            f"no file on local disks; anonymous GET of the PDF object: {anonymous.status_code}"
        )

        worker_log = stack.tail("worker-b", 10_000)
        if request_id and request_id not in worker_log:
            raise Failed(f"request id {request_id} of the export is not in worker-b's log")
        step(f"the export's request id {request_id or '(none)'} is in the exports worker's log")

        def green() -> dict[str, Any] | None:
            answer = requests.get(base + "/ready/", timeout=5)
            report: dict[str, Any] = answer.json()
            seen = answer.status_code == 200 and report["checks"]["worker"]["ok"]
            return report if seen else None

        report = wait_for("/ready/ green with a worker seen", green, stack, 30)
        step(f"/ready/ green: {json.dumps(report['checks'], sort_keys=True)}")
    except Exception as error:
        print(f"\nSMOKE FAILED: {type(error).__name__}: {error}", file=sys.stderr)
        for name, _ in stack.procs:
            print(f"\n--- {name}.log (tail) ---\n{stack.tail(name)}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
        left = [name for name, proc in stack.procs if proc.poll() is None]
        print(f"stopped {len(stack.procs)} processes by pid" + (f"; LEFT: {left}" if left else ""))
    print(f"\nSMOKE PASSED in {time.monotonic() - started:.0f} s (logs: {folder})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
