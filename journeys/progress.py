"""How far a stage's questionnaire has come: answered, not applicable, remaining."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from journeys import catalog


@dataclass(frozen=True)
class Progress:
    total: int
    answered: int
    not_applicable: int
    required_open: int

    @property
    def done(self) -> int:
        return self.answered + self.not_applicable

    @property
    def remaining(self) -> int:
        return self.total - self.done

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def measure(questions: Any, answers: dict[str, Any]) -> Progress:
    """Count over `questions`; `answers` maps question id to an Answer (or anything with
    `is_answered` and `is_not_applicable`)."""
    answered = na = required_open = 0
    total = 0
    for q in questions:
        total += 1
        answer = answers.get(q.id)
        if answer is not None and answer.is_not_applicable:
            na += 1
        elif answer is not None and answer.is_answered:
            answered += 1
        elif q.required:
            required_open += 1
    return Progress(total, answered, na, required_open)


def stage_progress(stage: catalog.Stage, answers: dict[str, Any]) -> dict[str, Progress]:
    """Progress per section id, plus the whole stage under the key "stage"."""
    result = {section.id: measure(section.questions, answers) for section in stage.sections}
    result["stage"] = measure(stage.questions.values(), answers)
    return result
