"""Reviews: submissions of exact milestones, decisions, one-way-door sign-offs, comments,
stakeholder share links and in-app notifications.

The rules that span rows (who may do what, which status follows which) live in the
`journeys.reviews` package; the behaviour of one row (is a submission open, a link's token, a
notification's email) lives here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import models
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from journeys.models.core import Journey, Milestone
from journeys.vocabulary import STAGES


class Submission(models.Model):
    """A journey sent for review with one milestone per stage.

    Milestones are immutable, so a submission (and the decision on it) keeps meaning exactly
    what was reviewed even after the team changes the journey and it becomes a draft again.
    `latest` marks the journey's newest submission so the review queue reads one row per
    journey without a per-journey subquery.
    """

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField()
    note = models.TextField(blank=True, max_length=2000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    latest = models.BooleanField(default=True)
    # The stages whose milestone differs from the previous submission's (all of them the first
    # time), comma-separated: the queue's "stage" filter reads it with a plain LIKE.
    changed_stages = models.CharField(max_length=100, blank=True)
    milestones = models.ManyToManyField(
        Milestone, through="SubmittedMilestone", related_name="submissions"
    )

    class Meta:
        ordering = ["journey", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["journey", "number"], name="one_submission_number")
        ]
        indexes = [models.Index(fields=["latest", "created"], name="submission_queue_idx")]

    def __str__(self) -> str:
        return f"{self.journey} submission {self.number}"

    def get_absolute_url(self) -> str:
        """The review page, where architects read the submission."""
        return reverse("reviews:review", args=[self.journey_id])

    @property
    def changed_stage_list(self) -> list[str]:
        return [s for s in self.changed_stages.split(",") if s]

    @property
    def is_decided(self) -> bool:
        try:
            return self.decision is not None
        except Decision.DoesNotExist:
            return False

    @property
    def is_open(self) -> bool:
        """Open for sign-offs and a decision: the newest submission, undecided, and the journey
        still in review (a change after submitting makes it a draft until it is submitted
        again)."""
        return self.latest and self.journey.status == Journey.IN_REVIEW and not self.is_decided


class SubmittedMilestone(models.Model):
    """The milestone a submission carries for one stage."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="entries")
    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "stage"], name="one_milestone_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.submission}: {self.milestone}"


class Decision(models.Model):
    """An architect's verdict on one submission: at most one, never changed."""

    APPROVED, CHANGES_REQUESTED = Journey.APPROVED, Journey.CHANGES_REQUESTED
    OUTCOME_CHOICES = [(APPROVED, "Approved"), (CHANGES_REQUESTED, "Changes requested")]

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(max_length=20, choices=OUTCOME_CHOICES)
    summary = models.TextField(max_length=4000)
    architect = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.submission}: {self.outcome}"


class SignOff(models.Model):
    """An architect's sign-off of one one-way-door component of one milestone.

    It belongs to the milestone rather than to the submission: a milestone cannot change, so a
    door signed off once stays signed off when the same milestone is submitted again.
    """

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="sign_offs")
    component = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    note = models.CharField(max_length=500, blank=True)
    architect = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="sign_offs"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["milestone", "component"], name="one_sign_off")
        ]

    def __str__(self) -> str:
        return f"{self.milestone}: {self.component} signed off"


class Comment(models.Model):
    """A review comment, or a reply when `parent` is set (replies hang off the thread's first
    comment, so threads are one level deep).

    The anchor is (stage, kind, target): the whole journey, a stage, or a finding or component
    of a stage by its engine id. It is not tied to a milestone, so the thread stays where it
    applies across new milestones; `milestone` records what the author was looking at.
    """

    JOURNEY, STAGE, FINDING, COMPONENT = "journey", "stage", "finding", "component"
    KIND_CHOICES = [
        (JOURNEY, "Journey"),
        (STAGE, "Stage"),
        (FINDING, "Finding"),
        (COMPONENT, "Component"),
    ]
    MAX_LENGTH = 5000

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    stage = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=10, choices=KIND_CHOICES, default=JOURNEY)
    target = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=MAX_LENGTH)
    created = models.DateTimeField(default=timezone.now)
    edited = models.DateTimeField(null=True, blank=True)
    resolved = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["journey", "stage"], name="comment_anchor_idx")]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.anchor_text}"

    def get_absolute_url(self) -> str:
        """Where the team reads the comment: on its stage's page, or the journey's."""
        if self.stage:
            base = reverse("journeys:stage", args=[self.journey_id, self.stage])
        else:
            base = reverse("journeys:detail", args=[self.journey_id])
        return f"{base}#comment-{self.pk}"

    @property
    def anchor_text(self) -> str:
        if self.kind == self.JOURNEY:
            return "the journey"
        if self.kind == self.STAGE:
            return f"stage {self.stage}"
        return f"{self.get_kind_display().lower()} “{self.target_label or self.target}”"

    @property
    def anchor_fragment(self) -> str:
        """The id of the element this comment is about on a page that shows the stage."""
        if self.kind in (self.FINDING, self.COMPONENT):
            return f"{self.kind}-{self.target}"
        return ""

    def review_url(self) -> str:
        """Where an architect from outside the team reads it: on the review page."""
        base = reverse("reviews:review", args=[self.journey_id])
        if self.stage:
            base += f"?stage={self.stage}"
        return f"{base}#comment-{self.pk}"


