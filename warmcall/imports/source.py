"""Where an import's rows come from: a file or standard input, its encoding and delimiter,
and the rows the CSV grammar reads from it, each with the line it starts on.

The grammar is enforced, never guessed around: a line it cannot read (a quote opened and
never closed, text after a closing quote, a bare carriage return inside an unquoted cell) is
handed on as a ``Broken`` row with its line number, and the lines after it are read again on
their own, so a stray quote never swallows the rows below it.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from warmcall.errors import InvalidData, NotFound, UsageError, Word

SAMPLE_BYTES = 64 * 1024  # enough to see the encoding, the delimiter and the header
MAX_CELL = 1_048_576  # characters a cell may hold, unless the configuration says otherwise
DELIMITERS = (",", ";", "\t")
HEADER_SEARCH = 20  # rows above the header that may be a title or notes
FALLBACK = "warmcall-cp1252"  # error handler: a stray byte in UTF-8 text is read as cp1252


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 in a mostly UTF-8 file: read them as cp1252 (else Latin-1)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    chunk = exc.object[exc.start : exc.end]
    return "".join(_cp1252_char(b) for b in chunk), exc.end


def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


codecs.register_error(FALLBACK, _cp1252_fallback)


def detect_encoding(sample: bytes, name: str = "The file") -> str:
    """The encoding of a file from its first bytes (a bounded sample: the file streams).

    Fast paths first: a BOM says it; UTF-16 without one shows as NUL bytes in every other
    place; UTF-8 if the sample decodes. Anything else goes to a real detector
    (charset-normalizer), whose verdict is taken only when it can be trusted: cp1252 when it
    is among the readings with the least mess (the Western legacy encoding Excel writes),
    else one reading alone, with little mess and text that looks like a language. Otherwise
    InvalidData: importing a guess would store mojibake as names.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(sample) >= 4 and sample.count(0) * 3 > len(sample):
        return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return _detected(sample, name)
    return "utf-8"


MESS_TIE = 0.02  # readings this close in mess are equally likely
MOST_MESS = 0.1  # charset-normalizer's chaos: above this a reading is noise
LEAST_COHERENCE = 0.1  # below this the text looks like no language


def _detected(sample: bytes, name: str) -> str:
    from charset_normalizer import from_bytes

    readings = list(from_bytes(sample))
    if readings:
        least = min(r.chaos for r in readings)
        ties = [r for r in readings if r.chaos <= least + MESS_TIE]
        if any("cp1252" in r.could_be_from_charset for r in ties):
            return "cp1252"
        (only, *others) = ties
        if not others and only.chaos <= MOST_MESS and only.coherence >= LEAST_COHERENCE:
            return only.encoding
        guesses = " or ".join(dict.fromkeys(r.encoding for r in ties[:3]))
        raise InvalidData(
            "{name} is not UTF-8, and its encoding cannot be told for sure (it "
            "reads as {guesses}); name it with --encoding (for example --encoding "
            "{encoding}) or save the file as UTF-8.",
            name=name,
            guesses=guesses,
            encoding=ties[0].encoding,
        )
    raise InvalidData(
        "{name} is not UTF-8 and reads as no encoding we know; name it with "
        "--encoding or save the file as UTF-8.",
        name=name,
    )


# Text codecs for one name or word, not for a file: ``idna`` refuses the error handling a
# file needs, ``punycode`` reads no line of a CSV.
NOT_FOR_FILES = frozenset({"idna", "punycode"})
_PROBE = "name,email\r\nAna,ana@example.com\r\n"
_BOMS = {"utf-16": (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE),
         "utf-32": (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)}  # fmt: skip


