"""Read-only links for stakeholders: given and revoked by the team, opened without an account.
The token itself (a signature of the link's random key) is `ShareLink.token`."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from journeys.models import Decision, Export, Journey, Milestone, ShareLink, Submission, record
from journeys.vocabulary import STAGES

LIGHT_MILESTONES = Milestone.objects.defer("state", "answers", "overrides", "assumptions")


def create_link(
    journey: Journey,
    user: User,
    days: int,
    label: str = "",
    milestones: Iterable[Milestone] = (),
) -> ShareLink:
    """A new read-only link, valid for `days`, showing these milestones (a stage without one
    is left out)."""
    chosen = list(milestones)
    with transaction.atomic():
        link = ShareLink.objects.create(
            journey=journey,
            key=secrets.token_urlsafe(32),
            label=label,
            created_by=user,
            expires=timezone.now() + timedelta(days=days),
        )
        link.milestones.set(chosen)
        record(
            journey,
            user,
            "share_link_created",
            f"Shared a read-only link{f' with {label}' if label else ''} until "
            f"{link.expires:%d %b %Y}",
            link=link.pk,
            expires=link.expires.isoformat(),
            milestones={m.stage: m.number for m in chosen},
        )
    return link


def links_of(journey: Journey) -> list[ShareLink]:
    """The journey's links, newest first, with their milestones (three queries in all)."""
    return list(
        ShareLink.objects.filter(journey=journey)
        .select_related("created_by", "revoked_by")
        .prefetch_related(Prefetch("milestones", queryset=LIGHT_MILESTONES))
    )


def active_count(journey: Journey) -> int:
    return ShareLink.objects.filter(
        journey=journey, revoked__isnull=True, expires__gt=timezone.now()
    ).count()


def revoke(journey: Journey, user: User, link: ShareLink) -> bool:
    """Revoke the link for good. False when it was revoked already."""
    if link.revoked is not None:
        return False
    link.revoked, link.revoked_by = timezone.now(), user
    link.save(update_fields=["revoked", "revoked_by"])
    record(
        journey,
        user,
        "share_link_revoked",
        f"Revoked the read-only link{f' for {link.label}' if link.label else ''}",
        link=link.pk,
    )
    return True


def done_export(journey: Journey, link: ShareLink | None = None) -> Export | None:
    """The newest finished roadmap export; for a share link, the newest one made of exactly
    the milestones the link shows (a stakeholder never gets a PDF of something else).

    A roadmap prints every stage, and a stage without a milestone in an export's selection
    (None, or left out) prints the live answers. So a link offers a PDF only when it shows a
    milestone of every stage and the export chose exactly those: a link that leaves a stage
    out has no PDF, rather than one with that stage's live answers."""
    exports = journey.exports.filter(status=Export.DONE).order_by("-pk")
    if link is None:
        return exports.first()
    shown = {m.stage: m.number for m in link.milestones.all()}
    if set(shown) != set(STAGES):
        return None
    return next((e for e in exports if _selection(e) == shown), None)


def links_with_pdf(journey: Journey, links: list[ShareLink]) -> set[int]:
    """The ids of the links whose stakeholders can download a roadmap PDF (see `done_export`),
    with one query for all of them."""
    exports = [_selection(e) for e in journey.exports.filter(status=Export.DONE).only("selection")]
    ready = set()
    for link in links:
        shown = {m.stage: m.number for m in link.milestones.all()}
        if set(shown) == set(STAGES) and any(selection == shown for selection in exports):
            ready.add(link.pk)
    return ready


def _selection(export: Export) -> dict[str, int | None]:
    return {stage: export.selection.get(stage) for stage in STAGES}


def decision_on(journey: Journey, milestones: Iterable[Milestone]) -> Decision | None:
    """The decision on a submission of exactly these milestones, if one was made."""
    wanted = {m.pk for m in milestones}
    for submission in (
        Submission.objects.filter(journey=journey, decision__isnull=False)
        .select_related("decision", "decision__architect")
        .prefetch_related("entries")
        .order_by("-number")
    ):
        if {e.milestone_id for e in submission.entries.all()} == wanted:
            return submission.decision
    return None
