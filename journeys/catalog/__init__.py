"""The stage catalogue: the questionnaire of every growth stage, as data (DESIGN section 3).

    from journeys import catalog
    cat = catalog.get()                        # the shipped catalogue, loaded once
    q = cat.question("growth", "peak_rps")
    q.clean("400")                             # -> 400, or catalog.InvalidAnswer
    q.display(400)                             # -> "400 requests per second"

Organisations can ship their own folder and read it with `catalog.load(path)`.

The package: `questionnaire` (catalogue, stage, section, question, choice), `answers` (cleaning
and displaying an answer), `reader` (the TOML files and every check on them), `checks` (the
checks on one question's fields) and `core_questions` (what each core question must be). Stages,
pillars, risk levels, the core ids and the not-applicable reasons are the shared
`journeys.vocabulary`.
"""

from __future__ import annotations

import functools
from pathlib import Path

# The package's face: what the rest of the project uses. The finer pieces stay in their modules
# (`catalog.questionnaire`, `catalog.answers`, `catalog.reader`, `catalog.checks`,
# `catalog.core_questions`).
from journeys.catalog.answers import MAX_MAGNITUDE, InvalidAnswer
from journeys.catalog.core_questions import CORE_QUESTIONS
from journeys.catalog.questionnaire import NUMBER_TYPES, Catalogue, Question, Stage
from journeys.catalog.reader import CatalogueError, CatalogueProblem, load

DATA_DIR = Path(__file__).resolve().parent / "data"


__all__ = [
    "CORE_QUESTIONS",
    "DATA_DIR",
    "MAX_MAGNITUDE",
    "NUMBER_TYPES",
    "Catalogue",
    "CatalogueError",
    "CatalogueProblem",
    "InvalidAnswer",
    "Question",
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
