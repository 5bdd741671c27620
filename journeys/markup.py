"""The small markup of review comments: **bold**, *italic*, `code`, bare http(s) links and line
breaks, nothing else.

Everything is escaped first and the markup is then found in the escaped text, so whatever
someone types can only ever come out as text or as one of these few tags; a link's address is
the escaped text itself, inside a quoted attribute, and only http(s) addresses become links.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CODE = re.compile(r"`([^`\n]+)`")
# An address ends at whitespace or at an escaped quote or angle bracket: after escaping, those
# are the only ways text could try to leave the attribute or the tag.
LINK = re.compile(r"\bhttps?://(?:(?!&(?:quot|#x27|lt|gt);)\S)+", re.IGNORECASE)
TRAILING = ".,;:!?)]}"
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
ITALIC = re.compile(r"(?<![\*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?![\*\w])")


def _emphasis(text: str) -> str:
    return ITALIC.sub(r"<em>\1</em>", BOLD.sub(r"<strong>\1</strong>", text))


def _links(text: str) -> str:
    out: list[str] = []
    last = 0
    for match in LINK.finditer(text):
        url = match.group(0)
        # "see https://example.com." means the address without its full stop.
        stripped = url.rstrip(TRAILING)
        end = match.start() + len(stripped)
        out.append(_emphasis(text[last : match.start()]))
        out.append(f'<a href="{stripped}" rel="nofollow noopener">{stripped}</a>')
        last = end
    out.append(_emphasis(text[last:]))
    return "".join(out)


def _line(text: str) -> str:
    out: list[str] = []
    last = 0
    for match in CODE.finditer(text):
        out.append(_links(text[last : match.start()]))
        out.append(f"<code>{match.group(1)}</code>")
        last = match.end()
    out.append(_links(text[last:]))
    return "".join(out)


def render(text: str) -> SafeString:
    """The comment as HTML that is safe to put in a page."""
    escaped = escape(text.replace("\r\n", "\n").replace("\r", "\n").strip())
    return mark_safe("<br>".join(_line(line) for line in escaped.split("\n")))
