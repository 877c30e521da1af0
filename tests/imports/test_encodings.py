"""Encodings by a real detector (SPEC §5): a file whose encoding cannot be trusted is refused
with a sentence, never imported as mojibake; ``--encoding`` takes text encodings only."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from warmcall.errors import InvalidData, UsageError
from warmcall.imports.source import detect_encoding, open_csv

ADDRESS_BOOK = "氏名,電話\n名無し 権兵衛,090-1234-5678\n"  # a Shift-JIS address book
JAPANESE = (
    "名前,電話,メール\n山田 太郎,03-1234-5678,taro@example.jp\n"
    "佐藤 花子,06-9876-5432,hanako@example.jp\n"
)


def names(cli) -> list[str]:
    return sorted(lead["name"] for lead in json.loads(cli("lead", "list", "--json").stdout))


def test_an_untrustworthy_verdict_is_refused(cli, tmp_path: Path) -> None:
    path = tmp_path / "agenda.csv"
    path.write_bytes(ADDRESS_BOOK.encode("shift_jis"))
    result = cli("lead", "import", str(path))
    assert result.exit_code == 1 and names(cli) == []
    (line,) = result.stderr.strip().splitlines()
    assert "agenda.csv is not UTF-8, and its encoding cannot be told for sure" in line
    assert "--encoding" in line and "Traceback" not in result.output
    given = cli("lead", "import", str(path), "--encoding", "shift_jis", "--map", "氏名=name")
    assert given.exit_code == 0, given.output
    assert names(cli) == ["名無し 権兵衛"]


def test_a_clear_verdict_reads_the_file(cli, tmp_path: Path) -> None:
    path = tmp_path / "jp.csv"
    path.write_bytes(JAPANESE.encode("shift_jis"))
    result = cli("lead", "import", str(path), "--json", "--map", "名前=name")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["encoding"] in ("cp932", "shift_jis")
    assert names(cli) == ["佐藤 花子", "山田 太郎"]


@pytest.mark.parametrize(
    "text",
    [
        "Nombre;Empresa;Teléfono\nMaría Pérez;Construcciones Ñandú;912345678\n",
        "name\nZoë O’Reilly\n",
        "name,company\nFrançois Müller,Café Señor\n",
    ],
)
def test_western_legacy_files_are_cp1252(text: str) -> None:
    data = text.encode("cp1252")
    assert detect_encoding(data) == "cp1252"
    source = open_csv(io.BytesIO(data), "t.csv")
    assert [c for _, cells in source.rows() for c in cells] == [
        c for line in text.splitlines() for c in line.split(source.delimiter)
    ]


def test_the_fast_paths_stay(tmp_path: Path) -> None:
    assert detect_encoding("name\nZoë\n".encode()) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbfname\n") == "utf-8-sig"
    assert detect_encoding("name\nZoë\n".encode("utf-16")) == "utf-16"
    with pytest.raises(InvalidData, match="--encoding"):
        detect_encoding(ADDRESS_BOOK.encode("shift_jis"), "agenda.csv")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("hex", "not a text encoding"),
        ("rot13", "not a text encoding"),
        ("klingon", "not an encoding Python knows"),
    ],
)
def test_encoding_takes_text_codecs_only(cli, tmp_path: Path, name: str, words: str) -> None:
    path = tmp_path / "a.csv"
    path.write_text("name\nAna\n")
    for command in (("lead", "import"), ("call", "import")):
        result = cli(*command, str(path), "--encoding", name)
        assert result.exit_code == 2, result.output
        (line,) = result.stderr.strip().splitlines()
        assert words in line and "Traceback" not in result.output
    with pytest.raises(UsageError):
        open_csv(io.BytesIO(b"name\nAna\n"), "a.csv", name)


@pytest.mark.parametrize(
    ("name", "exit_code", "words"),
    [
        ("utf-16", 1, "--encoding utf-16-le or utf-16-be"),  # no byte-order mark
        ("utf-32", 1, "--encoding utf-32-le or utf-32-be"),
        ("idna", 2, "an encoding for names, not for files"),
        ("punycode", 2, "an encoding for names, not for files"),
    ],
)
def test_an_encoding_the_file_cannot_be_read_in_is_one_sentence(
    cli, tmp_path: Path, name: str, exit_code: int, words: str
) -> None:
    """Issue 20: each ended in "internal error"."""
    path = tmp_path / "a.csv"
    path.write_text("name,email\nAna,ana@x.es\n")
    for command in (("lead", "import"), ("call", "import")):
        result = cli(*command, str(path), "--encoding", name)
        assert result.exit_code == exit_code, result.output
        (line,) = result.stderr.strip().splitlines()
        assert words in line and "internal error" not in line
    assert names(cli) == []


def test_utf16_with_its_byte_order_named_reads_the_file(cli, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("name,email\nZoë,zoe@x.es\n".encode("utf-16-le"))
    assert cli("lead", "import", str(path), "--encoding", "utf-16-le").exit_code == 0
    assert names(cli) == ["Zoë"]
