"""Leads: building them from what a user typed, storing, finding and changing them.

Every value that enters through ``lead add``, ``lead edit`` or an import passes through
``LeadBuilder``, so one set of rules decides what a valid lead is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from warmcall import phones
from warmcall.clock import from_epoch, iso, to_epoch
from warmcall.compliance.consent import CONSENT_COLUMNS, consent_record
from warmcall.compliance.zones import settled
from warmcall.config import Config
from warmcall.errors import Ambiguous, InvalidData, NotFound, Refused, UsageError, Word
from warmcall.localtime.windows import canonical
from warmcall.models import (
    BASES,
    Consent,
    ConsentRecord,
    Lead,
    Said,
    Segment,
    Stage,
    Status,
    Temperature,
    said,
)
from warmcall.store import columns
from warmcall.store.db import LIKE_ESCAPE, Database, like_pattern, placeholders, quoted

E = TypeVar("E", bound=StrEnum)

# Columns of the leads table a user can set (id and timestamps are the store's).
EDITABLE = (
    "name", "company", "title", "phone", "email", "temperature", "stage", "status",
    "source", "context", "consent", "window", "timezone", "notes", "tags", "segment", "region",
)  # fmt: skip
COLUMNS = columns.LEADS  # every column, in the table's order (``store.schema``)
WRITTEN = tuple(c for c in COLUMNS if c not in columns.KEPT["leads"])  # from a ``Lead``


SELECT_COLUMNS = quoted(COLUMNS)
_EDITABLE = frozenset(EDITABLE)
# The fields whose text ``LeadBuilder.convert`` checks or turns into our values; the others
# are kept as typed.
CHECKED = frozenset(
    {"email", "temperature", "stage", "status", "consent", "window", "timezone", "segment",
     "region"}
)  # fmt: skip
# Words other tools and people use for our segments (SPEC §1).
SEGMENT_ALIASES = {
    "b2b": "business", "company": "business", "companies": "business", "corporate": "business",
    "organisation": "business", "organization": "business", "empresa": "business",
    "b2c": "consumer", "private": "consumer", "individual": "consumer", "person": "consumer",
    "particular": "consumer", "consumidor": "consumer", "residential": "consumer",
    "sole-proprietor": "sole-trader", "sole-proprietorship": "sole-trader",
    "self-employed": "sole-trader", "freelance": "sole-trader", "freelancer": "sole-trader",
    "autonomo": "sole-trader", "trabajador-autonomo": "sole-trader",
    "independent": "sole-trader", "soletrader": "sole-trader",
}  # fmt: skip
EMPTY = frozenset({"", "#n/a", "n/a", "na", "-", "--", "none", "null", "nan", "(none)"})
_LONGEST_EMPTY = max(map(len, EMPTY))  # longer text is never a placeholder


class _Marks(dict[int, int | None]):
    """``str.translate`` table that drops combining marks (accents), filled as characters
    are met: the translation runs in C, not a Python call a character."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_MARKS = _Marks()


def fold(text: str) -> str:
    """Lower-cased, accents removed: ``Martínez`` and ``martinez`` are the same key."""
    if text.isascii():  # nothing to decompose
        return text.casefold()
    return unicodedata.normalize("NFKD", text).translate(_MARKS).casefold()


def spelling_key(text: str) -> str:
    """A spelling compared without case, accents, punctuation or extra spaces: for
    outcomes, channels and the column headers of other tools (``imports.synonyms``)."""
    return _NOT_WORD.sub(" ", fold(text)).strip()


_NOT_WORD = re.compile(r"[\W_]+")


def blank(value: str | None) -> str | None:
    """None for empty cells and spreadsheet placeholders, else the stripped text."""
    if value is None:
        return None
    text = value.strip()
    return None if len(text) <= _LONGEST_EMPTY and text.casefold() in EMPTY else text


def _given(key: str, raw: Any, by_hand: bool) -> Any:
    """A field's value as given, None when it says nothing. A placeholder ("none", "n/a")
    says nothing — a file's cell never does more — but a consent said by hand is a value:
    ``lead edit --consent none`` takes a consent back to none."""
    if not isinstance(raw, str):
        return raw
    if by_hand and key == "consent" and fold(raw.strip()) == Consent.NONE:
        return Consent.NONE.value
    return blank(raw)


def choice(enum: type[E], value: str, field: str, aliases: Mapping[str, str] | None = None) -> E:
    key = fold(value.strip()).replace("_", "-").replace(" ", "-")
    key = (aliases or {}).get(key, key)
    try:
        return enum(key)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise InvalidData(
            "{field} must be one of {allowed}, not {value!r}.",
            field=field,
            allowed=allowed,
            value=value,
        ) from None


