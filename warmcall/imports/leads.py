"""``lead import``: leads from other tools' CSV exports, streamed into the store.

Real exports are messy: a BOM or UTF-16 from Excel, cp1252 bytes from an old Outlook, semicolons
from a Spanish spreadsheet, a title line above the header, quoted newlines, short rows, and a
dozen ways to say "e-mail". This module reads them as they come:

* the encoding is detected (BOM, UTF-16, UTF-8, else cp1252), the delimiter sniffed among
  ``,`` ``;`` and tab, and the header found below any preamble lines;
* headers are matched against the names other tools (and people) give our fields, in the
  languages they export in (``synonyms.py``: one table); first, middle and last names are
  joined; other tools' status,
  stage and lifecycle values that mean the same as ours are mapped, the rest become tags;
* every row goes through ``LeadBuilder``'s rules (one set of rules for a valid lead) straight
  into a row of the leads table, remembering the verdicts on the values a file repeats;
* phone numbers, the costliest part, are read a batch at a time by ``phone_worker``: in a
  second process, while this one checks the next batch, when the file is longer than a batch;
* rows are de-duplicated against the store and the file on lower-cased e-mail and E.164 phone
  (with a compatible name), one index look-up per batch and key (earlier batches are already
  in the table: the file's own people are found there, no row of it is kept); a person the
  file named before is merged into that lead, one the store knew is skipped or updated; rows
  are written as tuples inside one transaction that is rolled back when the import must not
  stand.

Memory does not grow with the file: rows are read one at a time and written in batches, and
no more than two batches are held at once.
"""

from __future__ import annotations

import bisect
import itertools
import json
import operator
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from warmcall import identity, leads, phones
from warmcall.clock import to_epoch
from warmcall.compliance.zones import settled
from warmcall.config import SUBDIVISION, Config
from warmcall.errors import InvalidData, StoreCrossed, UsageError, Word
from warmcall.identity import compatible_names
from warmcall.imports import pipeline
from warmcall.imports.countries import country_code, country_of_number
from warmcall.imports.headers import listed, locate, mapped_column, parse_map, undecorated
from warmcall.imports.pipeline import (  # noqa: F401  (Rejected: this room's API)
    Rejected,
    RejectsWriter,
    Tally,
)
from warmcall.imports.source import (  # noqa: F401  (open_csv and the rest: this room's API)
    HEADER_SEARCH,
    Broken,
    CsvSource,
    Record,
    Source,
    detect_encoding,
    open_csv,
    open_source,
    sniff_delimiter,
)
from warmcall.imports.synonyms import (  # noqa: F401  (SYNONYMS: this room's API)
    FALLBACK_RANK,
    SYNONYMS,
    header_key,
    recognise,
)
from warmcall.leads import CHECKED, EDITABLE, EMPTY, LeadBuilder, fold, split_tags
from warmcall.models import Lead, Segment, Stage, Status, Temperature
from warmcall.phones.worker import PhoneBatches
from warmcall.store.db import Database, padded_chunks, placeholders

BATCH = 1000

# --- headers -----------------------------------------------------------------------------

# ``--map COLUMN=FIELD`` targets: the lead's fields and the parts a name is made of.
MAP_FIELDS = (*EDITABLE, "first_name", "middle_name", "last_name", "dnc_reason", "country",
              "ignore")  # fmt: skip
_JOINED = ("first_name", "middle_name", "last_name")  # every non-empty one, in this order
_PERSON = frozenset({"name", *_JOINED})  # the columns that name the person
# known values mapped, the rest kept as tags (a CRM's "Region" may say EMEA: not a subdivision)
_LENIENT = ("stage", "status", "rating", "region")
# Cells read with more than ``_cell``: several contacts, placeholder addresses, salutations.
_CHECKED_CELLS = frozenset({*_LENIENT, "email", "phone", "title", "do_not_call", "dnc_reason"})

# Other tools' values that mean the same as ours (keys after ``_value_key``).
STAGE_VALUES: dict[str, Stage] = {
    **dict.fromkeys(("lead", "new lead", "nuevo lead"), Stage.LEAD),
    **dict.fromkeys(("mql", "marketing qualified lead", "marketing qualified",
                     "lead cualificado por marketing"), Stage.MQL),
    **dict.fromkeys(("pql", "product qualified lead", "product qualified"), Stage.PQL),
    **dict.fromkeys(("sql", "sales qualified lead", "sales qualified",
                     "lead cualificado por ventas"), Stage.SQL),
    **dict.fromkeys(("prospect", "prospecto", "opportunity", "oportunidad", "opportunite"),
                    Stage.PROSPECT),
    **dict.fromkeys(("customer", "cliente", "client"), Stage.CUSTOMER),
}  # fmt: skip
STATUS_VALUES: dict[str, Status] = {
    **dict.fromkeys(("active", "activo", "activa", "actif", "new", "nuevo", "open", "abierto",
                     "open not contacted", "working contacted", "working"), Status.ACTIVE),
    **dict.fromkeys(("won", "ganado", "closed won", "closed converted", "converted",
                     "convertido", "gagne"), Status.WON),
    **dict.fromkeys(("lost", "perdido", "closed lost", "closed not converted", "unqualified",
                     "disqualified", "descalificado", "perdu"), Status.LOST),
    **dict.fromkeys(("dnc", "do not call", "no llamar", "ne pas appeler"), Status.DNC),
}  # fmt: skip
TEMPERATURE_VALUES: dict[str, Temperature] = {
    **dict.fromkeys(("hot", "caliente", "chaud"), Temperature.HOT),
    **dict.fromkeys(("warm", "templado", "tibio", "tiede"), Temperature.WARM),
    **dict.fromkeys(("cold", "frio", "froid"), Temperature.COLD),
}
CONSENT_VALUES = {"formulario": "form", "ninguno": "none", "aucun": "none",
                  "cliente": "customer", "client": "customer"}  # fmt: skip
_MAPPED: dict[str, Mapping[str, Any]] = {
    "temperature": TEMPERATURE_VALUES,
    "consent": CONSENT_VALUES,
}
TRUE_VALUES = frozenset({"1", "true", "yes", "y", "x", "si", "oui", "verdadero", "vrai"})
PLACEHOLDER_TLDS = frozenset({"invalid", "test", "example", "localhost"})
SALUTATIONS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sr", "sra", "srta", "d", "dna", "mme",
     "mlle", "m", "herr", "frau"}
)  # fmt: skip

_PUNCT = re.compile(r"[^a-z0-9]+")
_SPLIT_TAGS = re.compile(r"\s*(?:,|:::)\s*")


