"""The roadmap's URL fetcher: data: URIs and the project's own files, nothing else."""

import base64
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from journeys.roadmap import document
from journeys.roadmap.fetcher import SafeURLFetcher, UnsafeURL


@pytest.fixture
def fetcher(media_root: Path) -> SafeURLFetcher:
    media_root.mkdir(parents=True, exist_ok=True)
    return document.fetcher()


class _Redirecting(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        self.send_response(302)
        self.send_header("Location", "file:///etc/passwd")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def redirecting_server() -> Iterator[str]:
    """A local web server whose every answer is a redirect to a local file."""
    _Redirecting.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Redirecting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/diagram.png"
    finally:
        server.shutdown()
        server.server_close()


def test_it_refuses_a_local_file_outside_the_project(fetcher: SafeURLFetcher) -> None:
    with pytest.raises(UnsafeURL):
        fetcher.fetch("file:///etc/passwd")


def test_it_refuses_the_instance_metadata_service(fetcher: SafeURLFetcher) -> None:
    with pytest.raises(UnsafeURL):
        fetcher.fetch("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(UnsafeURL):
        fetcher("https://169.254.169.254/latest/meta-data/iam/")


def test_it_refuses_a_redirect_without_even_asking_the_server(
    fetcher: SafeURLFetcher, redirecting_server: str
) -> None:
    with pytest.raises(UnsafeURL):
        fetcher.fetch(redirecting_server)
    assert _Redirecting.hits == []


def test_the_inherited_opener_follows_no_redirect_either(
    fetcher: SafeURLFetcher, redirecting_server: str
) -> None:
    """Had WeasyPrint called the opener past `fetch`, the redirect would still not be
    followed: the fetcher is built without a redirect handler."""
    from urllib.request import HTTPRedirectHandler

    assert not any(isinstance(h, HTTPRedirectHandler) for h in fetcher.handlers)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/file",
        "javascript:alert(1)",
        "file://otherhost/etc/passwd",
        "gopher://127.0.0.1:6379/_FLUSHALL",
        "relative/path.png",
    ],
)
def test_it_refuses_every_other_scheme_and_host(fetcher: SafeURLFetcher, url: str) -> None:
    with pytest.raises(UnsafeURL):
        fetcher.fetch(url)


def test_dot_dot_does_not_lead_out_of_the_static_folder(fetcher: SafeURLFetcher) -> None:
    static = document.static_base()
    with pytest.raises(UnsafeURL):
        fetcher.fetch(f"{static.as_uri()}/../../../../../../etc/passwd")
    with pytest.raises(UnsafeURL):
        fetcher.fetch(f"{static.as_uri()}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/hostname")


def test_a_symbolic_link_in_media_does_not_lead_out_of_it(
    fetcher: SafeURLFetcher, media_root: Path
) -> None:
    link = media_root / "diagrams" / "innocent.png"
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink("/etc/passwd", link)
    with pytest.raises(UnsafeURL):
        fetcher.fetch(link.as_uri())


def test_it_allows_the_projects_static_files(fetcher: SafeURLFetcher) -> None:
    css = document.static_base() / "css" / "roadmap.css"
    response = fetcher.fetch(css.as_uri())
    assert response.content_type == "text/css"
    assert b"@page" in response.read()
    response.close()


def test_it_allows_files_under_media_root(fetcher: SafeURLFetcher, media_root: Path) -> None:
    png = media_root / "diagrams" / "d.png"
    png.parent.mkdir(parents=True, exist_ok=True)
    png.write_bytes(b"\x89PNG\r\n\x1a\n")
    response = fetcher.fetch(png.as_uri())
    assert response.content_type == "image/png" and response.read().startswith(b"\x89PNG")


def test_it_allows_data_uris(fetcher: SafeURLFetcher) -> None:
    encoded = base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").decode()
    response = fetcher.fetch(f"data:image/svg+xml;base64,{encoded}")
    assert response.content_type == "image/svg+xml"
    assert response.read().startswith(b"<svg")
    plain = fetcher.fetch("data:text/css,p%20%7B%20color%3A%20red%20%7D")
    assert plain.read() == b"p { color: red }"


def test_the_roots_are_the_static_folders_and_media(media_root: Path) -> None:
    roots = set(document.project_roots())
    assert Path(settings.STATIC_ROOT) in roots and media_root in roots
    assert document.static_base() in {Path(p) for p in settings.STATICFILES_DIRS}


def test_an_old_style_fetcher_is_not_what_we_give_weasyprint(fetcher: SafeURLFetcher) -> None:
    """WeasyPrint 70 takes a URLFetcher subclass; a function returning a dict fails there."""
    from weasyprint.urls import URLFetcher

    assert isinstance(fetcher, URLFetcher)
