"""The only way WeasyPrint reaches a resource while it renders a roadmap.

WeasyPrint's own fetcher opens any `file://` URL and fetches http(s), following redirects: a
`<img src="file:///etc/passwd">` or `<a rel="attachment" href="file:///…">` would put a local
file into the PDF, and a URL would make the worker call the network (the instance metadata
service, say). The roadmap's HTML is ours and autoescaped, so user text cannot add such tags;
this fetcher is the second wall in case it ever does. It allows `data:` URIs and files under
the project's own static folders and MEDIA_ROOT, and raises for anything else, which makes
WeasyPrint skip the resource.
"""

from __future__ import annotations

import base64
import mimetypes
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

# Far above any stylesheet or diagram of ours; stops a hostile document from making the worker
# read or decode something huge.
MAX_BYTES = 20 * 1024 * 1024


class UnsafeURL(ValueError):
    """A URL the roadmap renderer refuses to fetch. WeasyPrint logs it and skips the resource."""


class SafeURLFetcher(URLFetcher):
    """WeasyPrint 70's fetcher API: a `URLFetcher` subclass overriding `fetch`.

    `roots` are the folders whose files may be read; symbolic links and `..` are resolved
    before the check, so neither leads out of them.
    """

    def __init__(self, roots: Iterable[Path | str], **kwargs: Any) -> None:
        # No redirects and no protocols but these two, even if `fetch` below is bypassed.
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, **kwargs)
        self.roots = tuple(Path(os.path.realpath(root)) for root in roots)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._data(url)
        if scheme == "file":
            return self._file(url)
        raise UnsafeURL(f"Refused to fetch {url[:100]!r}: only data: URIs and project files.")

    def _data(self, url: str) -> URLFetcherResponse:
        header, comma, payload = url[len("data:") :].partition(",")
        if not comma:
            raise UnsafeURL("A data: URI without data.")
        if len(payload) > MAX_BYTES * 4 // 3 + 4:
            raise UnsafeURL("A data: URI larger than the roadmap allows.")
        params = header.split(";")
        mime = params[0].strip() or "text/plain"
        if "base64" in (p.strip().lower() for p in params[1:]):
            try:
                body = base64.b64decode(unquote(payload), validate=False)
            except ValueError as error:
                raise UnsafeURL(f"A data: URI that is not base64: {error}") from error
        else:
            body = unquote_to_bytes(payload)
        return URLFetcherResponse(url, body, headers={"Content-Type": mime})

    def _file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise UnsafeURL(f"Refused a file on another host: {url[:100]!r}")
        path = Path(os.path.realpath(unquote(parts.path)))
        if not any(path.is_relative_to(root) for root in self.roots):
            raise UnsafeURL(f"Refused a file outside the project's static and media: {path}")
        if not path.is_file():
            raise UnsafeURL(f"No such file: {path}")
        if path.stat().st_size > MAX_BYTES:
            raise UnsafeURL(f"A file larger than the roadmap allows: {path}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), headers={"Content-Type": mime})