def valid_email(value: str) -> str:
    """The address, lower-cased; InvalidData when it is not an e-mail (no DNS look-up)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidData("{value!r} is not an e-mail address.", value=value) from None
    return result.normalized.lower()


def valid_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidData(
            "{value!r} is not an IANA time zone (like Europe/Madrid).", value=value
        ) from None
    return value


def valid_region(value: str) -> str:
    """An ISO 3166-2 subdivision (ES-MD, US-FL), upper-cased; InvalidData otherwise."""
    from warmcall.config import SUBDIVISION

    code = value.strip().upper()
    if not SUBDIVISION.fullmatch(code):
        raise InvalidData(
            "{value!r} is not a region code like ES-MD or US-FL (ISO 3166-2).", value=value
        )
    return code


def split_tags(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else value
    return list(dict.fromkeys(t.strip() for t in items if t and t.strip()))


@dataclass
class LeadBuilder:
    """Turns raw text values into a valid ``Lead`` (or InvalidData with one clear reason)."""

    config: Config
    default_temperature: Temperature = Temperature.WARM
    by_hand: bool = False  # values typed at a command, not a file's cells (``_given``)
    region: str | None = field(init=False)

    def __post_init__(self) -> None:
        # Settled once: inferring it from the zone reads the system's zone table.
        self.region = self.config.phone_region

    def build(self, values: Mapping[str, Any]) -> Lead:
        name = blank(values.get("name"))
        if not name:
            raise InvalidData("A lead needs a name.")
        lead = Lead(
            name=name,
            temperature=self.default_temperature,
            segment=Segment(self.config.compliance.segment),
            updated_by=self.config.rep,
        )
        self.apply(lead, values)  # sets the name again, as given: no copy of ``values``
        return lead

    def apply(self, lead: Lead, values: Mapping[str, Any]) -> Lead:
        """Set each given field on ``lead`` after checking it; None leaves a field as it is.

        A do-not-call is final: no value given here lifts it (``lift_dnc`` does)."""
        given = values.get("status")
        lifting = (
            lead.status == Status.DNC
            and blank(str(given or "")) is not None
            and self.convert("status", given) != Status.DNC
        )
        if lifting:
            raise Refused(
                "{name} (#{id}) asked not to be called on {day}{reason}; only "
                "`warmcall lead dnc {id} --lift --reason TEXT` lifts it.",
                **objected(lead, self.config.zone),
            )
        for key, raw in values.items():
            if key == "phones":
                continue  # the numbers after the first: read below, once the first is known
            if key not in _EDITABLE:
                raise InvalidData("{key!r} is not a lead field.", key=key)
            if key == "tags":
                if raw is not None:
                    lead.tags = split_tags(raw)
                continue
            value = _given(key, raw, self.by_hand)
            if value is None:
                continue
            setattr(lead, key, self.convert(key, value))
        if "phone" in values and blank(values.get("phone")) is not None:
            found = self.phone(lead.phone)
            lead.phone_e164, lead.phone_flag = found.e164, found.flag
            if lead.timezone is None and "timezone" not in values:
                lead.timezone = found.zone  # a number with one zone gives the lead its zone
        if values.get("phones") is not None:
            lead.phones = self.others(lead, values["phones"])
        lead.zones = None  # read from the store; derived again from what changed
        return lead

    def others(self, lead: Lead, numbers: Iterable[str]) -> list[str]:
        """A lead's numbers after its first, once each: in E.164 where they read as one, else
        as given (as an import keeps them), so that any of them finds the person again."""
        kept = [self.phone(n).e164 or n for raw in numbers if (n := blank(raw))]
        return [n for n in dict.fromkeys(kept) if n not in (lead.phone_e164, lead.phone)]

    def phone(self, raw: str | None) -> phones.Phone:
        """The number's E.164 form, flag and zone (an import reads its numbers in batches,
        through ``phone_worker``)."""
        return phones.read(raw, self.region)

    def convert(self, key: str, value: Any) -> Any:
        if key not in CHECKED:
            return value
        if key == "email":
            return valid_email(value)
        if key == "temperature":
            return choice(Temperature, value, "temperature")
        if key == "stage":
            return choice(Stage, value, "stage")
        if key == "status":
            return choice(Status, value, "status")
        if key == "consent":
            return choice(Consent, value, "consent", {"optin": "opt-in", "opt": "opt-in"})
        if key == "window":
            return canonical(value, self.config.windows)
        if key == "timezone":
            return valid_zone(value)
        if key == "segment":
            return choice(Segment, value, "segment", SEGMENT_ALIASES)
        if key == "region":
            return valid_region(value)
        return value


def owners(owner: str | None, assign: str | None, reps: str | None) -> tuple[str, ...]:
    """The reps new leads go to, as ``lead import`` names them: ``--owner REP`` (one), or
    ``--assign round-robin --reps A,B`` (in turn); none: shared by the team."""
    if assign is None:
        if reps is not None:
            raise InvalidData("--reps names whom --assign round-robin shares the leads out to.")
        return (owner.strip(),) if owner and owner.strip() else ()
    if assign.strip().lower() != "round-robin":
        raise InvalidData("--assign takes round-robin, not {value!r}.", value=assign)
    if owner is not None:
        raise InvalidData("Give --owner or --assign, not both.")
    named = tuple(dict.fromkeys(r.strip() for r in (reps or "").split(",") if r.strip()))
    if not named:
        raise InvalidData("--assign round-robin needs the reps: add --reps ana,luis.")
    return named


def assign(db: Database, lead: Lead, rep: str | None, config: Config, now: datetime) -> Lead:
    """Give the lead to ``rep`` (None or '': shared by the team again)."""
    lead.owner = rep.strip() if rep and rep.strip() else None
    lead.updated_by = config.rep
    with db.transaction(exclusive=False):  # one row: no need to wait for an import
        save(db, lead, now)
    return lead


# --- the store ---------------------------------------------------------------------------


# consents: a table of their own; duplicate_allowed: said by the identity keys
_NOT_COLUMNS = ("consents", "duplicate_allowed")
_LEAD_FIELDS = tuple(f.name for f in fields(Lead) if f.name not in _NOT_COLUMNS)


def to_row(lead: Lead) -> dict[str, Any]:
    from warmcall import identity  # it reads names with this module's ``fold``

    row = {name: getattr(lead, name) for name in _LEAD_FIELDS}
    row["name_key"] = fold(lead.name)
    no_keys = (None, None)
    row["email_key"], row["phone_key"] = (
        no_keys if lead.duplicate_allowed else identity.keys(lead.email, lead.phone_e164, lead.name)
    )
    row["tags"] = ",".join(lead.tags) or None
    row["phones"] = "\n".join(lead.phones) or None
    row["zones"] = settled(lead.timezone, lead.phone_e164, lead.country, lead.email)
    for key in ("temperature", "stage", "status", "consent"):
        row[key] = str(row[key])
    row["segment"] = str(row["segment"]) if row["segment"] else None
    for key in ("dnc_at", "created_at", "updated_at"):
        row[key] = to_epoch(row[key]) if row[key] else None
    return row


def from_row(row: Mapping[str, Any]) -> Lead:
    return Lead(
        id=row["id"],
        name=row["name"],
        company=row["company"],
        title=row["title"],
        phone=row["phone"],
        phone_e164=row["phone_e164"],
        phone_flag=row["phone_flag"],
        email=row["email"],
        temperature=Temperature(row["temperature"]),
        stage=Stage(row["stage"]),
        status=Status(row["status"]),
        source=row["source"],
        context=row["context"],
        consent=Consent(row["consent"]),
        window=row["window"],
        timezone=row["timezone"],
        notes=row["notes"],
        tags=split_tags(row["tags"]),
        dnc_at=from_epoch(row["dnc_at"]),
        dnc_reason=row["dnc_reason"],
        created_at=from_epoch(row["created_at"]),
        updated_at=from_epoch(row["updated_at"]),
        country=row["country"],
        phones=row["phones"].split("\n") if row["phones"] else [],
        segment=Segment(row["segment"]) if row["segment"] else None,
        region=row["region"],
        owner=row["owner"],
        updated_by=row["updated_by"],
        zones=row["zones"],
        # a lead with an e-mail or a number read, but no key for it
        duplicate_allowed=bool(
            (row["email"] and row["email_key"] is None)
            or (row["phone_e164"] and row["phone_key"] is None)
        ),
    )


INSERT_SQL = (
    f"INSERT INTO leads ({quoted(WRITTEN[1:])}) VALUES ({', '.join(':' + c for c in WRITTEN[1:])})"
)


def add(db: Database, lead: Lead, now: datetime) -> Lead:
    """Insert the lead, with its consent as its first record, dated at its creation."""
    lead.created_at = lead.updated_at = now
    row = to_row(lead)
    row.pop("id")
    with db.transaction():
        lead.id = db.insert(INSERT_SQL + " RETURNING id", row)
        _insert_consent(db, lead.id, ConsentRecord(now, str(lead.consent)), now)
    lead.consents = consents(db, lead.id)
    return lead


UPDATE_SQL = (
    "UPDATE leads SET " + ", ".join(f"{quoted(c)} = :{c}" for c in WRITTEN[1:]) + " WHERE id = :id"
)


def save(db: Database, lead: Lead, now: datetime) -> Lead:
    lead.updated_at = now
    db.execute(UPDATE_SQL, to_row(lead))
    return lead


def get(db: Database, lead_id: int) -> Lead:
    row = db.one(f"SELECT {SELECT_COLUMNS} FROM leads WHERE id = :id", {"id": lead_id})
    if row is None:
        raise NotFound("No lead has id {lead_id}.", lead_id=lead_id)
    return from_row(row)


def resolve(db: Database, ref: str, config: Config) -> Lead:
    """A lead by id, e-mail, phone (any format) or a part of its name (case and accents
    ignored), with its consent records; Ambiguous lists the candidates when more than one
    matches."""
    lead = _resolve(db, ref, config)
    lead.consents = consents(db, lead.id)  # type: ignore[arg-type]
    return lead


def _resolve(db: Database, ref: str, config: Config) -> Lead:
    ref = ref.strip()
    if not ref:
        raise NotFound("Name a lead: an id, an e-mail, a phone or part of the name.")
    select = f"SELECT {SELECT_COLUMNS} FROM leads"
    if ref.isdigit():
        row = db.one(f"{select} WHERE id = :id", {"id": int(ref)})
        if row:
            return from_row(row)
    candidates: list[dict[str, Any]] = []
    if "@" in ref:
        candidates = db.query(f"{select} WHERE email = :e", {"e": ref.lower()})
    if not candidates and sum(ch.isdigit() for ch in ref) >= 6:
        e164, _ = phones.normalise(ref, config.phone_region)
        if e164:
            candidates = db.query(f"{select} WHERE phone_e164 = :p", {"p": e164})
        if not candidates:
            candidates = db.query(f"{select} WHERE phone = :p", {"p": ref})
    if not candidates:
        key = fold(ref)
        # Names with a word that starts with the text first: "ana" is Ana or Mariana Anaya
        # before Álvaro Quintana, who is offered only when no word starts with it.
        candidates = db.query(
            f"{select} WHERE name_key LIKE :k {LIKE_ESCAPE} ORDER BY "
            f"(name_key LIKE :s {LIKE_ESCAPE} OR name_key LIKE :w {LIKE_ESCAPE}) DESC, id LIMIT 11",
            {"k": like_pattern(key), "s": like_pattern(key, ""), "w": like_pattern(key, "% ")},
        )
        exact = [c for c in candidates if c["name_key"] == key]
        starts = [c for c in candidates if _starts_a_word(c["name_key"], key)]
        candidates = exact if len(exact) == 1 else starts or candidates
    if not candidates:
        raise NotFound("No lead matches {ref!r}.", ref=ref)
    if len(candidates) > 1:
        names = [describe(from_row(c)) for c in candidates[:10]]
        ids = [c["id"] for c in candidates[:10]]
        if len(candidates) > 10:
            raise Ambiguous(
                "{ref!r} matches more than 10 leads; name one by id.", names, ids, ref=ref
            )
        raise Ambiguous(
            "{ref!r} matches {count} leads; name one by id.",
            names,
            ids,
            ref=ref,
            count=len(candidates),
        )
    return from_row(candidates[0])


def _starts_a_word(name_key: str, key: str) -> bool:
    return name_key.startswith(key) or f" {key}" in name_key


def describe(lead: Lead) -> str:
    bits = [f"#{lead.id} {lead.name}"]
    if lead.company:
        bits.append(lead.company)
    if lead.email or lead.phone:
        bits.append(lead.email or lead.phone or "")
    return " · ".join(bits)


def labels(db: Database) -> dict[str, int]:
    """``"Ana Martínez · Innova · #12"`` → id for every lead that may be called: the choices
    a question with completion offers (one light query, no Lead objects)."""
    return {
        " · ".join(x for x in (name, company, f"#{lead_id}") if x): lead_id
        for lead_id, name, company in db.rows(
            "SELECT id, name, company FROM leads WHERE status <> 'dnc' ORDER BY name_key, id"
        )
    }


@dataclass
class LeadFilter:
    temperature: Temperature | None = None
    status: Status | None = None
    stage: Stage | None = None
    source: str | None = None
    tag: str | None = None
    search: str | None = None


def find(db: Database, flt: LeadFilter | None = None) -> list[Lead]:
    flt = flt or LeadFilter()
    where, params = [], {}
    for key in ("temperature", "status", "stage"):
        value = getattr(flt, key)
        if value is not None:
            where.append(f"{key} = :{key}")
            params[key] = str(value)
    if flt.source:
        where.append(f"LOWER(source) LIKE :source {LIKE_ESCAPE}")
        params["source"] = like_pattern(flt.source.lower())
    if flt.tag:
        where.append(f"(',' || LOWER(tags) || ',') LIKE :tag {LIKE_ESCAPE}")
        params["tag"] = like_pattern(flt.tag.lower().strip(), "%,", ",%")
    if flt.search:
        columns = ("name_key", "LOWER(COALESCE(company, ''))", "LOWER(COALESCE(email, ''))",
                   "COALESCE(phone, '')", "LOWER(COALESCE(notes, ''))",
                   "LOWER(COALESCE(context, ''))")  # fmt: skip
        where.append("(" + " OR ".join(f"{c} LIKE :q {LIKE_ESCAPE}" for c in columns) + ")")
        params["q"] = like_pattern(fold(flt.search))
    sql = f"SELECT {SELECT_COLUMNS} FROM leads"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [from_row(r) for r in db.query(sql + " ORDER BY id", params)]


def mark_dnc(db: Database, lead: Lead, reason: str | None, now: datetime) -> Lead:
    """Record an objection at once: the lead is never offered again, and the timeline keeps
    the act (a ``dnc`` event) with its date and reason."""
    already = lead.status == Status.DNC
    lead.status = Status.DNC
    lead.dnc_at = lead.dnc_at or now
    lead.dnc_reason = reason or lead.dnc_reason or Said.ASKED.value
    with db.transaction():
        save(db, lead, now)
        if not already:
            record_event(db, lead, "dnc", lead.dnc_at, lead.dnc_reason, now)
    return lead


def lift_dnc(db: Database, lead: Lead, reason: str, now: datetime) -> Lead:
    """Lift an objection, said explicitly with a reason (SPEC §7): the only way a do-not-call
    lead becomes active again. The objection and the lift both stay in the timeline."""
    if lead.status != Status.DNC:
        raise Refused("{name} has no objection on record to lift.", name=lead.name)
    if not (reason or "").strip():
        raise UsageError("Say why the objection is lifted: add --reason TEXT.")
    if lead.dnc_at is not None and now < lead.dnc_at:
        raise InvalidData("An objection cannot be lifted before it was made.")
    with db.transaction():
        _lift(db, lead, reason.strip(), now)
    return lead


def _lift(db: Database, lead: Lead, reason: str, now: datetime) -> None:
    lead.status, lead.dnc_at, lead.dnc_reason = Status.ACTIVE, None, None
    save(db, lead, now)
    record_event(db, lead, "lift", now, reason, now)


@dataclass
class LeadEvent:
    """An act on a lead to prove later: ``dnc`` (an objection), ``lift`` (lifted), or a change
    of identity, ``phone`` or ``email`` (``old`` replaced by ``new``, None when removed)."""

    at: datetime
    kind: str
    reason: str | None
    old: str | None = None
    new: str | None = None


def record_event(
    db: Database, lead: Lead, kind: str, at: datetime, reason: str | None, now: datetime
) -> None:
    db.execute(
        "INSERT INTO lead_events (lead_id, at, kind, reason, created_at) "
        "VALUES (:lead, :at, :kind, :reason, :now)",
        {"lead": lead.id, "at": to_epoch(at), "kind": kind, "reason": reason,
         "now": to_epoch(now)},
    )  # fmt: skip


def events(db: Database, lead: Lead) -> list[LeadEvent]:
    """The objections, lifts and identity changes of a lead, oldest first. A do-not-call
    recorded before the store kept events reads from the lead's own fields."""
    found = [
        LeadEvent(from_epoch(at), kind, reason)  # type: ignore[arg-type]
        for at, kind, reason in db.rows(
            "SELECT at, kind, reason FROM lead_events WHERE lead_id = :id ORDER BY at, id",
            {"id": lead.id},
        )
    ]
    found += [
        LeadEvent(from_epoch(at), kind, None, old, new)  # type: ignore[arg-type]
        for at, kind, old, new in db.rows(
            "SELECT at, kind, value, replaced_by FROM lead_identities WHERE lead_id = :id "
            "ORDER BY at, id",
            {"id": lead.id},
        )
    ]
    found.sort(key=lambda e: e.at)  # stable: each table's own order within a moment
    if lead.status == Status.DNC and not any(e.kind == "dnc" for e in found):
        found.insert(0, LeadEvent(lead.dnc_at or lead.updated_at, "dnc", lead.dnc_reason))  # type: ignore[arg-type]
    return found


