"""Catalogue 2026.12 removed `learn_positives`: no stage asks it any more. (Its stored answers were
deleted by the old migration 0011_remove_learn_positives, now part of the squashed 0001.)"""

from __future__ import annotations

from journeys import catalog


def test_the_removed_question_is_no_longer_asked_in_any_stage() -> None:
    for stage in catalog.get().stages:
        assert "learn_positives" not in stage.questions
