"""Every URL pattern × every role: the status each one gets.

A new URL pattern without a row in ROUTES fails `test_every_url_pattern_is_covered`, so the
matrix cannot fall behind the site.
"""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from journeys.milestones import save_milestone
from journeys.models import Diagram, Journey, Membership, Team

ROLES = ("anonymous", "outsider", "viewer", "editor", "architect")
LOGIN = "login"


def expected(
    anonymous: Any, outsider: Any, viewer: Any, editor: Any, architect: Any
) -> dict[str, Any]:
    return dict(zip(ROLES, (anonymous, outsider, viewer, editor, architect), strict=True))


JOURNEY_READ = expected(LOGIN, 404, 200, 200, 404)
JOURNEY_WRITE_PAGE = expected(LOGIN, 404, 403, 200, 404)
JOURNEY_POST = expected(LOGIN, 404, 403, 302, 404)
SIGNED_IN = expected(LOGIN, 200, 200, 200, 200)

# name -> (method, kwargs builder, data, expected statuses)
ROUTES: dict[str, tuple[str, Any, dict[str, Any], dict[str, Any]]] = {
    "journeys:list": ("get", lambda j, t, m: {}, {}, SIGNED_IN),
    "journeys:create": ("get", lambda j, t, m: {}, {}, expected(LOGIN, 200, 302, 200, 302)),
    "journeys:import": ("get", lambda j, t, m: {}, {}, SIGNED_IN),
    "journeys:detail": ("get", lambda j, t, m: {"journey_id": j.pk}, {}, JOURNEY_READ),
    "journeys:edit": ("get", lambda j, t, m: {"journey_id": j.pk}, {}, JOURNEY_WRITE_PAGE),
    "journeys:duplicate": ("post", lambda j, t, m: {"journey_id": j.pk}, {}, JOURNEY_POST),
    "journeys:archive": ("post", lambda j, t, m: {"journey_id": j.pk}, {}, JOURNEY_POST),
    "journeys:delete": ("get", lambda j, t, m: {"journey_id": j.pk}, {}, JOURNEY_WRITE_PAGE),
    "journeys:export": ("get", lambda j, t, m: {"journey_id": j.pk}, {}, JOURNEY_READ),
    "journeys:stage": (
        "get",
        lambda j, t, m: {"journey_id": j.pk, "stage": "growth"},
        {},
        JOURNEY_READ,
    ),
    "journeys:progress": (
        "get",
        lambda j, t, m: {"journey_id": j.pk, "stage": "growth"},
        {},
        JOURNEY_READ,
    ),
    "journeys:answer": (
        "post",
        lambda j, t, m: {"journey_id": j.pk, "stage": "growth", "question": "peak_rps"},
        {"value": "10"},
        expected(LOGIN, 404, 403, 200, 404),
    ),
    "journeys:panel": (
        "get",
        lambda j, t, m: {"journey_id": j.pk, "stage": "growth"},
        {},
        JOURNEY_READ,
    ),
    "journeys:override": (
        "post",
        lambda j, t, m: {"journey_id": j.pk, "stage": "growth", "component": "web-asg"},
        {"count": "3"},
        expected(LOGIN, 404, 403, 200, 404),
    ),
    "journeys:assumptions": ("get", lambda j, t, m: {"journey_id": j.pk}, {}, JOURNEY_READ),
    "journeys:milestones": (
        "get",
        lambda j, t, m: {"journey_id": j.pk, "stage": "growth"},
        {},
        JOURNEY_READ,
    ),
    "journeys:milestone_diff": (
        "get",
        lambda j, t, m: {"journey_id": j.pk, "stage": "growth"},
        {},
        JOURNEY_READ,
    ),
    "journeys:milestone": (
        "get",
        lambda j, t, m: {"journey_id": j.pk, "stage": "growth", "number": 1},
        {},
        JOURNEY_READ,
    ),
    "journeys:stage_diagram": (
        "get",
        lambda j, t, m: {"journey_id": j.pk, "stage": "growth"},
        {},
        JOURNEY_READ,
    ),
    "journeys:milestone_diagram": (
        "get",
        lambda j, t, m: {"journey_id": j.pk, "stage": "growth", "number": 1},
        {},
        JOURNEY_READ,
    ),
    "journeys:diagram_file": (
        "get",
        lambda j, t, m: {"journey_id": j.pk, "diagram_id": j.test_diagram.pk, "kind": "svg"},
        {},
        JOURNEY_READ,
    ),
    "journeys:diagram_retry": (
        "post",
        lambda j, t, m: {"journey_id": j.pk, "diagram_id": j.test_diagram.pk},
        {},
        JOURNEY_POST,
    ),
    "teams:list": ("get", lambda j, t, m: {}, {}, SIGNED_IN),
    "teams:create": ("get", lambda j, t, m: {}, {}, SIGNED_IN),
    "teams:detail": (
        "get",
        lambda j, t, m: {"slug": t.slug},
        {},
        expected(LOGIN, 404, 200, 200, 404),
    ),
    "teams:remove": (
        "post",
        lambda j, t, m: {"slug": t.slug, "membership_id": m.pk},
        {},
        expected(LOGIN, 404, 403, 403, 404),
    ),
}
# Public or Django's own pages, checked elsewhere or not ours to test.
PUBLIC = {
    "login",
    "logout",
    "signup",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "password_change",
    "password_change_done",
}


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: Any, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name == "admin":
                    continue
                walk(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name:
                names.add(prefix + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_pattern_is_covered() -> None:
    assert url_names() - PUBLIC == set(ROUTES)


@pytest.fixture
def world(
    journey: Journey, team: Team, viewer: User, editor: User, outsider: User, architect: User
) -> dict[str, Any]:
    save_milestone(journey, "growth", "", editor)
    journey.test_diagram = Diagram.objects.create(
        journey=journey,
        stage="growth",
        state_hash="0" * 64,
        render_key="0" * 64,
        state={},
        status=Diagram.DONE,
        svg=default_storage.save("diagrams/access.svg", ContentFile(b"<svg/>")),
    )
    return {
        "journey": journey,
        "team": team,
        "membership": Membership.objects.get(user=viewer),
        "users": {"outsider": outsider, "viewer": viewer, "editor": editor, "architect": architect},
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_role_gets_the_expected_status(world: dict[str, Any], name: str, role: str) -> None:
    method, kwargs, data, statuses = ROUTES[name]
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    url = reverse(name, kwargs=kwargs(world["journey"], world["team"], world["membership"]))
    response = getattr(client, method)(url, data, headers={"HX-Request": "true"})
    want = statuses[role]
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == want, (name, role, response.status_code)


def test_the_admin_is_for_staff_only(client: Any, editor: User) -> None:
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