def event_json(event: LeadEvent, zone: ZoneInfo) -> dict[str, Any]:
    data = {"at": iso(event.at, zone), "kind": event.kind, "reason": event.reason}
    if event.kind in IDENTITY_KINDS:
        data |= {"old": event.old, "new": event.new}
    return data


# --- proof of consent: every consent given or withdrawn, dated, with its channel ----------


def consents(db: Database, lead_id: int) -> tuple[ConsentRecord, ...]:
    """The lead's consent records, oldest first (a few rows: read at once, with no second
    connection to stream them on PostgreSQL)."""
    return tuple(
        consent_record(row.values())
        for row in db.query(
            f"SELECT {CONSENT_COLUMNS} FROM lead_consents WHERE lead_id = :id ORDER BY at, id",
            {"id": lead_id},
        )
    )


def _insert_consent(db: Database, lead_id: int, record: ConsentRecord, now: datetime) -> None:
    db.execute(
        "INSERT INTO lead_consents (lead_id, at, consent, channel, wording, expires_at, basis, "
        "created_at) VALUES (:lead, :at, :consent, :channel, :wording, :expires, :basis, :now)",
        {"lead": lead_id, "at": to_epoch(record.at), "consent": record.consent,
         "channel": record.channel, "wording": record.wording,
         "expires": to_epoch(record.expires_at) if record.expires_at else None,
         "basis": record.basis, "now": to_epoch(now)},
    )  # fmt: skip