def _value_key(text: str) -> str:
    return _PUNCT.sub(" ", fold(text)).strip()


def parse_maps(pairs: Sequence[str]) -> dict[str, str]:
    """``--map COLUMN=FIELD`` options naming a lead's fields (``headers.parse_map``)."""
    return parse_map(pairs, MAP_FIELDS, Word("lead field"))


@dataclass
class Header:
    """Which columns feed which field, decided once per file."""

    columns: list[str]
    targets: dict[str, list[int]]  # field → column indexes, best first
    line: int  # the line the header is on

    @classmethod
    def of(cls, columns: list[str], mapping: Mapping[str, str], line: int) -> Header:
        chosen: dict[int, tuple[str, int]] = {}
        for column, target in mapping.items():
            found = mapped_column(columns, column)
            if found is None:
                raise UsageError(
                    "--map names {column!r}, which is not a column of this file (its "
                    "columns: {listed}).",
                    column=column,
                    listed=listed(columns),
                )
            chosen[found] = (target, -1)
        for i, column in enumerate(columns):
            if i not in chosen and (hit := recognise(column)):
                chosen[i] = hit
        targets: dict[str, list[int]] = {}
        ranked = sorted(chosen.items(), key=lambda item: (item[1][1], item[0]))
        for i, (target, rank) in ranked:
            if rank < FALLBACK_RANK and target != "ignore":
                targets.setdefault(target, []).append(i)
        # a buyer's e-mail or name: only where no column gives the person's own (a whole
        # name stands for its parts, and any part for the whole)
        fed = set(targets) | ({*_JOINED} if "name" in targets else set())
        fed |= {"name"} if _names(targets) else set()
        for i, (target, rank) in ranked:
            if rank >= FALLBACK_RANK and target not in fed:
                targets.setdefault(target, []).append(i)
        # Free text about the contact is the context when nothing else is; else a note.
        about = targets.pop("about", [])
        if "context" not in targets and (about or "notes" in targets):
            targets["context"] = about or targets.pop("notes")
        elif about:
            targets.setdefault("notes", []).extend(about)
        # "Nombre" beside "Apellidos" (and no first-name column) is the first name.
        if "name" in targets and "last_name" in targets and "first_name" not in targets:
            targets["first_name"] = targets.pop("name")
        return cls(columns, targets, line)

    @property
    def names_a_person(self) -> bool:
        return _names(self.targets)

    def described(self) -> dict[str, str]:
        """Column → field, in the file's order (for the summary)."""
        pairs = {i: t for t, idxs in self.targets.items() for i in idxs}
        return {self.columns[i]: pairs[i] for i in sorted(pairs)}

    def ignored(self) -> list[str]:
        used = {i for idxs in self.targets.values() for i in idxs}
        return [c for i, c in enumerate(self.columns) if i not in used and c.strip()]


def _names(fields: Iterable[str]) -> bool:
    """Whether some column gives the person's name (whole, or in parts)."""
    return not _PERSON.isdisjoint(fields)


# --- rows to a header ---------------------------------------------------------------------


def find_header(
    records: Iterator[Record], mapping: Mapping[str, str], name: str
) -> tuple[Header, list[Record]]:
    """The header below any title or notes lines, and the records read past it.

    The header is the first of the top rows with a column we recognise (or ``--map``) and
    at least two non-empty cells, a row naming a person's name preferred; failing that,
    the first row with two.
    """
    seen: list[Record] = []
    for item in records:
        seen.append(item)
        if len(seen) >= HEADER_SEARCH:
            break
    rows = [cells for r in seen if not isinstance(r, Broken) for cells in (r[1],)]
    wide = max((len(cells) for cells in rows), default=0) > 1
    mapped = {undecorated(c): target for c, target in mapping.items()}

    def filled(cells: list[str]) -> int:
        return sum(1 for c in cells if c.strip())

    def known(cells: list[str]) -> set[str]:
        """The fields a row's cells name, when it may be a header."""
        if filled(cells) < (2 if wide else 1):
            return set()
        return {
            mapped.get(undecorated(c)) or hit[0]
            for c in cells
            if undecorated(c) in mapped or (hit := recognise(c))
        }

    # A meeting's summary above its participants (Zoom: the host's "User Email") names
    # nobody: the participants' header, which does, is the one. It names another field too
    # (a lone cell saying "Contact" is a value, not a header).
    names_people = [cells for cells in rows if _names(found := known(cells)) and len(found) > 1]
    line, columns, rest = locate(
        iter(seen),
        (lambda cells: cells in names_people) if names_people else lambda c: bool(known(c)),
        lambda cells: filled(cells) >= 2,
        name,
    )
    header = Header.of([undecorated(c) for c in columns], mapping, line)
    return header, rest


# --- rows to leads -------------------------------------------------------------------------


@dataclass
class _FileBuilder(LeadBuilder):
    """``LeadBuilder`` that remembers its verdicts on what a file repeats.

    E-mail addresses are cached by shape: email-validator's verdict on a plain ASCII address
    depends on where its letters, digits and dots sit and on its domain, not on which letters
    they are, so ``ana.garcia.12@acme.com`` and ``luis.perez.99@acme.com`` share one check.
    """

    shapes: dict[tuple[str, str], bool] = field(default_factory=dict)

    def convert(self, key: str, value: Any) -> Any:
        if key == "email" and _PLAIN_EMAIL.fullmatch(value):
            local, _, domain = value.partition("@")
            shape = (local.translate(_SHAPE), domain)
            valid = self.shapes.get(shape)
            if valid is None:
                try:
                    super().convert(key, value)
                    valid = True
                except InvalidData:
                    valid = False
                if len(self.shapes) < 100_000:
                    self.shapes[shape] = valid
            if valid:
                return value.lower()
        return super().convert(key, value)


# Fields that take a handful of values in a file of any size: checked once per value.
_TEXTS = ("context", "notes")  # free text: several columns are joined, line by line
_REPEATED = frozenset(
    {"temperature", "stage", "status", "consent", "window", "timezone", "source", "segment",
     "region"}
)  # fmt: skip
_MISS = object()
_PLAIN_EMAIL = re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+")
_PLAIN_NUMBER = re.compile(r"\+?[0-9][0-9 ()./-]*")  # one number as typed, nothing else
_SHAPE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "a" * 52 + "0" * 10
)


@dataclass(frozen=True)
class _Invalid:
    error: InvalidData


