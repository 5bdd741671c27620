"""Teams, their journeys, the answers given in the wizard, and milestones."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from journeys import vocabulary
from journeys.regions import REGION_CHOICES
from journeys.reviews import flow


class Team(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    created = models.DateTimeField(default=timezone.now)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:detail", args=[self.slug])

    @classmethod
    def unique_slug(cls, name: str) -> str:
        """A slug for a new team; a number is added when the plain one is taken."""
        base = slugify(name)[:90] or "team"
        slug, n = base, 1
        while cls.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    def role_of(self, user: Any) -> str | None:
        membership = self.memberships.filter(user=user).first()
        return membership.role if membership else None


class Membership(models.Model):
    """A user's place in a team. Owners and editors change journeys; viewers only read.

    Owners are editors who may also add and remove members.
    """

    OWNER, EDITOR, VIEWER = "owner", "editor", "viewer"
    ROLE_CHOICES = [(OWNER, "Owner"), (EDITOR, "Editor"), (VIEWER, "Viewer")]
    EDITING_ROLES = (OWNER, EDITOR)

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=ROLE_CHOICES, default=EDITOR)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="one_membership")]
        ordering = ["team", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"

    @property
    def can_edit(self) -> bool:
        return self.role in self.EDITING_ROLES


class JourneyQuerySet(models.QuerySet["Journey"]):
    def visible_to(self, user: Any) -> JourneyQuerySet:
        """The journeys of the user's teams: nobody else's exist for them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(team__memberships__user=user)

    def editable_by(self, user: Any) -> JourneyQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            team__memberships__user=user, team__memberships__role__in=Membership.EDITING_ROLES
        )

    def search(self, text: str) -> JourneyQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(description__icontains=text))


