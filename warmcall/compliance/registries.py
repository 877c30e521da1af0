"""National do-not-call registries (SPEC §7): Robinson (Spain), Bloctel (France), the US
National Do Not Call Registry, or any list a rep is handed, loaded from the file the service
gives out, with the date it is as of.

A list's numbers are read in its country (``robinson`` → ES, ``bloctel`` → FR, ``us-dnc`` →
US, else the one given), normalised to E.164 and kept only as keyed hashes, like a forgotten
person's (``compliance.suppression``: HMAC-SHA256 under the store's key, outside the store):
a copy of the store alone does not give the list back. A hash is kept to its first 128 bits,
half the room of the whole one: among the numbers of a country, no two share them.

The shapes these services hand out, each recognised from the file itself:

* one number a line, with or without ``+`` and the country code (``612345678``,
  ``+34 612 345 678``, ``0033612345678``); the US registry's flat download is a 10-digit
  number a line (``2125550147``) or ``area code,number`` (``212,5550147``);
* a CSV (``,``, ``;``, tab or ``|``) with a header: the number column found by its name in
  English, Spanish or French (``phone``, ``número``, ``numéro de téléphone``, ``msisdn``…),
  an area code column joined to it (``area code``, ``npa``), and a status column, as in
  Bloctel's answer file, where the numbers marked as not listed (``non``, ``0``, ``libre``…)
  are left out and every other mark counts as listed (when in doubt, do not call).

Import streams: the file is read a line at a time and written in batches of ``BATCH`` rows
(``executemany``), so memory stays flat on a 5,000,000-number file; no set of numbers is
held (a number twice in the file is one row: the store's primary key says so). A list of the
same name is replaced in one transaction: an import that fails leaves the earlier one.

The plan asks the store once per batch of candidates and per list
(``compliance.listings.listed``): an index look-up on ``registry_numbers``' primary key,
never a scan.

How fresh a list must be is the rule profile's (``[registries]`` in its file, days):
``us-tcpa`` 31 (the FTC's Telemarketing Sales Rule, 16 CFR 310.4(b)(3)(iv): the registry
must be scrubbed at most 31 days before a call), ``es-b2c`` 30 (the Robinson list is
consulted before each campaign: art. 23.4 LOPDGDD; the 30 days are the AEPD's reading as
the issue cites it), ``fr-b2c`` 30 (the professional has the file cleaned by Bloctel at
least every 30 days, art. L. 223-1 code de la consommation — until 11 August 2026, when
consumers need consent). The periods of Robinson and Bloctel were not confirmed against
the texts here: they are settings of the profile files, to be set as counsel reads them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path

from warmcall.clock import to_epoch
from warmcall.compliance.listings import (
    COLUMNS,
    DIGEST_CHARS,
    Registry,
    hasher,
    loaded,
    on_list,
    registry_from_row,
)
from warmcall.errors import InvalidData, NotFound, UsageError
from warmcall.store.db import Database

# The registries warmcall knows, with the country their numbers are read in.
KNOWN = {"robinson": "ES", "bloctel": "FR", "us-dnc": "US"}
BATCH = 10_000  # rows written at once
SHOWN_BAD = 5  # unreadable lines named in the result (the rest are counted)
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")

# (calling code, digits of a national significant number) where a fast path reads a number
# without parsing it; any other country, or a number that does not fit, goes to phonenumbers.
_PLANS = {"ES": ("34", (9,)), "FR": ("33", (9,)), "US": ("1", (10,))}
_NOT_DIGITS = re.compile(r"\D+")

# Header cells (lower-cased, accents and non-letters dropped) that name a column.
NUMBER_HEADERS = frozenset({
    "phone", "phonenumber", "number", "telephone", "telephonenumber", "tel", "mobile",
    "msisdn", "e164", "numero", "numerodetelephone", "numerotelephone", "numtel", "telefono",
    "numerodetelefono", "movil", "celular", "ligne", "dnc", "phone1", "tn", "telno",
})  # fmt: skip
AREA_HEADERS = frozenset({"areacode", "area", "npa", "ac"})
STATUS_HEADERS = frozenset({
    "status", "statut", "listed", "inscrit", "inscription", "bloctel", "opposition", "etat",
    "estado", "resultat", "result", "robinson", "registered", "onlist",
})  # fmt: skip
# Status marks that say a number is NOT on the list; every other mark counts as listed.
NOT_LISTED = frozenset({
    "0", "n", "no", "non", "false", "faux", "notlisted", "noninscrit", "noninscrite",
    "notregistered", "libre", "absent", "nonpresent", "notfound", "noencontrado", "none",
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class Imported:
    registry: Registry
    replaced: Registry | None  # the list of that name it replaced
    lines: int  # lines read (the header included)
    not_listed: int  # rows the file marks as not on the list (Bloctel's answer file)
    unreadable: int  # lines with no number that could be read in the list's country
    first_unreadable: tuple[int, ...]  # their line numbers, the first few
    leads: int = 0  # stored leads whose number the list holds


def check_name(name: str) -> str:
    name = (name or "").strip().lower()
    if not _NAME.match(name):
        raise UsageError(
            "A registry's name is a plain name (letters, digits and -), not {name!r}.",
            name=name,
        )
    return name


def country_for(name: str, country: str | None) -> str:
    """The country a list's numbers are read in: the one given, else the known list's."""
    if country:
        code = country.strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise UsageError("--country takes a two-letter country code (ES), not {country!r}.",
                             country=country)  # fmt: skip
        return code
    if name in KNOWN:
        return KNOWN[name]
    raise UsageError(
        "Say in which country the numbers of {name!r} are: add --country (ES, FR, US…).",
        name=name,
    )


# --- reading the file -------------------------------------------------------------------------


def _cell_key(cell: str) -> str:
    plain = unicodedata.normalize("NFKD", cell).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def _delimiter(line: str) -> str | None:
    counts = {d: line.count(d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else None


@dataclass(frozen=True, slots=True)
class _Shape:
    delimiter: str | None
    header: bool
    number: int  # column of the number
    area: int | None = None  # column of a US area code, joined before the number
    status: int | None = None  # column of a listed / not listed mark


def _shape(first: str) -> _Shape:
    delimiter = _delimiter(first)
    cells = [c.strip().strip('"') for c in first.split(delimiter)] if delimiter else [first]
    if not any(ch.isalpha() for ch in first):  # no header: the numbers start at once
        if (
            len(cells) >= 2
            and re.fullmatch(r"\d{3}", cells[0])
            and re.fullmatch(r"\d{3}-?\d{4}", cells[1])
        ):
            return _Shape(delimiter, False, 1, area=0)  # the US registry's "area,number"
        return _Shape(delimiter, False, 0)
    keys = [_cell_key(c) for c in cells]

    def column(names: frozenset[str]) -> int | None:
        return next((i for i, k in enumerate(keys) if k in names), None)

    number = column(NUMBER_HEADERS)
    if number is None:
        raise InvalidData(
            "The registry file has no number column (its header is {header}); name it "
            "phone, number or número.",
            header=", ".join(cells),
        )
    return _Shape(delimiter, True, number, column(AREA_HEADERS), column(STATUS_HEADERS))


def _lines(path: Path) -> Iterator[str]:
    try:
        with path.open("rb") as raw:
            head = raw.read(65536)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            encoding = "utf-16"
        elif head.startswith(b"PK\x03\x04") or b"\x00" in head:
            raise InvalidData(
                "{file} is not a text file of numbers (unzip the registry's download first).",
                file=str(path),
            )
        else:  # UTF-8 when its start reads as UTF-8, else Windows' Western code page
            import codecs

            try:
                codecs.getincrementaldecoder("utf-8")().decode(head)
                encoding = "utf-8-sig"
            except UnicodeDecodeError:
                encoding = "cp1252"
        with path.open(encoding=encoding, errors="replace", newline=None) as text:
            yield from text
    except OSError as exc:
        raise InvalidData("Cannot read {file}: {reason}.", file=str(path),
                          reason=exc.strerror or str(exc)) from None  # fmt: skip


def reader(country: str) -> Callable[[str], str | None]:
    """A number as a registry writes it → E.164 in ``country`` (None: not a number there).
    The common shapes of the three known lists are read without a parse (a 5,000,000-line
    file would spend minutes in phonenumbers); anything else is parsed."""
    plan = _PLANS.get(country)
    from warmcall import phones

    def parsed(raw: str) -> str | None:
        e164, flag = phones.normalise(raw, country)
        return e164 if flag is None else None

    if plan is None:
        return parsed
    code, sizes = plan

    def read(raw: str) -> str | None:
        text = raw.strip()
        digits = text if text.isdigit() else _NOT_DIGITS.sub("", text)
        if text.startswith("+"):
            if digits.startswith(code) and len(digits) - len(code) in sizes:
                return "+" + digits
            return parsed(text)
        if digits.startswith("00"):
            return parsed("+" + digits[2:])
        if len(digits) in sizes:
            national = digits
        elif len(digits) - 1 in sizes and digits[0] == ("1" if code == "1" else "0"):
            national = digits[1:]  # the trunk prefix: 0 in France, 1 in the US
        elif digits.startswith(code) and len(digits) - len(code) in sizes:
            national = digits[len(code) :]
        else:
            return parsed(text) if digits else None
        if national[0] == "0":
            return parsed(text)  # no national number starts with 0 here: let the library say
        return f"+{code}{national}"

    return read


@dataclass
class _Count:
    lines: int = 0
    not_listed: int = 0
    unreadable: int = 0


def listed_numbers(path: Path, country: str, counts: _Count, bad: list[int]) -> Iterator[str]:
    """The E.164 numbers a registry file lists, in file order (repeats included), counting
    as it goes; ``bad`` gets the first unreadable lines' numbers."""
    read = reader(country)
    shape: _Shape | None = None
    lines = _lines(path)
    for counts.lines, line in enumerate(lines, 1):  # noqa: B020
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        shape = _shape(line)
        if not shape.header:
            lines = chain([line], lines)  # the first line is a number: read it below
            counts.lines -= 1
        break
    if shape is None:
        return
    if shape.delimiter is None and shape.status is None:  # a number a line: the hot path
        n = first = counts.lines
        try:
            for n, line in enumerate(lines, first + 1):  # noqa: B007
                text = line.strip()
                if not text or text[0] == "#":
                    continue
                number = read(text)
                if number is None:
                    counts.unreadable += 1
                    if len(bad) < SHOWN_BAD:
                        bad.append(n)
                    continue
                yield number
        finally:
            counts.lines = n
        return
    for counts.lines, line in enumerate(lines, counts.lines + 1):  # noqa: B020
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        cells = line.split(shape.delimiter) if shape.delimiter else [line]
        if shape.status is not None:
            mark = cells[shape.status] if shape.status < len(cells) else ""
            if _cell_key(mark.strip().strip('"')) in NOT_LISTED:
                counts.not_listed += 1
                continue
        raw = cells[shape.number].strip().strip('"') if shape.number < len(cells) else ""
        if shape.area is not None and shape.area < len(cells):
            raw = cells[shape.area].strip().strip('"') + raw
        number = read(raw) if raw else None
        if number is None:
            counts.unreadable += 1
            if len(bad) < SHOWN_BAD:
                bad.append(counts.lines)
            continue
        yield number


