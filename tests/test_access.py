"""Every URL pattern × every role: the status each one gets.

A new URL pattern without a row in ROUTES fails `test_every_url_pattern_is_covered`, so the
matrix cannot fall behind the site.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from journeys import architecture
from journeys.jobs import diagrams, estimates
from journeys.milestones import save_milestone
from journeys.models import (
    Comment,
    Diagram,
    Estimate,
    Export,
    Journey,
    Membership,
    ShareLink,
    Team,
)
from tests.conftest import share_link, submit_all
from tests.test_reviews import change_an_answer

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


# name -> (method, kwargs builder (of the World), data, expected statuses)
ROUTES: dict[str, tuple[str, Any, dict[str, Any], dict[str, Any]]] = {
    # An architect in no team lands on the review queue (their list would be empty).
    "journeys:list": ("get", lambda w: {}, {}, expected(LOGIN, 200, 200, 200, 302)),
    "journeys:create": ("get", lambda w: {}, {}, expected(LOGIN, 200, 302, 200, 302)),
    "journeys:import": ("get", lambda w: {}, {}, SIGNED_IN),
    "journeys:detail": ("get", lambda w: {"journey_id": w.journey.pk}, {}, JOURNEY_READ),
    "journeys:edit": ("get", lambda w: {"journey_id": w.journey.pk}, {}, JOURNEY_WRITE_PAGE),
    "journeys:quick_start": (
        "get",
        lambda w: {"journey_id": w.journey.pk},
        {},
        JOURNEY_WRITE_PAGE,
    ),
    "journeys:duplicate": ("post", lambda w: {"journey_id": w.journey.pk}, {}, JOURNEY_POST),
    "journeys:archive": ("post", lambda w: {"journey_id": w.journey.pk}, {}, JOURNEY_POST),
    "journeys:delete": ("get", lambda w: {"journey_id": w.journey.pk}, {}, JOURNEY_WRITE_PAGE),
    "journeys:export": ("get", lambda w: {"journey_id": w.journey.pk}, {}, JOURNEY_READ),
    "journeys:stage": (
        "get",
        lambda w: {"journey_id": w.journey.pk, "stage": "growth"},
        {},
        JOURNEY_READ,
    ),
    "journeys:progress": (
        "get",
        lambda w: {"journey_id": w.journey.pk, "stage": "growth"},
        {},
        JOURNEY_READ,
    ),
    "journeys:answer": (
        "post",
        lambda w: {"journey_id": w.journey.pk, "stage": "growth", "question": "peak_rps"},
        {"value": "10"},
        expected(LOGIN, 404, 403, 200, 404),
    ),
    "journeys:panel": (
        "get",
        lambda w: {"journey_id": w.journey.pk, "stage": "growth"},
        {},
        JOURNEY_READ,
    ),
    "journeys:override": (
        "post",
        lambda w: {"journey_id": w.journey.pk, "stage": "growth", "component": "web-asg"},
        {"count": "3"},
        expected(LOGIN, 404, 403, 200, 404),
    ),
    "journeys:assumptions": ("get", lambda w: {"journey_id": w.journey.pk}, {}, JOURNEY_READ),
    "journeys:milestones": (
        "get",
        lambda w: {"journey_id": w.journey.pk, "stage": "growth"},
        {},
        JOURNEY_READ,
    ),
    "journeys:milestone_diff": (
        "get",
        lambda w: {"journey_id": w.journey.pk, "stage": "growth"},
        {},
        JOURNEY_READ,
    ),
    "journeys:milestone": (
        "get",
        lambda w: {"journey_id": w.journey.pk, "stage": "growth", "number": 1},
        {},
        JOURNEY_READ,
    ),
    "journeys:stage_diagram": (
        "get",
        lambda w: {"journey_id": w.journey.pk, "stage": "growth"},
        {},
        JOURNEY_READ,
    ),
    "journeys:milestone_diagram": (
        "get",
        lambda w: {"journey_id": w.journey.pk, "stage": "growth", "number": 1},
        {},
        REVIEW_READ,
    ),
    "journeys:diagram_file": (
        "get",
        lambda w: {
            "journey_id": w.journey.pk,
            "diagram_id": w.diagram.pk,
            "kind": "svg",
        },
        {},
        REVIEW_READ,
    ),
    "journeys:diagram_retry": (
        "post",
        lambda w: {"journey_id": w.journey.pk, "diagram_id": w.diagram.pk},
        {},
        JOURNEY_POST,
    ),
    "journeys:stage_estimate": (
        "get",
        lambda w: {"journey_id": w.journey.pk, "stage": "growth"},
        {},
        JOURNEY_READ,
    ),
    "journeys:milestone_estimate": (
        "get",
        lambda w: {"journey_id": w.journey.pk, "stage": "growth", "number": 1},
        {},
        REVIEW_READ,
    ),
    "journeys:estimate_csv": (
        "get",
        lambda w: {"journey_id": w.journey.pk, "estimate_id": w.estimate.pk},
        {},
        REVIEW_READ,
    ),
    "journeys:shared_milestone_diagram": (
        "get",
        lambda w: {"token": w.link.token, "stage": "growth", "number": 1},
        {},
        SHARED_ANYONE,
    ),
    "journeys:shared_diagram_file": (
        "get",
        lambda w: {"token": w.link.token, "stage": "growth", "number": 1, "kind": "svg"},
        {},
        SHARED_ANYONE,
    ),
    "journeys:shared_milestone_estimate": (
        "get",
        lambda w: {"token": w.link.token, "stage": "growth", "number": 1},
        {},
        SHARED_ANYONE,
    ),
    "journeys:shared_estimate_csv": (
        "get",
        lambda w: {"token": w.link.token, "stage": "growth", "number": 1},
        {},
        SHARED_ANYONE,
    ),
    "journeys:estimate_retry": (
        "post",
        lambda w: {"journey_id": w.journey.pk, "estimate_id": w.estimate.pk},
        {},
        JOURNEY_POST,
    ),
    "journeys:costs": ("get", lambda w: {"journey_id": w.journey.pk}, {}, JOURNEY_READ),
    # Viewers may export: a roadmap PDF only reads the journey.
    "journeys:exports": (
        "post",
        lambda w: {"journey_id": w.journey.pk},
        {},
        expected(LOGIN, 404, 200, 200, 404),
    ),
    "journeys:export_status": (
        "get",
        lambda w: {"journey_id": w.journey.pk, "export_id": done_export(w.journey).pk},
        {},
        JOURNEY_READ,
    ),
    "journeys:export_download": (
        "get",
        lambda w: {"journey_id": w.journey.pk, "export_id": done_export(w.journey).pk},
        {},
        JOURNEY_READ,
    ),
    "reviews:queue": ("get", lambda w: {}, {}, expected(LOGIN, 403, 403, 403, 200)),
    "reviews:notifications": ("get", lambda w: {}, {}, SIGNED_IN),
    "reviews:nav": ("get", lambda w: {}, {}, SIGNED_IN),
    "reviews:submit": (
        "get",
        lambda w: {"journey_id": w.journey.pk},
        {},
        expected(LOGIN, 404, 403, 200, 404),
    ),
    "reviews:review": ("get", lambda w: {"journey_id": w.journey.pk}, {}, REVIEW_READ),
    "reviews:compare": ("get", lambda w: {"journey_id": w.journey.pk}, {}, REVIEW_READ),
    "reviews:history": ("get", lambda w: {"journey_id": w.journey.pk}, {}, REVIEW_READ),
    "reviews:stage_comments": (
        "get",
        lambda w: {"journey_id": w.journey.pk, "stage": "growth"},
        {},
        REVIEW_READ,
    ),
    "reviews:comment": (
        "post",
        lambda w: {"journey_id": w.journey.pk},
        {"body": "Looks good", "scope": "growth", "anchor": "stage"},
        COMMENT_POST,
    ),
    "reviews:comment_edit": (
        "get",
        lambda w: {"journey_id": w.journey.pk, "comment_id": w.comment.pk},
        {},
        expected(LOGIN, 404, 403, 200, 403),
    ),
    "reviews:comment_resolve": (
        "post",
        lambda w: {"journey_id": w.journey.pk, "comment_id": w.comment.pk},
        {"resolved": "1"},
        COMMENT_POST,
    ),
    "reviews:signoff": (
        "post",
        lambda w: {"journey_id": w.journey.pk, "number": 1},
        {"stage": "launch", "component": "primary-db"},
        REVIEW_DECIDE,
    ),
    "reviews:decide": (
        "post",
        lambda w: {"journey_id": w.journey.pk, "number": 1},
        {"outcome": "request_changes", "summary": "Add a read replica"},
        REVIEW_DECIDE,
    ),
    # Owners and editors give and revoke read-only links; viewers may not (issue 11).
    "reviews:share_links": (
        "get",
        lambda w: {"journey_id": w.journey.pk},
        {},
        expected(LOGIN, 404, 403, 200, 404),
    ),
    "reviews:share_revoke": (
        "post",
        lambda w: {"journey_id": w.journey.pk, "link_id": w.link.pk},
        {},
        expected(LOGIN, 404, 403, 302, 404),
    ),
    # The charts' stylesheet is the same for everyone.
    "chart_css": ("get", lambda w: {}, {}, SHARED_ANYONE),
    "reviews:shared": ("get", lambda w: {"token": w.link.token}, {}, SHARED_PAGE),
    # No roadmap export exists yet: the PDF link answers 404 for everyone.
    "reviews:shared_export": (
        "get",
        lambda w: {"token": w.link.token},
        {},
        expected(404, 404, 404, 404, 404, holder=404),
    ),
    "teams:list": ("get", lambda w: {}, {}, SIGNED_IN),
    "teams:create": ("get", lambda w: {}, {}, SIGNED_IN),
    "teams:detail": (
        "get",
        lambda w: {"slug": w.team.slug},
        {},
        expected(LOGIN, 404, 200, 200, 404),
    ),
    "teams:remove": (
        "post",
        lambda w: {"slug": w.team.slug, "membership_id": w.membership.pk},
        {},
        expected(LOGIN, 404, 403, 403, 404),
    ),
}
# Public or Django's own pages, checked elsewhere or not ours to test (the load balancer's
# probes in tests/test_health.py).
PUBLIC = {
    "health",
    "ready",
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


@dataclass(frozen=True)
class World:
    """What the URLs of the matrix name: a submitted journey, its team, the viewer's
    membership, a comment by the editor, a share link, and a finished milestone diagram and
    estimate; and who tries them."""

    journey: Journey
    team: Team
    membership: Membership
    comment: Comment
    link: ShareLink
    diagram: Diagram
    estimate: Estimate
    users: dict[str, User]


@pytest.fixture
def world(
    journey: Journey, team: Team, viewer: User, editor: User, outsider: User, architect: User
) -> World:
    # Submitted, so that architects may read and review it.
    submit_all(journey, editor)
    # The growth milestone's own diagram and estimate, finished without a worker.
    growth = journey.milestones.get(stage="growth", number=1)
    diagram = diagrams.milestone_diagram_for(journey, growth)
    stored = default_storage.save("diagrams/access.svg", ContentFile(b"<svg/>"))
    diagram.finish(svg=stored, png=stored, script=stored)
    estimate = estimates.milestone_estimate_for(journey, growth)
    estimate.finish(
        result={"lines": [], "monthly_usd": "0", "yearly_usd": "0", "per_customer_usd": "0"}
    )
    return World(
        journey=journey,
        team=team,
        membership=Membership.objects.get(user=viewer),
        comment=Comment.objects.create(journey=journey, author=editor, body="Hi"),
        link=share_link(journey, editor, "Board"),
        diagram=diagram,
        estimate=estimate,
        users={"outsider": outsider, "viewer": viewer, "editor": editor, "architect": architect},
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_role_gets_the_expected_status(world: World, name: str, role: str) -> None:
    method, kwargs, data, statuses = ROUTES[name]
    client = Client()
    if role == "holder":
        assert client.get(world.link.get_absolute_url()).status_code == 200
    elif role != "anonymous":
        client.force_login(world.users[role])
    url = reverse(name, kwargs=kwargs(world))
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


@pytest.fixture
def live_products(world: World) -> dict[str, Any]:
    """A growth stage changed after the submission: its live diagram and estimate (finished),
    and a second growth milestone that was never submitted."""
    journey, editor = world.journey, world.users["editor"]
    change_an_answer(journey, editor, "growth")
    state, previous = architecture.stage_with_previous(journey, "growth")
    live_diagram = diagrams.ensure_diagram(journey, "growth", state, previous)
    stored = default_storage.save("diagrams/live.svg", ContentFile(b"<svg>live</svg>"))
    live_diagram.finish(svg=stored, png=stored, script=stored)
    facts = architecture.stage_facts("growth", architecture.JourneyAnswers.of(journey))
    live_estimate = estimates.ensure_estimate(journey, "growth", state, facts)
    live_estimate.finish(
        result={"lines": [], "monthly_usd": "1", "yearly_usd": "12", "per_customer_usd": "0"}
    )
    assert live_diagram.pk != world.diagram.pk
    assert live_estimate.pk != world.estimate.pk
    unsubmitted, _ = save_milestone(journey, "growth", "", editor)
    assert unsubmitted.number == 2
    return {"diagram": live_diagram, "estimate": live_estimate, "milestone": unsubmitted}


@pytest.mark.parametrize(("role", "status"), [("architect", 404), ("editor", 200)])
def test_architects_fetch_no_live_diagram_or_estimate_by_id(
    world: World, live_products: dict[str, Any], role: str, status: int
) -> None:
    journey = world.journey
    client = Client()
    client.force_login(world.users[role])
    for kind in ("svg", "png", "py"):
        url = reverse("journeys:diagram_file", args=[journey.pk, live_products["diagram"].pk, kind])
        assert client.get(url).status_code == status, url
    url = reverse("journeys:estimate_csv", args=[journey.pk, live_products["estimate"].pk])
    assert client.get(url).status_code == status
    # The submitted milestone's own products stay readable to both.
    url = reverse("journeys:diagram_file", args=[journey.pk, world.diagram.pk, "svg"])
    assert client.get(url).status_code == 200
    url = reverse("journeys:estimate_csv", args=[journey.pk, world.estimate.pk])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(("role", "status"), [("architect", 404), ("editor", 200)])
def test_architects_see_no_milestone_that_was_not_submitted(
    world: World, live_products: dict[str, Any], role: str, status: int
) -> None:
    journey = world.journey
    client = Client()
    client.force_login(world.users[role])
    for name in ("journeys:milestone_diagram", "journeys:milestone_estimate"):
        url = reverse(name, args=[journey.pk, "growth", live_products["milestone"].number])
        assert client.get(url, headers={"HX-Request": "true"}).status_code == status, name


def test_a_pending_milestone_estimate_never_stands_in_the_live_figures_for_an_architect(
    world: World, live_products: dict[str, Any]
) -> None:
    journey = world.journey
    Estimate = type(world.estimate)
    Estimate.objects.filter(pk=world.estimate.pk).update(status=Estimate.QUEUED)
    client = Client()
    client.force_login(world.users["architect"])
    url = reverse("journeys:milestone_estimate", args=[journey.pk, "growth", 1])
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The estimate is queued" in html
    assert "Showing the previous estimate" not in html and "12" not in html.split("queued", 1)[1]