def consent_value(text: str) -> Consent:
    """The consent a person typed (``opt-in``, ``optin``, ``Revoked``…); InvalidData naming
    the allowed ones otherwise (a usage error where it was typed on the command line)."""
    return choice(Consent, text, "consent", {"optin": "opt-in", "opt": "opt-in"})


def give_consent(db: Database, lead: Lead, record: ConsentRecord, now: datetime) -> ConsentRecord:
    """Record a consent given or withdrawn (``lead consent``), with its proof, and return it
    as stored. The lead's ``consent`` becomes the latest record's: a record back-dated before
    a later one joins the history without changing what is in force now."""
    consent = consent_value(record.consent)
    channel = (record.channel or "").strip().lower()
    if not channel:
        raise UsageError("Say how the consent was given: add --channel (web-form, phone, ...).")
    if record.at > now:
        raise InvalidData("A consent cannot be recorded as given in the future.")
    if record.expires_at is not None and record.expires_at <= record.at:
        raise InvalidData("A consent must expire after the day it was given.")
    basis = record.basis
    if basis is not None and (basis not in BASES or consent != Consent.CUSTOMER):
        raise UsageError("--basis is a customer's purchase or inquiry, not {basis!r}.", basis=basis)
    record = ConsentRecord(
        record.at, str(consent), channel, (record.wording or "").strip() or None,
        record.expires_at, basis,
    )  # fmt: skip
    with db.transaction():
        _insert_consent(db, lead.id, record, now)  # type: ignore[arg-type]
        lead.consents = consents(db, lead.id)  # type: ignore[arg-type]
        lead.consent = Consent(lead.consents[-1].consent)
        save(db, lead, now)
    return record