# --- the store --------------------------------------------------------------------------------


STAGING = "registry_staging"


def _stage(db: Database) -> None:
    """A temporary table without an index for the file's digests, in the import's
    transaction: the list's own index is then written once, in order (the database sorts,
    on disk), instead of a random place a number; repeats become one row there."""
    if db.dialect == "sqlite":
        db.execute(f"DROP TABLE IF EXISTS temp.{STAGING}")
        db.execute(f"CREATE TEMP TABLE {STAGING} (digest VARCHAR({DIGEST_CHARS}) NOT NULL)")
    else:
        db.execute(
            f"CREATE TEMPORARY TABLE {STAGING} (digest VARCHAR({DIGEST_CHARS}) NOT NULL) "
            "ON COMMIT DROP"
        )


def _staged(db: Database, digests: list[str]) -> None:
    """A batch of digests into the staging table: as rows on SQLite (a few statements of
    many rows), as one array parameter on PostgreSQL (a statement a row there costs a
    round trip each: 5,000,000 took minutes)."""
    if db.dialect == "postgresql":
        db.execute(f"INSERT INTO {STAGING} (digest) SELECT unnest(CAST(:ds AS varchar[]))",
                   {"ds": digests})  # fmt: skip
    else:
        db.insert_many(STAGING, ("digest",), [(d,) for d in digests])


