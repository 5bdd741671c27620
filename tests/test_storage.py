"""Files in an object store: web and workers on different hosts share a private bucket.

moto's in-process mock stands in for S3 (`make smoke` runs the same against moto's server,
with real processes). Each host has its own media folder; neither ever holds a file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.test import Client
from django.urls import reverse
from moto import mock_aws

from journeys import roadmap
from journeys.jobs import diagrams
from journeys.jobs import exports as export_jobs
from journeys.models import Diagram, Export, Journey
from journeys.tasks import export_roadmap
from tests.conftest import save_all_milestones, share_link

BUCKET = "planner-files"
S3 = "storages.backends.s3.S3Storage"


@pytest.fixture
def bucket(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A private bucket as the default storage; the S3 client, to look inside."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    settings.PRICING_SOURCE = "snapshot"  # the fake credentials must not make it ask AWS
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.AWS_STORAGE_BUCKET_NAME = BUCKET
        settings.AWS_S3_REGION_NAME = "us-east-1"
        settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": S3}}
        yield client


def objects(client: Any) -> list[str]:
    listing = client.list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_settings_choose_the_bucket_only_when_one_is_named(settings: Any) -> None:
    assert settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")


def test_a_pdf_rendered_by_a_worker_whose_media_folder_differs_downloads_through_the_web(
    bucket: Any, settings: Any, tmp_path: Path, journey: Journey, viewer: User
) -> None:
    worker_media, web_media = tmp_path / "worker-media", tmp_path / "web-media"
    settings.MEDIA_ROOT = worker_media  # the worker's host
    export = export_jobs.request_export(journey, None, roadmap.live_selection(), queue=False)
    export_roadmap.run(export.pk)  # WeasyPrint, diagrams and estimates for real
    export.refresh_from_db()
    assert export.status == Export.DONE, export.reason

    settings.MEDIA_ROOT = web_media  # the web's host
    response = signed_in(viewer).get(
        reverse("journeys:export_download", args=[journey.pk, export.pk])
    )
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF-") and len(pdf) == export.size_bytes
    assert export.file.name in objects(bucket)
    assert files_under(worker_media) == [] and files_under(web_media) == []


def test_diagram_files_come_from_the_bucket_under_the_strict_policy(
    bucket: Any, journey: Journey, editor: User
) -> None:
    client = signed_in(editor)
    client.get(reverse("journeys:stage_diagram", args=[journey.pk, "launch"]))
    diagram = Diagram.objects.get(journey=journey, stage="launch")
    diagrams.render(diagram.pk)
    diagram.refresh_from_db()
    response = client.get(reverse("journeys:diagram_file", args=[journey.pk, diagram.pk, "svg"]))
    assert response.status_code == 200
    assert response.content.startswith(b"<?xml") or b"<svg" in response.content[:500]
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert diagram.svg.name in objects(bucket)


def test_nothing_in_the_bucket_is_public(bucket: Any, journey: Journey) -> None:
    name = default_storage.save("roadmaps/probe.pdf", ContentFile(b"%PDF-1.7"))
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=name)["Grants"]
    assert all("AllUsers" not in str(grant.get("Grantee", {})) for grant in grants)
    assert "X-Amz-Signature" in default_storage.url(name)


def test_with_redirects_the_download_goes_to_a_short_lived_presigned_url_after_the_check(
    bucket: Any, settings: Any, journey: Journey, viewer: User, outsider: User
) -> None:
    settings.DOWNLOAD_REDIRECT = True
    settings.AWS_QUERYSTRING_EXPIRE = 60
    export = export_jobs.request_export(journey, None, roadmap.live_selection(), queue=False)
    export.file.save("probe.pdf", ContentFile(b"%PDF-1.7 probe"), save=False)
    export.status = Export.DONE
    export.save()
    url = reverse("journeys:export_download", args=[journey.pk, export.pk])

    assert signed_in(outsider).get(url).status_code == 404
    response = signed_in(viewer).get(url)
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "attachment" in query["response-content-disposition"][0]
    assert query["response-content-type"] == ["application/pdf"]


def test_a_file_missing_from_the_bucket_is_not_found_with_the_reason(
    bucket: Any, journey: Journey, viewer: User
) -> None:
    export = export_jobs.request_export(journey, None, roadmap.live_selection(), queue=False)
    Export.objects.filter(pk=export.pk).update(status=Export.DONE, file="roadmaps/gone.pdf")
    response = signed_in(viewer).get(
        reverse("journeys:export_download", args=[journey.pk, export.pk])
    )
    assert response.status_code == 404


def test_a_share_link_downloads_the_pdf_from_the_bucket(
    bucket: Any, journey: Journey, editor: User
) -> None:
    milestones = save_all_milestones(journey, editor)
    link = share_link(journey, editor)
    export = Export.objects.create(
        journey=journey,
        page_size="A4",
        status=Export.DONE,
        selection={stage: m.number for stage, m in milestones.items()},
    )
    export.file.save("shared.pdf", ContentFile(b"%PDF-1.7 shared"))
    response = Client().get(reverse("reviews:shared_export", args=[link.token]))
    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert b"".join(response.streaming_content) == b"%PDF-1.7 shared"
    assert response["Cache-Control"] == "private, no-store"
