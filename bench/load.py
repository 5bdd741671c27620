"""`make load`: locust against gunicorn + PostgreSQL on 127.0.0.1, bounded, and the figures.

Seeds 50 team members (10 teams of 5, a journey each, imported from the demo answers) and 5
architects with 10 journeys submitted for review; starts gunicorn (LOAD_WEB_WORKERS, 2) on
LOAD_DATABASE_URL (else SERVICES_DATABASE_URL) and Redis; runs locust headless for
LOAD_SECONDS (60) with 50 members + 5 architects; writes into bench/results.json, beside the
other benchmarks, `load.save_answer.p95` and `load.stage_page.p95` as ratios to
`load.static.p95` (/health/ on the same server in the same run; targets 3.0 and 5.0),
`load.errors` (target 0) and the requests per second per web worker. Stops what it started.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import urlopen

from scripts.localstack import ensure_database, free_port, production_env, services

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = ROOT / ".venv" / "bin"
RESULTS = HERE / "results.json"
TARGETS = {"save_answer": 3.0, "stage_page": 5.0}


def seed(members: int, architects: int) -> dict[str, Any]:
    """The people and journeys of the run (a fresh set each run: names carry a run id)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.db import SessionStore

    from journeys import catalog, exchange
    from journeys.access import ARCHITECTS_GROUP
    from journeys.demo_answers import DEMO_ANSWERS
    from journeys.milestones import save_milestone
    from journeys.models import Membership, Team
    from journeys.reviews import submissions

    def session_of(user: User) -> str:
        """A signed-in session, as the sign-in page would make: every simulated person starts
        signed in, for the password hash (about 0.5 s of CPU each) is not what is measured, and
        55 sign-ins from one address at once are what the sign-in throttle is there for."""
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return str(store.session_key)

    run = secrets.token_hex(3)
    password = make_password(None)  # no password: they come signed in (session_of)
    doc = {
        "format": exchange.FORMAT,
        "catalogue": catalog.get().version,
        "journey": {"name": "Load", "description": "", "region": "eu-west-1", "dr_region": None},
        "stages": {
            stage: {"answers": {q: {"value": v} for q, v in answers.items()}, "overrides": {}}
            for stage, answers in DEMO_ANSWERS.items()
        },
    }
    people: dict[str, Any] = {"members": [], "architects": [], "submitted": []}
    team = None
    for n in range(members):
        if n % 5 == 0:
            team = Team.objects.create(name=f"Load {run} {n // 5}", slug=f"load-{run}-{n // 5}")
        assert team is not None
        user = User.objects.create(username=f"load-{run}-m{n}", password=password)
        Membership.objects.create(team=team, user=user, role=Membership.EDITOR)
        journey = exchange.create_journey(doc, team, user)
        people["members"].append({"session": session_of(user), "journey": journey.pk})
        if n % 5 == 0:
            for stage in DEMO_ANSWERS:
                save_milestone(journey, stage, "", user)
            submissions.submit(journey, user, {}, "")
            people["submitted"].append(journey.pk)
    group, _ = Group.objects.get_or_create(name=ARCHITECTS_GROUP)
    for n in range(architects):
        user = User.objects.create(username=f"load-{run}-a{n}", password=password)
        user.groups.add(group)
        people["architects"].append(session_of(user))
    return people


def percentile_rows(stats_csv: Path) -> dict[str, dict[str, str]]:
    with stats_csv.open() as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def write_results(results: list[Any]) -> None:
    """Replace the load.* entries of bench/results.json, keep the other benchmarks'."""
    kept = []
    if RESULTS.exists():
        kept = [r for r in json.loads(RESULTS.read_text()) if not r["name"].startswith("load.")]
    RESULTS.write_text(json.dumps(kept + [asdict(r) for r in results], indent=2) + "\n")


def main() -> int:
    sys.path.insert(0, str(ROOT))
    database, broker = services("LOAD")
    seconds = int(os.environ.get("LOAD_SECONDS", "60"))
    web_workers = int(os.environ.get("LOAD_WEB_WORKERS", "2"))
    members = int(os.environ.get("LOAD_MEMBERS", "50"))
    architects = int(os.environ.get("LOAD_ARCHITECTS", "5"))
    folder = Path(os.environ.get("LOAD_DIR", "") or f"/tmp/planner-load-{os.getpid()}")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    env = {
        **production_env(database, broker, folder / "var", port),
        "WEB_CONCURRENCY": str(web_workers),
        "WEB_ACCESS_LOG": "",
        # Keep-alive connections are held by locust's users between their requests.
        "CONN_MAX_AGE": "60",
    }
    os.environ.update(env)

    ensure_database(database)
    import django

    django.setup()
    from django.core.management import call_command

    from bench.harness import Result, ratio_result

    call_command("migrate", verbosity=0)
    people = seed(members, architects)
    print(f"seeded {members} members, {architects} architects on {urlparse(database).path}")

    web = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "planner.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=open(folder / "web.log", "wb"),  # noqa: SIM115 (closed with the process)
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                urlopen(host + "/health/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        locust = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--host",
                host,
                "--users",
                str(members + architects),
                "--spawn-rate",
                "10",
                "--run-time",
                f"{seconds}s",
                "--csv",
                str(folder / "load"),
                "--only-summary",
                "--exit-code-on-error",
                "0",
            ],
            cwd=ROOT,
            env={
                **env,
                "LOAD_PEOPLE": json.dumps(people),
                "LOAD_MEMBERS": str(members),
                "LOAD_ARCHITECTS": str(architects),
            },
            capture_output=True,
            text=True,
            timeout=seconds + 120,
        )
        print(locust.stderr[-3000:])
    finally:
        os.kill(web.pid, signal.SIGTERM)
        try:
            web.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(web.pid, signal.SIGKILL)
            web.wait()

    rows = percentile_rows(folder / "load_stats.csv")
    static = float(rows["static"]["95%"]) / 1000
    results: list[Result] = [
        ratio_result("load.static.p95", static, "ms", "itself", static, 1.0, scale=1000)
    ]
    for name, target in TARGETS.items():
        value = float(rows[name]["95%"]) / 1000
        results.append(
            ratio_result(
                f"load.{name}.p95", value, "ms", "load.static.p95 (/health/)", static, target, 1000
            )
        )
    total = rows["Aggregated"]
    errors = int(total["Failure Count"])
    results.append(Result("load.errors", errors, "count", "none", 0, float(errors), 0.0))
    rps = float(total["Requests/s"])
    results.append(
        Result("load.rps_per_web_worker", round(rps / web_workers, 1), "req/s", "", 0, 0.0, 0.0)
    )
    write_results(results)
    for r in results:
        print(f"{r.name:<26} {r.value:>10} {r.unit:<5} ratio {r.ratio:<6} target {r.target}")
    print(
        f"{int(total['Request Count'])} requests in {seconds} s: {rps:.1f} req/s, "
        f"{rps / web_workers:.1f} per web worker ({web_workers} gunicorn workers, "
        f"{os.cpu_count()} CPUs shared with locust and PostgreSQL)"
    )
    judged = [r for r in results if r.name in ("load.save_answer.p95", "load.stage_page.p95")]
    ok = errors == 0 and all(r.ok for r in judged)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
