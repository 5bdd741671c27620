"""Saving one answer of the wizard: the row, the journey's "updated" time and its status.

`AnswerForm` has already decided that the input is acceptable; this is what accepting it
means. Autosave calls it every few seconds per user, so it stays a handful of statements.

Two people may have the same stage open. Each question's form carries the version of the
answer it was drawn from (`version_token`); a save based on anything but the stored version is
refused with `AnswerChanged`, which holds the answer as it is now, so that the page can show it
beside what this person typed. Check and write are one statement (UPDATE or DELETE ... WHERE
version = n, or an INSERT that the unique constraint refuses), so two saves cannot both pass
the check, on SQLite or on PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from journeys import architecture, catalog
from journeys.models import Answer, Journey, Submission, record
from journeys.reviews import flow
from journeys.vocabulary import STAGES

_TOKEN = re.compile(r"([1-9][0-9]{0,17})\.([1-9][0-9]{0,8})")


@dataclass(frozen=True, slots=True)
class Version:
    """The answer a page was drawn from: its row and that row's version, or no answer at all.

    The row's id is part of it because clearing an answer deletes its row, and a new row starts
    again at version 1: "version 1" alone could then match someone else's newer answer."""

    answer_id: int | None = None
    number: int = 0

    def __str__(self) -> str:
        return "0" if self.answer_id is None else f"{self.answer_id}.{self.number}"


NO_ANSWER = Version()


def version_of(answer: Answer | None) -> Version:
    if answer is None or answer.pk is None:
        return NO_ANSWER
    return Version(answer.pk, answer.version)


def parse_version(token: str | None) -> Version:
    """The version a form says it was drawn from. A page that sent none (drawn before versions
    existed) or a malformed one reads as "there was no answer": such a save may add an answer
    but never replace one."""
    match = _TOKEN.fullmatch(token or "")
    if match is None:
        return NO_ANSWER
    return Version(int(match[1]), int(match[2]))


@dataclass(frozen=True, slots=True)
class SavedAnswer:
    """What a save left behind: the answer (None when an emptied question left no row) and
    whether the change took a submitted journey back to draft, which the page must say."""

    answer: Answer | None
    reopened: bool


class AnswerChanged(Exception):
    """Refused: the answer is no longer the one the page was drawn from, and nothing was
    written. `current` is the answer as it is now (None when someone cleared it)."""

    def __init__(self, question: catalog.Question, current: Answer | None) -> None:
        super().__init__(f"{question.stage}/{question.id} changed since the page was drawn")
        self.question = question
        self.current = current

    @property
    def version(self) -> Version:
        """The version a save must be based on to replace the current answer."""
        return version_of(self.current)

    @property
    def shown(self) -> str:
        """The current answer as people read it."""
        current = self.current
        if current is None:
            return "No answer"
        if current.not_applicable:
            return f"Not applicable: {current.get_not_applicable_display()}"
        return self.question.display(current.value)

    @property
    def changed_by(self) -> str:
        user = self.current.updated_by if self.current is not None else None
        if user is None:
            return "Someone"
        return user.get_full_name() or user.get_username()


def current_answer(journey: Journey, question: catalog.Question) -> Answer | None:
    """The stored answer to one question, with who saved it last."""
    rows = Answer.objects.filter(journey=journey, stage=question.stage, question=question.id)
    return rows.select_related("updated_by").first()


