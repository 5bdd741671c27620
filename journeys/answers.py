"""Saving one answer of the wizard: the row, the journey's "updated" time and its status.

`AnswerForm` has already decided that the input is acceptable; this is what accepting it
means. Autosave calls it every few seconds per user, so it stays a handful of statements.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from journeys import catalog
from journeys.models import Answer, Journey


@dataclass(frozen=True, slots=True)
class SavedAnswer:
    """What a save left behind: the answer (None when an emptied question left no row) and
    whether the change took a submitted journey back to draft, which the page must say."""

    answer: Answer | None
    reopened: bool


def save_answer(
    journey: Journey, question: catalog.Question, cleaned: Mapping[str, Any], user: User
) -> SavedAnswer:
    """Store a validated answer (`AnswerForm.cleaned_data`); an emptied question with no note
    and no "not applicable" leaves no row behind."""
    value, note, reason = cleaned["value"], cleaned["note"], cleaned["na_reason"]
    key: dict[str, Any] = {"journey": journey, "stage": question.stage, "question": question.id}
    fields: dict[str, Any] = {
        "value": value,
        "note": note,
        "not_applicable": reason,
        "catalogue_version": catalog.get().version,
        "updated": timezone.now(),
        "updated_by": user,
    }
    # Each branch is a single statement (update_or_create brings its own transaction), so
    # no transaction is opened around it: autosave is the hottest path of the site.
    answer: Answer | None
    if value in (None, []) and not note and not reason:
        Answer.objects.filter(**key).delete()
        answer = None
    elif Answer.objects.filter(**key).update(**fields):
        # Most saves change an answer that exists: one UPDATE, nothing read back.
        answer = Answer(**key, **fields)
    else:
        answer, _ = Answer.objects.update_or_create(**key, defaults=fields)
    journey.touch()
    return SavedAnswer(answer, journey.reopen_after_edit(user))
