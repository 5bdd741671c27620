"""Answers: how a value typed into a form or found in a JSON document becomes a clean answer,
and how a stored answer reads again ("400 requests per second", "Yes", "40 %").

Everything that comes in may be anything at all, and the one thing that may go out of a cleaning
function is `InvalidAnswer` with a message for people: the web forms, the JSON import and the
fuzz tests all rely on that. Display never raises, even for a stored value that no longer fits.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation, Overflow
from typing import Any

NEEDS_AN_ANSWER = "This question needs an answer."
# Beyond this no workload figure is plausible, and floats stop holding the digits exactly.
MAX_MAGNITUDE = Decimal(10) ** 15
MAX_DECIMAL_PLACES = 4
_PLACES = Decimal(1).scaleb(-MAX_DECIMAL_PLACES)
# A double holds 15 significant digits exactly; more would not survive the JSON float.
_FLOAT_DIGITS = 15
# Our own context rather than the thread's, which any library may have changed.
_CONTEXT = Context(prec=40, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, Overflow])
_TOO_LARGE = "That number is too large."
# Longer than any plausible number; stops pathological strings before Decimal sees them.
_MAX_NUMBER_TEXT = 50

# ASCII digits only: int() and Decimal() would take "١٢" or fullwidth digits, and a planner
# that silently reinterprets what was typed is worse than one that asks again.
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_GROUPED_RE = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", re.ASCII)
_YES = frozenset({"yes", "y", "true", "on", "1"})
_NO = frozenset({"no", "n", "false", "off", "0"})


class InvalidAnswer(ValueError):
    """An answer value that a question cannot take; `message` is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------------
# Parsing


def clean_number(
    raw: Any, *, whole: bool, percent: bool, low: Decimal | None, high: Decimal | None
) -> int | float:
    """A number answer within [low, high]: an int when it is whole, else a float that holds
    every digit that was typed."""
    kind = "a whole number" if whole else "a number"
    number = _parse_number(raw, kind, allow_percent_sign=percent)
    if number.is_zero():
        number = Decimal(0)  # also turns "-0" and "0E-999" into a plain 0
    # copy_abs and adjusted need no context: abs() of 1E+1000000 would raise Overflow.
    elif number.copy_abs() > MAX_MAGNITUDE:
        raise InvalidAnswer(range_message(low, high) if high is not None else _TOO_LARGE)
    elif whole and number.adjusted() < 0:
        raise InvalidAnswer("Enter a whole number.")
    elif number.adjusted() < -MAX_DECIMAL_PLACES:
        raise InvalidAnswer(f"Use at most {MAX_DECIMAL_PLACES} decimal places.")
    # From here the number lies between 1e-4 and 1e15, so the context cannot overflow.
    integral = number == number.to_integral_value(context=_CONTEXT)
    if whole and not integral:
        raise InvalidAnswer("Enter a whole number.")
    if number != number.quantize(_PLACES, context=_CONTEXT):
        raise InvalidAnswer(f"Use at most {MAX_DECIMAL_PLACES} decimal places.")
    if (low is not None and number < low) or (high is not None and number > high):
        raise InvalidAnswer(range_message(low, high))
    if integral:
        return int(number)
    if len(number.normalize(context=_CONTEXT).as_tuple().digits) > _FLOAT_DIGITS:
        raise InvalidAnswer(f"Use at most {_FLOAT_DIGITS} digits in all.")
    return float(number)


def range_message(low: Decimal | None, high: Decimal | None) -> str:
    shown_low = format_number(low) if low is not None else None
    shown_high = format_number(high) if high is not None else None
    if shown_low is not None and shown_high is not None:
        return f"Enter a number between {shown_low} and {shown_high}."
    if shown_low is not None:
        return f"Enter a number of at least {shown_low}."
    return f"Enter a number of at most {shown_high}."


def clean_single(raw: Any, values: Collection[str]) -> str:
    """One of `values` (the question's choice values, in order)."""
    chosen = match_choice(raw, values)
    if chosen is None:
        raise InvalidAnswer("Choose one of the listed options.")
    return chosen


