"""Not a CSV (SPEC §5): a workbook imports like CSV; anything else binary gets one sentence,
and so does a line wider than any table."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")


def names(cli) -> list[str]:
    return sorted(lead["name"] for lead in json.loads(cli("lead", "list", "--json").stdout))


def _workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Contacts"
    first.append(["Export of 2026-11-20"])  # a title line above the header
    first.append(["First Name", "Last Name", "Email*", "Phone Number", "Country", "Met"])
    first.append(["Ana", "Ruiz", "ana@x.es", 612345678, "España", date(2026, 11, 3)])
    first.append(["Jane", "Roe", "jane@x.com", "(212) 555-0142", "United States", None])
    second = book.create_sheet("Fair")
    second.append(["Name", "Email"])
    second.append(["Luis Gil", "luis@x.es"])
    book.save(path)
    return path


def test_a_workbook_imports_like_a_csv(cli, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "hubspot.xlsx")
    result = cli("lead", "import", str(path), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["imported"], summary["encoding"]) == (2, "xlsx")
    leads = {x["name"]: x for x in json.loads(cli("lead", "list", "--json").stdout)}
    assert leads["Ana Ruiz"]["phone_e164"] == "+34612345678"  # a number cell, not 612345678.0
    assert leads["Jane Roe"]["timezone"] == "America/New_York"


def test_sheet_chooses_the_sheet(cli, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "book.xlsx")
    assert cli("lead", "import", str(path), "--sheet", "Fair").exit_code == 0
    assert names(cli) == ["Luis Gil"]
    missing = cli("lead", "import", str(path), "--sheet", "Nope")
    assert missing.exit_code == 1  # like call import's: a name the file does not hold
    assert "has no sheet 'Nope' (its sheets: 'Contacts', 'Fair')" in missing.stderr


def _calls_workbook(path: Path) -> Path:
    """Ana's calls from another tool: this week's on the first sheet, an older one on the
    second; the dates as the spreadsheet's own date cells and as text."""
    book = openpyxl.Workbook()
    week = book.active
    week.title = "This week"
    week.append(["E-mail", "Date", "Disposition", "Notes", "Duration"])
    week.append(["ana@innova.es", datetime(2026, 11, 23, 16, 40), "Left voicemail", None, None])
    week.append(["ana@innova.es", "24/11/2026 10:00", "Connected", "asked about pricing", 272])
    older = book.create_sheet("October")
    older.append(["E-mail", "Date", "Disposition"])
    older.append(["ana@innova.es", datetime(2026, 10, 14, 9, 15), "No answer"])
    book.save(path)
    return path


@pytest.fixture
def ana(cli) -> None:
    added = cli("lead", "add", "Ana Martínez", "--phone", "612 345 678", "--email",
                "ana@innova.es")  # fmt: skip
    assert added.exit_code == 0, added.output


def calls_of_ana(cli) -> list[tuple[str, str]]:
    shown = cli("lead", "show", "ana", "--json", "--at", "2026-11-25 07:50")
    return [(c["at"], c["outcome"]) for c in json.loads(shown.stdout)["calls"]]


def test_call_import_reads_a_workbooks_first_sheet(cli, ana, tmp_path: Path) -> None:
    path = _calls_workbook(tmp_path / "calls.xlsx")
    result = cli("call", "import", str(path), "--json", "--at", "2026-11-25 07:50")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["imported"] == 2
    assert calls_of_ana(cli) == [
        ("2026-11-24T10:00:00+01:00", "connected"),
        ("2026-11-23T16:40:00+01:00", "voicemail"),  # a date cell, read in the user's zone
    ]


def test_call_import_sheet_chooses_the_sheet(cli, ana, tmp_path: Path) -> None:
    path = _calls_workbook(tmp_path / "calls.xlsx")
    result = cli("call", "import", str(path), "--sheet", "October", "--at", "2026-11-25 07:50")
    assert result.exit_code == 0, result.output
    assert calls_of_ana(cli) == [("2026-10-14T09:15:00+02:00", "no-answer")]


@pytest.mark.parametrize("command", ["lead", "call"])
def test_an_unknown_sheet_names_the_sheets_there_are(cli, tmp_path: Path, command: str) -> None:
    path = _calls_workbook(tmp_path / "calls.xlsx")
    result = cli(command, "import", str(path), "--sheet", "November")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "calls.xlsx has no sheet 'November' (its sheets: 'This week', 'October')."
    ]


def test_a_workbook_from_standard_input(cli, tmp_path: Path) -> None:
    data = _workbook(tmp_path / "in.xlsx").read_bytes()
    from typer.testing import CliRunner

    from warmcall.cli.app import app

    result = CliRunner().invoke(
        app, ["lead", "import", "-", "--at", "2026-11-25 07:50"], input=data
    )
    assert result.exit_code == 0, result.output
    assert names(cli) == ["Ana Ruiz", "Jane Roe"]


@pytest.mark.skipif(not Path("/bin/ls").exists(), reason="needs /bin/ls")
def test_a_program_is_one_sentence(cli, tmp_path: Path) -> None:
    result = cli("lead", "import", "/bin/ls")
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line == (
        "ls is not a CSV file but a program; export the data as CSV or as an Excel workbook "
        "(.xlsx)."
    )
    assert cli("call", "import", "/bin/ls").exit_code == 1


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "a PDF document"),
        (b"name,email\nAna,\x00\x01\x02\x03ana@x.es\x00\n", "binary data"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "an image"),
    ],
)
def test_other_binaries_are_one_sentence(cli, tmp_path: Path, data: bytes, kind: str) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(data)
    result = cli("lead", "import", str(path))
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert f"file.csv is not a CSV file but {kind};" in line and len(line) < 120


def test_a_zip_that_is_no_workbook(cli, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("leads.csv", "name\nAna\n")
    result = cli("lead", "import", str(path))
    assert result.exit_code == 1 and "is not a CSV file but a zip archive" in result.stderr


def test_a_five_million_column_line_is_one_short_sentence(cli, tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes(b"c," * 5_000_000 + b"c\n")
    for command in (("lead", "import"), ("call", "import")):
        result = cli(*command, str(path))
        assert result.exit_code == 1
        (line,) = result.stderr.strip().splitlines()
        assert len(line) < 200 and "5,000,001 columns" in line


def test_messages_cap_the_columns_they_list(cli, tmp_path: Path) -> None:
    path = tmp_path / "nameless.csv"
    path.write_text(",".join(f"column number {i} with a long long long name" for i in range(500)))
    result = cli("lead", "import", str(path))
    assert result.exit_code == 1 and "and 488 more" in result.stderr
    assert len(result.stderr) < 1000


def test_sheet_on_a_csv_is_a_usage_error(cli, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("name\nAna\n")
    result = cli("lead", "import", str(path), "--sheet", "One")
    assert result.exit_code == 2 and "--sheet is for workbooks" in result.stderr


def test_a_copy_of_the_program_by_another_name(cli, tmp_path: Path) -> None:
    if not Path("/bin/ls").exists():
        pytest.skip("needs /bin/ls")
    path = tmp_path / "leads.csv"
    shutil.copy("/bin/ls", path)
    result = cli("lead", "import", "-", input=path.read_bytes())
    assert result.exit_code == 1 and "standard input is not a CSV file but a program" in (
        result.stderr
    )