def consent_json(record: ConsentRecord, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "at": iso(record.at, zone),
        "consent": record.consent,
        "channel": record.channel,
        "wording": record.wording,
        "expires_at": iso(record.expires_at, zone),
        "basis": record.basis,
    }


# --- do not call binds the person: every number and e-mail they ever had ------------------

IDENTITY_KINDS = ("phone", "email")


def edit(
    db: Database, lead: Lead, changes: Mapping[str, Any], config: Config, now: datetime
) -> Lead:
    """Apply ``lead edit``'s changes. A new e-mail or number that is an objector's (now or
    before), a forgotten person's or another lead's is refused; each number and e-mail the
    edit replaces stays the lead's in ``lead_identities`` (an objection keeps covering it, SPEC
    §7) and is dated on its timeline."""
    email, numbers, consent = lead.email, numbers_of(lead), lead.consent
    if str(changes.get("window") or "").strip().lower() == LEARNED:
        changes = {**changes, "window": _learned(db, lead, config, now)}
    LeadBuilder(config, by_hand=True).apply(lead, changes)
    if "email" in changes or "phone" in changes:
        refuse_objector(db, lead, config.zone)
        refuse_suppressed(db, lead, config.zone)
        refuse_duplicate(db, lead)
    replaced = [("email", email, lead.email)] if email and email != lead.email else []
    kept = set(numbers_of(lead))
    replaced += [("phone", n, lead.phone_e164) for n in numbers if n not in kept]
    lead.updated_by = config.rep
    with db.transaction():
        save(db, lead, now)
        if lead.consent != consent:  # said by hand: no channel, no wording
            _insert_consent(db, lead.id, ConsentRecord(now, str(lead.consent)), now)  # type: ignore[arg-type]
        if replaced:
            db.executemany(
                "INSERT INTO lead_identities (lead_id, at, kind, value, replaced_by, created_at) "
                "VALUES (:lead, :at, :kind, :value, :new, :at)",
                [{"lead": lead.id, "at": to_epoch(now), "kind": kind, "value": old, "new": new}
                 for kind, old, new in replaced],
            )  # fmt: skip
        if (ZONE_FIELDS | POOL_FIELDS) & set(changes):  # its hours or pool moved: count again
            from warmcall.pickup import record as pickup_record

            pickup_record.refresh(db, [lead.id], config)  # type: ignore[list-item]
    return lead


