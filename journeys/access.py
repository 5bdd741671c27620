"""Who may see and change what. Every view fetches its objects through these functions.

A journey of a team the user is not in does not exist for them (404, never 403), so ids do not
leak; a viewer who tries to change something gets 403.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from journeys.demo import ARCHITECTS_GROUP
from journeys.models import Journey, Membership, Submission, Team


def journey_or_404(
    user: Any, journey_id: int, *, edit: bool = False, fields: tuple[str, ...] = ()
) -> Journey:
    """The journey with the user's role in its team on `journey.role`, in one query.

    `fields` limits the columns read, for hot paths such as autosave that need only a few.
    """
    journeys = Journey.objects.filter(team__memberships__user=user).annotate(
        role=F("team__memberships__role")
    )
    journeys = journeys.only(*fields) if fields else journeys.select_related("team")
    journey = get_object_or_404(journeys, pk=journey_id)
    journey.can_edit = journey.role in Membership.EDITING_ROLES
    if edit and not journey.can_edit:
        raise PermissionDenied("Viewers cannot change this journey.")
    return journey


def journey_for_autosave_or_404(user: Any, journey_id: int) -> Journey:
    """The same rule as `journey_or_404(edit=True)` for the autosave endpoint, the hottest
    path of the site: one hand-written query that reads only the columns autosave needs
    (building the ORM query cost as much as the whole rest of a save)."""
    journey_table, membership_table = Journey._meta.db_table, Membership._meta.db_table
    rows = Journey.objects.raw(
        f"SELECT j.id, j.updated, j.status, m.role FROM {journey_table} j "
        f"JOIN {membership_table} m ON m.team_id = j.team_id "
        "WHERE j.id = %s AND m.user_id = %s",
        [journey_id, user.pk],
    )
    journey = next(iter(rows), None)
    if journey is None:
        raise Http404("No such journey.")
    journey.can_edit = journey.role in Membership.EDITING_ROLES
    if not journey.can_edit:
        raise PermissionDenied("Viewers cannot change this journey.")
    return journey


def team_or_404(user: Any, slug: str, *, manage: bool = False) -> Team:
    team = get_object_or_404(
        Team.objects.filter(memberships__user=user).annotate(role=F("memberships__role")),
        slug=slug,
    )
    team.can_manage = team.role == Membership.OWNER
    if manage and not team.can_manage:
        raise PermissionDenied("Only the team's owners can change its members.")
    return team


def editable_teams(user: Any) -> Any:
    return Team.objects.filter(
        memberships__user=user, memberships__role__in=Membership.EDITING_ROLES
    ).order_by("name")


def is_architect(user: Any) -> bool:
    """Whether the user reviews journeys (the `architects` group). Kept on the user object so a
    request asks the database once however many times a page checks."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_architect", None)
    if cached is None:
        cached = user.groups.filter(name=ARCHITECTS_GROUP).exists()
        user._is_architect = cached
    return cached


def reviewable_journey_or_404(user: Any, journey_id: int) -> Journey:
    """A journey as its team reads it everywhere, or as an architect reviews it.

    Team members get it with their role (`can_edit` as in `journey_or_404`); architects get
    any journey that is or was in review (it has a submission), read-only. `is_member` and
    `is_reviewer` say which of the two applies (both, for an architect in the team). Anybody
    else gets a 404, like every other journey page.
    """
    role = Membership.objects.filter(team=OuterRef("team"), user=user).values("role")[:1]
    journey = (
        Journey.objects.select_related("team")
        .annotate(
            role=Subquery(role),
            was_submitted=Exists(Submission.objects.filter(journey=OuterRef("pk"))),
        )
        .filter(pk=journey_id)
        .first()
    )
    if journey is None:
        raise Http404("No such journey.")
    journey.fetched_for = user.pk
    journey.is_member = journey.role is not None
    journey.can_edit = journey.role in Membership.EDITING_ROLES
    journey.is_reviewer = journey.was_submitted and is_architect(user)
    if not journey.is_member and not journey.is_reviewer:
        raise Http404("No such journey.")
    return journey
