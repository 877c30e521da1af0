"""``call import``: call history from another tool, streamed into the store.

Imported history is a record of what happened, not new events: it closes no follow-up and
changes no temperature. One exception, for compliance: a do-not-call outcome marks the lead
do-not-call (dated by the earliest such call), exactly as if it had been logged.

Speed comes from doing per-row work in memory only: the leads are loaded once into dicts
(id, e-mail, normalised phone), every distinct spelling (outcome, channel, phone) is read once
and cached, and rows go to the store with ``executemany`` in batches inside one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from warmcall import phones
from warmcall.calls import (
    CALL_INSERT,
    MAX_DURATION,
    OUTCOME_ALIASES,
    parse_duration,
    spelling_key,
)
from warmcall.clock import to_epoch
from warmcall.config import Config
from warmcall.errors import InvalidData, Word
from warmcall.imports.headers import listed, locate, mapped_column, undecorated
from warmcall.imports.headers import parse_map as parse_columns_map
from warmcall.imports.pipeline import (  # noqa: F401  (Rejected: this room's API)
    ImportRejected,
    Rejected,
    RejectsWriter,
    Tally,
    all_or_nothing,
    rejects_file,
)
from warmcall.imports.source import Broken, CsvSource, Record, Source, open_source  # noqa: F401
from warmcall.imports.synonyms import Spellings
from warmcall.leads import blank
from warmcall.models import Channel, Objection, Outcome, Said, Temperature
from warmcall.pickup import record as pickup_record
from warmcall.store.db import Database

BATCH = 10_000
# A file this big (some 200,000 calls) goes in faster when SQLite rebuilds the calls' indexes
# once at the end than when it updates them row by row at random places. For a million calls:
# 4 s instead of 14 s for the (lead_id, at) index, 1 s instead of 10 s for the report's
# (at, …) index. Every index of the table is dropped and rebuilt from its own stored
# definition, inside the import's transaction, so a failed import leaves them as they were,
# and the schema is the same afterwards.
REBUILD_INDEX_BYTES = 16 * 1024 * 1024
CALLS_INDEXES = (
    "SELECT name, sql FROM sqlite_master "
    "WHERE type = 'index' AND tbl_name = 'calls' AND sql IS NOT NULL"
)

# Each field with the headers other tools use for it, in order of preference, recognised as a
# lead import recognises its columns (``synonyms.Spellings``: case, accents, punctuation and
# camelCase ignored, "Customer e-mail" an e-mail, "Phone 2" a second phone); what a header has
# in brackets counts first ("Duration (ms)"), then is set aside ("Notes (internal)").
HEADERS: dict[str, tuple[str, ...]] = {
    "lead_id": ("lead id", "leadid", "lead no", "warmcall id"),
    "email": ("email", "e mail", "email address", "e mail address", "contact email",
              "lead email", "mail", "correo", "correo electronico"),
    "phone": ("phone", "phone number", "number", "to number", "to", "dialed number",
              "called number", "contact phone", "mobile", "mobile phone", "telefono", "movil",
              "numero"),
    "lead": ("lead", "contact", "associated contact", "associated contacts", "person",
             "contacto", "cliente"),
    "at": ("at", "datetime", "date time", "timestamp", "when", "call date", "activity date",
           "start time", "started at", "call start", "created at", "created date",
           "create date", "date created", "date", "fecha y hora", "fecha hora", "fecha"),
    "time": ("time", "call time", "time of call", "hour", "hora"),
    "outcome": ("outcome", "call outcome", "disposition", "call disposition", "result",
                "call result", "activity outcome", "status", "call status", "resultado",
                "estado"),
    "notes": ("notes", "note", "call notes", "comments", "comment", "description", "body",
              "call body", "summary", "notas", "comentarios", "observaciones", "descripcion"),
    "channel": ("channel", "activity type", "type", "medium", "canal", "tipo"),
    "duration": ("duration", "call duration", "call duration hh mm ss", "length",
                 "call length", "talk time", "duracion", "duration seconds", "duration s",
                 "duration sec", "call duration seconds", "duration in seconds", "seconds",
                 "segundos"),
    "duration_min": ("duration minutes", "duration min", "duration in minutes", "minutes",
                     "minutos"),
    "duration_ms": ("duration ms", "duration milliseconds", "call duration ms",
                    "call duration milliseconds"),
    "objections": ("objections", "objection", "objeciones", "objecion"),
    "temperature": ("temperature", "temp", "temperatura"),
    # the lead's own words about when ("maybe in spring"): kept as said, never read as a date
    "timeline": ("timeline", "timeframe", "time frame", "decision timeline", "buying timeline",
                 "horizonte", "plazo", "plazo de decision", "calendario de decision"),
}  # fmt: skip
FIELDS = tuple(HEADERS)
SPELLINGS = Spellings(HEADERS, brackets=True)

CHANNELS: dict[str, Channel] = {
    **{k: Channel.PHONE for k in ("phone", "call", "calls", "phone call", "outbound call",
                                  "inbound call", "outbound", "inbound", "llamada", "telefono")},
    **{k: Channel.EMAIL for k in ("email", "e mail", "mail", "correo")},
    **{k: Channel.SMS for k in ("sms", "text", "text message", "whatsapp")},
    **{k: Channel.LINKEDIN for k in ("linkedin", "inmail", "linkedin message")},
    **{k: Channel.VISIT for k in ("visit", "in person", "visita", "presencial")},
}  # fmt: skip

_EMAIL_IN = re.compile(r"[^\s<>()\[\],;\"']+@[^\s<>()\[\],;\"']+")


@dataclass
class CallImportResult(Tally):
    """``Tally`` (rows, imported, rejected and their lines…) and what a call import adds."""

    marked_dnc: int = 0  # leads a do-not-call row marked
    outcomes: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return super().as_json() | {"marked_dnc": self.marked_dnc, "outcomes": self.outcomes}


def parse_map(pairs: Iterable[str]) -> dict[str, str]:
    """``--map COLUMN=FIELD`` options naming a call's fields (``headers.parse_map``)."""
    return parse_columns_map(pairs, FIELDS, Word("call field"))


