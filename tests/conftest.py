"""Shared fixtures: users in their roles, teams, journeys; media in a temporary folder.

The suite runs twice in `make test`: on SQLite with the filesystem broker, and with SERVICES=1
on PostgreSQL + Redis, where the tests marked `worker` start a real Celery worker process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.db import connection

from journeys.access import ARCHITECTS_GROUP, JourneyAccess, review_access_or_404
from journeys.forms import CommentForm, ShareLinkForm
from journeys.milestones import save_milestone
from journeys.models import Comment, Journey, Membership, Milestone, ShareLink, Submission, Team
from journeys.reviews import comments, sharing, submissions
from journeys.vocabulary import STAGES
from planner.celery import app as project_app

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the tests
# themselves are still synchronous and safe there. This is set for the tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SERVICES = os.environ.get("SERVICES") == "1"
PASSWORD = "correct-horse-battery-staple"


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if SERVICES:
        return
    skip = pytest.mark.skip(
        reason="needs PostgreSQL + Redis and a real worker: runs in make test's services pass"
    )
    for item in items:
        if "worker" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """The cache (password-reset counts) starts empty in every test; the sign-in failures
    django-axes counts live in the database, which every test rolls back."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_user(username: str, **extra: Any) -> User:
    return User.objects.create_user(
        username, email=f"{username}@example.com", password=PASSWORD, **extra
    )


@pytest.fixture
def team(db: Any) -> Team:
    return Team.objects.create(name="Payments", slug="payments")


@pytest.fixture
def other_team(db: Any) -> Team:
    return Team.objects.create(name="Search", slug="search")


@pytest.fixture
def editor(team: Team) -> User:
    user = make_user("erin")
    Membership.objects.create(team=team, user=user, role=Membership.EDITOR)
    return user


@pytest.fixture
def owner(team: Team) -> User:
    user = make_user("olga")
    Membership.objects.create(team=team, user=user, role=Membership.OWNER)
    return user


@pytest.fixture
def viewer(team: Team) -> User:
    user = make_user("victor")
    Membership.objects.create(team=team, user=user, role=Membership.VIEWER)
    return user


@pytest.fixture
def outsider(other_team: Team) -> User:
    """An editor of another team."""
    user = make_user("oscar")
    Membership.objects.create(team=other_team, user=user, role=Membership.EDITOR)
    return user


@pytest.fixture
def architect(db: Any) -> User:
    user = make_user("ada")
    group, _ = Group.objects.get_or_create(name=ARCHITECTS_GROUP)
    user.groups.add(group)
    return user


@pytest.fixture
def journey(team: Team, editor: User) -> Journey:
    return Journey.objects.create(
        team=team,
        name="Checkout",
        description="Card payments",
        region="eu-west-1",
        created_by=editor,
    )


@pytest.fixture
def editor_client(client: Any, editor: User) -> Iterator[Any]:
    client.force_login(editor)
    yield client


@pytest.fixture
def architect_client(client: Any, architect: User) -> Any:
    client.force_login(architect)
    return client


# --- Review actions as the views take them: access first, input through the forms ------------


def access_for(user: User, journey: Journey) -> JourneyAccess:
    """The journey as the review views fetch it for this user."""
    return review_access_or_404(user, journey.pk)


def submission_of(journey: Journey, number: int) -> Submission:
    return Submission.objects.select_related("journey", "decision").get(
        journey=journey, number=number
    )


def save_all_milestones(journey: Journey, user: User, note: str = "") -> dict[str, Milestone]:
    return {slug: save_milestone(journey, slug, note, user)[0] for slug in STAGES}


def submit_all(journey: Journey, user: User) -> Submission:
    """Save a milestone of every stage and submit them."""
    save_all_milestones(journey, user)
    submission = submissions.submit(journey, user, {}, "")
    journey.refresh_from_db()
    return submission


@pytest.fixture
def submitted(journey: Journey, editor: User) -> Submission:
    """The journey with a milestone of every stage, submitted for review by its editor."""
    return submit_all(journey, editor)


def add_comment(access: JourneyAccess, data: dict[str, str]) -> Comment:
    """A comment posted as the comment form posts it (a reply when `parent` is set)."""
    parent = Comment.objects.get(pk=data["parent"]) if data.get("parent") else None
    form = CommentForm(access.journey, data, reply=parent is not None)
    assert form.is_valid(), form.errors
    cleaned = form.cleaned_data
    return comments.add_comment(
        access, cleaned["body"], anchor=cleaned.get("anchor"), parent=parent
    )


def share_link(journey: Journey, user: User, label: str = "", **picked: str) -> ShareLink:
    """A link made as the share form makes it: 7 days, the default milestones unless a stage
    is picked ({stage: number}, "" to leave it out)."""
    data = {"days": "7", "label": label, **{f"stage-{s}": n for s, n in picked.items()}}
    form = ShareLinkForm(journey, data)
    assert form.is_valid(), form.errors
    cleaned = form.cleaned_data
    return sharing.create_link(
        journey, user, cleaned["days"], cleaned["label"], cleaned["milestones"]
    )


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium: Playwright cannot download its own browser here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


# Chromium logs every refusal of the Content-Security-Policy ("Refused to apply inline style
# because it violates the following Content Security Policy directive ..."); the page also
# reports each one as a `securitypolicyviolation` event, which this script logs the same way.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`);
});
"""


@pytest.fixture
def page(page: Any) -> Iterator[Any]:
    """pytest-playwright's page, failing its test on any Content-Security-Policy violation: a
    script, style or handler the policy refuses is a feature that silently does not work."""
    violations: list[str] = []

    def listen(message: Any) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{message.text} ({page.url})")

    page.on("console", listen)
    page.add_init_script(CSP_REPORTER)
    yield page
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRICING_SOURCE": "snapshot",
    }
    log = (tmp_path / "worker.log").open("wb")
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
            "default,diagrams,pricing,exports",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
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
        log.close()
        # What the worker said, for the report of a failed test.
        print((tmp_path / "worker.log").read_text(errors="replace")[-3000:])


@contextmanager
def broker_at(url: str) -> Iterator[Celery]:
    """Send this thread's tasks to another broker: a Celery app with the project's settings but
    this broker becomes the current app, which the domain's enqueue (`current_app.send_task`)
    resolves to. The project's app stays bound to the suite's broker, and is current again
    afterwards. Celery reads `broker_url` from the environment's CELERY_BROKER_URL before its
    configuration (the suite's broker, in the services pass), so the app's sending side is
    pointed here with `broker_write_url`, which comes first for every send."""
    app = Celery("planner", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_write_url=url)
    app.set_current()
    try:
        yield app
    finally:
        # Its connections stay in kombu's pools, which are shared by URL: closing them would
        # leave a closed pool to the next app on this broker.
        project_app.set_current()


def wait_for(predicate: Any, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(autouse=True)
def no_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may reach AWS: no credentials, no config file, no instance metadata."""
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    for name in (
        "AWS_PROFILE",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
