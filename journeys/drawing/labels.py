"""Labels are user text (component labels, overridden parameters, the title): made literal for
Graphviz and short enough to fit.

Graphviz reads a label written `<...>` as HTML-like markup and gives backslash sequences (`\\N`
the node name, `\\G` the graph name, `\\l` a left-justified line break...) their meaning in
any label. python-graphviz quotes the string and escapes its quotes, nothing more.
"""

from __future__ import annotations

import re
import textwrap

from graphviz import nohtml

MAX_LABEL = 40  # characters of each part of a label (its name, its size)
WRAP = 16  # characters of a line that fit the width of a node (see layout.NODE_ATTR)
# A cluster's label says what the group is and how big ("ECS service (smaller: 4 of 16): 4 tasks
# (min 4, max 12)"): cut at one line it lost its bounds, so it wraps and is cut only here.
MAX_CLUSTER_LABEL = 160
CLUSTER_WRAP = 44
# A tooltip holds the text a node's label shortened; still capped, as the label is user text.
MAX_TOOLTIP = 300

_WHITESPACE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


def shorten(text: object, limit: int = MAX_LABEL) -> str:
    """User text on one line of at most `limit` characters: newlines and control characters
    become spaces (where a label breaks is ours to choose), and a cut ends in "…"."""
    one_line = _WHITESPACE.sub(" ", str(text)).strip()
    if len(one_line) > limit:
        one_line = one_line[: limit - 1].rstrip() + "…"
    return one_line


def literal_label(text: str) -> str:
    """Text that Graphviz prints as it is. Backslashes are doubled so that `\\N`, `\\l`, `\\G`...
    print as typed; `nohtml` keeps `<b>x</b>` text rather than an HTML-like label; graphviz-py
    escapes the quotes when it writes the DOT."""
    label: str = nohtml(text.replace("\\", "\\\\"))  # a str subclass; graphviz-py has no types
    return label


def label_text(text: object, limit: int = MAX_LABEL) -> str:
    """A one-line label (a cluster's, the title) from user text."""
    return literal_label(shorten(text, limit))


def lines(*parts: object, limit: int = MAX_LABEL) -> str:
    """A node label from its parts (empty ones dropped), each shortened, then wrapped to the
    width of a node. Wrapped before escaping, so that no escape is split over two lines."""
    wrapped: list[str] = []
    for part in parts:
        wrapped += textwrap.wrap(shorten(part, limit), WRAP, break_on_hyphens=False)
    return literal_label("\n".join(wrapped))


def wrapped(text: object, width: int = CLUSTER_WRAP, limit: int = MAX_CLUSTER_LABEL) -> str:
    """A cluster's label from user text: wrapped over lines of `width` rather than cut."""
    return literal_label("\n".join(textwrap.wrap(shorten(text, limit), width)))


def tooltip(*parts: object) -> str:
    """The full text of a label (its parts joined, empty ones dropped), shown on hover: in
    the SVG it becomes the `xlink:title` of the node's link."""
    text = " — ".join(one for one in (shorten(p, MAX_TOOLTIP) for p in parts) if one)
    return label_text(text, MAX_TOOLTIP)
