"""Who may see and do what. Every view fetches its journey or team through these functions and
gets an explicit access object back: the journey (or team) and what this user may do with it.

A journey of a team the user is not in does not exist for them (404, never 403), so ids do not
leak; a viewer who tries to change something gets 403. Each permission is defined once, here:
the access objects, the autosave fast path and the review rules all ask the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404

from journeys.models import Journey, Membership, Milestone, Submission, SubmittedMilestone, Team

# The site-wide group of the people who review journeys (DESIGN 2: "Architect").
ARCHITECTS_GROUP = "architects"

AnyUser = User | AnonymousUser


def may_edit(role: str | None) -> bool:
    """Owners and editors change a journey; viewers and everybody else only read it."""
    return role in Membership.EDITING_ROLES


def may_manage(role: str | None) -> bool:
    """Only a team's owners add and remove its members."""
    return role == Membership.OWNER


def is_architect(user: AnyUser) -> bool:
    """Whether the user reviews journeys. One query: a view that needs it more than once keeps
    the answer (the journey access objects carry it, computed in their own query)."""
    if not user.is_authenticated:
        return False
    return Group.objects.filter(name=ARCHITECTS_GROUP, user=user.pk).exists()


@dataclass(frozen=True)
class JourneyAccess:
    """A journey as one user may use it.

    `role` is the user's role in the journey's team (None outside it); architects review any
    journey that is or was in review (`was_submitted`), read-only unless they are also editors
    of its team.
    """

    journey: Journey
    user: User
    role: str | None
    is_architect: bool = False
    was_submitted: bool = False

    @property
    def is_member(self) -> bool:
        return self.role is not None

    @property
    def can_edit(self) -> bool:
        return may_edit(self.role)

    @property
    def is_reviewer(self) -> bool:
        return self.is_architect and self.was_submitted

    @property
    def can_comment(self) -> bool:
        """The team's editors and the architects reviewing the journey; viewers read."""
        return self.can_edit or self.is_reviewer

    @property
    def can_share(self) -> bool:
        """Owners and editors give and revoke read-only links (and see the links' addresses);
        a viewer may not hand the journey to anyone else."""
        return self.can_edit


@dataclass(frozen=True)
class TeamAccess:
    team: Team
    role: str | None

    @property
    def can_manage(self) -> bool:
        return may_manage(self.role)


def _with_access(user: User, journeys: QuerySet[Journey]) -> QuerySet[Journey]:
    """The journeys with the user's role, whether each was submitted and whether the user is an
    architect, all in the query that reads the journey."""
    role = Membership.objects.filter(team=OuterRef("team"), user=user.pk).values("role")[:1]
    return journeys.annotate(
        role=Subquery(role),
        was_submitted=Exists(Submission.objects.filter(journey=OuterRef("pk"))),
        architect=Exists(Group.objects.filter(name=ARCHITECTS_GROUP, user=user.pk)),
    )


def _access(user: User, journey: Journey) -> JourneyAccess:
    return JourneyAccess(
        journey=journey,
        user=user,
        role=journey.role,  # type: ignore[attr-defined]  # annotated by _with_access
        is_architect=bool(journey.architect),  # type: ignore[attr-defined]
        was_submitted=bool(journey.was_submitted),  # type: ignore[attr-defined]
    )


def journey_access_or_404(
    user: User, journey_id: int, *, edit: bool = False, fields: tuple[str, ...] = ()
) -> JourneyAccess:
    """The journey of one of the user's teams, with the user's access, in one query.

    `fields` limits the columns read, for hot paths that need only a few.
    """
    journeys = Journey.objects.filter(pk=journey_id, team__memberships__user=user.pk)
    journeys = journeys.only(*fields) if fields else journeys.select_related("team")
    journey = _with_access(user, journeys).first()
    if journey is None:
        raise Http404("No such journey.")
    access = _access(user, journey)
    if edit and not access.can_edit:
        raise PermissionDenied("Viewers cannot change this journey.")
    return access


def review_access_or_404(user: User, journey_id: int) -> JourneyAccess:
    """A journey as its team reads it everywhere, or as an architect reviews it.

    Team members get it with their role; architects get any journey that is or was in review
    (it has a submission), read-only. Anybody else gets a 404, like every other journey page.
    """
    journey = _with_access(user, Journey.objects.select_related("team").filter(pk=journey_id))
    found = journey.first()
    if found is None:
        raise Http404("No such journey.")
    access = _access(user, found)
    if not access.is_member and not access.is_reviewer:
        raise Http404("No such journey.")
    return access


def readable_milestones(access: JourneyAccess) -> QuerySet[Milestone]:
    """The milestones whose diagrams and estimates the user may read: every one of the journey
    for its team; for an architect outside the team, only those in a submission (what was
    given to review). Live, unsubmitted work stays with the team."""
    milestones = Milestone.objects.filter(journey=access.journey)
    if access.is_member:
        return milestones
    submitted = SubmittedMilestone.objects.filter(submission__journey=access.journey)
    return milestones.filter(pk__in=submitted.values("milestone"))


def autosave_access_or_404(user: User, journey_id: int) -> JourneyAccess:
    """`journey_access_or_404(edit=True)` for the autosave endpoint, the hottest path of the
    site: one hand-written query that reads only the columns autosave needs (building the ORM
    query cost as much as the whole rest of a save). The rule is the same `may_edit`."""
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
    access = JourneyAccess(journey=journey, user=user, role=journey.role)  # type: ignore[attr-defined]
    if not access.can_edit:
        raise PermissionDenied("Viewers cannot change this journey.")
    return access


def team_access_or_404(user: User, slug: str, *, manage: bool = False) -> TeamAccess:
    membership = (
        Membership.objects.filter(user=user.pk, team__slug=slug).select_related("team").first()
    )
    if membership is None:
        raise Http404("No such team.")
    access = TeamAccess(team=membership.team, role=membership.role)
    if manage and not access.can_manage:
        raise PermissionDenied("Only the team's owners can change its members.")
    return access


def editable_teams(user: User) -> QuerySet[Team]:
    return Team.objects.filter(
        memberships__user=user.pk, memberships__role__in=Membership.EDITING_ROLES
    ).order_by("name")