def text_codec(encoding: str) -> str:
    """The codec ``--encoding`` names, if it decodes a file's bytes to text; UsageError
    otherwise (``hex``, ``base64``, ``rot13`` are codecs, not text encodings; ``idna`` is
    one for domain names)."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise UsageError(
            "--encoding {encoding!r} is not an encoding Python knows.", encoding=encoding
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise UsageError(
            "--encoding {encoding!r} is not a text encoding; name one such as "
            "utf-8, cp1252 or shift_jis.",
            encoding=encoding,
        )
    if info.name in NOT_FOR_FILES or not _reads_files(info.name):
        raise UsageError(
            "--encoding {encoding!r} is an encoding for names, not for files; name one "
            "such as utf-8, cp1252 or shift_jis.",
            encoding=encoding,
        )
    return info.name


def _reads_files(codec: str) -> bool:
    """Whether the codec reads back a small CSV written in it, a piece at a time, with a
    bad byte replaced rather than fatal (as the import reads a file)."""
    try:
        data = _PROBE.encode(codec)
        return codecs.getincrementaldecoder(codec)("replace").decode(data, final=True) == _PROBE
    except (UnicodeError, LookupError, TypeError, ValueError):
        return False


@contextmanager
def cell_limit(characters: int) -> Iterator[None]:
    """The csv module's longest cell (one setting for the whole process) set for one
    reading, and put back after it."""
    before = csv.field_size_limit(characters)
    try:
        yield
    finally:
        csv.field_size_limit(before)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits most lines of the sample into the same number (> 1) of
    cells; a comma when none does (a one-column file)."""
    lines = text.splitlines(keepends=True)[:60]
    if len(lines) > 1:
        lines = lines[:-1]  # the sample may end inside a line
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        with cell_limit(max(MAX_CELL, len(text))):  # the sample: no cell is longer
            widths = Counter(len(r) for r in csv.reader(lines, delimiter=delimiter) if any(r))
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda wc: (wc[1], wc[0]))
        score = (count, width) if width > 1 else (0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class _Prefixed(io.RawIOBase):
    """A byte stream that first gives back the sample already read from it (standard input
    cannot seek), counting the bytes handed out for the progress bar."""

    def __init__(self, prefix: bytes, rest: IO[bytes]) -> None:
        self.prefix = memoryview(prefix)
        self.rest = rest
        self.done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.prefix:
            n = min(len(buffer), len(self.prefix))
            buffer[:n] = self.prefix[:n]
            self.prefix = self.prefix[n:]
        else:
            data = self.rest.read(len(buffer))
            n = len(data)
            buffer[:n] = data
        self.done += n
        return n


@dataclass(frozen=True)
class Broken:
    """A line the CSV grammar cannot read: an invalid row of its own."""

    line: int
    reason: str
    text: str  # the line as it was, for --rejects


Record = tuple[int, list[str]] | Broken

_UNCLOSED = Word(
    "a quote opened on this line is never closed (or text follows a closing quote): "
    "the line cannot be read as CSV"
)
_TOO_LONG = Word(
    "a cell starting on this line is longer than a cell may be ([imports] max_cell in the "
    "configuration), or a quote opened here is never closed"
)
_BARE_CR = Word(
    "a carriage return inside an unquoted cell would split this row in two: "
    "quote the cell or remove the character"
)


class _Stray(Exception):
    """A record the strict reader took but the grammar refuses; its lines are the args."""


def _grammar(delimiter: str) -> re.Pattern[str]:
    """RFC 4180's record: cells either quoted (a doubled quote inside) or free of quotes."""
    d = re.escape(delimiter)
    cell = rf'(?:"(?:[^"]|"")*"|[^"{d}\r\n]*)'
    return re.compile(rf"{cell}(?:{d}{cell})*(?:\r\n|\n|\r)?")


@dataclass
class CsvSource:
    """A CSV opened for streaming: its encoding, delimiter, and records with their line."""

    name: str
    encoding: str
    delimiter: str
    text: io.TextIOWrapper
    raw: _Prefixed
    width: int = 0  # the header's, once found: a record over lines must not fall short of it
    max_cell: int = MAX_CELL  # characters a cell may hold ([imports] max_cell)
    # The same file opened anew, from its first byte (``open_source``); None for a stream
    # that cannot be read twice (standard input, a pipe).
    again: Callable[[], Source] | None = field(default=None, repr=False)

    @property
    def bytes_read(self) -> int:
        return self.raw.done

    def records(self) -> Iterator[Record]:
        """``(line, cells)`` for each record, ``line`` being where it starts (1-based), or a
        ``Broken`` line; blank lines are skipped.

        Lines are fed to a strict ``csv.reader`` one at a time and kept until their record
        is complete; when the grammar fails, the record's first line is the broken one and
        the lines after it are read again by a new reader. A record with a quote inside an
        unquoted cell, or one over several lines with fewer cells than the header (or the
        widest record before it is known), is a quote left open that a later one closed by
        chance: broken too. A cell longer than ``max_cell`` is a broken line (it also stops a
        quote left open in a long file).
        """
        with cell_limit(self.max_cell):
            yield from self._records()

    def _records(self) -> Iterator[Record]:
        lines = iter(self.text)
        pending: list[str] = []  # lines to read again, before the rest of the file
        number = 0  # lines read into records so far
        grammar = _grammar(self.delimiter)
        widest = 0  # the most cells a record had, until the header's width is known
        try:
            while True:
                # The reader and a shadow of its lines, both C iterators: the shadow hands
                # over the lines of each record (to check, or to read again) at C speed.
                feed, shadow = itertools.tee(itertools.chain(pending, lines) if pending else lines)
                replaying = len(pending)
                reader = csv.reader(feed, delimiter=self.delimiter, strict=True)
                done = 0  # lines of this reader's records handed on
                try:
                    for cells in reader:
                        used = reader.line_num - done
                        done = reader.line_num
                        if used == 1:
                            line = next(shadow)
                            if '"' in line and not grammar.fullmatch(line):
                                raise _Stray(line)
                        else:
                            held = list(itertools.islice(shadow, used))
                            text = "".join(held)
                            if 0 < len(cells) < (self.width or widest) or not grammar.fullmatch(
                                text
                            ):
                                raise _Stray(*held)
                        if len(cells) > widest:
                            widest = len(cells)
                        start, number = number + 1, number + used
                        if cells:
                            yield start, cells
                    return
                except (csv.Error, _Stray) as exc:
                    if isinstance(exc, _Stray):
                        held = list(exc.args)
                    else:
                        held = list(itertools.islice(shadow, reader.line_num - done))
                    first, *rest = held or [""]
                    pending = (
                        rest + pending[reader.line_num :] if reader.line_num < replaying else rest
                    )
                    number += 1
                    said = str(exc)
                    reason = (
                        _BARE_CR
                        if "new-line character" in said
                        else _TOO_LONG
                        if "field larger than field limit" in said
                        else _UNCLOSED
                    )
                    yield Broken(number, reason, first.rstrip("\r\n"))
        except UnicodeError:  # a byte the encoding refuses, or a codec's own complaint
            raise InvalidData(
                "{name} is not {encoding} text (near line {value}); name its encoding "
                "with --encoding, or leave it out to detect it.",
                name=self.name,
                encoding=self.encoding,
                value=number + 1,
            ) from None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """The records the grammar reads, broken lines left out (for tests and tools that
        only want the cells)."""
        for record in self.records():
            if not isinstance(record, Broken):
                yield record


def open_csv(
    stream: IO[bytes],
    name: str,
    encoding: str | None = None,
    sheet: str | None = None,
    path: Path | None = None,
) -> Source:
    """Open a byte stream for streaming: a workbook by its first bytes (the first sheet, or
    ``sheet``), any other binary refused with one sentence, else CSV: encoding detected
    unless given, delimiter sniffed."""
    sample = stream.read(SAMPLE_BYTES)
    if not sample.strip():
        raise InvalidData("{name} is empty: there is no header to read.", name=name)
    kind = binary_kind(sample)
    if kind in WORKBOOKS:
        return open_workbook(path or io.BytesIO(sample + stream.read()), name, kind, sheet)
    if kind:
        raise InvalidData(
            "{name} is not a CSV file but {kind}; export the data as CSV or as an "
            "Excel workbook (.xlsx).",
            name=name,
            kind=kind,
        )
    if sheet:
        raise UsageError("--sheet is for workbooks; {name} is a CSV file.", name=name)
    given = bool(encoding)  # the user's word is taken: a bad byte is then a clear error
    if encoding:
        encoding, errors = text_codec(encoding), "strict"
        if encoding in _BOMS and not sample.startswith(_BOMS[encoding]):
            raise InvalidData(
                "{name} does not start with the byte-order mark --encoding {encoding} "
                "needs; name the byte order: --encoding {encoding}-le or {encoding}-be.",
                name=name,
                encoding=encoding,
            )
    else:
        encoding = detect_encoding(sample, name)
        # a stray byte further down a UTF-8 file is read as cp1252; cp1252's five unused
        # bytes become U+FFFD; any other detected encoding is strict
        errors = {"utf-8": FALLBACK, "cp1252": "replace"}.get(encoding, "strict")
    head = sample.decode(encoding, errors="replace").lstrip("\ufeff")
    if not given and _controls(head) * 20 > len(head):  # a twentieth is control characters
        raise InvalidData(
            "{name} is not a CSV file but binary data; export the data as CSV or "
            "as an Excel workbook (.xlsx).",
            name=name,
        )
    # Lines end at LF (CRLF keeps its CR for the grammar); a file with no LF at all ends its
    # lines with CR (an old Mac's).
    newline = "\r" if "\n" not in head and "\r" in head else "\n"
    raw = _Prefixed(sample, stream)
    buffered = io.BufferedReader(raw, SAMPLE_BYTES)
    text = io.TextIOWrapper(buffered, encoding, errors, newline=newline)
    return CsvSource(name, encoding, sniff_delimiter(head), text, raw)


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


def _controls(text: str) -> int:
    return len(_CONTROLS.findall(text))


WORKBOOKS = ("an Excel workbook", "an old Excel workbook (.xls)", "an OpenDocument spreadsheet")
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"\xcf\xfa\xed\xfe", "a program"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "an image"),
    (b"GIF8", "an image"),
    (b"\xff\xd8\xff", "an image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"SQLite format 3", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel workbook (.xls)"),
)


