"""The CSV grammar enforced: a line it cannot read is an invalid row with its line number,
never merged into the rows after it (SPEC §5)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import NOW
from tests.imports.files import load
from warmcall import leads
from warmcall.config import Config
from warmcall.imports import calls as call_import
from warmcall.imports.source import Broken, open_csv
from warmcall.store.db import Database

STRAY = 'name,company,email\n"Ana,Acme,ana@x.es\nBob,Beta,bob@x.es\nCarla,Cosa,carla@x.es\n'
STRAY_CLOSED = (  # the quote left open is closed by chance further down
    'name,company,email\n"Ana,Acme,ana@x.es\nBob,Beta,bob@x.es"\nCarla,Cosa,carla@x.es\n'
)
BARE_CR = "name,company,email\nAna,Ac\rme,ana@x.es\nBob,Beta,bob@x.es\n"


@pytest.mark.parametrize(
    ("text", "bad", "kept"),
    [
        (STRAY, [2], {"Bob": "bob@x.es", "Carla": "carla@x.es"}),
        (STRAY_CLOSED, [2, 3], {"Carla": "carla@x.es"}),  # the closing quote is stray too
    ],
)
def test_a_stray_quote_is_an_invalid_line(
    store: Database, config: Config, text: str, bad: list[int], kept: dict[str, str]
) -> None:
    result = load(store, config, text)
    assert not result.written and leads.find(store) == []
    assert [e.line for e in result.errors] == bad
    assert "quote" in result.errors[0].reason
    result = load(store, config, text, skip_invalid=True)
    assert (result.imported, result.rejected) == (len(kept), len(bad))
    assert {lead.name: lead.email for lead in leads.find(store)} == kept


def test_a_bare_carriage_return_never_shifts_columns(store: Database, config: Config) -> None:
    result = load(store, config, BARE_CR, skip_invalid=True)
    assert [(e.line, "carriage return" in e.reason) for e in result.errors] == [(2, True)]
    assert {lead.name: lead.company for lead in leads.find(store)} == {"Bob": "Beta"}


def test_quoted_newlines_and_carriage_returns_stay_in_their_cell(
    store: Database, config: Config
) -> None:
    text = 'name,notes,email\r\nAna,"line one\r\nline two",ana@x.es\r\nBob,"a\rb",bob@x.es\r\n'
    result = load(store, config, text)
    assert (result.imported, result.rejected) == (2, 0)
    notes = {lead.name: lead.context for lead in leads.find(store)}  # no context column
    assert notes == {"Ana": "line one\r\nline two", "Bob": "a\rb"}


def test_a_file_with_old_mac_line_ends_is_read(store: Database, config: Config) -> None:
    result = load(store, config, "name,email\rAna,ana@x.es\rBob,bob@x.es\r")
    assert (result.imported, result.rejected) == (2, 0)


# Cells with delimiters and spaces but no quotes or line breaks of their own: with those, a
# quote put before a line can make another line that is valid CSV, which no reader can tell.
# No control characters either: text full of them is binary data, refused as a whole.
_CELL = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters='"'),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(_CELL, min_size=3, max_size=3), min_size=2, max_size=8),
    st.data(),
)
def test_a_stray_quote_costs_its_own_line_only(rows: list[list[str]], data: st.DataObject) -> None:
    """Any CSV a writer makes reads back exactly; a quote put before one of its lines makes
    that line broken and leaves every other record as it was."""
    rows = [["h1", "h2", "h3"], *rows]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    text = out.getvalue()
    source = open_csv(io.BytesIO(text.encode()), "t.csv")
    source.width = 3
    got = [cells for _, cells in source.rows()]
    assert got == rows
    k = data.draw(st.integers(1, len(rows) - 1))
    records = list(_records_with_stray_quote(rows, k))
    broken = [r for r in records if isinstance(r, Broken)]
    kept = [cells for r in records if not isinstance(r, Broken) for cells in (r[1],)]
    assert broken, "the stray quote must be seen"
    assert kept == [r for i, r in enumerate(rows) if i != k]


def _records_with_stray_quote(rows: list[list[str]], k: int):  # type: ignore[no-untyped-def]
    lines = []
    for i, row in enumerate(rows):
        out = io.StringIO()
        csv.writer(out).writerow(row)
        lines.append(('"' if i == k else "") + out.getvalue())
    source = open_csv(io.BytesIO("".join(lines).encode()), "t.csv")
    source.width = 3
    return source.records()


def test_call_import_reads_the_grammar_the_same_way(
    store: Database, config: Config, tmp_path: Path
) -> None:
    for name, email in (("Ana", "ana@x.es"), ("Bob", "bob@x.es")):
        leads.add(store, leads.LeadBuilder(config).build({"name": name, "email": email}), NOW)
    text = (
        "email,date,outcome\n"
        '"ana@x.es,2026-11-20 10:00,connected\n'
        "bob@x.es,2026-11-20 11:00,voicemail\n"
    )
    path = tmp_path / "calls.csv"
    path.write_text(text)
    with (
        call_import.open_source(str(path)) as (source, size),
        pytest.raises(call_import.ImportRejected, match="line 2: a quote"),
    ):
        call_import.import_calls(store, source, config, NOW, size=size)
    with call_import.open_source(str(path)) as (source, size):
        result = call_import.import_calls(store, source, config, NOW, size=size, skip_invalid=True)
    assert (result.imported, result.rejected) == (1, 1)
    assert [r.line for r in result.errors] == [2]


def test_the_cli_names_the_broken_line(cli, tmp_path: Path) -> None:
    path = tmp_path / "stray.csv"
    path.write_text(STRAY)
    result = cli("lead", "import", str(path))
    assert result.exit_code == 1
    assert "line 2: a quote opened on this line is never closed" in result.stderr
    assert json.loads(cli("lead", "list", "--json").stdout) == []
    result = cli("lead", "import", str(path), "--skip-invalid")
    assert result.exit_code == 0 and "2 new" in result.stdout and "1 rejected" in result.stdout
