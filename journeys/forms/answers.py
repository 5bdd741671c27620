"""The answer form: one question's value, or "not applicable" with a reason, and a note."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from journeys import answers, catalog
from journeys.models import Answer
from journeys.vocabulary import NA_REASONS

# The checkbox of a multiple-choice question that says "none of these apply" (an answer).
NONE_OF_THESE = "none_of_these"
NONE_SHOWN = "none_shown"


class AnswerForm(forms.Form):
    """One question's answer: a value, or "not applicable" with a reason, and a note.

    The value is validated by the catalogue's `Question.clean`, the single rule shared with
    the JSON import, so both accept and refuse exactly the same things. The template draws the
    inputs itself from `shown()`, per question type.

    The form also carries the version of the answer it was drawn from, so that a save over
    someone else's newer change is refused (`answers.AnswerChanged`, see `refuse`). Its two
    buttons then settle it: "Use my value" sends `overwrite`, the version it was shown;
    "Use their value" sends `discard`.
    """

    # Plain fields only: a form is built on every autosave, and Django deep-copies its fields.
    value = forms.CharField(required=False, strip=False)
    note = forms.CharField(required=False, max_length=2000)
    na = forms.BooleanField(required=False)
    na_reason = forms.CharField(required=False, max_length=30)
    # The page knew of a submission: an edit may then bring the journey back to it (see
    # `answers.settle_status`); without it a draft's autosave stays one statement.
    submitted = forms.BooleanField(required=False)
    # Not fields, read in `clean`: the version the page was drawn from ("version") and the one
    # "Use my value" replaces ("overwrite"); any text reads as a version or as "no answer".

    NA_REASONS = frozenset(reason for reason, _ in NA_REASONS)

    def __init__(
        self,
        question: catalog.Question,
        data: QueryDict | None = None,
        *,
        answer: Answer | None = None,
    ) -> None:
        self.question = question
        self.answer = answer
        self.conflict: answers.AnswerChanged | None = None
        super().__init__(data, auto_id=f"id_{question.id}_%s")

    @property
    def discards_mine(self) -> bool:
        """ "Use their value" was pressed: nothing is saved, the stored answer is shown."""
        return self.is_bound and "discard" in self.data

    def refuse(self, conflict: answers.AnswerChanged) -> None:
        """The save met someone else's change: say so, and keep what this person typed."""
        self.conflict = conflict
        self.add_error(None, "This answer was changed by someone else after the page was opened.")

    def version_token(self) -> str:
        """The version the next save from this form is based on: the stored answer's once it
        is saved or drawn afresh; else (refused or invalid) still the one the page had, so that
        a refused save stays refused until the person chooses."""
        if self.is_bound and self.errors:
            return str(answers.parse_version(self.data.get("version")))
        return str(answers.version_of(self.answer))

    def _sent_value(self) -> str | list[str]:
        """The value as sent: every ticked box of a multiple choice, else the one input."""
        if self.question.type == "multiple":
            return self.data.getlist("value") if isinstance(self.data, QueryDict) else []
        return str(self.data.get("value", ""))

    def shown(self) -> dict[str, Any]:
        """What the inputs show: what the user sent when it was refused, what is kept when it
        was accepted (e.g. "1,500" typed, 1500 kept), else what is stored."""
        q = self.question
        if self.is_bound and self.errors:
            return {
                "value": self._sent_value(),
                "none": bool(self.data.get(NONE_OF_THESE)),
                "note": self.data.get("note", ""),
                "na": bool(self.data.get("na")),
                "na_reason": self.data.get("na_reason", ""),
            }
        if self.is_bound:
            data = self.cleaned_data
            return {
                "value": _as_input(q, data["value"]),
                "none": data["value"] == [],
                "note": data["note"],
                "na": bool(data["na_reason"]),
                "na_reason": data["na_reason"],
            }
        answer = self.answer
        if answer is None:
            return {
                "value": [] if q.type == "multiple" else "",
                "none": False,
                "note": "",
                "na": False,
                "na_reason": "",
            }
        return {
            "value": _as_input(q, answer.value),
            "none": answer.value == [] and not answer.not_applicable,
            "note": answer.note,
            "na": bool(answer.not_applicable),
            "na_reason": answer.not_applicable,
        }

    def _none_or_ticked(self, ticked: str | list[str]) -> list[str]:
        """ "None of these" came with ticked boxes: one of the two was clicked last. Each click
        saves, so what the form showed says which: if it showed "none of these", a box was
        ticked now (the boxes win); otherwise "none of these" was ticked now (it wins)."""
        ticked_list = [str(v) for v in ticked] if isinstance(ticked, list) else [str(ticked)]
        if _is_blank(ticked_list):
            return []
        # The form says what it showed (no query on the autosave path).
        return ticked_list if self.data.get(NONE_SHOWN) == "1" else []

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        q = self.question
        # "Use my value" replaces the version that the refusal showed.
        sent = self.data.get("overwrite") or self.data.get("version")
        data["version"] = answers.parse_version(sent)
        if data.get("na"):
            if not data.get("na_reason"):
                self.add_error("na_reason", "Choose why this question does not apply.")
            elif data["na_reason"] not in self.NA_REASONS:
                self.add_error("na_reason", "Choose one of the listed reasons.")
            data["value"] = None
            return data
        data["na_reason"] = ""
        raw = self._sent_value()
        if q.type == "multiple" and self.data.get(NONE_OF_THESE):
            raw = self._none_or_ticked(raw)
            if raw == []:
                data["value"] = []  # "None of these" is an answer, not a blank
                return data
        if _is_blank(raw):
            # Left open: required questions show as open in the progress, not as an error,
            # so a note can be written before the answer is known.
            data["value"] = None
            return data
        try:
            data["value"] = q.clean(raw)
        except catalog.InvalidAnswer as error:
            self.add_error("value", str(error))
        return data


def _is_blank(raw: Any) -> bool:
    if isinstance(raw, list):
        return not any(str(v).strip() for v in raw)
    return not str(raw).strip()


def _as_input(q: catalog.Question, value: Any) -> Any:
    """A stored value as its input shows it: yes/no for booleans, strings for the rest."""
    if value is None:
        return [] if q.type == "multiple" else ""
    if q.type == "multiple":
        return [str(v) for v in value]
    if q.type == "yes_no":
        return "yes" if value else "no"
    return str(value)
