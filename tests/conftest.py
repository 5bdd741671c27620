"""Shared fixtures: users in their roles, teams, journeys; media in a temporary folder.

The suite runs twice in `make test`: on SQLite with the filesystem broker, and with SERVICES=1
on PostgreSQL + Redis, where the tests marked `worker` start a real Celery worker process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group, User

from journeys.models import Journey, Membership, Team

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
    group, _ = Group.objects.get_or_create(name="architects")
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


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