class CommentRevision(models.Model):
    """A comment's text before an edit: the edit history stays readable."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    written = models.DateTimeField()
    replaced = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced", "-id"]

    def __str__(self) -> str:
        return f"Revision of comment {self.comment_id}"


class ShareLink(models.Model):
    """A read-only link for a stakeholder. The URL carries a signature of `key`, a random
    value; the row says which journey and milestones it shows, until when, and whether it was
    revoked. Nothing in the link names a journey, so it cannot be pointed at another one."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="share_links")
    key = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=120, blank=True)
    milestones = models.ManyToManyField(Milestone, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    revoked = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"Share link {self.pk} of {self.journey}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:shared", args=[self.token])

    @property
    def is_expired(self) -> bool:
        return self.expires <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked is None and not self.is_expired

    SALT = "journeys.reviews.share-link"

    @property
    def token(self) -> str:
        """The link's random key and a signature, so a changed token is refused before the
        database is asked."""
        return signing.Signer(salt=self.SALT).sign(self.key)

    @classmethod
    def from_token(cls, token: str) -> ShareLink | None:
        """The link a token stands for, active or not; None for a token that was tampered
        with."""
        try:
            key = signing.Signer(salt=cls.SALT).unsign(token)
        except signing.BadSignature:
            return None
        return cls.objects.select_related("journey__team").filter(key=key).first()

    def shown_milestones(self) -> list[Milestone]:
        """The milestones the link shows, in stage order (prefetched ones are used)."""
        return sorted(self.milestones.all(), key=lambda m: STAGES.index(m.stage))


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read__isnull=True)

    def to_email(self, now: datetime) -> NotificationQuerySet:
        """Not emailed yet, not given up on, and not taken by a worker whose lease still runs."""
        return self.filter(
            Q(email_taken=None) | Q(email_taken__lt=now - Notification.EMAIL_LEASE),
            emailed=None,
            email_attempts__lt=Notification.MAX_EMAIL_ATTEMPTS,
        )


class Notification(models.Model):
    """Something a user should know about: shown in the app and sent by email."""

    SUBMITTED, DECIDED, COMMENTED = "submitted", "decided", "commented"
    KIND_CHOICES = [
        (SUBMITTED, "Submitted for review"),
        (DECIDED, "Review decision"),
        (COMMENTED, "New comment"),
    ]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    created = models.DateTimeField(default=timezone.now)
    read = models.DateTimeField(null=True, blank=True)
    # Set once the email is sent. `email_taken` is when a worker took it to send and
    # `email_attempts` how often: a worker that died while sending leaves it taken but not sent,
    # and past EMAIL_LEASE it is taken again, MAX_EMAIL_ATTEMPTS times in all.
    emailed = models.DateTimeField(null=True, blank=True)
    email_taken = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    EMAIL_LEASE = timedelta(minutes=2)
    MAX_EMAIL_ATTEMPTS = 2

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["user", "read"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return f"{self.user}: {self.message}"

    def send(self) -> bool:
        """Email this notification to its user, once. False when there is nobody to email or
        another worker took it first; a failed send gives it back for the retry."""
        if not self.user.email:
            return False
        now = timezone.now()
        taken = Notification.objects.to_email(now).filter(pk=self.pk)
        if not taken.update(email_taken=now, email_attempts=F("email_attempts") + 1):
            return False
        context = {
            "notification": self,
            "site_name": settings.SITE_NAME,
            "link": settings.SITE_URL.rstrip("/") + self.url,
        }
        try:
            send_mail(
                # A header cannot hold a line break, and a journey's name is user text.
                subject=" ".join(f"{self.message[:150]} · {settings.SITE_NAME}".split()),
                message=render_to_string("reviews/email.txt", context),
                from_email=None,
                recipient_list=[self.user.email],
            )
        except OSError:
            # Not a lost worker: give it back for the task's retry, this try not counted.
            Notification.objects.filter(pk=self.pk).update(
                email_taken=None, email_attempts=F("email_attempts") - 1
            )
            raise
        Notification.objects.filter(pk=self.pk).update(emailed=timezone.now())
        return True