def _learned(db: Database, lead: Lead, config: Config, now: datetime) -> str:
    """The hour the record shows the lead picks up best, as a window (``--window learned``)."""
    from warmcall.pickup.record import learned_window

    found = learned_window(db, lead, config, now)
    if found is None:
        raise InvalidData(
            "warmcall has not learned when {name} picks up yet: no answered dial on record.",
            name=lead.name,
        )
    return found


LEARNED = "learned"  # ``lead edit --window learned``: the hour the record shows best

# The fields a lead's zone comes from (``compliance.zones``).
ZONE_FIELDS = frozenset({"timezone", "phone", "country", "email"})
# The fields of the pool of similar leads its dials count in (``pickup.record``).
POOL_FIELDS = frozenset({"country", "window", "source"})


def past_identities(db: Database, lead_id: int) -> list[str]:
    """The numbers and e-mails a lead had before an edit replaced them."""
    return [
        value
        for (value,) in db.rows(
            "SELECT DISTINCT value FROM lead_identities WHERE lead_id = :id", {"id": lead_id}
        )
    ]


def objected_before(
    db: Database, values: Iterable[str], other_than: int | None = None
) -> dict[str, int]:
    """Which of ``values`` (e-mails, E.164 numbers) a do-not-call lead had before an edit
    replaced them, with that lead's id: one indexed look-up a batch."""
    wanted = list(dict.fromkeys(v for v in values if v))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        named = {f"v{i}": v for i, v in enumerate(wanted[start : start + 500])}
        for value, lead_id in db.rows(
            "SELECT i.value, i.lead_id FROM lead_identities i JOIN leads l ON l.id = i.lead_id "
            f"WHERE l.status = 'dnc' AND i.value IN ({placeholders(list(named))}) "
            "AND i.lead_id <> :me ORDER BY i.lead_id",
            {**named, "me": other_than or 0},
        ):
            found.setdefault(value, lead_id)
    return found