def binary_kind(sample: bytes) -> str | None:
    """What a file is, by its first bytes, when it is not text: a workbook or another
    binary; None for text (whatever its encoding)."""
    for magic, kind in MAGIC:
        if sample.startswith(magic):
            return kind
    if sample.startswith(b"PK\x03\x04"):  # a zip: a workbook holds its parts by name
        if b"xl/" in sample or b"[Content_Types].xml" in sample[:4096]:
            return "an Excel workbook"
        if b"opendocument.spreadsheet" in sample[:4096]:
            return "an OpenDocument spreadsheet"
        return "a zip archive"
    if sample.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if b"\x00" in sample and not (len(sample) >= 4 and sample.count(0) * 3 > len(sample)):
        # NUL bytes, and not UTF-16's every other byte. A stray NUL in a cell of a text
        # export is not binary (the store drops it); binary data is full of control bytes.
        controls = sum(sample.count(b) for b in CONTROL_BYTES)
        if controls > max(8, len(sample) // 100):
            return "binary data"
    return None


CONTROL_BYTES = [bytes([b]) for b in range(32) if b not in (9, 10, 12, 13)]


class WorkbookSource:
    """A workbook's sheet as rows of text cells, read by python-calamine.

    Measured on a 100,000-row sheet (six columns): calamine 3.6 s and 71 MB peak, openpyxl's
    streaming read-only mode 62 s and 33 MB. Calamine holds the sheet's values (not the
    file's XML) while the rows go through the import one at a time.
    """

    def __init__(self, name: str, kind: str, rows: Any, total: int, size: int) -> None:
        self.name = name
        self.encoding = {"an Excel workbook": "xlsx"}.get(kind, "workbook")
        self.delimiter = ""
        self.width = 0
        self.rows_iter = rows
        self.total = max(total, 1)
        self.size = size
        self.done = 0
        self.again: Callable[[], Source] | None = None  # as ``CsvSource.again``

    @property
    def bytes_read(self) -> int:
        """An estimate for the progress bar: the share of rows read, of the file's size."""
        return self.size * self.done // self.total

    def records(self) -> Iterator[Record]:
        for number, values in enumerate(self.rows_iter, start=1):
            self.done = number
            cells = [_cell_text(v) for v in values]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                yield number, cells

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        for record in self.records():
            if not isinstance(record, Broken):
                yield record


def _cell_text(value: Any) -> str:
    """A cell as a CSV export would write it: ``612345678.0`` → ``612345678``, a date in
    ISO 8601, a boolean as true or false."""
    from datetime import date, datetime, time

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def open_workbook(
    where: Path | IO[bytes], name: str, kind: str, sheet: str | None = None
) -> WorkbookSource:
    """The first sheet of a workbook, or the one named ``sheet``."""
    from python_calamine import CalamineWorkbook

    try:
        if isinstance(where, Path):
            book = CalamineWorkbook.from_path(str(where))
            size = where.stat().st_size
        else:
            size = len(where.getbuffer()) if isinstance(where, io.BytesIO) else 0
            book = CalamineWorkbook.from_filelike(where)
        names = list(book.sheet_names)
        if sheet is not None and sheet not in names:
            shown = ", ".join(repr(n[:40]) for n in names[:12])
            # a sheet the file lacks is a name not found in it, as a lead would be (exit 1)
            if len(names) > 12:
                raise NotFound(
                    "{name} has no sheet {sheet!r} (its sheets: {shown} and {more} more).",
                    name=name,
                    sheet=sheet,
                    shown=shown,
                    more=len(names) - 12,
                )
            raise NotFound(
                "{name} has no sheet {sheet!r} (its sheets: {shown}).",
                name=name,
                sheet=sheet,
                shown=shown,
            )
        if not names:
            raise InvalidData("{name} is a workbook with no sheet.", name=name)
        found = book.get_sheet_by_name(sheet) if sheet else book.get_sheet_by_index(0)
        return WorkbookSource(name, kind, found.iter_rows(), found.height, size)
    except (NotFound, InvalidData):
        raise
    except Exception as exc:  # calamine's own errors: a damaged or protected file
        raise InvalidData(
            "{name} cannot be read as {kind}: {detail}.",
            name=name,
            kind=kind,
            detail=str(exc)[:120],
        ) from None


Source = CsvSource | WorkbookSource


@contextmanager
def open_source(
    file: str, encoding: str | None = None, sheet: str | None = None
) -> Iterator[tuple[Source, int | None]]:
    """A CSV file or workbook, or ``-`` for standard input, opened for streaming; with its
    size in bytes when known."""
    import sys

    if file == "-":
        yield open_csv(sys.stdin.buffer, "standard input", encoding, sheet), None
        return
    path = Path(file)
    if path.is_dir():
        raise InvalidData("{file} is a folder; name a CSV file.", file=file)
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise NotFound(
            "Cannot read {file}: {value}.", file=file, value=exc.strerror or exc
        ) from None
    with stream:

        def anew() -> Source:
            stream.seek(0)
            source = open_csv(stream, path.name, encoding, sheet, path)
            source.again = anew
            return source

        first = open_csv(stream, path.name, encoding, sheet, path)
        first.again = anew if stream.seekable() else None
        yield first, path.stat().st_size
