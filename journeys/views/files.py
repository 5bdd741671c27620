"""Serving private files (roadmap PDFs, diagram files) after the view checked access.

Files live in the default storage: the local media folder, or a private bucket shared by the
web and the workers (settings.STORAGES). Nothing in the bucket is public: the file is streamed
through this process, or, with DOWNLOAD_REDIRECT on an object store, the reader is sent to a
presigned URL that expires after DOWNLOAD_URL_SECONDS (the object store then carries the bytes;
only for attachments, which a browser saves rather than shows).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

MISSING = "The file is missing from storage; make it again."


def presigns() -> bool:
    """Whether downloads are redirected to presigned URLs (an object store, and asked for)."""
    return settings.DOWNLOAD_REDIRECT and hasattr(default_storage, "bucket")


def attachment(file: FieldFile, filename: str, content_type: str) -> HttpResponseBase:
    """A private file as a download named `filename`; a 404 when it is not in storage."""
    name = file.name if file else ""
    if not name or not default_storage.exists(name):
        raise Http404(MISSING)
    if presigns():
        # django-storages' S3 storage takes the response headers the presigned URL sets.
        bucket_storage: Any = default_storage
        url = bucket_storage.url(
            name,
            parameters={
                "ResponseContentDisposition": content_disposition_header(True, filename) or "",
                "ResponseContentType": content_type,
            },
        )
        response: HttpResponseBase = HttpResponseRedirect(url)
        # The redirect holds a short-lived credential: never stored by a cache.
        response["Cache-Control"] = "private, no-store"
        return response
    try:
        handle = default_storage.open(name, "rb")
    except (OSError, ValueError) as missing:
        raise Http404(MISSING) from missing
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


def content(file: FieldFile) -> bytes:
    """A private file's bytes (small files served inline, e.g. a diagram's SVG)."""
    name = file.name if file else ""
    if not name or not default_storage.exists(name):
        raise Http404(MISSING)
    with default_storage.open(name, "rb") as handle:
        data: bytes = handle.read()
    return data