class RowReader:
    """One CSV row to the values ``LeadBuilder`` takes, plus a do-not-call mark."""

    def __init__(self, header: Header) -> None:
        targets = header.targets
        self.width = len(header.columns)
        # Each field once, in the header's order; most are one plain cell (``plain``), read
        # without a question asked about the field per row.
        self.singles = [
            (t, idxs, len(idxs) == 1 and t not in _CHECKED_CELLS and t not in _MAPPED)
            for t, idxs in targets.items()
            if t not in (*_JOINED, *_TEXTS, "tags", "name", "phone")
        ]
        self.phones = targets.get("phone", [])
        self.texts = [(t, targets[t]) for t in _TEXTS if t in targets]
        self.names = targets.get("name", [])
        self.parts = [i for t in _JOINED for i in targets.get(t, [])]
        self.tags = targets.get("tags", [])
        self._lenient: dict[tuple[str, str], tuple[str | None, str | None]] = {}
        self._mapped: dict[tuple[str, str], Any] = {}

    def read(self, cells: list[str]) -> tuple[dict[str, Any], bool, str | None]:
        """``(values, do_not_call, dnc_reason)``."""
        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        values: dict[str, Any] = {}
        tags: list[str] = []
        dnc, reason = False, None
        for target, idxs, plain in self.singles:
            if plain:
                if (value := _cell(cells[idxs[0]])) is not None:
                    values[target] = value
                continue
            value = _first(cells, idxs, target)
            if value is None:
                continue
            if target in _LENIENT:
                known, tag = self._lenient_value(target, value)
                if known is not None:
                    values["temperature" if target == "rating" else target] = known
                    dnc = dnc or known == Status.DNC
                if tag:
                    tags.append(tag)
            elif target == "do_not_call":
                dnc = dnc or fold(value) in TRUE_VALUES
            elif target == "dnc_reason":
                reason = value
            elif target in _MAPPED:
                values[target] = self._mapped_value(target, value)
            else:
                values[target] = value
        if self.phones:
            numbers = _numbers(cells, self.phones)
            if numbers:
                values["phone"] = numbers[0]
                if len(numbers) > 1:
                    values["phones"] = numbers[1:]
        for target, idxs in self.texts:  # every column's text, none dropped
            texts = dict.fromkeys(v for i in idxs if (v := _cell(cells[i])))
            if texts:
                values[target] = "\n".join(texts)
        parts = [v for i in self.parts if (v := _cell(cells[i]))]
        if parts:
            values["name"] = " ".join(parts)
        elif self.names:
            values["name"] = _first(cells, self.names, "name")
        for i in self.tags:
            if value := _cell(cells[i]):
                tags.extend(t.removeprefix("* ") for t in _SPLIT_TAGS.split(value))
        if tags:
            values["tags"] = tags
        return values, dnc, reason

    def _mapped_value(self, target: str, value: str) -> Any:
        """Our temperature or consent for a word another tool or language uses for it."""
        found = self._mapped.get((target, value))
        if found is None:
            found = _MAPPED[target].get(_value_key(value), value)
            if len(self._mapped) < 10_000:
                self._mapped[(target, value)] = found
        return found

    def _lenient_value(self, target: str, value: str) -> tuple[str | None, str | None]:
        """Our value for another tool's stage, status or rating, the region when it is an ISO
        3166-2 code, or a tag to keep it by."""
        found = self._lenient.get((target, value))
        if found is None and target == "region":
            code = value.strip().upper()
            found = (code, None) if SUBDIVISION.fullmatch(code) else (None, _value_key(value))
            self._lenient[(target, value)] = found
        if found is None:
            key = _value_key(value)
            table: Mapping[str, str] = {
                "stage": STAGE_VALUES, "status": STATUS_VALUES, "rating": TEMPERATURE_VALUES
            }[target]  # fmt: skip
            known = table.get(key)
            found = (known.value if known else None, None if known else key.replace(" ", "-"))
            self._lenient[(target, value)] = found
        return found


_FORMULA_MARKS = ("=", "+", "-", "@", "\t", "\r")
_LONGEST_EMPTY = max(map(len, EMPTY))  # longer text is never a placeholder


def _cell(raw: str) -> str | None:
    """The cell's text: placeholders are empty, and a quote our export put before a
    formula-like value is taken off again. (``blank``, inlined: this runs for every cell.)"""
    value = raw.strip()
    if len(value) <= _LONGEST_EMPTY and value.casefold() in EMPTY:
        return None
    if value[0] == "'" and value[1:2] in _FORMULA_MARKS:
        value = value[1:]
    return value


def _first(cells: list[str], idxs: list[int], target: str) -> str | None:
    """The first usable value among a field's columns."""
    for i in idxs:
        if target == "email" and _PLAIN_EMAIL.fullmatch(value := cells[i].strip()):
            # one plain address: no placeholder word, quote, list or JSON to look for
            if not _placeholder_address(value):
                return value
            continue
        value = _cell(cells[i])
        if value is None:
            continue
        if target in ("email", "phone"):
            value = _contact(value)
            if value and target == "email" and _placeholder_address(value):
                continue
        elif target == "title" and value.rstrip(".").casefold() in SALUTATIONS:
            continue  # "Title: Mr." is a salutation, not a job
        if value:
            return value
    return None


def _placeholder_address(value: str) -> bool:
    """An address at a name reserved for examples (``john@doe.invalid``, RFC 2606): tools
    write one where they have none, so it counts as empty, like ``n/a``."""
    domain = value.rpartition("@")[2].rstrip(".").lower()
    return domain.rpartition(".")[2] in PLACEHOLDER_TLDS


def _contact(value: str) -> str | None:
    """The first address or number of a cell that holds several."""
    found = _contacts(value)
    return found[0] if found else None


def _contacts(value: str) -> list[str]:
    """Every address or number of a cell: a JSON list of ``{"label", "value"}`` (Krayin),
    Google's `` ::: `` list, or a ``;`` separated list (``,`` too between addresses)."""
    if value[0] in "[{":
        try:
            data = json.loads(value)
        except ValueError:
            return [value]
        items = data if isinstance(data, list) else [data]
        found = []
        for item in items:
            text = item.get("value") if isinstance(item, dict) else item
            if isinstance(text, str | int) and str(text).strip():
                found.append(str(text).strip())
        return found
    if value.count("@") > 1:
        return [x for x in re.split(r"[;,\s]+", value) if x]
    if ":::" in value or ";" in value:
        found: list[str] = []
        for piece in (x.strip() for x in re.split(r":::|;", value)):
            if found and (extension := _EXTENSION.fullmatch(piece)):
                found[-1] += ";ext=" + extension[1]  # RFC 3966: the number's extension
            elif piece:
                found.append(piece)
        return found
    return [value]