def save_answer(
    journey: Journey, question: catalog.Question, cleaned: Mapping[str, Any], user: User
) -> SavedAnswer:
    """Store a validated answer (`AnswerForm.cleaned_data`, whose "version" says what the page
    was drawn from); an emptied question with no note and no "not applicable" leaves no row
    behind. Raises AnswerChanged when the stored answer is no longer that version, unless it
    already is what was sent (a repeated save loses nothing)."""
    value, note, reason = cleaned["value"], cleaned["note"], cleaned["na_reason"]
    based_on: Version = cleaned["version"]
    key: dict[str, Any] = {"journey": journey, "stage": question.stage, "question": question.id}
    fields: dict[str, Any] = {
        "value": value,
        "note": note,
        "not_applicable": reason,
        "catalogue_version": catalog.get().version,
        "updated": timezone.now(),
        "updated_by": user,
    }
    # An empty list is an answer ("none of these"); only None leaves the question open.
    empty = value is None and not note and not reason
    # Each branch is a single statement, so no transaction is opened around it: autosave is the
    # hottest path of the site. Only a refused save reads the row back.
    answer: Answer | None = None
    if based_on.answer_id is not None:
        mine = Answer.objects.filter(**key, pk=based_on.answer_id, version=based_on.number)
        # The row matched version n, so n + 1 is the next one (a literal is cheaper than F()).
        following = based_on.number + 1
        if empty:
            written = mine.delete()[0] > 0
        else:
            written = mine.update(**fields, version=following) > 0
            answer = Answer(pk=based_on.answer_id, **key, **fields, version=following)
    elif empty:
        written = False
    else:
        answer = _insert(Answer(**key, **fields))
        written = answer is not None
    if not written:
        current = current_answer(journey, question)
        if not _holds(current, value, note, reason):
            raise AnswerChanged(question, current)
        return SavedAnswer(current, reopened=False)
    journey.touch()
    submitted = bool(cleaned.get("submitted"))
    return SavedAnswer(answer, settle_status(journey, question.stage, user, submitted=submitted))


def settle_status(journey: Journey, stage: str, user: User, *, submitted: bool = False) -> bool:
    """The journey's status after an edit. An edit that leaves every stage's architecture as
    the latest submission has it (same state hash: a note, or an answer changed and set back)
    does not reopen a submitted or approved journey, and a draft that an edit reopened gets that
    submission's status back. Any other edit reopens as `reviews.flow` says. True when the
    journey went back to draft.

    A draft is only compared when the page says the journey has a submission (`submitted`):
    the autosave of a journey never submitted stays a single statement."""
    if journey.status == flow.DRAFT and not submitted:
        return False
    if journey.status == flow.DRAFT or flow.allows(journey.status, flow.EDIT):
        submission = (
            Submission.objects.filter(journey=journey, latest=True)
            .select_related("decision")
            .first()
        )
        if submission is not None and _as_submitted(journey, submission, stage):
            if journey.status == flow.DRAFT:
                _restore(journey, submission, user)
            return False
    return journey.reopen_after_edit(user)


def _as_submitted(journey: Journey, submission: Submission, edited: str) -> bool:
    """Whether every stage's architecture is the one of the submitted milestones; the edited
    stage is compared first, so that the usual edit (which changes it) costs one state."""
    hashes = dict(submission.entries.values_list("stage", "milestone__state_hash"))
    answers = architecture.JourneyAnswers.of(journey)
    for slug in sorted(STAGES, key=lambda s: s != edited):
        if architecture.stage_state(journey, slug, answers).hash != hashes.get(slug):
            return False
    return True


def _restore(journey: Journey, submission: Submission, user: User) -> None:
    """Back to the submission's status: its decision's outcome, else in review."""
    decision = getattr(submission, "decision", None)
    status = decision.outcome if decision is not None else flow.IN_REVIEW
    if Journey.objects.filter(pk=journey.pk, status=flow.DRAFT).update(status=status):
        journey.status = status
        label = dict(Journey.STATUS_CHOICES).get(status, status).lower()
        record(
            journey,
            user,
            "restored",
            f"Changed back to the answers of submission {submission.number}: {label} again",
            submission=submission.number,
            status=[flow.DRAFT, status],
        )


def _insert(answer: Answer) -> Answer | None:
    """The first answer to a question, or None when someone else's got there first."""
    try:
        # A savepoint, so that a refused INSERT leaves an outer transaction usable (PostgreSQL).
        with transaction.atomic():
            answer.save(force_insert=True)
    except IntegrityError:
        return None
    return answer


def _holds(current: Answer | None, value: Any, note: str, reason: str) -> bool:
    """Whether the stored answer already is what was sent."""
    if current is None:
        return value is None and not note and not reason
    return (current.value, current.note, current.not_applicable) == (value, note, reason)
