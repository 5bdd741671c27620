"""A broken catalogue fails `manage.py check` with the file, the question and the problem."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from journeys import catalog


@pytest.fixture
def broken_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "catalogue"
    shutil.copytree(catalog.DATA_DIR, folder)
    growth = folder / "growth.toml"
    growth.write_text(growth.read_text().replace('id = "peak_rps"', 'id = "peak_rps_typo"', 1))
    monkeypatch.setattr(catalog, "DATA_DIR", folder)
    catalog.get.cache_clear()
    yield folder
    monkeypatch.undo()
    catalog.get.cache_clear()


def test_the_shipped_catalogue_passes_the_check() -> None:
    call_command("check")


def test_a_broken_catalogue_fails_the_check_with_file_and_question(
    broken_catalogue: Path,
) -> None:
    with pytest.raises(SystemCheckError) as error:
        call_command("check")
    assert "growth.toml" in str(error.value)
    assert "peak_rps" in str(error.value)


def test_import_refuses_a_team_that_is_not_a_slug(tmp_path: Path, db: None) -> None:
    path = tmp_path / "j.json"
    path.write_text("{}")
    with pytest.raises(CommandError, match="not a team slug"):
        call_command("import_journey", str(path), "--team", "no spaces please")