def map_columns(header: Sequence[str], mapping: Mapping[str, str] | None = None) -> dict[str, int]:
    """Field -> column index: ``--map`` first, then the known headers, each field taking
    its best-named column (the first of equals)."""
    found: dict[str, int] = {}
    for column, target in (mapping or {}).items():
        if (i := mapped_column(header, column)) is not None:
            found[target] = i
    used = set(found.values())
    hits = [
        (hit[1], i, hit[0])
        for i, column in enumerate(header)
        if i not in used and (hit := SPELLINGS.recognise(undecorated(column)))
    ]
    for _, i, target in sorted(hits):
        if target not in found and i not in used:
            found[target] = i
            used.add(i)
    if "at" not in found and "time" in found:  # a lone "Time" column holds the moment
        found["at"] = found.pop("time")
    missing = []
    if not {"lead_id", "email", "phone", "lead"} & found.keys():
        missing.append("the lead (an e-mail, phone or lead id column)")
    if "at" not in found:
        missing.append("the time (a date column)")
    if "outcome" not in found:
        missing.append("the outcome")
    if missing:
        raise InvalidData(
            "The file has no column for {items}; its columns are {listed} (name "
            "one with --map COLUMN=FIELD).",
            items=" or ".join(missing),
            listed=listed(header),
        )
    return found


class LeadIndex:
    """Every lead's id, e-mail and phone, loaded once: each row is a dict look-up."""

    def __init__(self, db: Database, region: str | None) -> None:
        self.region = region
        self.ids: set[int] = set()
        self.emails: dict[str, int] = {}
        self.phones: dict[str, int] = {}
        for lead_id, email, e164, phone in db.rows(
            "SELECT id, email, phone_e164, phone FROM leads ORDER BY id DESC"
        ):  # newest first, so the oldest lead wins a shared e-mail or phone
            self.ids.add(lead_id)
            if email:
                self.emails[email.lower()] = lead_id
            if phone:
                self.phones[phone.strip()] = lead_id
            if e164:
                self.phones[e164] = lead_id
        self._seen: dict[str, int | None] = {}

    def by_id(self, text: str) -> int:
        if not text.isdigit() or int(text) not in self.ids:
            raise InvalidData("no lead has id {text}", text=text)
        return int(text)

    def by_email(self, text: str) -> int:
        found = self.emails.get(text.lower())
        if found is None:
            raise InvalidData("no lead has the e-mail {text}", text=text)
        return found

    def by_phone(self, text: str) -> int:
        if text not in self._seen:
            found = self.phones.get(text)
            if found is None:
                e164, _ = phones.normalise(text, self.region)
                found = self.phones.get(e164) if e164 else None
            self._seen[text] = found
        found = self._seen[text]
        if found is None:
            raise InvalidData("no lead has the phone {text}", text=text)
        return found

    def by_any(self, text: str) -> int:
        """A generic "Lead"/"Contact" cell: an id, an e-mail (also inside "Name <e-mail>"),
        or a phone; names are not unique, so they are not matched."""
        if m := _EMAIL_IN.search(text):
            return self.by_email(m.group(0))
        if text.isdigit() and len(text) < 6:
            return self.by_id(text)
        if sum(ch.isdigit() for ch in text) >= 6:
            return self.by_phone(text)
        raise InvalidData(
            "cannot tell which lead {text!r} is; give an e-mail, phone or id", text=text
        )


