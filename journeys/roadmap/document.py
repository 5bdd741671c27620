"""The roadmap's HTML from its context, and the PDF from that HTML with WeasyPrint."""

from __future__ import annotations

import functools
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

TEMPLATE = "roadmap/roadmap.html"
STYLESHEET = "css/roadmap.css"
# WeasyPrint's rendering options. Diagrams are drawn at several times the resolution a page
# can show: 200 dpi is sharp on paper and makes the file a third of the size.
OPTIONS: dict[str, Any] = {"dpi": 200}


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int
    seconds: float


def render_html(context: dict[str, Any]) -> str:
    """The final HTML: autoescaped, self-describing, and equal for equal contexts."""
    return render_to_string(TEMPLATE, context)


def content_hash(html: str) -> str:
    """What the PDF is made from: the HTML and the rendering options. Equal hashes, equal PDF."""
    recipe = json.dumps(OPTIONS, sort_keys=True)
    return hashlib.sha256(f"{recipe}\n{html}".encode()).hexdigest()


@functools.cache
def static_base() -> Path:
    """The static folder that holds the roadmap's stylesheet: the HTML links it relatively
    (`css/roadmap.css`) so that it names no path of this machine, and WeasyPrint resolves it
    from here."""
    found = finders.find(STYLESHEET)
    if found is None:
        return Path(settings.STATIC_ROOT)
    # css/roadmap.css -> the folder two levels up.
    return Path(str(found)).parents[len(Path(STYLESHEET).parts) - 1]


def project_roots() -> list[Path]:
    """The folders WeasyPrint may read: the project's static files and its media."""
    roots = [Path(settings.STATIC_ROOT), Path(settings.MEDIA_ROOT)]
    # settings.py lists plain folders (no "prefix, folder" pairs).
    return roots + [Path(entry) for entry in settings.STATICFILES_DIRS]


def fetcher() -> Any:
    """The safe fetcher (a WeasyPrint class: imported on first use, see the package doc)."""
    from journeys.roadmap.fetcher import SafeURLFetcher

    return SafeURLFetcher(project_roots())


def write_pdf(html: str) -> Pdf:
    """Lay the HTML out and write the PDF. No identifier and the dates from the HTML's
    metadata (the export's inputs), so equal HTML gives equal bytes."""
    # The worker imports WeasyPrint before it forks (journeys.tasks); the web never calls this.
    import weasyprint

    start = time.perf_counter()
    document = weasyprint.HTML(
        string=html, base_url=static_base().as_uri() + "/", url_fetcher=fetcher()
    ).render(**OPTIONS)
    data = document.write_pdf(**OPTIONS)
    return Pdf(data=data, pages=len(document.pages), seconds=time.perf_counter() - start)
