"""The stakeholder roadmap: a journey (a milestone or the live answers per stage) -> PDF bytes.

Pure of views and tasks: `journeys.jobs.exports` and `manage.py export_roadmap` drive it.

    sources = read_sources(journey, selection)       # what each stage shows
    context = build(journey, sources, diagrams, estimates, page_size="A4")
    html = render_html(context)                       # templates/roadmap/, autoescaped
    pdf = write_pdf(html)                             # WeasyPrint with SafeURLFetcher

`sources` reads the inputs, `context` bounds and orders what is printed, `document` renders,
`fetcher` decides what WeasyPrint may read (data: URIs, the project's static and media files).
WeasyPrint takes about a second to import, so only `document.write_pdf` and the fetcher module
(import it as `journeys.roadmap.fetcher`) load it: the web processes never pay for it.
"""

from journeys.roadmap.context import build
from journeys.roadmap.document import Pdf, content_hash, render_html, write_pdf
from journeys.roadmap.limits import clip
from journeys.roadmap.sources import (
    InvalidSelection,
    Selection,
    StageSource,
    live_selection,
    parse_selection,
    read_sources,
)

__all__ = [
    "InvalidSelection",
    "Pdf",
    "Selection",
    "StageSource",
    "build",
    "clip",
    "content_hash",
    "live_selection",
    "parse_selection",
    "read_sources",
    "render_html",
    "write_pdf",
]