_EXTENSION = re.compile(
    r"(?:ext(?:ension)?|x|durchwahl|poste|interno)\s*[.=:]?\s*(\d{1,7})", re.IGNORECASE
)


def _numbers(cells: list[str], idxs: list[int]) -> list[str]:
    """Every phone number of a row's phone columns, in the columns' order, once each."""
    if len(idxs) == 1:  # most files: one column, one number (no list, JSON or placeholder)
        value = cells[idxs[0]].strip()
        if _PLAIN_NUMBER.fullmatch(value):
            return [value]
    found: dict[str, None] = {}
    for i in idxs:
        if (value := _cell(cells[i])) is not None:
            for number in _contacts(value):
                found.setdefault(number, None)
    return list(found)


# --- the import --------------------------------------------------------------------------


@dataclass
class ImportOptions:
    mapping: dict[str, str] = field(default_factory=dict)
    on_duplicate: str = "skip"  # or "update"
    skip_invalid: bool = False
    dry_run: bool = False
    temperature: Temperature = Temperature.WARM
    # The reps the new leads go to: none, shared; one, theirs; several, in turn, a lead
    # each in the file's order (``--assign round-robin``).
    owners: tuple[str, ...] = ()


SHOWN_LINES = 10  # skipped rows and possible duplicates named; the rest counted


@dataclass(frozen=True)
class PossibleDuplicate:
    """A row that shares a number with a lead of another name: imported as its own lead."""

    line: int
    name: str
    phone: str
    other_id: int | None  # None: a lead of this same file
    other_name: str

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "name": self.name, "phone": self.phone,
                "other_id": self.other_id, "other_name": self.other_name}  # fmt: skip


@dataclass
class ImportResult(Tally):
    """``Tally`` (rows, imported, rejected and their lines, dry_run, written) and what a
    lead import adds: duplicates, suppressed people, the columns read."""

    updated: int = 0
    skipped: int = 0  # duplicates left as they were
    merged: int = 0  # later rows of a person the file named before, merged into that lead
    flagged_phones: int = 0  # kept as given: no region could be inferred
    ignored: list[str] = field(default_factory=list)
    skipped_lines: list[int] = field(default_factory=list)  # the first SHOWN_LINES
    merged_lines: list[int] = field(default_factory=list)  # the first SHOWN_LINES
    suppressed: int = 0  # rows of a do-not-call or forgotten person, not brought back
    possible_duplicates: int = 0
    shown_duplicates: list[PossibleDuplicate] = field(default_factory=list)  # the first ones
    # New leads whose number is on a do-not-call registry, by list: imported, never planned.
    listed: dict[str, int] = field(default_factory=dict)

    def note_skipped(self, line: int) -> None:
        self.skipped += 1
        if len(self.skipped_lines) < SHOWN_LINES:
            self.skipped_lines.append(line)

    def note_merged(self, line: int) -> None:
        self.merged += 1
        if len(self.merged_lines) < SHOWN_LINES:
            self.merged_lines.append(line)

    def note_possible_duplicate(self, line: int, name: str, phone: str, other: Any) -> None:
        self.possible_duplicates += 1
        if len(self.shown_duplicates) < SHOWN_LINES:
            other_id = None if isinstance(other, list) else other.id
            self.shown_duplicates.append(
                PossibleDuplicate(line, name, phone, other_id, _name(other))
            )

    def as_json(self) -> dict[str, Any]:
        return super().as_json() | {
            "updated": self.updated,
            "skipped": self.skipped,
            "merged": self.merged,
            "flagged_phones": self.flagged_phones,
            "ignored_columns": self.ignored,
            "skipped_lines": self.skipped_lines,
            "merged_lines": self.merged_lines,
            "suppressed": self.suppressed,
            "possible_duplicates": self.possible_duplicates,
            "possible_duplicate_rows": [d.as_json() for d in self.shown_duplicates],
            "listed": self.listed,
        }


class ImportRejected(pipeline.ImportRejected):
    """An atomic import met invalid rows: nothing was written; the bad lines are listed."""

    def __init__(self, result: ImportResult, rejects: Path | str | None = None) -> None:
        n, rows = result.rejected, result.rows
        facts = {"n": f"{n:,}", "rows": f"{rows:,}", "source": result.source}
        if n == rows:
            head = (
                Word("Nothing was imported: the only row in {source} is invalid:")
                if n == 1
                else Word("Nothing was imported: all {n} rows in {source} are invalid:")
            )
        elif n == 1:
            head = Word(
                "Nothing was imported: 1 of {rows} rows in {source} is invalid "
                "(--skip-invalid imports the other {valid}):"
            )
        else:
            head = Word(
                "Nothing was imported: {n} of {rows} rows in {source} are invalid "
                "(--skip-invalid imports the other {valid}):"
            )
        super().__init__(head, result, rejects, valid=f"{rows - n:,}", **facts)


Row = list[Any]  # a leads-table row, its values in ``_ROW_COLUMNS`` order
# rows with the values read from the file and the line each starts on
Batch = list[tuple[Row, dict[str, Any], int]]
# A new lead to insert: its row, the values read, its line, and the registries listing it.
Fresh = list[tuple[Row, dict[str, Any], int, tuple[Any, ...]]]
# what the store holds of a batch's people: leads by e-mail, by number, forgotten values
_Found = tuple[dict[str, Any], dict[str, list[Any]], set[str]]
_ROW_COLUMNS = leads.WRITTEN[1:]  # what a file gives (not what the store keeps)
_IN_ROW_ORDER = operator.itemgetter(*_ROW_COLUMNS)
_AT = {column: i for i, column in enumerate(_ROW_COLUMNS)}
_NAME, _NAME_KEY, _PHONE, _E164, _FLAG, _EMAIL, _STATUS, _ZONE, _TAGS, _DNC_AT, _DNC_REASON = (
    _AT[c] for c in ("name", "name_key", "phone", "phone_e164", "phone_flag", "email", "status",
                     "timezone", "tags", "dnc_at", "dnc_reason")
)  # fmt: skip
_PHONES, _COUNTRY, _ZONES, _OWNER = _AT["phones"], _AT["country"], _AT["zones"], _AT["owner"]
_EMAIL_KEY, _PHONE_KEY = _AT["email_key"], _AT["phone_key"]


# What ``insert_new`` tells of each lead inserted: its id, and its keys to find its row by.
_RETURNED = ("id", "email_key", "phone_key")