class Moments:
    """Dates as other tools write them, naive ones in the user's zone, to epoch seconds.

    ISO 8601 takes the fast path; other layouts are tried with the format that worked last,
    then the common ones (day-first per the locale), then python-dateutil.
    """

    FORMATS = (
        "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %I:%M %p", "%d/%m/%Y %I:%M:%S %p",
        "%d/%m/%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y", "%d-%m-%Y %H:%M",
        "%d-%m-%Y", "%d/%m/%y %H:%M", "%d/%m/%y",
    )  # fmt: skip

    def __init__(self, zone: ZoneInfo, dayfirst: bool) -> None:
        self.zone = zone
        self.dayfirst = dayfirst
        swap = {"%d/%m": "%m/%d", "%d.%m": "%m.%d", "%d-%m": "%m-%d"}
        month_first = tuple(_replace_prefix(f, swap) for f in self.FORMATS)
        self.formats = self.FORMATS + month_first if dayfirst else month_first + self.FORMATS
        self.last: str | None = None

    def epoch(self, text: str, clock: str | None = None) -> int:
        text = text.strip()
        if not text:
            raise InvalidData("no date")
        if clock and clock.strip():
            text = f"{text} {clock.strip()}"
        if text.isdigit() and len(text) in (10, 13):  # Unix seconds or milliseconds
            return int(text) // (1000 if len(text) == 13 else 1)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = self._other(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        return to_epoch(moment)

    def _other(self, text: str) -> datetime:
        if self.last:
            try:
                return datetime.strptime(text, self.last)
            except ValueError:
                pass
        for fmt in self.formats:
            try:
                moment = datetime.strptime(text, fmt)
            except ValueError:
                continue
            self.last = fmt
            return moment
        from dateutil import parser

        try:
            return parser.parse(text, dayfirst=self.dayfirst)
        except (ValueError, OverflowError, parser.ParserError):
            raise InvalidData("cannot read the date {text!r}", text=text) from None


def _replace_prefix(fmt: str, swap: Mapping[str, str]) -> str:
    for old, new in swap.items():
        if fmt.startswith(old):
            return new + fmt[len(old) :]
    return fmt


