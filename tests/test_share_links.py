"""Read-only share links: signed, expiring, revocable, never reaching another journey."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import signing
from django.http import FileResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journeys import vocabulary
from journeys.jobs import estimates
from journeys.milestones import save_milestone
from journeys.models import Journey, ShareLink, Submission, Team
from journeys.reviews import decisions, flow, submissions
from tests.conftest import access_for, save_all_milestones, share_link, submission_of, submit_all
from tests.test_reviews import change_an_answer


@pytest.fixture
def link(journey: Journey, editor: User) -> ShareLink:
    save_all_milestones(journey, editor)
    return share_link(journey, editor, "The board")


def open_link(link: ShareLink, **params: str) -> Any:
    return Client().get(link.get_absolute_url(), params)


def test_a_share_link_opens_a_read_only_page_without_signing_in(link: ShareLink) -> None:
    response = open_link(link)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Checkout" in html and "The board" in html
    assert 'id="arch-components"' in html  # the architecture of the first stage
    assert "Change the size" not in html and "Save milestone" not in html
    assert "csrfmiddlewaretoken" not in html.split("<main", 1)[1]  # no form in the page
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_the_shared_page_shows_each_stage_and_a_summary(link: ShareLink) -> None:
    response = open_link(link, stage="scale")
    assert response.context["current"].stage.slug == "scale"
    assert len(response.context["stages"]) == len(vocabulary.STAGES)
    html = response.content.decode()
    assert "Scale: 1,000,000+ customers" in html and "Summary" in html


def test_the_team_creates_a_link_from_the_share_page(
    editor_client: Any, journey: Journey, editor: User
) -> None:
    save_all_milestones(journey, editor)
    url = reverse("reviews:share_links", args=[journey.pk])
    response = editor_client.post(url, {"days": "3", "label": "Investors"})
    assert response.status_code == 302
    link = ShareLink.objects.get()
    assert link.created_by == editor and link.label == "Investors"
    assert timedelta(days=2, hours=23) < link.expires - timezone.now() <= timedelta(days=3)
    page = editor_client.get(url).content.decode()
    assert link.get_absolute_url() in page


def test_a_viewer_can_neither_open_the_share_page_nor_create_a_link(
    client: Any, viewer: User, journey: Journey, editor: User
) -> None:
    save_all_milestones(journey, editor)
    client.force_login(viewer)
    url = reverse("reviews:share_links", args=[journey.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"days": "3", "label": "Investors"}).status_code == 403
    assert not ShareLink.objects.exists()


def test_a_viewer_cannot_revoke_the_owners_link(
    client: Any, viewer: User, link: ShareLink, journey: Journey
) -> None:
    client.force_login(viewer)
    response = client.post(reverse("reviews:share_revoke", args=[journey.pk, link.pk]))
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.revoked is None and link.revoked_by is None
    assert not journey.history.filter(action="share_link_revoked").exists()


def test_the_journey_page_offers_sharing_to_editors_but_not_to_viewers(
    client: Any, viewer: User, editor: User, journey: Journey
) -> None:
    share_url = reverse("reviews:share_links", args=[journey.pk])
    client.force_login(editor)
    assert share_url in client.get(journey.get_absolute_url()).content.decode()
    client.force_login(viewer)
    page = client.get(journey.get_absolute_url())
    assert page.status_code == 200 and share_url not in page.content.decode()


@pytest.mark.parametrize(
    ("days", "message"),
    [("0", "Between 1 and 90 days."), ("91", "Between 1 and 90 days."), ("soon", "whole number")],
)
def test_an_expiry_outside_the_limits_is_refused_next_to_the_field(
    editor_client: Any, journey: Journey, days: str, message: str
) -> None:
    url = reverse("reviews:share_links", args=[journey.pk])
    response = editor_client.post(url, {"days": days, "label": "Kept label"})
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and 'value="Kept label"' in html and f'value="{days}"' in html
    assert not ShareLink.objects.exists()


def test_the_longest_expiry_follows_the_setting(
    settings: Any, editor_client: Any, journey: Journey
) -> None:
    settings.SHARE_LINK_MAX_DAYS = 365
    url = reverse("reviews:share_links", args=[journey.pk])
    assert editor_client.post(url, {"days": "200"}).status_code == 302


def test_a_link_shows_the_latest_submissions_milestones_by_default(
    journey: Journey, editor: User
) -> None:
    submission = submit_all(journey, editor)
    change_an_answer(journey, editor)
    save_milestone(journey, "growth", "newer, not reviewed", editor)
    link = share_link(journey, editor, "")
    assert set(link.milestones.all()) == set(submission.milestones.all())


def test_without_a_submission_a_link_shows_each_stages_latest_milestone(
    journey: Journey, editor: User
) -> None:
    save_milestone(journey, "launch", "", editor)
    change_an_answer(journey, editor, "launch")
    newest, _ = save_milestone(journey, "launch", "", editor)
    link = share_link(journey, editor, "")
    assert list(link.milestones.all()) == [newest]


def test_a_link_can_show_a_chosen_milestone_set(journey: Journey, editor: User) -> None:
    first = save_all_milestones(journey, editor)
    change_an_answer(journey, editor)
    save_milestone(journey, "growth", "", editor)
    link = share_link(journey, editor, growth="1", beyond="")
    shared = {m.stage: m for m in link.milestones.all()}
    assert shared["growth"] == first["growth"] and "beyond" not in shared


def test_an_expired_link_answers_410_with_a_clear_page(link: ShareLink) -> None:
    ShareLink.objects.filter(pk=link.pk).update(expires=timezone.now() - timedelta(minutes=1))
    response = open_link(link)
    assert response.status_code == 410
    assert "It expired on" in response.content.decode()
    assert "Checkout" not in response.content.decode()


def test_a_revoked_link_answers_410_with_a_clear_page(
    editor_client: Any, link: ShareLink, journey: Journey
) -> None:
    assert open_link(link).status_code == 200
    response = editor_client.post(reverse("reviews:share_revoke", args=[journey.pk, link.pk]))
    assert response.status_code == 302
    response = open_link(link)
    assert response.status_code == 410
    assert "revoked it" in response.content.decode()
    entry = journey.history.get(action="share_link_revoked")
    assert entry.detail["link"] == link.pk


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "x" + token,
        lambda token: token.split(":")[0],
        lambda token: signing.Signer(salt="another-salt").sign(token.split(":")[0]),
        lambda token: "not-a-token",
    ],
)
def test_a_tampered_token_answers_404(link: ShareLink, tamper: Any) -> None:
    token = link.token
    url = reverse("reviews:shared", args=[tamper(token)])
    assert Client().get(url).status_code == 404


def test_tokens_are_unguessable_and_name_no_journey(journey: Journey, editor: User) -> None:
    first = share_link(journey, editor, "")
    second = share_link(journey, editor, "")
    assert first.key != second.key and len(first.key) >= 40
    assert f"/journeys/{journey.pk}" not in first.get_absolute_url()


def test_a_link_never_reaches_another_journey(
    journey: Journey, editor: User, outsider: User, other_team: Team
) -> None:
    mine = share_link(journey, editor, "")
    theirs_journey = Journey.objects.create(team=other_team, name="Secret", region="eu-west-1")
    save_milestone(theirs_journey, "launch", "", outsider)
    html = open_link(mine).content.decode()
    assert "Secret" not in html
    # A link's own id on another journey's share pages does not exist.
    client = Client()
    client.force_login(outsider)
    url = reverse("reviews:share_revoke", args=[theirs_journey.pk, mine.pk])
    assert client.post(url).status_code == 404
    mine.refresh_from_db()
    assert mine.revoked is None


def test_a_link_grants_nothing_beyond_its_page(link: ShareLink, journey: Journey) -> None:
    client = Client()
    assert client.get(link.get_absolute_url()).status_code == 200
    for url in (
        reverse("journeys:detail", args=[journey.pk]),
        reverse("reviews:review", args=[journey.pk]),
        reverse("journeys:stage", args=[journey.pk, "launch"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login")


def test_creating_a_link_is_in_the_history(link: ShareLink, journey: Journey) -> None:
    entry = journey.history.get(action="share_link_created")
    assert entry.detail["link"] == link.pk and "The board" in entry.summary


def test_the_pdf_link_shows_only_once_a_roadmap_export_is_done(link: ShareLink) -> None:
    html = open_link(link).content.decode()
    assert "Download the roadmap" not in html
    token = link.token
    assert Client().get(reverse("reviews:shared_export", args=[token])).status_code == 404


def test_the_shared_page_names_the_decision_on_exactly_these_milestones(
    journey: Journey, editor: User, architect: User
) -> None:
    submission = submit_all(journey, editor)
    decisions.decide(
        access_for(architect, journey),
        submission_of(journey, submission.number),
        flow.REQUEST_CHANGES,
        "Needs DR",
    )
    link = share_link(journey, editor, "")
    html = open_link(link).content.decode()
    assert "Changes requested" in html and "Needs DR" in html
    other = share_link(journey, editor, launch="")
    assert "Needs DR" not in open_link(other).content.decode()


@pytest.mark.parametrize("links", [1, 20])
def test_the_share_page_query_count_is_fixed(
    editor_client: Any,
    journey: Journey,
    editor: User,
    links: int,
    django_assert_num_queries: Any,
) -> None:
    save_all_milestones(journey, editor)
    for _ in range(links):
        share_link(journey, editor, "")
    # session, user, the journey with the role, the links with their authors, their
    # milestones, the milestones of the form, the latest submission, the finished exports (one
    # query for whether each link has its PDF)
    with django_assert_num_queries(8):
        response = editor_client.get(reverse("reviews:share_links", args=[journey.pk]))
    assert len(response.context["links"]) == links


def test_a_submission_does_not_change_what_an_existing_link_shows(
    link: ShareLink, journey: Journey, editor: User
) -> None:
    before = set(link.milestones.all())
    change_an_answer(journey, editor)
    save_milestone(journey, "growth", "", editor)
    submissions.submit(journey, editor, {}, "")
    assert set(link.milestones.all()) == before
    assert Submission.objects.count() == 1


def test_the_pdf_link_downloads_the_roadmap_of_exactly_the_shared_milestones(
    link: ShareLink, journey: Journey, editor: User
) -> None:
    from django.core.files.base import ContentFile

    from journeys.models import Export

    shown = {m.stage: m.number for m in link.milestones.all()}
    selection = {stage: shown.get(stage) for stage in vocabulary.STAGES}
    token = link.token
    url = reverse("reviews:shared_export", args=[token])
    live = Export.objects.create(journey=journey, page_size="A4", status="done", selection={})
    live.file.save("live.pdf", ContentFile(b"%PDF-1.7 live answers"), save=True)
    assert url not in open_link(link).content.decode()  # a PDF of other data is not offered
    assert Client().get(url).status_code == 404
    Export.objects.create(
        journey=journey, page_size="A4", status="failed", reason="x", selection=selection
    )
    done = Export.objects.create(
        journey=journey, page_size="A4", status="done", selection=selection
    )
    done.file.save("roadmap.pdf", ContentFile(b"%PDF-1.7 shared"), save=True)
    html = open_link(link).content.decode()
    assert url in html
    response = Client().get(url)
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert b"".join(response.streaming_content) == b"%PDF-1.7 shared"
    assert "attachment" in response["Content-Disposition"]
    ShareLink.objects.filter(pk=link.pk).update(revoked=timezone.now())
    assert Client().get(url).status_code == 410


SECRET = "SECRET-growth-plan-nobody-outside-may-read"
STAGE_SETS = [
    frozenset(stage for i, stage in enumerate(vocabulary.STAGES) if mask & (1 << i))
    for mask in range(2 ** len(vocabulary.STAGES))
]


def _label(stages: frozenset[str]) -> str:
    return "+".join(s for s in vocabulary.STAGES if s in stages) or "none"


@pytest.mark.parametrize("in_link", STAGE_SETS, ids=_label)
def test_a_link_offers_only_the_pdf_of_exactly_its_milestones_never_live_answers(
    journey: Journey, editor: User, in_link: frozenset[str]
) -> None:
    """Every combination of stages in and out of the link, against a finished export of every
    combination of milestones and live answers, with the live answers changed to a secret
    after the milestones were saved: the link gets the all-milestone PDF when it shows every
    stage, and nothing otherwise (a stage left out of a link is not "live")."""
    from django.core.files.base import ContentFile

    from journeys.models import Answer, Export

    milestones = save_all_milestones(journey, editor)
    Answer.objects.update_or_create(
        journey=journey,
        stage="growth",
        question="peak_rps",
        defaults={"value": 900, "note": SECRET, "catalogue_version": "test"},
    )
    Answer.objects.filter(journey=journey).update(note=SECRET)
    link = share_link(
        journey, editor, "", **{s: ("1" if s in in_link else "") for s in vocabulary.STAGES}
    )
    assert {m.stage for m in link.milestones.all()} == in_link
    for as_milestone in STAGE_SETS:  # one finished export of every selection there is
        selection = {
            s: (milestones[s].number if s in as_milestone else None) for s in vocabulary.STAGES
        }
        live = set(vocabulary.STAGES) - as_milestone
        body = f"%PDF-1.7 milestones={_label(as_milestone)}"
        if live:  # what a roadmap with live stages prints
            body += f" live={_label(frozenset(live))} {SECRET}"
        export = Export.objects.create(
            journey=journey, page_size="A4", status="done", selection=selection
        )
        export.file.save(f"roadmap-{export.pk}.pdf", ContentFile(body.encode()), save=True)
    if in_link != frozenset(vocabulary.STAGES):
        # An export that leaves the other stages out of its selection still prints them live.
        partial = Export.objects.create(
            journey=journey,
            page_size="A4",
            status="done",
            selection={s: milestones[s].number for s in in_link},
        )
        partial.file.save("partial.pdf", ContentFile(f"%PDF-1.7 partial {SECRET}".encode()))

    url = reverse("reviews:shared_export", args=[link.token])
    page = open_link(link).content.decode()
    response = Client().get(url)
    assert SECRET not in page
    if in_link == frozenset(vocabulary.STAGES):
        assert response.status_code == 200 and url in page
        pdf = response.getvalue().decode()
        assert pdf == "%PDF-1.7 milestones=launch+growth+scale+beyond"
    else:
        assert response.status_code == 404 and url not in page
        assert SECRET not in response.content.decode()


def test_a_shared_page_without_a_pdf_says_how_the_team_makes_one(link: ShareLink) -> None:
    html = open_link(link).content.decode()
    assert "No roadmap PDF of exactly these milestones yet" in html
    assert "Make its PDF" in html


def test_the_team_can_make_a_links_pdf_from_the_share_page(
    editor_client: Any, journey: Journey, link: ShareLink
) -> None:
    html = editor_client.get(reverse("reviews:share_links", args=[journey.pk])).content.decode()
    assert "Make its PDF" in html and 'class="secondary small-button copy-button"' in html
    for m in link.shown_milestones():
        assert f'name="milestone-{m.stage}" value="{m.number}"' in html


def test_a_shared_page_shows_the_cost_of_every_stage(link: ShareLink) -> None:
    for m in link.shown_milestones():
        estimates.run(estimates.milestone_estimate_for(link.journey, m).pk)
    html = open_link(link).content.decode()
    assert "Per month" in html and "being priced" not in html
    assert html.count('<td class="num">$') >= len(link.shown_milestones())
    assert html.count('<td class="num per-customer">$') == len(link.shown_milestones())
    assert 'id="cost-by-stage"' in html