class Journey(models.Model):
    DRAFT, IN_REVIEW, APPROVED, CHANGES_REQUESTED = (
        flow.DRAFT,
        flow.IN_REVIEW,
        flow.APPROVED,
        flow.CHANGES_REQUESTED,
    )
    STATUS_CHOICES = [
        (DRAFT, "Draft"),
        (IN_REVIEW, "In review"),
        (APPROVED, "Approved"),
        (CHANGES_REQUESTED, "Changes requested"),
    ]

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="journeys")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=4000)
    region = models.CharField(max_length=20, choices=REGION_CHOICES, default="us-east-1")
    dr_region = models.CharField(max_length=20, choices=REGION_CHOICES, blank=True)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=DRAFT)
    # Component parameter overrides per stage ({stage: {component id: {param: value}}}) and
    # per-journey engine assumptions ({name: value}); both win over the engine's defaults.
    overrides = models.JSONField(default=dict, blank=True)
    assumptions = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    archived = models.DateTimeField(null=True, blank=True)

    objects = JourneyQuerySet.as_manager()

    class Meta:
        ordering = ["-updated", "-id"]
        indexes = [models.Index(fields=["team", "-updated"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("journeys:detail", args=[self.pk])

    def answers_by_stage(self) -> dict[str, dict[str, Answer]]:
        """Every answer of the journey, grouped by stage then question id (one query)."""
        grouped: dict[str, dict[str, Answer]] = {slug: {} for slug in vocabulary.STAGES}
        for answer in self.answers.all():
            grouped.setdefault(answer.stage, {})[answer.question] = answer
        return grouped

    def answers_for(self, stage: str) -> dict[str, Answer]:
        answers = self.answers.filter(stage=stage).only(
            "id", "journey_id", "stage", "question", "value", "note", "not_applicable", "version"
        )
        return {a.question: a for a in answers}

    # "Updated" is shown to the minute and sorts the list: an autosave every few seconds
    # need not write the journey row each time.
    TOUCH_EVERY = timedelta(seconds=60)

    def touch(self) -> None:
        now = timezone.now()
        if now - self.updated >= self.TOUCH_EVERY:
            Journey.objects.filter(pk=self.pk).update(updated=now)
            self.updated = now

    REOPENED_NOTICE = "You changed a journey that was submitted for review: it is a draft again."

    def reopen_after_edit(self, user: Any) -> bool:
        """An edit moves a submitted journey as `reviews.flow` says (back to draft). An approval
        stays attached to the milestones it approved, which cannot change. True when the status
        changed."""
        if not flow.allows(self.status, flow.EDIT):
            return False
        after = flow.next_status(self.status, flow.EDIT)
        previous = self.get_status_display()
        # Guarded by the statuses an edit leaves, in case a decision landed meanwhile.
        reopened = Journey.objects.filter(pk=self.pk, status__in=flow.sources(flow.EDIT))
        if not reopened.update(status=after):
            return False
        self.status = after
        record(self, user, "reopened", f"Changed while {previous.lower()}: back to draft")
        return True

    @transaction.atomic
    def duplicate(self, user: Any) -> Journey:
        """A new draft of the same plan: every answer, override and assumption copied."""
        now = timezone.now()
        copy = Journey.objects.create(
            team=self.team,
            name=f"{self.name} (copy)"[:120],
            description=self.description,
            region=self.region,
            dr_region=self.dr_region,
            overrides=self.overrides,
            assumptions=self.assumptions,
            created_by=user,
            created=now,
            updated=now,
        )
        Answer.objects.bulk_create(
            Answer(
                journey=copy,
                stage=a.stage,
                question=a.question,
                value=a.value,
                note=a.note,
                not_applicable=a.not_applicable,
                catalogue_version=a.catalogue_version,
                updated_by=a.updated_by,
            )
            for a in self.answers.all()
        )
        return copy


NA_REASON_CHOICES = list(vocabulary.NA_REASONS)


class Answer(models.Model):
    """One answer to one question of one stage: a value, or "not applicable" with a reason.

    The catalogue version is kept so an answer can be read against the questionnaire it was
    given under, even after the catalogue changes. `version` counts the saves of this row: the
    wizard's form carries the version it was drawn from, and a save based on an older one is
    refused (`journeys.answers.save_answer`) instead of silently overwriting someone's change.
    """

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="answers")
    stage = models.CharField(max_length=20)
    question = models.CharField(max_length=64)
    value = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    not_applicable = models.CharField(max_length=30, choices=NA_REASON_CHOICES, blank=True)
    catalogue_version = models.CharField(max_length=30)
    updated = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "stage", "question"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stage}/{self.question}"

    @property
    def is_answered(self) -> bool:
        return self.value is not None and not self.not_applicable

    @property
    def is_not_applicable(self) -> bool:
        return bool(self.not_applicable)


def answered_values(answers: dict[str, Answer]) -> dict[str, Any]:
    """The values the engine reads: answered questions only, not-applicable ones left out."""
    return {qid: a.value for qid, a in answers.items() if a.is_answered}


class ImmutableMilestone(Exception):
    """Raised on any attempt to change a saved milestone."""


class MilestoneQuerySet(models.QuerySet["Milestone"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableMilestone("Milestones are immutable: save a new one instead.")

    def latest_for(self, journey: Journey, stage: str) -> Milestone | None:
        return self.filter(journey=journey, stage=stage).order_by("-number").first()


class Milestone(models.Model):
    """An immutable, numbered snapshot of one stage: the state the engine proposed, and the
    answers, overrides and assumptions it came from.

    Reviews, diagrams, estimates and the roadmap attach to milestones so that they always
    speak about exactly what was frozen. Nothing updates a milestone: not `save()`, not
    `QuerySet.update()`, and a database trigger refuses an UPDATE issued any other way.
    """

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="milestones")
    stage = models.CharField(max_length=20)
    number = models.PositiveIntegerField()
    note = models.CharField(max_length=500, blank=True)
    state = models.JSONField()
    answers = models.JSONField()
    overrides = models.JSONField(default=dict)
    assumptions = models.JSONField(default=dict)
    region = models.CharField(max_length=20)
    dr_region = models.CharField(max_length=20, blank=True)
    catalogue_version = models.CharField(max_length=30)
    state_hash = models.CharField(max_length=64)
    content_hash = models.CharField(max_length=64)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["journey", "stage", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "stage", "number"], name="one_milestone_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stage} #{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableMilestone("Milestones are immutable: save a new one instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("journeys:milestone", args=[self.journey_id, self.stage, self.number])

    @property
    def short_hash(self) -> str:
        return self.state_hash[:10]


class HistoryQuerySet(models.QuerySet["HistoryEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableHistory("The history is append-only.")


class ImmutableHistory(Exception):
    """Raised on any attempt to change a history entry."""


class HistoryEntry(models.Model):
    """An append-only log of who did what to a journey, and when.

    `action` is a stable verb (`submitted`, `milestone_saved`, `comment_added`, `decided`,
    `export_requested`, `share_link_created` ...); `detail` holds what the reader needs to
    understand it without the objects it refers to, which may be gone later.
    """

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    detail = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now)

    objects = HistoryQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["journey", "-created"])]
        verbose_name_plural = "history entries"

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.action}: {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableHistory("The history is append-only.")
        super().save(*args, **kwargs)


def record(journey: Journey, actor: Any, action: str, summary: str, **detail: Any) -> HistoryEntry:
    """Add a line to the journey's history."""
    return HistoryEntry.objects.create(
        journey=journey,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        summary=summary[:300],
        detail=detail,
    )
