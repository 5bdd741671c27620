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

from journeys.jobs import diagrams, estimates
from journeys.models import Comment, Export, Journey, Membership, Team
from tests.conftest import share_link, submit_all

# "holder" is someone without an account who was given a share link of the journey: they open
# it first, then try the URL.
ROLES = ("anonymous", "outsider", "viewer", "editor", "architect", "holder")
LOGIN = "login"


def expected(
    anonymous: Any, outsider: Any, viewer: Any, editor: Any, architect: Any, holder: Any = LOGIN
) -> dict[str, Any]:
    return dict(zip(ROLES, (anonymous, outsider, viewer, editor, architect, holder), strict=True))


JOURNEY_READ = expected(LOGIN, 404, 200, 200, 404)
JOURNEY_WRITE_PAGE = expected(LOGIN, 404, 403, 200, 404)
JOURNEY_POST = expected(LOGIN, 404, 403, 302, 404)
SIGNED_IN = expected(LOGIN, 200, 200, 200, 200)
# What a share link shows is for whoever holds its token, with or without an account.
SHARED_ANYONE = expected(200, 200, 200, 200, 200, 200)
# Architects read journeys that are or were in review (the world's journey is submitted).
REVIEW_READ = expected(LOGIN, 404, 200, 200, 200)
# Only architects decide; the team gets 403 (they can see the journey), others 404.
REVIEW_DECIDE = expected(LOGIN, 404, 403, 403, 302)
# Comments are written by editors and the reviewing architects; viewers read them.
COMMENT_POST = expected(LOGIN, 404, 403, 200, 200)
SHARED_PAGE = expected(200, 200, 200, 200, 200, holder=200)


def done_export(journey: Journey) -> Export:
    """A finished roadmap export of the journey, for the URLs that name one."""
    export = Export.objects.filter(journey=journey, status=Export.DONE).first()
    if export is None:
        export = Export.objects.create(
            journey=journey,
            selection={},
            page_size="A4",
            status=Export.DONE,
            file=default_storage.save("roadmaps/access.pdf", ContentFile(b"%PDF-1.7\n")),
            page_count=1,
            size_bytes=9,
        )
    return export