class RowReader:
    """One CSV row to the dict ``CALL_INSERT`` takes, or InvalidData with the reason."""

    def __init__(self, columns: Mapping[str, int], index: LeadIndex, config: Config, now: datetime):
        self.moments = Moments(config.zone, config.day_first)
        self.created = to_epoch(now)
        self.rep = config.rep  # an imported history is the importing rep's
        self._outcomes: dict[str, Outcome | None] = {}
        self._channels: dict[str, Channel | None] = {}
        self.width = max(columns.values()) + 1
        # Only the columns the file has are looked at, each with its reader, chosen once.
        finders = (("lead_id", index.by_id), ("email", index.by_email),
                   ("phone", index.by_phone), ("lead", index.by_any))  # fmt: skip
        self.finders = [(columns[key], find) for key, find in finders if key in columns]
        self.i_at, self.i_time = columns["at"], columns.get("time")
        self.i_outcome = columns["outcome"]
        scales = (("duration", 1.0), ("duration_ms", 0.001), ("duration_min", 60.0))
        self.durations = [(columns[key], scale) for key, scale in scales if key in columns]
        extras: tuple[tuple[str, Callable[[str], Any]], ...] = (
            ("channel", self._channel), ("notes", blank), ("objections", self._objections),
            ("temperature", self._temperature), ("timeline", blank),
        )  # fmt: skip
        self.extras = [(key, columns[key], read) for key, read in extras if key in columns]

    def read(self, cells: list[str]) -> dict[str, Any]:
        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        row = {
            "lead_id": self._lead(cells),
            "at": self.moments.epoch(
                cells[self.i_at], None if self.i_time is None else cells[self.i_time]
            ),
            "outcome": self._outcome(cells[self.i_outcome]),
            "channel": "phone",
            "duration": self._duration(cells) if self.durations else None,
            "notes": None,
            "objections": None,
            "temperature": None,
            "timeline": None,
            "rep": self.rep,
            "created_at": self.created,
        }
        for key, i, read in self.extras:
            row[key] = read(cells[i])
        if row["timeline"] and not Outcome(row["outcome"]).is_conversation:
            raise InvalidData("a timeline on a call that was not a conversation")
        return row

    def _lead(self, cells: list[str]) -> int:
        first: InvalidData | None = None
        for i, find in self.finders:
            if value := blank(cells[i]):
                try:
                    return find(value)
                except InvalidData as exc:
                    first = first or exc
        raise first or InvalidData("no lead: the e-mail, phone and id cells are empty")

    def _outcome(self, raw: str) -> str:
        if raw not in self._outcomes:
            self._outcomes[raw] = OUTCOME_ALIASES.get(spelling_key(raw))
        found = self._outcomes[raw]
        if found is None:
            if not raw.strip():
                raise InvalidData("no outcome")
            raise InvalidData("unknown outcome {value!r}", value=raw.strip())
        return found.value

    def _channel(self, raw: str) -> str:
        if not raw.strip():
            return "phone"
        if raw not in self._channels:
            self._channels[raw] = CHANNELS.get(spelling_key(raw))
        found = self._channels[raw]
        if found is None:
            raise InvalidData("unknown channel {value!r}", value=raw.strip())
        return found.value

    def _duration(self, cells: list[str]) -> int | None:
        """A bare number is seconds, as tools export it (milliseconds and minutes when the
        header says so); ``4:30`` and ``5m`` read as a person writes them."""
        for i, scale in self.durations:
            if raw := blank(cells[i]):
                try:
                    seconds = round(float(raw.replace(",", ".")) * scale)
                except ValueError:
                    seconds = parse_duration(raw)
                if seconds < 0:
                    raise InvalidData("a negative duration ({raw})", raw=raw)
                if seconds > MAX_DURATION:  # the limit of call log, on every engine
                    raise InvalidData(
                        "a duration over {hours} hours ({raw})", hours=MAX_DURATION // 3600, raw=raw
                    )
                return seconds
        return None

    def _objections(self, raw: str) -> str | None:
        names = [spelling_key(p).replace(" ", "-") for p in re.split(r"[,;|]", raw) if p.strip()]
        try:
            return ",".join(dict.fromkeys(Objection(n).value for n in names)) or None
        except ValueError:
            allowed = ", ".join(o.value for o in Objection)
            raise InvalidData(
                "objections must be among {allowed}, not {value!r}",
                allowed=allowed,
                value=raw.strip(),
            ) from None

    def _temperature(self, raw: str) -> str | None:
        if not (value := blank(raw)):
            return None
        try:
            return Temperature(spelling_key(value)).value
        except ValueError:
            raise InvalidData(
                "temperature must be cold, warm or hot, not {value!r}", value=value
            ) from None


Progress = Callable[[int], None]  # told the bytes read so far, once a batch


