"""How much of each piece of user text and each list the roadmap prints, and the cutting.

Every piece of user text is clipped and every list is capped before the template sees it: a
hostile journey (a 10,000-character answer in every field) must not make a 10,000-page PDF or
keep a worker busy for minutes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Characters of one piece of user text: an answer, a note, a milestone's note. (Every question
# of every stage with a note this long still makes fewer than 60 pages.)
TEXT_LIMIT = 400
# The journey's description and a review decision's summary, on the cover: it stays one page.
LONG_TEXT_LIMIT = 700
# Names: journey, team, people.
NAME_LIMIT = 120
# Rows of any one table, and items of any one list.
ROW_LIMIT = 150


def clip(text: Any, limit: int = TEXT_LIMIT) -> str:
    """The text cut to `limit` characters, with an ellipsis when it was longer: after the last
    whole word when one ends in the last quarter, so a reader never meets half a word. Control
    characters go: they have no place in print and some confuse the PDF text layer."""
    value = "" if text is None else str(text)
    if len(value) > limit * 4:
        value = value[: limit * 4]  # before the character filter, which walks the string
    value = "".join(ch for ch in value if ch >= " " or ch in "\n\t")
    if len(value) <= limit:
        return value
    cut = value[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 3 // 4:
        cut = cut[:space]
    return cut.rstrip(" ,;:(") + "…"


@dataclass(frozen=True)
class Capped:
    """A list cut to its limit, and how many items were left out (said in the PDF)."""

    items: list[Any]
    omitted: int


def capped(items: Iterable[Any], limit: int = ROW_LIMIT) -> Capped:
    rows = list(items)
    return Capped(rows[:limit], max(0, len(rows) - limit))