# name -> (method, kwargs builder, data, expected statuses)
ROUTES: dict[str, tuple[str, Any, dict[str, Any], dict[str, Any]]] = {
    "journeys:list": ("get", lambda j, t, m: {}, {}, SIGNED_IN),
    "journeys:create": ("get", lambda j, t, m: {}, {}, expected(LOGIN, 200, 302, 200, 302)),
    "journeys:import": ("get", lambda j, t, m: {}, {}, SIGNED_IN),
    "journeys:detail": ("get", lambda j, t, m: {"journey_id": j.pk}, {}, JOURNEY_READ),
    "journeys:edit": ("get", lambda j, t, m: {"journey_id": j.pk}, {}, JOURNEY_WRITE_PAGE),
    "journeys:quick_start": (
        "get",
        lambda j, t, m: {"journey_id": j.pk},
        {},
        JOURNEY_WRITE_PAGE,
    ),
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
        REVIEW_READ,
    ),
    "journeys:diagram_file": (
        "get",
        lambda j, t, m: {"journey_id": j.pk, "diagram_id": j.test_diagram.pk, "kind": "svg"},
        {},
        REVIEW_READ,
    ),
    "journeys:diagram_retry": (
        "post",
        lambda j, t, m: {"journey_id": j.pk, "diagram_id": j.test_diagram.pk},
        {},
        JOURNEY_POST,
    ),
    "journeys:stage_estimate": (
        "get",
        lambda j, t, m: {"journey_id": j.pk, "stage": "growth"},
        {},
        JOURNEY_READ,
    ),
    "journeys:milestone_estimate": (
        "get",
        lambda j, t, m: {"journey_id": j.pk, "stage": "growth", "number": 1},
        {},
        REVIEW_READ,
    ),
    "journeys:estimate_csv": (
        "get",
        lambda j, t, m: {"journey_id": j.pk, "estimate_id": j.test_estimate.pk},
        {},
        REVIEW_READ,
    ),
    "journeys:shared_milestone_diagram": (
        "get",
        lambda j, t, m: {"token": j.share_token, "stage": "growth", "number": 1},
        {},
        SHARED_ANYONE,
    ),
    "journeys:shared_diagram_file": (
        "get",
        lambda j, t, m: {"token": j.share_token, "stage": "growth", "number": 1, "kind": "svg"},
        {},
        SHARED_ANYONE,
    ),
    "journeys:shared_milestone_estimate": (
        "get",
        lambda j, t, m: {"token": j.share_token, "stage": "growth", "number": 1},
        {},
        SHARED_ANYONE,
    ),
    "journeys:shared_estimate_csv": (
        "get",
        lambda j, t, m: {"token": j.share_token, "stage": "growth", "number": 1},
        {},
        SHARED_ANYONE,
    ),
    "journeys:estimate_retry": (
        "post",
        lambda j, t, m: {"journey_id": j.pk, "estimate_id": j.test_estimate.pk},
        {},
        JOURNEY_POST,
    ),
    "journeys:costs": ("get", lambda j, t, m: {"journey_id": j.pk}, {}, JOURNEY_READ),
    # Viewers may export: a roadmap PDF only reads the journey.
    "journeys:exports": (
        "post",
        lambda j, t, m: {"journey_id": j.pk},
        {},
        expected(LOGIN, 404, 200, 200, 404),
    ),
    "journeys:export_status": (
        "get",
        lambda j, t, m: {"journey_id": j.pk, "export_id": done_export(j).pk},
        {},
        JOURNEY_READ,
    ),
    "journeys:export_download": (
        "get",
        lambda j, t, m: {"journey_id": j.pk, "export_id": done_export(j).pk},
        {},
        JOURNEY_READ,
    ),
    "reviews:queue": ("get", lambda j, t, m: {}, {}, expected(LOGIN, 403, 403, 403, 200)),
    "reviews:notifications": ("get", lambda j, t, m: {}, {}, SIGNED_IN),
    "reviews:nav": ("get", lambda j, t, m: {}, {}, SIGNED_IN),
    "reviews:submit": (
        "get",
        lambda j, t, m: {"journey_id": j.pk},
        {},
        expected(LOGIN, 404, 403, 200, 404),
    ),
    "reviews:review": ("get", lambda j, t, m: {"journey_id": j.pk}, {}, REVIEW_READ),
    "reviews:compare": ("get", lambda j, t, m: {"journey_id": j.pk}, {}, REVIEW_READ),
    "reviews:history": ("get", lambda j, t, m: {"journey_id": j.pk}, {}, REVIEW_READ),
    "reviews:stage_comments": (
        "get",
        lambda j, t, m: {"journey_id": j.pk, "stage": "growth"},
        {},
        REVIEW_READ,
    ),
    "reviews:comment": (
        "post",
        lambda j, t, m: {"journey_id": j.pk},
        {"body": "Looks good", "scope": "growth", "anchor": "stage"},
        COMMENT_POST,
    ),
    "reviews:comment_edit": (
        "get",
        lambda j, t, m: {"journey_id": j.pk, "comment_id": j.editor_comment.pk},
        {},
        expected(LOGIN, 404, 403, 200, 403),
    ),
    "reviews:comment_resolve": (
        "post",
        lambda j, t, m: {"journey_id": j.pk, "comment_id": j.editor_comment.pk},
        {"resolved": "1"},
        COMMENT_POST,
    ),
    "reviews:signoff": (
        "post",
        lambda j, t, m: {"journey_id": j.pk, "number": 1},
        {"stage": "launch", "component": "primary-db"},
        REVIEW_DECIDE,
    ),
    "reviews:decide": (
        "post",
        lambda j, t, m: {"journey_id": j.pk, "number": 1},
        {"outcome": "request_changes", "summary": "Add a read replica"},
        REVIEW_DECIDE,
    ),
    "reviews:share_links": (
        "get",
        lambda j, t, m: {"journey_id": j.pk},
        {},
        expected(LOGIN, 404, 200, 200, 404),
    ),
    "reviews:share_revoke": (
        "post",
        lambda j, t, m: {"journey_id": j.pk, "link_id": j.share_link.pk},
        {},
        expected(LOGIN, 404, 302, 302, 404),
    ),
    "reviews:shared": ("get", lambda j, t, m: {"token": j.share_token}, {}, SHARED_PAGE),
    # No roadmap export exists yet: the PDF link answers 404 for everyone.
    "reviews:shared_export": (
        "get",
        lambda j, t, m: {"token": j.share_token},
        {},
        expected(404, 404, 404, 404, 404, holder=404),
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
    # Submitted, so that architects may read and review it; a comment by the editor and a
    # share link, for the URLs that name them.
    submit_all(journey, editor)
    journey.editor_comment = Comment.objects.create(journey=journey, author=editor, body="Hi")
    journey.share_link = share_link(journey, editor, "Board")
    journey.share_token = journey.share_link.token
    # The growth milestone's own diagram and estimate, finished without a worker.
    growth = journey.milestones.get(stage="growth", number=1)
    journey.test_diagram = diagrams.milestone_diagram_for(journey, growth)
    stored = default_storage.save("diagrams/access.svg", ContentFile(b"<svg/>"))
    journey.test_diagram.finish(svg=stored, png=stored, script=stored)
    journey.test_estimate = estimates.milestone_estimate_for(journey, growth)
    journey.test_estimate.finish(
        result={"lines": [], "monthly_usd": "0", "yearly_usd": "0", "per_customer_usd": "0"}
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
    if role == "holder":
        assert client.get(world["journey"].share_link.get_absolute_url()).status_code == 200
    elif role != "anonymous":
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
