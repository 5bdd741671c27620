"""The stage catalogue: the questionnaire of every growth stage, as data (DESIGN section 3).

    from journeys import catalog
    cat = catalog.get()                        # the shipped catalogue, loaded once
    q = cat.question("growth", "peak_rps")
    q.clean("400")                             # -> 400, or catalog.InvalidAnswer
    q.display(400)                             # -> "400 requests per second"

Organisations can ship their own folder and read it with `catalog.load(path)`.

The package: `questionnaire` (catalogue, stage, section, question, choice), `answers` (cleaning
and displaying an answer), `reader` (the TOML files and every check on them) and
`core_questions` (what each core question must be). Stages, pillars, risk levels, the core ids
and the not-applicable reasons are the shared `journeys.vocabulary`.
"""

from __future__ import annotations

import functools
from pathlib import Path

from journeys.catalog.answers import (
    MAX_DECIMAL_PLACES,
    MAX_MAGNITUDE,
    NEEDS_AN_ANSWER,
    InvalidAnswer,
)
from journeys.catalog.core_questions import CORE_QUESTIONS
from journeys.catalog.questionnaire import (
    NUMBER_TYPES,
    QUESTION_TYPES,
    SECTION_IDS,
    SECTION_TITLES,
    Catalogue,
    Choice,
    Question,
    Section,
    Stage,
)
from journeys.catalog.reader import CATALOGUE_FILE, CatalogueError, CatalogueProblem, load

DATA_DIR = Path(__file__).resolve().parent / "data"


__all__ = [
    "CATALOGUE_FILE",
    "CORE_QUESTIONS",
    "DATA_DIR",
    "MAX_DECIMAL_PLACES",
    "MAX_MAGNITUDE",
    "NEEDS_AN_ANSWER",
    "NUMBER_TYPES",
    "QUESTION_TYPES",
    "SECTION_IDS",
    "SECTION_TITLES",
    "Catalogue",
    "CatalogueError",
    "CatalogueProblem",
    "Choice",
    "InvalidAnswer",
    "Question",
    "Section",
    "Stage",
    "get",
    "load",
    "question",
    "stage",
]


@functools.cache
def get() -> Catalogue:
    """The shipped catalogue. Cached for the life of the process: the files only change with a
    deploy, and `manage.py check` calls `get.cache_clear()` to read them afresh."""
    return load(DATA_DIR)


def stage(slug: str) -> Stage:
    """Shortcut for `get().stage(slug)`; KeyError for an unknown slug."""
    return get().stage(slug)


def question(stage_slug: str, qid: str) -> Question:
    """Shortcut for `get().question(stage_slug, qid)`; KeyError for an unknown one."""
    return get().question(stage_slug, qid)
