"""The roadmap PDF itself: what it says, that it stays bounded, and that it is reproducible.

The PDFs are read back with pypdf, as a stakeholder's viewer would read them.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from pypdf import PdfReader

from journeys import catalog, labels, roadmap, vocabulary
from journeys.jobs import estimates, exports
from journeys.milestones import save_milestone
from journeys.models import Answer, Export, Journey, Milestone
from journeys.roadmap.words import plain


@pytest.fixture(autouse=True)
def snapshot_prices(settings: Any) -> None:
    settings.PRICING_SOURCE = "snapshot"


def make_export(journey: Journey, user: Any = None, **selection: int) -> Export:
    """Export the journey here and now, as the worker would (live unless a stage is named)."""
    chosen = {**roadmap.live_selection(), **selection}
    export = exports.request_export(journey, user, chosen, queue=False)
    assert Export.objects.claim(export.pk)
    exports.run(export.pk)
    export.refresh_from_db()
    assert export.status == Export.DONE, export.reason
    return export


def pdf_of(export: Export) -> PdfReader:
    return PdfReader(io.BytesIO(exports.read(export)))


def text_of(reader: PdfReader) -> str:
    """The text of every page, with runs of white space made one space (lines wrap)."""
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def answer(journey: Journey, stage: str, question: str, value: Any, note: str = "") -> None:
    Answer.objects.update_or_create(
        journey=journey,
        stage=stage,
        question=question,
        defaults={
            "value": catalog.question(stage, question).clean(value),
            "note": note,
            "catalogue_version": catalog.get().version,
        },
    )


def test_the_pdf_holds_every_stage_its_totals_and_its_findings(
    journey: Journey, editor: User
) -> None:
    answer(journey, "growth", "peak_rps", "400", note="Black Friday peaks at 400 req/s")
    milestone, _ = save_milestone(journey, "launch", "Beta plan", editor)
    export = make_export(journey, editor, launch=milestone.number)
    reader = pdf_of(export)
    text = text_of(reader)

    for stage in catalog.get().stages:
        assert flat(stage.title) in text
    sources = roadmap.read_sources(journey, export.selection)
    for source in sources:
        row = estimates.ensure_estimate(journey, source.stage, source.state, source.facts)
        assert row.status == "done"
        assert labels.money(row.result["monthly_usd"]) in text, source.stage
        assert labels.money_per_customers(row.result["per_customer_usd"]) in text
        high = [f for f in source.state.findings if f.risk == "high"]
        for finding in high[:3]:
            assert flat(plain(source.stage, finding.title)) in text
            # A line may end after a hyphen ("eu-central-" / "1"): read across it.
            assert flat(plain(source.stage, finding.action))[:60] in text.replace("- ", "-")
        for threshold in catalog.get().stage(source.stage).thresholds[:2]:
            assert flat(threshold) in text
    assert "Checkout" in text and "Payments" in text  # the cover
    assert "Beta plan" in text and "Black Friday peaks at 400 req/s" in text
    assert "Launch: Milestone 1, saved by erin" in text  # the versions shown, on the cover
    # The page count is sane, and every page but the cover says which it is.
    pages = len(reader.pages)
    assert export.page_count == pages and 10 <= pages <= 60
    assert f"Page 2 of {pages}" in text and f"Page {pages} of {pages}" in text
    # The table of contents, on the cover, points at real pages.
    contents = " ".join(reader.pages[0].extract_text().split())
    launch_page = int(re.search(r"Launch: 100\+ customers \.*\s*(\d+)", contents).group(1))
    assert "Launch: 100+ customers" in reader.pages[launch_page - 1].extract_text()
    assert export.size_bytes == len(exports.read(export)) < 5 * 1024 * 1024
    assert not reader.attachments
    # The PDF's dates are those of its inputs (the newest), not of the render.
    newest = max(source.as_of for source in sources)
    assert reader.metadata.creation_date == newest.replace(microsecond=0)
    assert reader.metadata.modification_date == reader.metadata.creation_date
    assert reader.metadata.title == "Checkout — architecture roadmap"
    assert reader.metadata.author == "Payments"


def test_exporting_the_same_milestones_twice_gives_the_same_content(
    journey: Journey, editor: User
) -> None:
    numbers = {s: save_milestone(journey, s, "", editor)[0].number for s in vocabulary.STAGES}
    first = make_export(journey, editor, **numbers)
    # The answers change after the milestones: the milestones' roadmap does not.
    answer(journey, "scale", "peak_rps", "9000")
    second = make_export(journey, editor, **numbers)
    assert second.content_hash == first.content_hash
    assert second.file.name == first.file.name  # equal content shares one file
    assert second.pk != first.pk and second.page_count == first.page_count

    # And the bytes are reproducible: the HTML is deterministic, the PDF's dates and its
    # (absent) identifier come from the inputs.
    sources = roadmap.read_sources(journey, second.selection)
    context = roadmap.build(
        journey,
        sources,
        {s.stage: exports.ready_diagram(journey, s) for s in sources},
        {s.stage: exports.ready_estimate(journey, s) for s in sources},
        page_size="A4",
    )
    html = roadmap.render_html(context)
    assert roadmap.content_hash(html) == first.content_hash
    assert roadmap.write_pdf(html).data == exports.read(first)

    live = roadmap.read_sources(journey, roadmap.live_selection())
    live_html = exports.compose(journey, live, "A4")
    assert roadmap.content_hash(live_html) != first.content_hash  # live: 9,000 req/s


HOSTILE = '<img src="file:///etc/passwd"><a rel="attachment" href="file:///etc/hostname">x</a>'
CSS_TRICK = (
    '</style><style>@import url("file:///etc/passwd"); body { background: '
    'url(http://169.254.169.254/latest/meta-data/) }</style><link rel="stylesheet" '
    'href="file:///etc/passwd">'
)


def _local_secrets() -> list[str]:
    """Lines of local files that must never reach a PDF."""
    secrets = [line for line in Path("/etc/passwd").read_text().splitlines() if line][:3]
    hostname = Path("/etc/hostname")
    if hostname.exists() and hostname.read_text().strip():
        secrets.append(hostname.read_text().strip())
    return secrets


def test_a_hostile_journey_prints_its_text_and_reads_no_local_file(
    journey: Journey, team: Any, editor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    team.name = f"Team {HOSTILE}"[:100]
    team.save()
    journey.name = f"Evil {HOSTILE}"[:120]
    journey.description = f"{CSS_TRICK} {HOSTILE}"
    journey.save()
    answer(journey, "launch", "customers", "100", note=CSS_TRICK)
    answer(journey, "growth", "peak_rps", "300", note=HOSTILE)
    milestone, _ = save_milestone(journey, "growth", HOSTILE, editor)

    from journeys.roadmap.fetcher import SafeURLFetcher

    asked: list[str] = []
    real_fetch = SafeURLFetcher.fetch

    def spying_fetch(self: SafeURLFetcher, url: str, headers: Any = None) -> Any:
        asked.append(url)
        return real_fetch(self, url, headers)

    monkeypatch.setattr(SafeURLFetcher, "fetch", spying_fetch)
    export = make_export(journey, editor, growth=milestone.number)
    reader = pdf_of(export)
    text = text_of(reader)

    assert not reader.attachments
    for secret in _local_secrets():
        assert secret not in text
    # The user's text is printed as text: the tags are visible, not obeyed.
    assert 'src="file:///etc/passwd"' in text
    assert '@import url("file:///etc/passwd")' in text
    # WeasyPrint was only ever asked for our stylesheet and data: URIs.
    assert asked and all(
        url.startswith("data:") or url.endswith("/css/roadmap.css") for url in asked
    ), asked


def test_html_that_got_past_escaping_still_reads_no_file_and_calls_no_url() -> None:
    """The fetcher is the second wall: raw hostile tags in the HTML itself change nothing."""
    html = (
        "<html><head><style>@import url(file:///etc/passwd); body { background: "
        "url(http://169.254.169.254/latest/meta-data/) }</style>"
        '<link rel="stylesheet" href="file:///etc/passwd"></head><body><h1>Roadmap</h1>'
        '<img src="file:///etc/passwd"><img src="http://169.254.169.254/latest/meta-data/">'
        '<a rel="attachment" href="file:///etc/hostname">hostname</a>'
        '<a rel="attachment" href="file:///etc/passwd">passwd</a>'
        '<object data="file:///etc/passwd"></object><embed src="file:///etc/hostname">'
        "</body></html>"
    )
    pdf = roadmap.write_pdf(html)
    reader = PdfReader(io.BytesIO(pdf.data))
    assert not reader.attachments
    text = text_of(reader)
    assert "Roadmap" in text
    for secret in _local_secrets():
        assert secret not in text
        assert secret.encode() not in pdf.data


def test_a_journey_at_every_length_limit_still_makes_a_bounded_pdf(
    journey: Journey, editor: User
) -> None:
    """Every answer "not applicable" with the longest note allowed, one unbroken word among
    them: the PDF clips each text and stays a reasonable size."""
    journey.name = "N" * 120
    journey.description = ("A very long description. " * 200)[:4000]
    journey.save()
    long_note = ("Because " + "x" * 1200 + " ") + ("words words words " * 60)
    rows = [
        Answer(
            journey=journey,
            stage=stage.slug,
            question=q.id,
            value=None,
            not_applicable="other",
            note=long_note[:2000],
            catalogue_version=catalog.get().version,
        )
        for stage in catalog.get().stages
        for q in stage.questions.values()
    ]
    Answer.objects.bulk_create(rows)
    export = make_export(journey, editor)
    text = text_of(pdf_of(export))
    assert export.page_count is not None and export.page_count <= 80
    assert "…" in text
    assert long_note[:2000] not in text
    assert "Not applicable" in text and "Other" in text


def test_the_cover_says_who_reviewed_it_and_the_doors_say_who_signed_them_off(
    journey: Journey, editor: User, architect: User, settings: Any
) -> None:
    from journeys.models import Decision, SignOff
    from journeys.reviews import submissions

    settings.ROADMAP_PAGE_SIZE = "Letter"
    for stage in vocabulary.STAGES:
        save_milestone(journey, stage, "", editor)
    submission = submissions.submit(journey, editor, {}, "")
    Decision.objects.create(
        submission=submission,
        outcome="approved",
        summary="Ship it; revisit the cache size at 50k customers.",
        architect=architect,
    )
    launch = Milestone.objects.get(journey=journey, stage="launch")
    door = next(
        c
        for c in roadmap.read_sources(journey, {"launch": 1})[0].state.components
        if c.door == "one_way"
    )
    SignOff.objects.create(
        milestone=launch,
        component=door.id,
        label=door.label,
        note="PostgreSQL is our standard",
        architect=architect,
        submission=submission,
    )
    export = make_export(journey, editor, **dict.fromkeys(vocabulary.STAGES, 1))
    reader = pdf_of(export)
    text = text_of(reader)
    assert "Approved by ada" in text
    assert "revisit the cache size at 50k customers" in text
    # Every stage shows the approved milestone: the cover and every footer say so.
    assert "Approved by ada on" in reader.pages[0].extract_text()
    assert all("Approved by ada on" in page.extract_text() for page in reader.pages[1:])
    assert "Signed off by ada" in text and "PostgreSQL is our standard" in text
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (612, 792)  # US Letter, from the setting


def test_a_stage_without_an_estimate_says_so_instead_of_a_figure(
    journey: Journey, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unpriced(journey: Journey, source: Any) -> None:
        return None

    monkeypatch.setattr(exports, "ready_estimate", unpriced)
    sources = roadmap.read_sources(journey, roadmap.live_selection())
    html = exports.compose(journey, sources, "A4")
    assert html.count("This stage is not priced: The estimate is not ready.") == 4
    assert "No stage was priced." in html and "$" not in html


def test_clip_ends_after_a_whole_word_when_one_ends_near_the_limit() -> None:
    # 24 characters at most: the cut would fall inside "99.95".
    assert roadmap.clip("availability reaches 99.95 %", 24) == "availability reaches…"
    # No space in the last quarter: cut where the limit falls.
    assert roadmap.clip("a" * 30 + " tail", 20) == "a" * 19 + "…"


def test_clip_cuts_long_text_and_drops_control_characters() -> None:
    assert roadmap.clip("short") == "short"
    assert roadmap.clip("a" * 700) == "a" * 399 + "…"
    assert roadmap.clip("bell\x07 and\x00 null\nline") == "bell and null\nline"
    assert roadmap.clip(None) == ""
    assert len(roadmap.clip("x" * 10**7)) == roadmap.limits.TEXT_LIMIT


def test_the_as_of_date_of_live_answers_is_their_last_change(journey: Journey) -> None:
    answer(journey, "growth", "peak_rps", "10")
    stamp = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    Answer.objects.filter(journey=journey).update(updated=stamp)
    sources = roadmap.read_sources(journey, roadmap.live_selection())
    assert max(s.as_of for s in sources) == stamp