ERASED = "''"  # what a required text column holds once erased (SQL)


def forget(db: Database, lead: Lead, now: datetime, region: str | None = None) -> bool:
    """Erase the person everywhere: their calls, follow-ups and acts go with the row. Only a
    keyed hash of their e-mail and numbers stays (``compliance.suppression``), so that no
    later add or import brings them back unasked.

    Each column that can hold the person (``store.schema.personal_columns``) is overwritten
    in place, then the rows are deleted, with SQLite's secure_delete on (the freed space and
    pages are zeroed); after the commit ``Database.scrub`` makes the old versions unreadable
    in the store's files (a WAL checkpoint on SQLite, ``VACUUM (FULL)`` of the touched tables
    on PostgreSQL; the README says what it costs and what remains). Returns whether that
    last step could be done now."""
    from warmcall.compliance import suppression
    from warmcall.store.schema import personal_columns

    touched = []
    with db.erasing(), db.transaction():
        numbers = [lead.phone_e164] + [phones.normalise(p, region)[0] for p in lead.phones]
        past = past_identities(db, lead.id)  # type: ignore[arg-type]
        emails = [lead.email or "", *(v for v in past if "@" in v)]
        numbers += [v for v in past if "@" not in v]
        suppression.suppress(db, emails, [n for n in numbers if n], now)
        # counts without a person's words, but theirs: gone with them
        db.execute("DELETE FROM pickup_hours WHERE lead_id = :id", {"id": lead.id})
        # children first: a lead's rows go before the lead they point to
        for table, columns in sorted(personal_columns().items(), key=lambda t: t[0] == "leads"):
            key = "id" if table == "leads" else "lead_id"
            blank = ", ".join(
                f"{quoted(c)} = {'NULL' if nullable else ERASED}" for c, nullable in columns.items()
            )
            where = f"WHERE {quoted(key)} = :id"
            if db.execute(f"UPDATE {quoted(table)} SET {blank} {where}", {"id": lead.id}):
                touched.append(table)
            db.execute(f"DELETE FROM {quoted(table)} {where}", {"id": lead.id})
    return db.scrub(touched)


class Zoned(Protocol):
    """Anything that names a lead's zone: a ``Lead``, or the planner's lighter ``Candidate``."""

    timezone: str | None


def zone_of(lead: Zoned, config: Config) -> ZoneInfo:
    """The zone the lead's clock is told in: its own, else the one its phone, country or
    e-mail gives (``compliance.zones``), else — unknown — the first it could be in (yours
    when you could share it)."""
    if lead.timezone:
        return ZoneInfo(lead.timezone)
    from warmcall.compliance.rules import Calendar

    return Calendar(config).zone(lead)


def region_shown(lead: Lead) -> str | None:
    """The lead's region: its own, else the one its number's area code names."""
    from warmcall.compliance.rules import region_of

    return region_of(lead, lead.country)


def as_json(lead: Lead, zone: ZoneInfo) -> dict[str, Any]:
    """The lead object of every ``--json`` output (SPEC §1 names)."""
    return {
        "id": lead.id,
        "name": lead.name,
        "company": lead.company,
        "title": lead.title,
        "phone": lead.phone,
        "phone_e164": lead.phone_e164,
        "phone_flag": lead.phone_flag,
        "phones": lead.phones,  # the other numbers, after the one called
        "email": lead.email,
        "temperature": str(lead.temperature),
        "stage": str(lead.stage),
        "status": str(lead.status),
        "source": lead.source,
        "context": lead.context,
        "consent": str(lead.consent),
        "segment": str(lead.segment) if lead.segment else None,
        "region": region_shown(lead),
        "window": lead.window,
        "timezone": lead.timezone,
        "notes": lead.notes,
        "tags": lead.tags,
        "dnc_at": iso(lead.dnc_at, zone),
        "dnc_reason": lead.dnc_reason,
        "created_at": iso(lead.created_at, zone),
        "updated_at": iso(lead.updated_at, zone),
        "owner": lead.owner,  # the rep it belongs to; null: shared by the team
        "updated_by": lead.updated_by,
        # the proof: every consent given or withdrawn, when its records were read
        **({"consents": [consent_json(r, zone) for r in lead.consents]} if lead.consents else {}),
    }