def clean_multiple(raw: Any, values: Collection[str]) -> list[str]:
    """Some of `values`, in the question's order whatever order they came in."""
    if isinstance(raw, str):
        if not raw.strip():
            raise InvalidAnswer(NEEDS_AN_ANSWER)
        raw = [raw]
    if not isinstance(raw, list | tuple):
        raise InvalidAnswer("Choose from the listed options.")
    chosen: set[str] = set()
    for item in raw:
        # An empty string is what a hidden "nothing ticked" form field posts.
        if isinstance(item, str) and not item.strip():
            continue
        match = match_choice(item, values)
        if match is None:
            raise InvalidAnswer("Choose only from the listed options.")
        chosen.add(match)
    # An empty list is a real answer: "none of these".
    return [value for value in values if value in chosen]


def match_choice(raw: Any, values: Collection[str]) -> str | None:
    """The choice value that `raw` names, or None; a blank string needs an answer."""
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            raise InvalidAnswer(NEEDS_AN_ANSWER)
        return text if text in values else None
    # A JSON document may well say 99.9 for the choice "99.9".
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        try:
            number = _to_decimal(raw)
        except InvalidAnswer:
            return None
        for value in values:
            if _NUMBER_RE.fullmatch(value) and Decimal(value) == number:
                return value
    return None


def clean_text(raw: Any, max_length: int) -> str:
    if not isinstance(raw, str):
        raise InvalidAnswer("Enter text.")
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise InvalidAnswer(NEEDS_AN_ANSWER)
    for char in text:
        category = unicodedata.category(char)
        # Surrogates cannot be stored as UTF-8, NUL cannot go into PostgreSQL, and other
        # control characters only ever arrive by accident or with bad intent.
        if (category == "Cc" and char not in "\n\t") or category == "Cs":
            raise InvalidAnswer("Remove the control characters from the text.")
    if len(text) > max_length:
        raise InvalidAnswer(f"Use at most {max_length:,} characters (this has {len(text):,}).")
    return text


def clean_yes_no(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        text = raw.strip().lower()
        if not text:
            raise InvalidAnswer(NEEDS_AN_ANSWER)
        if text in _YES:
            return True
        if text in _NO:
            return False
    raise InvalidAnswer("Answer yes or no.")


def _parse_number(raw: Any, kind: str, *, allow_percent_sign: bool) -> Decimal:
    """A finite Decimal from a str, int, float or Decimal; bools and the rest are refused."""
    if isinstance(raw, bool):
        raise InvalidAnswer(f"Enter {kind}, not yes or no.")
    if isinstance(raw, int | float | Decimal):
        return _to_decimal(raw)
    if not isinstance(raw, str):
        raise InvalidAnswer(f"Enter {kind}.")
    text = raw.strip()
    if allow_percent_sign and text.endswith("%"):
        text = text[:-1].rstrip()
    if not text:
        raise InvalidAnswer(NEEDS_AN_ANSWER)
    if len(text) > _MAX_NUMBER_TEXT:
        raise InvalidAnswer(f"Enter {kind}.")
    if _GROUPED_RE.fullmatch(text):
        text = text.replace(",", "")
    elif not _NUMBER_RE.fullmatch(text):
        raise InvalidAnswer(f"Enter {kind}.")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError, ArithmeticError):
        # An exponent beyond what Decimal can hold, e.g. "1e99999999999999999999".
        raise InvalidAnswer("That number is out of range.") from None
    return number


def _to_decimal(raw: int | float | Decimal) -> Decimal:
    if isinstance(raw, int):
        # Checked before converting: a 10,000-digit int is slow to turn into anything.
        if abs(raw) > MAX_MAGNITUDE:
            raise InvalidAnswer(_TOO_LARGE)
        return Decimal(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise InvalidAnswer("Enter a finite number.")
        # repr gives the shortest round-tripping text, so 0.1 stays 0.1 and not 0.1000...0555.
        return Decimal(repr(raw))
    if not raw.is_finite():
        raise InvalidAnswer("Enter a finite number.")
    return raw


# ---------------------------------------------------------------------------------------------
# Display


def format_number(value: int | float | Decimal) -> str:
    try:
        number = _to_decimal(value)
        if number.copy_abs() > MAX_MAGNITUDE:
            return as_text(value)
        if number == number.to_integral_value(context=_CONTEXT):
            return f"{int(number):,}"
        return f"{number.normalize(context=_CONTEXT):,f}"
    except (InvalidAnswer, ArithmeticError):
        return as_text(value)


def as_text(value: Any) -> str:
    try:
        return str(value)
    except ValueError:
        # Python refuses to print ints of more than 4,300 digits.
        return f"(a {type(value).__name__} too long to show)"
