"""Files with personal data are the user's alone: 0600, and 0700 for the folders warmcall
creates, whatever the umask; ``-o -`` is standard output, never a file named ``-``."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_importer import FIXTURES

AT = ("--at", "2026-11-25 07:50")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """A umask that would leave files world-readable (0644) if warmcall did not care."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def leads(cli) -> None:
    for name, phone in (("Ana Ruiz", "612 345 678"), ("Bea Sanz", "623 456 789")):
        added = cli("lead", "add", name, "--phone", phone, "--temperature", "hot", *AT)
        assert added.exit_code == 0, added.output


def test_config_init_writes_a_private_file_in_a_private_folder(cli, tmp_path, monkeypatch):
    path = tmp_path / "fresh" / "conf" / "config.toml"
    monkeypatch.setenv("WARMCALL_CONFIG", str(path))
    result = cli("config", "init")
    assert result.exit_code == 0, result.output
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700 and mode(path.parent.parent) == 0o700


def test_config_init_force_makes_an_old_readable_file_private(cli, tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text("")
    path.chmod(0o644)
    monkeypatch.setenv("WARMCALL_CONFIG", str(path))
    assert cli("config", "init", "--force").exit_code == 0
    assert mode(path) == 0o600


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_lead_export_to_a_file_is_private(cli, leads, tmp_path, fmt):
    path = tmp_path / "out" / f"leads.{fmt}"
    result = cli("lead", "export", "--format", fmt, "-o", str(path))
    assert result.exit_code == 0, result.output
    assert "Ana Ruiz" in path.read_text(encoding="utf-8")
    assert mode(path) == 0o600 and mode(path.parent) == 0o700


def test_lead_export_dash_is_standard_output(cli, leads, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("lead", "export", "-o", "-")
    assert result.exit_code == 0, result.output
    assert "Ana Ruiz" in result.stdout and "Bea Sanz" in result.stdout
    assert not (tmp_path / "-").exists()


def test_lead_import_rejects_file_is_private(cli, tmp_path):
    rejects = tmp_path / "rejects.csv"
    result = cli(
        "lead", "import", str(FIXTURES / "invalid_rows.csv"), "--skip-invalid",
        "--rejects", str(rejects), *AT,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "line" in rejects.read_text(encoding="utf-8")
    assert mode(rejects) == 0o600


def test_call_import_rejects_file_is_private(cli, leads, tmp_path):
    history = tmp_path / "calls.csv"
    history.write_text(
        "Phone,Date,Disposition,Notes\n"
        "612 345 678,23/11/2026 16:40,Left voicemail,\n"
        "699 999 999,24/11/2026 10:00,Connected,nobody we know\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "call-rejects.csv"
    result = cli("call", "import", str(history), "--skip-invalid", "--rejects", str(rejects), *AT)
    assert result.exit_code == 0, result.output
    assert rejects.exists() and mode(rejects) == 0o600


def test_next_ics_is_private(cli, leads, tmp_path):
    ics = tmp_path / "cal" / "today.ics"
    result = cli("next", "--ics", str(ics), *AT)
    assert result.exit_code == 0, result.output
    assert "BEGIN:VCALENDAR" in ics.read_text(encoding="utf-8")
    assert mode(ics) == 0o600 and mode(ics.parent) == 0o700