def objected(lead: Lead, zone: ZoneInfo) -> dict[str, object]:
    """The facts of an objection for a message: who (``name``, ``id``), the ``day`` and the
    ``reason`` in brackets: "Ana Martínez (#3) asked not to be called on 18 Nov 2026 (said
    never again)"."""
    day: str | date = Word("an earlier day")
    if lead.dnc_at is not None:
        day = lead.dnc_at.astimezone(zone).date()
    # warmcall's own code (no reason given) adds nothing to "asked not to be called"
    reason = f" ({lead.dnc_reason})" if lead.dnc_reason and said(lead.dnc_reason) is None else ""
    return {"name": lead.name, "id": lead.id, "day": day, "reason": reason}


def numbers_of(lead: Lead) -> list[str]:
    """Every number of a lead that can find it again: its first in E.164, then its others
    (kept in E.164 where they read as one)."""
    first = [lead.phone_e164] if lead.phone_e164 else []
    return list(dict.fromkeys(first + [n for n in lead.phones if n]))


def sharing(db: Database, lead: Lead) -> list[Lead]:
    """The other leads with the lead's e-mail or any of its numbers as any of theirs, oldest
    first: the one look-up behind "is this someone we know?" (an objector, a duplicate)."""
    numbers = numbers_of(lead)
    if not lead.email and not numbers:
        return []
    # One look-up a way of sharing, each through its own index (0024): joined by OR, the
    # LIKE that no index answers would make the database read every lead.
    found_by, params = [], {"id": lead.id or 0}
    if lead.email:
        found_by.append("SELECT id FROM leads WHERE email = :e")
        params["e"] = lead.email
    if numbers:
        named = {f"p{i}": n for i, n in enumerate(numbers)}
        params |= named
        found_by.append(f"SELECT id FROM leads WHERE phone_e164 IN ({placeholders(list(named))})")
        # the other numbers are one text a lead, one a line: LIKE finds the candidates among
        # the few leads that have any, the check below keeps those that hold the whole number
        likes = []
        for i, number in enumerate(numbers):
            params[f"q{i}"] = like_pattern(number)
            likes.append(f"phones LIKE :q{i} {LIKE_ESCAPE}")
        found_by.append(f"SELECT id FROM leads WHERE phones IS NOT NULL AND ({' OR '.join(likes)})")
    rows = db.query(
        f"SELECT {SELECT_COLUMNS} FROM leads WHERE id IN ({' UNION '.join(found_by)}) "
        "AND id <> :id ORDER BY id",
        params,
    )
    wanted = set(numbers)
    found = [from_row(row) for row in rows]
    return [
        x
        for x in found
        if (lead.email and x.email == lead.email) or wanted.intersection(numbers_of(x))
    ]


def objector_like(db: Database, lead: Lead) -> Lead | None:
    """A do-not-call lead with the same e-mail or any number of the lead's as any of its own,
    now or before an edit replaced it."""
    found = next((x for x in sharing(db, lead) if x.status == Status.DNC), None)
    if found is None:
        before = objected_before(db, [lead.email or "", *numbers_of(lead)], lead.id)
        found = get(db, min(before.values())) if before else None
    return found


def refuse_objector(db: Database, lead: Lead, zone: ZoneInfo) -> None:
    """A person who objected is not brought back as a new lead, duplicate allowed or not."""
    if existing := objector_like(db, lead):
        raise Refused(
            "This person objected: {name} (#{id}) asked not to be called on {day}{reason}; no "
            "new lead is added for them.",
            **objected(existing, zone),
        )


def refuse_suppressed(db: Database, lead: Lead, zone: ZoneInfo) -> None:
    """A person forgotten at their request is not added again until the user lifts it."""
    from warmcall.compliance import suppression

    values = [v for v in (lead.email, *numbers_of(lead)) if v]
    if not values or (when := suppression.forgotten_on(db, values)) is None:
        return
    raise Refused(
        "This person was forgotten at their request on {day}; "
        "`warmcall lead unsuppress EMAIL|PHONE --reason TEXT` lets them be "
        "added again.",
        day=when.astimezone(zone).date(),
    )


def refuse_duplicate(db: Database, lead: Lead) -> list[Lead]:
    """Refuse a lead that is someone already known: the same e-mail, or a number (any of
    either's) with a compatible name (SPEC §5). The leads that only share a number under
    another name (a switchboard) are returned: possible duplicates, not the same person."""
    from warmcall.identity import compatible_names

    found = sharing(db, lead)
    same = [
        x
        for x in found
        if (lead.email and x.email == lead.email) or compatible_names(x.name, lead.name)
    ]
    if same:
        raise InvalidData(
            "{name} (#{id}) already has this e-mail or phone; change them with "
            "`warmcall lead edit {id}` or add --allow-duplicate.",
            name=same[0].name,
            id=same[0].id,
        )
    return found