def import_registry(
    db: Database, path: Path, name: str, as_of: date, now: datetime, country: str | None = None
) -> Imported:
    """Load (or replace) the list ``name`` from ``path``, as of ``as_of``, in one transaction."""
    name = check_name(name)
    country = country_for(name, country)
    if as_of > now.date():
        raise InvalidData(
            "A list cannot be as of a day after today ({day}); give --as-of the date the "
            "service issued it.",
            day=as_of.isoformat(),
        )
    if as_of.year < 1970:
        raise InvalidData("A list as of {day} is before 1970.", day=as_of.isoformat())
    counts, bad = _Count(), []
    with db.transaction():
        hashed = hasher(db, create=True)
        before = db.rows(f"SELECT {COLUMNS} FROM registries WHERE name = :n", {"n": name})
        old = next(iter(before), None)
        replaced = registry_from_row(old) if old else None
        if old is None:
            registry_id = db.insert(
                "INSERT INTO registries (name, country, numbers, as_of, loaded_at) "
                "VALUES (:n, :c, 0, :a, :at) RETURNING id",
                {"n": name, "c": country, "a": as_of.isoformat(), "at": to_epoch(now)},
            )
        else:
            registry_id = int(old[0])  # type: ignore[call-overload]
            db.execute("DELETE FROM registry_numbers WHERE registry_id = :r", {"r": registry_id})
        _stage(db)
        digests = (hashed(number) for number in listed_numbers(path, country, counts, bad))
        while batch := list(islice(digests, BATCH)):
            _staged(db, batch)
        numbers = db.execute(
            "INSERT INTO registry_numbers (registry_id, digest) "
            f"SELECT CAST(:r AS INTEGER), digest FROM {STAGING} GROUP BY digest ORDER BY digest",
            {"r": registry_id},
        )
        db.execute(f"DROP TABLE {STAGING}")
        if numbers == 0 and counts.unreadable:
            raise InvalidData(
                "No number of {file} could be read as a number in {country} (line {line}); "
                "nothing was loaded.",
                file=str(path), country=country, line=bad[0],
            )  # fmt: skip
        db.execute(
            "UPDATE registries SET country = :c, numbers = :k, as_of = :a, loaded_at = :at "
            "WHERE id = :r",
            {"c": country, "k": numbers, "a": as_of.isoformat(), "at": to_epoch(now),
             "r": registry_id},
        )  # fmt: skip
        leads = _leads_listed(db, registry_id, hashed)
    registry = Registry(name, country, numbers, as_of, now)
    return Imported(
        registry, replaced, counts.lines, counts.not_listed, counts.unreadable, tuple(bad), leads
    )


def _leads_listed(db: Database, registry_id: int, hashed: Callable[[str], str]) -> int:
    """How many stored leads have their number on the list ``registry_id``."""
    by_digest: dict[str, int] = {}  # digest -> leads with that number
    for (number,) in db.rows("SELECT phone_e164 FROM leads WHERE phone_e164 IS NOT NULL"):
        digest = hashed(str(number))
        by_digest[digest] = by_digest.get(digest, 0) + 1
    return sum(by_digest[d] for d in on_list(db, registry_id, list(by_digest)))


def remove(db: Database, name: str) -> Registry:
    """Drop a list and its numbers."""
    name = check_name(name)
    with db.transaction():
        row = next(iter(db.rows(f"SELECT {COLUMNS} FROM registries WHERE name = :n",
                                {"n": name})), None)  # fmt: skip
        if row is None:
            known = ", ".join(r.name for r in loaded(db)) or "none"
            raise NotFound("No registry is called {name!r} (loaded: {known}).",
                           name=name, known=known)  # fmt: skip
        db.execute("DELETE FROM registry_numbers WHERE registry_id = :r", {"r": row[0]})
        db.execute("DELETE FROM registries WHERE id = :r", {"r": row[0]})
    return registry_from_row(row)