def _id_lists(ids: list[int]) -> Iterator[tuple[str, dict[str, Any]]]:
    """``WHERE`` conditions (and their parameters) that pick the leads of ``ids`` (sorted):
    one range when they follow each other (one import at a time), else ``IN`` lists."""
    if not ids:
        return
    if ids[-1] - ids[0] + 1 == len(ids):
        yield "id BETWEEN :lo AND :hi", {"lo": ids[0], "hi": ids[-1]}
        return
    for chunk in padded_chunks(ids):
        named = {f"i{i}": lead_id for i, lead_id in enumerate(chunk)}
        yield f"id IN ({placeholders(list(named))})", named


class _Ids:
    """The ids of the leads an import added, as ranges: one range while no other import
    adds leads at the same time, so memory does not grow with the file."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, ids: Iterable[int]) -> None:
        for lead_id in ids:  # sorted: each run of ids extends the range before it
            if self.ends and self.ends[-1] + 1 == lead_id:
                self.ends[-1] = lead_id
            else:
                at = bisect.bisect_right(self.starts, lead_id)
                self.starts.insert(at, lead_id)
                self.ends.insert(at, lead_id)

    def __contains__(self, lead_id: object) -> bool:
        if not isinstance(lead_id, int):
            return False
        at = bisect.bisect_right(self.starts, lead_id) - 1
        return at >= 0 and lead_id <= self.ends[at]


class Validator:
    """A file's rows to leads-table rows: all the per-row work, and pure (no store, no output).

    ``LeadBuilder``'s rules, applied to a list in the table's column order rather than through
    a ``Lead`` and ``to_row``'s dict: this runs once a row, and a row's worth of objects
    costs as much as the checks. The verdict on each value a file repeats is remembered.
    """

    def __init__(
        self, header: Header, config: Config, now: datetime, temperature: Temperature
    ) -> None:
        self.reader = RowReader(header)
        self.builder = _FileBuilder(config, temperature)
        blank_lead = Lead(
            name="",
            temperature=temperature,
            created_at=now,
            updated_at=now,
            segment=Segment(config.compliance.segment),  # a row that names none
            updated_by=config.rep,
        )
        self.template: Row = list(_IN_ROW_ORDER(leads.to_row(blank_lead)))
        self.now = to_epoch(now)
        self.memo: dict[tuple[str, Any], Any] = {}

    def row(self, cells: list[str]) -> tuple[Row, dict[str, Any]]:
        """The table row of a file's row, and the values read from it (``--on-duplicate
        update`` merges them); InvalidData says why the row is not a lead."""
        values, dnc, reason = self.reader.read(cells)
        name = values.get("name")
        if not name:
            raise InvalidData("A lead needs a name.")
        row = self.template.copy()
        memo = self.memo
        for key, value in values.items():
            if key in _REPEATED:
                hit = memo.get((key, value))
                if hit is None or isinstance(hit, _Invalid):
                    hit = self._repeated(key, value)  # checks it, or says why it is invalid
                row[_AT[key]] = hit
            elif key in CHECKED:
                row[_AT[key]] = self.builder.convert(key, value)
            elif key == "tags":
                row[_TAGS] = ",".join(split_tags(value)) or None
            elif key == "country":
                code = memo.get((key, value), _MISS)
                if code is _MISS:
                    code = country_code(value)  # None: not a country; the number decides
                    if len(memo) < 10_000:
                        memo[(key, value)] = code
                row[_COUNTRY] = code
            else:
                row[_AT[key]] = value  # kept as typed
        row[_NAME_KEY] = fold(name)  # the phone number is read later, by ``_Writer``
        if dnc:
            row[_STATUS], row[_DNC_AT] = Status.DNC.value, self.now
            row[_DNC_REASON] = reason or "do not call, as the imported file says"
        return row, values

    def _repeated(self, key: str, value: Any) -> Any:
        """The column value of a temperature, stage, window… checked once per file."""
        hit = self.memo.get((key, value), _MISS)
        if hit is _MISS:
            try:
                hit = self.builder.convert(key, value)
                hit = hit.value if isinstance(hit, StrEnum) else hit
            except InvalidData as exc:
                hit = _Invalid(exc)
            if len(self.memo) < 10_000:
                self.memo[(key, value)] = hit
        if isinstance(hit, _Invalid):
            raise hit.error
        return hit


@dataclass(frozen=True)
class _Known:
    """A stored lead a row repeats: enough to name it and to know whether it is barred."""

    id: int
    name: str
    status: str


def _name(candidate: Lead | _Known | Row) -> str:
    return candidate[_NAME] if isinstance(candidate, list) else candidate.name


def _status(candidate: Lead | _Known | Row | None) -> str | None:
    if candidate is None:
        return None
    return candidate[_STATUS] if isinstance(candidate, list) else str(candidate.status)


def _row_numbers(row: Row | dict[str, Any]) -> list[str]:
    """A row's numbers in E.164 (or as given): its first, then the others."""
    if isinstance(row, dict):
        first, others = row["phone_e164"], row["phones"]
    else:
        first, others = row[_E164], row[_PHONES]
    numbers = [first] if first else []
    if isinstance(others, str):
        numbers.extend(others.split("\n"))
    return numbers


def _forgotten(db: Database, emails: list[str], numbers: list[str]) -> set[str]:
    """The e-mails and numbers of people who asked to be forgotten (SPEC §7): the compliance
    room's suppression list, asked once a batch."""
    if not (emails or numbers):
        return set()
    from warmcall.compliance import suppression

    return set(suppression.suppressed(db, emails, numbers))


def _on_registries(db: Database, numbers: list[str | None]) -> dict[str, tuple[Any, ...]]:
    """The do-not-call registries each number is on (SPEC §7), asked once a batch: the lead is
    imported (the list may be out of date, the person a customer) and the summary says so."""
    from warmcall.compliance.listings import listed

    return listed(db, numbers)


Progress = Callable[[int], None]  # told the bytes read so far, once a batch


# Times an import starts again after crossing another writer (``StoreCrossed``), each after
# a pause of up to ``CROSSED_PAUSE_S`` times its try, drawn at random: two imports the server
# stopped together would otherwise start again together and cross again.
CROSSED_TRIES = 5
CROSSED_PAUSE_S = 0.5


