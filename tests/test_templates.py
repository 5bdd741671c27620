"""Template hygiene that Django does not check for us."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_no_comment_tag_spans_lines(path: Path) -> None:
    """`{# … #}` is a one-line comment in Django: spread over lines, its text shows on the page
    (use `{% comment %}` instead)."""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        assert "{#" not in line or "#}" in line, f"{path.name}:{number}"
