"""Who may see and change what. Every view fetches its objects through these functions.

A journey of a team the user is not in does not exist for them (404, never 403), so ids do not
leak; a viewer who tries to change something gets 403.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404

from journeys.models import Journey, Membership, Team


def journey_or_404(user: Any, journey_id: int, *, edit: bool = False) -> Journey:
    """The journey with the user's role in its team on `journey.role`, in one query."""
    journey = get_object_or_404(
        Journey.objects.select_related("team")
        .filter(team__memberships__user=user)
        .annotate(role=F("team__memberships__role")),
        pk=journey_id,
    )
    journey.can_edit = journey.role in Membership.EDITING_ROLES
    if edit and not journey.can_edit:
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