def import_leads(
    db: Database,
    source: Source,
    config: Config,
    now: datetime,
    options: ImportOptions,
    rejects: IO[str] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read every row of ``source`` and store its leads in one transaction.

    Atomic unless ``options.skip_invalid``: with any invalid row the transaction is rolled
    back and the result lists every bad line (``written`` is False); the caller reports it.

    Two imports at once that add the same people in crossed orders each wait for a row the
    other holds: the server ends one (``StoreCrossed``), which kept nothing. That one waits
    for the other to end and reads its file again from the start (when it can: not
    standard input), now finding the other's leads.
    """
    for attempt in itertools.count(1):
        try:
            return _import_once(db, source, config, now, options, rejects, progress)
        except StoreCrossed:
            if source.again is None or attempt == CROSSED_TRIES:
                raise
            db.wait_for_writers()
            time.sleep(random.uniform(0, CROSSED_PAUSE_S * attempt))  # noqa: S311 (not a secret)
            source = source.again()
            if rejects is not None and rejects.seekable():  # its rows are read again too
                rejects.seek(0)
                rejects.truncate()
    raise AssertionError("unreachable")  # pragma: no cover


def _import_once(
    db: Database,
    source: Source,
    config: Config,
    now: datetime,
    options: ImportOptions,
    rejects: IO[str] | None,
    progress: Progress | None,
) -> ImportResult:
    result = ImportResult(source=source.name, encoding=source.encoding, delimiter=source.delimiter)
    result.dry_run = options.dry_run
    if isinstance(source, CsvSource):
        source.max_cell = config.imports.max_cell
    records = source.records()
    header, early = find_header(records, options.mapping, source.name)
    source.width = len(header.columns)
    result.columns, result.ignored = header.described(), header.ignored()
    if not header.names_a_person:
        raise InvalidData(
            "No column of {name} holds a name (its columns: {listed}); name one "
            "with --map COLUMN=name.",
            name=source.name,
            listed=listed(header.columns),
        )
    validator = Validator(header, config, now, options.temperature)
    out = RejectsWriter(rejects, header.columns)
    writer = _Writer(db, config, now, options, result)
    try:
        # no lock on the whole store: the leads' identity keys keep two imports at once from
        # adding one person twice (``_Writer._store``), and nobody waits for this one
        unlocked = pipeline.all_or_nothing(db, result, options.skip_invalid, exclusive=False)
        with unlocked, _settled(writer):
            for record in itertools.chain(early, records):
                if isinstance(record, Broken):
                    result.rows += 1
                    result.note_rejected(record.line, record.reason)
                    out.write(record.line, [record.text], record.reason)
                    continue
                line, cells = record
                if not "".join(cells).strip():
                    continue  # a row of empty cells is not a person
                result.rows += 1
                try:
                    row, values = validator.row(cells)
                except InvalidData as exc:
                    result.note_rejected(line, exc)
                    out.write(line, cells, str(exc))
                    continue
                if writer.add(row, values, line) >= BATCH:
                    writer.flush()
                    if progress:
                        progress(source.bytes_read)
            writer.flush(last=True)
    finally:
        writer.close()
    return result


def settle(
    result: ImportResult, options: ImportOptions, rejects: Path | str | None = None
) -> ImportResult:
    """All or nothing: an atomic import that met invalid rows is an error (nothing was
    written); with ``--skip-invalid`` the valid rows stand."""
    if result.rejected and not options.skip_invalid:
        raise ImportRejected(result, rejects)
    return result


_ADDED = frozenset({"phone", "phones", "tags"})  # merged whatever the lead has


@contextmanager
def _settled(writer: _Writer) -> Iterator[None]:
    """The writer's last writes done before the transaction ends, however it ends."""
    try:
        yield
    finally:
        writer.wait()


class _Writer:
    """Valid rows, a batch at a time: their phone numbers read (``PhoneBatches``: the batch
    before this one is read by a worker process while this one is checked), then matched
    against the store (one query a batch, so rows of earlier batches count too), then
    inserted or merged into the lead they repeat."""

    def __init__(
        self,
        db: Database,
        config: Config,
        now: datetime,
        options: ImportOptions,
        result: ImportResult,
    ) -> None:
        self.db = db
        self.now = now
        self.options = options
        self.assigned = 0  # new leads given an owner so far (round-robin goes on from here)
        self.update = options.on_duplicate == "update"
        # the consent of each stored lead this import updates, before it: a change is recorded
        self.consent_before: dict[int, str] = {}
        self.atomic = not options.skip_invalid
        self.builder = LeadBuilder(config)
        self.result = result
        self.batch: Batch = []
        self.numbers = PhoneBatches(self.builder.region)
        self.reading: deque[Batch] = deque()
        self.others: dict[str, list[_Known]] | None = None  # a lead's numbers after its first
        self.own = _Ids()  # the leads this import added: later rows merge into them
        self.looked: tuple[Batch, _Found] | None = None  # a batch and its matches, to settle
        self.writing: threading.Thread | None = None  # a batch's writes, still running
        self.failed: list[BaseException] = []

    def add(self, row: Row, values: dict[str, Any], line: int) -> int:
        """Queue a row; returns how many are waiting. The values read from the file are
        kept to merge into a lead (a row of this file's, or ``--on-duplicate update``)."""
        self.batch.append((row, values, line))
        return len(self.batch)

    def flush(self, last: bool = False) -> None:
        """Start reading the numbers of the rows waiting, and write the batch read before
        them (every batch, when this is the ``last`` flush)."""
        batch, self.batch = self.batch, []
        if self.atomic and self.result.rejected:
            return  # the file will be rejected: keep checking rows, stop writing
        if batch:  # a row from another country has its numbers read here, in its region
            if self.numbers.pool is None:
                self.wait()  # the worker may be forked now: no other thread may be running
            region = self.builder.region
            self.numbers.submit(
                [row[_PHONE] if row[_COUNTRY] in (None, region) else None for row, _, _ in batch]
            )
            self.reading.append(batch)
        while len(self.reading) > (0 if last else 1):
            self._advance(self._with_numbers(self.reading.popleft()))
        if last:
            self._advance(None)
            self.wait()

    def wait(self) -> None:
        """Until the last batch's writes are done; their error, if any, is raised here. The
        store is used by one thread at a time: every read and the transaction's end wait."""
        if self.writing is not None:
            self.writing.join()
            self.writing = None
        if self.failed:
            raise self.failed.pop()

    def close(self) -> None:
        self.numbers.close()

    def _advance(self, batch: Batch | None) -> None:
        """Settle the batch looked up before this one (its matches in the store are in),
        then, while the next rows are read and checked, write it and look this one up: its
        look-ups see every earlier batch's rows in the table."""
        self.wait()
        fresh: Fresh = []
        changed: dict[int, Lead] = {}
        if self.looked is not None:
            fresh, changed = self._decide(*self.looked)
            self.looked = None

        def work() -> None:
            self._store(fresh, changed)
            if batch is not None:
                self.looked = (batch, self._look_up(batch))

        self._write_later(work)

    def _write_later(self, work: Callable[[], None]) -> None:
        """Run a batch's writes while the next rows are read and checked: in another
        thread where the store allows it (SQLite does the work without the interpreter's
        lock), else now."""
        self.wait()
        if not self.db.handoff:
            work()
            return

        def run() -> None:
            try:
                work()
            except BaseException as exc:  # noqa: BLE001 - raised in the importer by ``wait``
                self.failed.append(exc)

        self.writing = threading.Thread(target=run, name="warmcall-writer", daemon=True)
        self.writing.start()

    def _with_numbers(self, batch: Batch) -> Batch:
        default = self.builder.region
        for (row, _, _), answer in zip(batch, self.numbers.result(), strict=True):
            region = row[_COUNTRY] or default
            if region != default and row[_PHONE]:
                answer = phones.read(row[_PHONE], region)
            e164, flag, zone = answer
            row[_E164], row[_FLAG] = e164, flag
            # SPEC §1: the country of the number, else the file's, else the user's
            row[_COUNTRY] = country_of_number(e164) or row[_COUNTRY] or default
            if flag:
                self.result.flagged_phones += 1
            if row[_ZONE] is None:  # a number with one zone gives the lead its zone
                row[_ZONE] = zone
            if row[_PHONES]:  # the other numbers, kept in E.164 where they read as one
                others = [phones.read(raw, region).e164 or raw for raw in row[_PHONES]]
                others = [n for n in dict.fromkeys(others) if n != e164]
                row[_PHONES] = "\n".join(others) or None
        return batch

    def _look_up(self, batch: Batch) -> _Found:
        """The stored leads a batch's rows repeat, and which of its e-mails and numbers are
        a forgotten person's."""
        by_email, by_phone = self._existing(batch)
        emails = [e for r, _, _ in batch if (e := r[_EMAIL])]
        numbers = [n for r, _, _ in batch for n in _row_numbers(r)]
        barred = _forgotten(self.db, emails, numbers)
        # an objector's e-mails and numbers from before an edit bind them still (SPEC §7)
        barred |= set(leads.objected_before(self.db, [*emails, *numbers]))
        return by_email, by_phone, barred

    def _decide(self, batch: Batch, found: _Found) -> tuple[Fresh, dict[int, Lead]]:
        """Each row is the lead it shares an e-mail with, or a number (any of its numbers)
        and a compatible name with (SPEC §5); a number shared under another name makes a new
        lead, noted as a possible duplicate. A row of a do-not-call or forgotten person is
        not brought back: it is counted as suppressed. Returns the new rows and the leads
        updated, to write."""
        by_email, by_phone, barred = found
        on_lists = _on_registries(self.db, [r[_E164] for r, _, _ in batch])
        fresh: Fresh = []
        changed: dict[int, Lead] = {}
        result = self.result
        for row, values, line in batch:
            email, numbers = row[_EMAIL], _row_numbers(row)
            by_mail = by_email.get(email) if email else None
            sharing = [c for n in numbers for c in by_phone.get(n, ())]
            if (
                (email and email in barred)
                or any(n in barred for n in numbers)
                or _status(by_mail) == Status.DNC
                or any(_status(c) == Status.DNC for c in sharing)
            ):
                result.suppressed += 1
                continue
            match = by_mail
            if match is None and sharing:
                match = next((c for c in sharing if compatible_names(_name(c), row[_NAME])), None)
                if match is None:
                    shared = next(n for n in numbers if by_phone.get(n))
                    result.note_possible_duplicate(line, row[_NAME], shared, sharing[0])
            if match is None:  # counted as imported once the store takes it (``_store``)
                fresh.append((row, values, line, on_lists.get(row[_E164], ())))
                if email:
                    by_email.setdefault(email, row)
                for number in numbers:
                    by_phone.setdefault(number, []).append(row)
                continue
            # SPEC §5: a person the file named before is one lead, its later rows merged in;
            # one the store knew is skipped or updated, as --on-duplicate says
            ours = isinstance(match, list) or match.id in self.own  # type: ignore[union-attr]
            if ours:
                result.note_merged(line)
            elif not self.update:
                result.note_skipped(line)
                continue
            else:
                result.updated += 1
            if isinstance(match, _Known):  # found by another of its numbers
                match = changed.get(match.id) or leads.get(self.db, match.id)
            if isinstance(match, Lead):
                self._merge(match, values, row, fill=ours)
                changed[match.id] = match  # type: ignore[index]
                for number in _row_numbers(leads.to_row(match)):
                    self.others.setdefault(number, [])
            else:  # a lead of this very batch: merge into the row still to be inserted
                lead = leads.from_row({"id": None, **dict(zip(_ROW_COLUMNS, match, strict=True))})
                self._merge(lead, values, row, fill=True)
                match[:] = _IN_ROW_ORDER(leads.to_row(lead))
                for number in _row_numbers(match):  # later rows find it by its new numbers
                    sharing = by_phone.setdefault(number, [])
                    if not any(c is match for c in sharing):
                        sharing.append(match)
                if match[_EMAIL]:
                    by_email.setdefault(match[_EMAIL], match)
        return fresh, changed

    def _store(self, fresh: Fresh, changed: dict[int, Lead], again: bool = True) -> None:
        """Insert a batch's new leads, each with its consent as its first record (dated at
        its creation: a file says no channel), and save the ones it updated (a consent the
        file changed is recorded, dated now).

        The store's identity keys settle what two imports at once both add: a new lead whose
        key another import added meanwhile is not inserted (``insert_new``), and its row is
        matched again (``again``), now against that lead: skipped or updated as any
        duplicate. A row still refused then (a lead this role may not read holds the key) is
        skipped."""
        if fresh:
            for row, _, _, _ in fresh:  # as ``leads.to_row`` does, now that the number is read
                row[_ZONES] = settled(row[_ZONE], row[_E164], row[_COUNTRY], row[_EMAIL])
                row[_EMAIL_KEY], row[_PHONE_KEY] = identity.keys(
                    row[_EMAIL], row[_E164], row[_NAME]
                )
            owners = self.options.owners
            if owners:
                for i, (row, _, _, _) in enumerate(fresh, self.assigned):
                    row[_OWNER] = owners[i % len(owners)]
                self.assigned += len(fresh)
            inserted = self.db.insert_new(
                "leads", _ROW_COLUMNS, [row for row, _, _, _ in fresh], _RETURNED
            )
            ids = sorted(lead_id for lead_id, _, _ in inserted)
            self.own.add(ids)
            self._consents(ids)
            taken = {(email, phone) for _, email, phone in inserted}
            result, lost = self.result, []
            for item in fresh:
                row, _, line, listings = item
                if (row[_EMAIL_KEY], row[_PHONE_KEY]) in taken:
                    result.imported += 1
                    for listing in listings:
                        result.listed[listing.registry] = result.listed.get(listing.registry, 0) + 1
                elif again:
                    lost.append(item[:3])
                else:
                    result.note_skipped(line)
            self._remember_others(ids)
            if lost:
                self._store(*self._decide(lost, self._look_up(lost)), again=False)
        if changed:
            self.db.executemany(leads.UPDATE_SQL, [leads.to_row(x) for x in changed.values()])
            regiven = [x for x in changed.values() if x.id in self.consent_before
                       and str(x.consent) != self.consent_before[x.id]]  # fmt: skip
            if regiven:
                self.db.executemany(
                    "INSERT INTO lead_consents (lead_id, at, consent, channel, created_at) "
                    "VALUES (:lead, :now, :consent, 'unknown', :now)",
                    [{"lead": x.id, "now": to_epoch(self.now), "consent": str(x.consent)}
                     for x in regiven],
                )  # fmt: skip
            for lead in changed.values():  # a later batch compares with what is stored now
                self.consent_before[lead.id] = str(lead.consent)  # type: ignore[index]
            for lead in changed.values():
                for number in lead.phones:
                    self._index_other(number, _Known(lead.id, lead.name, lead.status))  # type: ignore[arg-type]

    def _consents(self, ids: list[int]) -> None:
        """Each new lead's consent as its first record."""
        insert = (
            "INSERT INTO lead_consents (lead_id, at, consent, channel, created_at) "
            "SELECT id, created_at, consent, 'unknown', created_at FROM leads "
        )
        for where, params in _id_lists(ids):
            self.db.execute(f"{insert} WHERE {where} ORDER BY id", params)

    def _remember_others(self, ids: list[int]) -> None:
        """The other numbers of the leads just written, with their ids: later batches are
        matched against them (the table indexes first numbers only)."""
        for where, params in _id_lists(ids):
            for lead_id, name, status, others in self.db.rows(
                f"SELECT id, name, status, phones FROM leads WHERE {where} AND phones IS NOT NULL",
                params,
            ):
                for number in others.split("\n"):
                    self._index_other(number, _Known(lead_id, name, status))

    def _index_other(self, number: str, known: _Known) -> None:
        found = self.others.setdefault(number, [])
        for i, k in enumerate(found):
            if k.id == known.id:
                found[i] = known  # as the lead is now: an objection the file recorded bars it
                return
        found.append(known)

    def _existing(self, batch: Batch) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        """The stored leads that share an e-mail or a number with the batch, oldest first:
        ``Lead`` objects when they may be updated or merged into (the file's own), else
        ``_Known`` (id, name, status) — a skipped duplicate needs only to be known and
        named."""
        if self.others is None:
            self._load_others()
        emails = list({r[_EMAIL]: True for r, _, _ in batch if r[_EMAIL]})
        numbers = list({n: True for r, _, _ in batch for n in _row_numbers(r)})
        by_email: dict[str, Any] = {}
        by_phone: dict[str, list[Any]] = {}
        seen: dict[int, Any] = {}  # one object a lead, found by e-mail or by number
        for column, keys in (("email", emails), ("phone_e164", numbers)):
            # a few list sizes only: each size is one prepared statement the driver keeps,
            # and a thousand sizes would hold megabytes
            for chunk in padded_chunks(keys):
                named = {f"k{i}": key for i, key in enumerate(chunk)}
                sql = (
                    f"SELECT {leads.SELECT_COLUMNS} FROM leads "
                    f"WHERE {column} IN ({placeholders(list(named))}) "
                    "ORDER BY id"
                )
                for found in self.db.query(sql, named):
                    lead = seen.get(found["id"])
                    if lead is None:
                        lead = (  # the file's own leads take its later rows: whole
                            leads.from_row(found)
                            if self.update or found["id"] in self.own
                            else _Known(found["id"], found["name"], found["status"])
                        )
                        seen[found["id"]] = lead
                    if column == "email":
                        by_email.setdefault(found["email"], lead)
                    else:
                        by_phone.setdefault(found["phone_e164"], []).append(lead)
        for number in numbers:
            for known in self.others.get(number, ()):  # type: ignore[union-attr]
                sharing = by_phone.setdefault(number, [])
                if all(getattr(c, "id", None) != known.id for c in sharing):
                    sharing.append(seen.get(known.id, known))
        return by_email, by_phone

    def _load_others(self) -> None:
        """The stored leads' other numbers (the table indexes first numbers only)."""
        self.others = {}
        for lead_id, name, status, others in self.db.rows(
            "SELECT id, name, status, phones FROM leads WHERE phones IS NOT NULL"
        ):
            for number in others.split("\n"):
                self._index_other(number, _Known(lead_id, name, status))

    def _merge(self, lead: Lead, values: Mapping[str, Any], row: Row, fill: bool) -> None:
        """``--on-duplicate update``: the file's non-empty values over the lead's; tags are
        added to; a do-not-call is never lifted by a file. Who the lead is stays: never
        renamed, its e-mail and number kept (a new number joins its other numbers).

        A later row of the same file (``fill``) only fills what the lead has not: its
        first row stands, and every number of every row is kept."""
        if lead.id is not None:  # a stored lead (the store's or an earlier batch's): its consent
            self.consent_before.setdefault(lead.id, str(lead.consent))
        changes = dict(values)
        if fill:
            changes = {k: v for k, v in changes.items() if k in _ADDED or not getattr(lead, k)}
        changes.pop("name", None)
        extra = changes.pop("phones", None)
        changes.pop("country", None)
        lead.country = lead.country or row[_COUNTRY]
        if lead.email:
            changes.pop("email", None)
        if lead.phone and "phone" in changes:
            number = changes.pop("phone")
            known = {lead.phone_e164, lead.phone, *lead.phones}
            other = row[_E164] or number
            if other not in known:
                lead.phones = [*lead.phones, other]
        if extra and row[_PHONES]:
            known = {lead.phone_e164, lead.phone, *lead.phones}
            lead.phones = [*lead.phones, *(n for n in row[_PHONES].split("\n") if n not in known)]
        if "tags" in changes:
            changes["tags"] = [*lead.tags, *changes["tags"]]
        if lead.status == Status.DNC:
            changes.pop("status", None)
        self.builder.apply(lead, changes)
        if row[_STATUS] == Status.DNC and lead.status != Status.DNC:
            lead.status, lead.dnc_reason = Status.DNC, row[_DNC_REASON]
            lead.dnc_at = self.now
        lead.updated_at = self.now