def import_calls(
    db: Database,
    source: Source,
    config: Config,
    now: datetime,
    *,
    size: int | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
    rejects: Path | None = None,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> CallImportResult:
    """Store the calls of ``source`` in one transaction.

    Atomic unless ``skip_invalid``: one bad row writes nothing and raises ImportRejected
    listing the lines. ``rejects`` receives every rejected row with its line and reason.
    """
    result = CallImportResult(
        source=source.name, encoding=source.encoding, delimiter=source.delimiter, dry_run=dry_run
    )
    if isinstance(source, CsvSource):
        source.max_cell = config.imports.max_cell
    header, rows = _header(source, mapping)
    columns = map_columns(header, mapping)
    result.columns = {header[i]: f for f, i in sorted(columns.items(), key=lambda fi: fi[1])}
    reader = RowReader(columns, LeadIndex(db, config.phone_region), config, now)
    dnc: dict[int, tuple[int, str | None]] = {}  # lead -> earliest do-not-call (at, notes)
    batch: list[dict[str, Any]] = []
    touched: set[int] = set()  # the leads whose pickup hours the import changes
    rebuild = not dry_run and db.dialect == "sqlite" and (size or 0) >= REBUILD_INDEX_BYTES
    atomic = not skip_invalid
    with rejects_file(rejects) as fh, all_or_nothing(db, result, skip_invalid):
        out = RejectsWriter(fh, header)
        indexes = list(db.rows(CALLS_INDEXES)) if rebuild else []
        for name, _ in indexes:
            db.execute(f'DROP INDEX "{name}"')
        for record in rows:
            if isinstance(record, Broken):
                line, cells = record.line, [record.text]
            else:
                line, cells = record
                if not "".join(cells).strip():
                    continue  # a row of empty cells is no call
            result.rows += 1
            if progress and not result.rows % BATCH:
                progress(source.bytes_read)
            try:
                if isinstance(record, Broken):
                    raise InvalidData(record.reason)
                row = reader.read(cells)
            except InvalidData as exc:
                result.note_rejected(line, exc)
                out.write(line, cells, str(exc))
                continue
            result.imported += 1
            result.outcomes[row["outcome"]] = result.outcomes.get(row["outcome"], 0) + 1
            if row["outcome"] == Outcome.DO_NOT_CALL:
                earlier = dnc.get(row["lead_id"])
                if earlier is None or row["at"] < earlier[0]:
                    dnc[row["lead_id"]] = (row["at"], row["notes"])
            if dry_run or (result.rejected and atomic):
                continue  # an atomic import that will fail stops writing, keeps checking
            batch.append(row)
            touched.add(row["lead_id"])
            if len(batch) >= BATCH:
                db.executemany(CALL_INSERT, batch)
                batch.clear()
        if dry_run:
            result.marked_dnc = _count_new_dnc(db, dnc)
        elif not (result.rejected and atomic):
            db.executemany(CALL_INSERT, batch)
            for _, sql in indexes:
                db.execute(sql)
            pickup_record.refresh(db, touched, config)
            result.marked_dnc = _mark_dnc(db, dnc, to_epoch(now))
        if result.rejected and atomic:
            raise _rejected(result, rejects)  # (all_or_nothing wrote nothing)
    return result


def _header(
    source: Source, mapping: Mapping[str, str] | None
) -> tuple[list[str], Iterator[Record]]:
    """The header (below any title lines: the first row naming the columns we need) and the
    records after it."""
    records = source.records()

    def names_columns(cells: list[str]) -> bool:
        try:
            map_columns(cells, mapping)
        except InvalidData:
            return False
        return True

    _, columns, early = locate(records, names_columns, lambda _: False, source.name)
    source.width = len(columns)
    return [undecorated(c) for c in columns], chain(early, records)


def _mark_dnc(db: Database, dnc: Mapping[int, tuple[int, str | None]], now: int) -> int:
    """Leads a do-not-call row names become dnc, dated by that call (compliance)."""
    fresh = _count_new_dnc(db, dnc)
    db.executemany(
        "UPDATE leads SET status = 'dnc', dnc_at = COALESCE(dnc_at, :at), "
        "dnc_reason = COALESCE(dnc_reason, :reason), updated_at = :now WHERE id = :id",
        (
            {"id": lead_id, "at": at, "reason": notes or Said.ASKED.value, "now": now}
            for lead_id, (at, notes) in dnc.items()
        ),
    )
    return fresh


def _count_new_dnc(db: Database, dnc: Mapping[int, tuple[int, str | None]]) -> int:
    if not dnc:
        return 0
    already = {lead_id for (lead_id,) in db.rows("SELECT id FROM leads WHERE status = 'dnc'")}
    return len(dnc.keys() - already)


def _rejected(result: CallImportResult, rejects: Path | None) -> ImportRejected:
    head = (
        Word(
            "1 of {rows} rows cannot be imported, so nothing was written (--skip-invalid "
            "imports the others):"
        )
        if result.rejected == 1
        else Word(
            "{n} of {rows} rows cannot be imported, so nothing was written (--skip-invalid "
            "imports the others):"
        )
    )
    return ImportRejected(head, result, rejects, n=f"{result.rejected:,}", rows=f"{result.rows:,}")
