"""Journeys, teams and accounts: what a user does around the wizard."""

from typing import Any
from unittest import mock

import pytest
from celery import current_app
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from journeys.models import Answer, Journey, Membership, Team
from journeys.reviews.notifications import tell_new_member


def test_creating_a_journey_opens_the_quick_start(editor_client: Any, team: Team) -> None:
    response = editor_client.post(
        reverse("journeys:create"),
        {
            "name": "Ledger",
            "description": "",
            "team": team.pk,
            "region": "eu-west-2",
            "dr_region": "",
            "quick_start": "1",
        },
    )
    journey = Journey.objects.get(name="Ledger")
    assert response["Location"] == reverse("journeys:quick_start", args=[journey.pk])
    assert (journey.region, journey.status, journey.team) == ("eu-west-2", "draft", team)


def test_creating_a_journey_stage_by_stage_opens_its_launch_stage(
    editor_client: Any, team: Team
) -> None:
    response = editor_client.post(
        reverse("journeys:create"),
        {"name": "Ledger", "team": team.pk, "region": "eu-west-2", "stage_by_stage": "1"},
    )
    journey = Journey.objects.get(name="Ledger")
    assert response["Location"] == reverse("journeys:stage", args=[journey.pk, "launch"])


def test_a_journey_needs_a_name_and_a_known_region(editor_client: Any, team: Team) -> None:
    response = editor_client.post(
        reverse("journeys:create"),
        {"name": "", "team": team.pk, "region": "mars-1", "dr_region": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in html
    assert "Select a valid choice" in html
    assert not Journey.objects.exists()


def test_the_recovery_region_must_differ(editor_client: Any, team: Team) -> None:
    response = editor_client.post(
        reverse("journeys:create"),
        {"name": "X", "team": team.pk, "region": "eu-west-1", "dr_region": "eu-west-1"},
    )
    assert "must differ" in response.content.decode()


def test_a_journey_cannot_be_created_in_someone_elses_team(
    editor_client: Any, other_team: Team
) -> None:
    response = editor_client.post(
        reverse("journeys:create"),
        {"name": "Sneaky", "team": other_team.pk, "region": "us-east-1", "dr_region": ""},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Journey.objects.exists()


def test_renaming_keeps_the_answers(editor_client: Any, journey: Journey) -> None:
    Answer.objects.create(
        journey=journey, stage="launch", question="customers", value=5, catalogue_version="x"
    )
    editor_client.post(
        reverse("journeys:edit", args=[journey.pk]),
        {"name": "Checkout v2", "description": "", "region": "eu-west-1", "dr_region": ""},
    )
    journey.refresh_from_db()
    assert journey.name == "Checkout v2"
    assert journey.answers.count() == 1


def test_duplicating_copies_every_answer(editor_client: Any, journey: Journey) -> None:
    Answer.objects.create(
        journey=journey,
        stage="growth",
        question="peak_rps",
        value=50,
        note="n",
        catalogue_version="x",
    )
    response = editor_client.post(reverse("journeys:duplicate", args=[journey.pk]))
    copy = Journey.objects.exclude(pk=journey.pk).get()
    assert response["Location"] == copy.get_absolute_url()
    assert copy.name == "Checkout (copy)"
    assert copy.answers.get().note == "n"


def test_archiving_hides_the_journey_from_the_list_until_restored(
    editor_client: Any, journey: Journey
) -> None:
    editor_client.post(reverse("journeys:archive", args=[journey.pk]))
    link = f'href="{journey.get_absolute_url()}"'
    listing = editor_client.get(reverse("journeys:list")).content.decode()
    assert link not in listing
    archived = editor_client.get(reverse("journeys:list") + "?status=archived").content.decode()
    assert link in archived
    editor_client.post(reverse("journeys:archive", args=[journey.pk]))
    assert link in editor_client.get(reverse("journeys:list")).content.decode()


def test_deleting_asks_for_the_name(editor_client: Any, journey: Journey) -> None:
    url = reverse("journeys:delete", args=[journey.pk])
    assert "Type the journey" in editor_client.get(url).content.decode()
    refused = editor_client.post(url, {"confirm_name": "nope"})
    assert refused.status_code == 422
    html = refused.content.decode()
    assert 'id="id_confirm_name_error"' in html and "exactly to delete it" in html
    assert 'value="nope"' in html
    assert Journey.objects.filter(pk=journey.pk).exists()
    assert editor_client.post(url, {"confirm_name": "Checkout"}).status_code == 302
    assert not Journey.objects.filter(pk=journey.pk).exists()


def test_the_list_searches_filters_and_paginates(
    editor_client: Any, team: Team, other_team: Team, editor: User
) -> None:
    second = Team.objects.create(name="Ops", slug="ops")
    Membership.objects.create(team=second, user=editor, role=Membership.VIEWER)
    for i in range(25):
        Journey.objects.create(team=team, name=f"Payments {i:02}", region="us-east-1")
    Journey.objects.create(team=second, name="Pager", region="us-east-1", status="approved")
    Journey.objects.create(team=other_team, name="Invisible", region="us-east-1")
    url = reverse("journeys:list")

    first_page = editor_client.get(url).content.decode()
    assert "Page 1 of 2" in first_page and "Invisible" not in first_page
    assert "Pager" in editor_client.get(url, {"q": "pag"}).content.decode()
    by_team = editor_client.get(url, {"team": "ops"}).content.decode()
    assert "Pager" in by_team and "Payments 01" not in by_team
    by_status = editor_client.get(url, {"status": "approved"}).content.decode()
    assert "Pager" in by_status and "Payments 01" not in by_status
    partial = editor_client.get(url, {"q": "pag"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and 'id="results"' in partial.content.decode()


def test_the_empty_list_says_what_to_do_next(editor_client: Any) -> None:
    html = editor_client.get(reverse("journeys:list")).content.decode()
    assert "Plan your first journey" in html


def test_signup_creates_the_user_and_their_first_team(client: Any, db: Any) -> None:
    response = client.post(
        reverse("signup"),
        {
            "username": "nina",
            "email": "nina@example.com",
            "team_name": "Growth squad",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="nina")
    assert (membership.team.name, membership.role) == ("Growth squad", Membership.OWNER)


def test_signup_can_be_turned_off(client: Any, settings: Any, db: Any) -> None:
    settings.SIGNUP_ENABLED = False
    assert client.get(reverse("signup")).status_code == 404


def test_password_reset_sends_an_email(client: Any, editor: User) -> None:
    client.post(reverse("password_reset"), {"email": editor.email})
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_an_owner_adds_and_removes_members(
    client: Any, owner: User, team: Team, outsider: User, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(owner)
    url = reverse("teams:detail", args=[team.slug])
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url, {"username": "oscar", "role": "viewer"})
    assert response.status_code == 302
    membership = Membership.objects.get(team=team, user=outsider)
    assert membership.role == "viewer"
    assert len(callbacks) == 1  # the welcome email is queued for the worker, by task name
    with mock.patch.object(current_app, "send_task") as send_task:
        callbacks[0]()
    send_task.assert_called_once_with("journeys.tasks.notify_new_member", args=[membership.pk])
    response = client.post(reverse("teams:remove", args=[team.slug, membership.pk]), follow=True)
    assert not Membership.objects.filter(team=team, user=outsider).exists()
    assert f"oscar no longer belongs to {team.name}" in response.content.decode()


def test_adding_an_unknown_user_says_so(client: Any, owner: User, team: Team) -> None:
    client.force_login(owner)
    response = client.post(
        reverse("teams:detail", args=[team.slug]), {"username": "ghost", "role": "editor"}
    )
    html = response.content.decode()
    assert "There is no user called “ghost”." in html
    assert 'value="ghost"' in html
    assert not Membership.objects.filter(team=team, user__username="ghost").exists()


def test_an_editor_cannot_manage_members(editor_client: Any, team: Team, outsider: User) -> None:
    response = editor_client.post(
        reverse("teams:detail", args=[team.slug]), {"username": "oscar", "role": "editor"}
    )
    assert response.status_code == 403


def test_the_last_owner_cannot_be_removed(client: Any, owner: User, team: Team) -> None:
    client.force_login(owner)
    membership = Membership.objects.get(user=owner)
    response = client.post(reverse("teams:remove", args=[team.slug, membership.pk]), follow=True)
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert "A team needs at least one owner" in response.content.decode()


def test_an_owner_can_leave_when_another_owner_stays(
    client: Any, owner: User, team: Team, outsider: User
) -> None:
    Membership.objects.create(team=team, user=outsider, role=Membership.OWNER)
    client.force_login(owner)
    membership = Membership.objects.get(user=owner)
    client.post(reverse("teams:remove", args=[team.slug, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_a_new_member_is_told_by_email(owner: User, team: Team, outsider: User) -> None:
    membership = Membership.objects.create(team=team, user=outsider, role="editor")
    assert tell_new_member(membership.pk)
    assert mail.outbox[0].to == ["oscar@example.com"]
    assert "Payments" in mail.outbox[0].subject
    assert not tell_new_member(10_000)
