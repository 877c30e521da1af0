"""Call scripts: a guide of tracks for *this* call, built from the lead and its history.

A script is not a text to recite. It recalls the earlier contact with its date and subject,
lists the questions that find where the person is now, gives one short track per objection
that is really in the way, and ends on a concrete next step: two times inside the lead's
window, an action and a goal. The words live in Jinja2 templates (English and Spanish ship
with the package; a file of the same name in ``<config dir>/templates/<lang>/`` wins), so a
salesperson can make them their own without touching the code.

Everything here is pure given the lead, its calls and follow-ups, ``now`` and the
configuration: the CLI reads the store, this module decides, the renderer shows.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from warmcall.config import Config, config_dir
from warmcall.errors import ConfigError, Refused
from warmcall.leads import fold, zone_of
from warmcall.models import Call, FollowUp, FollowUpStatus, Lead, Objection, Stage, Status
from warmcall.plan.windows import local_datetime, openings, parse_window

if TYPE_CHECKING:
    from jinja2 import Environment

LANGUAGES = ("en", "es")
SLOT_LENGTH = timedelta(minutes=30)
SLOT_STEP = timedelta(minutes=30)
SLOT_HORIZON_DAYS = 30
# Weeks without a conversation (and nothing agreed) make a call a reactivation.
REACTIVATION_DAYS = 21
# An open follow-up due this recently is an agreed call, not silence.
AGREED_GRACE_DAYS = 7
# Tracks shown when the history holds fewer objections: the likely ones fill up to this.
MIN_TRACKS = 2


class Situation(StrEnum):
    FIRST_CONTACT = "first-contact"
    FOLLOW_UP = "follow-up"
    AFTER_DEMO = "after-demo"
    AFTER_OFFER = "after-offer"
    REACTIVATION = "reactivation"
    UNPAID_INVOICE = "unpaid-invoice"


# The objections each situation tends to meet, most likely first.
LIKELY: dict[Situation, tuple[Objection, ...]] = {
    Situation.FIRST_CONTACT: (Objection.NEED, Objection.TIMING),
    Situation.FOLLOW_UP: (Objection.TIMING, Objection.NEED),
    Situation.AFTER_DEMO: (Objection.AUTHORITY, Objection.PRICE),
    Situation.AFTER_OFFER: (Objection.PRICE, Objection.COMPETITOR),
    Situation.REACTIVATION: (Objection.TIMING, Objection.NEED),
    Situation.UNPAID_INVOICE: (Objection.AUTHORITY, Objection.TIMING),
}

# Words in notes, tags and follow-ups that say what the last exchanges were about
# (matched on folded text: lower case, no accents, so Spanish needs no accents here).
_DEMO = re.compile(r"\b(demo\w*|demostracion\w*|presentation|walkthrough|trial)\b")
_OFFER = re.compile(
    r"\b(offer\w*|proposal\w*|quote\w*|quotation"
    r"|oferta\w*|propuesta\w*|presupuesto\w*|cotizacion\w*)\b"
)
_INVOICE = re.compile(
    r"\b(invoice\w*|unpaid|overdue payment|factura\w*|impag\w*|cobro\w*|pago pendiente)\b"
)
_INVOICE_REF = re.compile(
    r"\b(?:invoice|factura)\s*(?:no\.?|n[ºo°]\.?|#|number|numero|número)?\s*([A-Z]*-?\d[\w/-]*)",
    re.IGNORECASE,
)
_REFERRAL = re.compile(
    r"(?:referred|recommended|introduced|sent)\s+(?:to us\s+|to me\s+|me\s+|us\s+)?"
    r"by\s+(?P<a>[^,.;()]+)"
    r"|(?:referral|introduction)\s+from\s+(?P<b>[^,.;()]+)"
    r"|(?:referid[oa]|recomendad[oa]|presentad[oa])\s+por\s+(?P<c>[^,.;()]+)"
    r"|de parte de\s+(?P<d>[^,.;()]+)",
    re.IGNORECASE,
)
_EVENT = re.compile(
    r"(?:met|talked|spoke|chatted)\s+(?:at|during)\s+(?P<a>[^,.;()]+)"
    r"|(?:nos conocimos|hablamos|coincidimos|conocimos)\s+en\s+(?P<b>[^,.;()]+)",
    re.IGNORECASE,
)
_EVENT_WORD = re.compile(
    r"\b(fair|show|expo|conference|congress|summit|event|meetup|feria|congreso|jornadas?|evento|salon|stand)\b"
)
_FORM_WORD = re.compile(r"\b(form|download\w*|webinar|newsletter|formulario|descarg\w*)\b")
_INTEREST = re.compile(
    r"(?:asked|enquired|inquired)\s+(?:me\s+|us\s+)?(?:about|for)\s+(?P<a>[^,.;()]+)"
    r"|interested in\s+(?P<b>[^,.;()]+)"
    r"|pregunt[oó]\s+por\s+(?P<c>[^,.;()]+)"
    r"|interesad[oa]s?\s+en\s+(?P<d>[^,.;()]+)",
    re.IGNORECASE,
)
# Sentences of the notes that set a condition for going ahead.
_CONDITION = re.compile(
    r"\b(if|only if|as long as|provided|unless|must|needs?|requires?|condition\w*|before sign\w*"
    r"|si|siempre que|solo si|con tal de|necesita\w*|requiere\w*|condicion\w*|a menos que"
    r"|antes de firmar)\b"
)
_SENTENCE = re.compile(r"(?<=[.;!?])\s+|\n+")
EMPHASIS = re.compile(r"\*\*(.+?)\*\*")
# A ``*`` that came from data (a name, a note) while the template is rendered: never part of
# the template's own ``**key fact**`` marks; ``literal`` turns it back into ``*`` for display.
DATA_STAR = "\ue000"

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
}  # fmt: skip
WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
LABELS: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        "outcome": {
            "connected": "spoke", "meeting": "meeting booked",
            "callback": "asked to be called back", "not-interested": "not interested",
            "voicemail": "voicemail", "no-answer": "no answer", "busy": "busy",
            "wrong-number": "wrong number", "do-not-call": "asked not to be called",
        },
        "objection": {
            "price": "price", "timing": "timing", "authority": "someone else decides",
            "need": "need", "competitor": "competitor", "other": "other",
        },
        "channel": {
            "phone": "call", "email": "e-mail", "sms": "SMS", "linkedin": "LinkedIn",
            "visit": "visit",
        },
        "stage": {
            "lead": "lead", "mql": "MQL", "pql": "PQL", "sql": "SQL",
            "prospect": "prospect", "customer": "customer",
        },
        "temperature": {"hot": "hot", "warm": "warm", "cold": "cold"},
        "situation": {
            "first-contact": "first warm call", "follow-up": "follow-up call",
            "after-demo": "after the demo", "after-offer": "after the offer",
            "reactivation": "reactivation", "unpaid-invoice": "unpaid invoice",
        },
    },
    "es": {
        "outcome": {
            "connected": "hablamos", "meeting": "reunión acordada",
            "callback": "pidió que le llamáramos", "not-interested": "no le interesa",
            "voicemail": "buzón de voz", "no-answer": "no contestó", "busy": "comunicaba",
            "wrong-number": "número equivocado", "do-not-call": "pidió no ser llamado",
        },
        "objection": {
            "price": "precio", "timing": "plazos", "authority": "decide otra persona",
            "need": "necesidad", "competitor": "competencia", "other": "otra",
        },
        "channel": {
            "phone": "llamada", "email": "correo", "sms": "SMS", "linkedin": "LinkedIn",
            "visit": "visita",
        },
        "stage": {
            "lead": "lead", "mql": "MQL", "pql": "PQL", "sql": "SQL",
            "prospect": "prospecto", "customer": "cliente",
        },
        "temperature": {"hot": "caliente", "warm": "templado", "cold": "frío"},
        "situation": {
            "first-contact": "primera llamada cálida", "follow-up": "llamada de seguimiento",
            "after-demo": "después de la demo", "after-offer": "después de la oferta",
            "reactivation": "reactivación", "unpaid-invoice": "factura pendiente",
        },
    },
}  # fmt: skip


@dataclass
class Section:
    title: str
    lines: list[str]


@dataclass
class Slot:
    start: datetime
    end: datetime


@dataclass
class Script:
    lead_id: int | None
    situation: str
    sections: list[Section]
    slots: list[Slot]
    email: str | None
    title: str = ""


@dataclass
class EarlierContact:
    """How we know a lead, read from its context and source: the opener of a first call."""

    kind: str  # referral · event · form · other · none
    who: str | None = None  # the person who referred them
    what: str | None = None  # the event or the form
    interest: str | None = None  # what they asked about
    text: str | None = None  # the context as written


@dataclass
class Track:
    """One objection to unblock: seen in the history (with when and how often) or likely."""

    key: str
    seen: bool
    count: int = 0
    last: datetime | None = None


# --- situations -----------------------------------------------------------------------------


def detect_situation(
    lead: Lead, calls: list[Call], followups: list[FollowUp], now: datetime, config: Config
) -> str:
    """The situation the history shows: an unpaid invoice on a customer, no conversation yet,
    weeks of silence with nothing agreed, the last demo or offer, else a follow-up call."""
    zone = config.zone
    talks = [c for c in calls if c.outcome.is_conversation and c.at <= now]
    if lead.stage == Stage.CUSTOMER and _mentions(_INVOICE, lead, talks[:3]):
        return Situation.UNPAID_INVOICE
    if not talks:
        return Situation.FIRST_CONTACT
    silence = (now.astimezone(zone).date() - talks[0].at.astimezone(zone).date()).days
    agreed = any(
        f.status == FollowUpStatus.OPEN and f.due_at >= now - timedelta(days=AGREED_GRACE_DAYS)
        for f in followups
    )
    if silence >= REACTIVATION_DAYS and not agreed:
        return Situation.REACTIVATION
    open_steps = " ".join(
        f"{f.action} {f.goal or ''}" for f in followups if f.status == FollowUpStatus.OPEN
    )
    for text in [*(c.notes for c in talks), open_steps]:
        if subject := _subject(text):
            return Situation.AFTER_OFFER if subject == "offer" else Situation.AFTER_DEMO
    return Situation.FOLLOW_UP


def _subject(text: str | None) -> str | None:
    """What an exchange was about, when its words say: ``offer`` (the later step) or ``demo``."""
    folded = fold(text or "")
    if _OFFER.search(folded):
        return "offer"
    return "demo" if _DEMO.search(folded) else None


def _mentions(pattern: re.Pattern[str], lead: Lead, calls: list[Call]) -> bool:
    texts = [lead.notes or "", " ".join(lead.tags)] + [c.notes or "" for c in calls]
    return any(pattern.search(fold(t)) for t in texts)


def earlier_contact(lead: Lead) -> EarlierContact:
    """Who referred them, or where we met, and what they asked about."""
    context = (lead.context or "").strip()
    source = (lead.source or "").strip()
    text = context or source or None
    interest = _first_group(_INTEREST, context)
    if who := _first_group(_REFERRAL, context) or _first_group(_REFERRAL, source):
        return EarlierContact("referral", who=who, interest=interest, text=text)
    if what := _first_group(_EVENT, context):
        return EarlierContact("event", what=what, interest=interest, text=text)
    for candidate in (source, context):
        if candidate and _EVENT_WORD.search(fold(candidate)):
            return EarlierContact("event", what=candidate, interest=interest, text=text)
    for candidate in (source, context):
        if candidate and _FORM_WORD.search(fold(candidate)):
            return EarlierContact("form", what=candidate, interest=interest, text=text)
    return EarlierContact("other" if text else "none", interest=interest, text=text)


def _first_group(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    if not match:
        return None
    found = next((g for g in match.groups() if g), None)
    return found.strip() if found else None


def conditions(calls: list[Call]) -> list[tuple[str, datetime]]:
    """The sentences of the conversations' notes that set a condition, newest first."""
    found: list[tuple[str, datetime]] = []
    for call in calls:
        for sentence in _SENTENCE.split(call.notes or ""):
            sentence = sentence.strip().rstrip(".;")
            if sentence and _CONDITION.search(fold(sentence)):
                found.append((sentence, call.at))
    return found[:3]


def invoice_reference(lead: Lead, calls: list[Call]) -> str | None:
    for text in [lead.notes or "", *lead.tags, *(c.notes or "" for c in calls)]:
        if match := _INVOICE_REF.search(text):
            return match.group(1)
    return None


def tracks(calls: list[Call], situation: str) -> list[Track]:
    """One track per objection seen (most recent first), then the likely ones, up to two."""
    seen: dict[str, Track] = {}
    for call in calls:  # newest first
        for objection in call.objections:
            track = seen.setdefault(str(objection), Track(str(objection), True, 0, call.at))
            track.count += 1
    result = list(seen.values())
    for objection in LIKELY[Situation(situation)]:
        if len(result) >= MIN_TRACKS:
            break
        if str(objection) not in seen:
            result.append(Track(str(objection), False))
    return result


# --- slots ----------------------------------------------------------------------------------


def propose_slots(
    lead: Lead, followups: list[FollowUp], after: datetime, config: Config, n: int = 2
) -> list[Slot]:
    """``n`` times for the next step, on different working days from the day after ``after``
    (the lead's calendar), inside the lead's window, clear of their open follow-ups.

    The second slot starts in the window's next range when it has several (early, then
    midday), so the person gets a real choice. Slots are aware datetimes in the lead's zone.
    """
    zone = zone_of(lead, config)
    ranges = parse_window(lead.window, config.windows)
    pending = [f for f in followups if f.status == FollowUpStatus.OPEN]
    busy = [(f.due_at, f.due_at + SLOT_LENGTH) for f in pending if f.has_time]
    busy_days = {f.due_at.astimezone(zone).date() for f in pending if not f.has_time}
    first_day = after.astimezone(zone).date() + timedelta(days=1)
    start = local_datetime(first_day, time(0, 0), zone)
    end = start + timedelta(days=SLOT_HORIZON_DAYS)
    by_day: dict[date, list[tuple[datetime, datetime]]] = {}
    for o_start, o_end in openings(ranges, zone, start, end, config.windows.working_days):
        if o_start >= start:
            by_day.setdefault(o_start.date(), []).append((o_start, o_end))
    slots: list[Slot] = []
    for day, day_openings in by_day.items():
        if len(slots) >= n:
            break
        if day in busy_days:
            continue
        k = len(slots) % len(day_openings)
        for o_start, o_end in day_openings[k:] + day_openings[:k]:
            if slot := _free_slot(o_start, o_end, busy):
                slots.append(slot)
                break
    return slots


def _free_slot(
    o_start: datetime, o_end: datetime, busy: list[tuple[datetime, datetime]]
) -> Slot | None:
    candidate = _round_up(o_start)
    while candidate + SLOT_LENGTH <= o_end:
        finish = candidate + SLOT_LENGTH
        if not any(candidate < b_end and finish > b_start for b_start, b_end in busy):
            return Slot(candidate, finish)
        candidate += SLOT_STEP
    return None


def _round_up(moment: datetime) -> datetime:
    """To the next full or half hour: people agree on 10:00 or 10:30, not 10:07."""
    extra = moment.minute % 30
    if extra == 0 and moment.second == 0:
        return moment.replace(microsecond=0)
    return moment.replace(second=0, microsecond=0) + timedelta(minutes=30 - extra)


# --- dates in words -------------------------------------------------------------------------


@dataclass(frozen=True)
class Dates:
    """Dates written in a language, whatever the system locale; ``today`` decides whether
    a year is worth printing."""

    lang: str
    today: date

    def date(self, moment: datetime) -> str:
        month = MONTHS[self.lang][moment.month - 1]
        year = moment.year if moment.year != self.today.year else None
        if self.lang == "es":
            return f"{moment.day} de {month}" + (f" de {year}" if year else "")
        return f"{moment.day} {month}" + (f" {year}" if year else "")

    def longdate(self, moment: datetime) -> str:
        return f"{self.weekday(moment)} {self.date(moment)}"

    def short(self, moment: datetime) -> str:
        month = MONTHS[self.lang][moment.month - 1][:3]
        return f"{self.weekday(moment)[:3]} {moment.day} {month}"

    def weekday(self, moment: datetime) -> str:
        return WEEKDAYS[self.lang][moment.weekday()]


def hm(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def plain(line: str) -> str:
    """A template line without its emphasis marks (for JSON and e-mail)."""
    return literal(EMPHASIS.sub(r"\1", line))


def literal(text: str) -> str:
    """Text with the data's own ``*`` back (see ``DATA_STAR``)."""
    return text.replace(DATA_STAR, "*")


def _data_stars(value: Any) -> Any:
    """Jinja's finalize: a value printed by ``{{ … }}`` keeps its ``*`` out of the marks."""
    return value.replace("*", DATA_STAR) if isinstance(value, str) else value


def city(zone: ZoneInfo) -> str:
    """``America/New_York`` → ``New York``: how a person names a time zone."""
    return zone.key.rsplit("/", 1)[-1].replace("_", " ")


# --- templates ------------------------------------------------------------------------------


def user_templates() -> Path:
    return config_dir() / "templates"


def environment(lang: str, user_dir: Path | None = None) -> Environment:
    """Jinja2 with the user's templates first, then the package's; undefined names fail."""
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined

    user_dir = user_dir if user_dir is not None else user_templates()
    return Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(str(user_dir / lang)),
                PackageLoader("warmcall.scripts", f"templates/{lang}"),
            ]
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
    )


def render(env: Environment, name: str, context: dict[str, Any]) -> str:
    """A template's text; a broken template (ours or the user's) is one ConfigError."""
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    try:
        return env.get_template(name).render(**context)
    except TemplateNotFound as exc:
        raise ConfigError(f"The script template {exc.name!r} is missing.") from None
    except TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise ConfigError(f"The template {where}, line {exc.lineno}: {exc.message}.") from None
    except TemplateError as exc:
        where, line = _template_frame(exc.__traceback__, name)
        raise ConfigError(f"The template {where}, line {line}: {exc}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read the script templates for {name!r}: {exc}.") from None


def _template_frame(tb: TracebackType | None, name: str) -> tuple[str, int | str]:
    """The innermost template file and line in a Jinja2 traceback."""
    found: tuple[str, int | str] = (name, "?")
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def parse_sections(text: str) -> list[Section]:
    """``## Title`` starts a section; every other non-blank line is one of its lines."""
    sections: list[Section] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("## "):
            sections.append(Section(line[3:].strip(), []))
        elif sections:
            sections[-1].lines.append(line)
    return [s for s in sections if s.lines]


# --- the script -----------------------------------------------------------------------------


def build_script(
    lead: Lead,
    calls: list[Call],
    followups: list[FollowUp],
    now: datetime,
    config: Config,
    lang: str = "en",
    situation: str | None = None,
    *,
    with_email: bool = True,
    templates: Path | None = None,
) -> Script:
    """The guide for the next call with ``lead`` at ``now`` (calls and follow-ups newest
    first, as ``calls.history`` returns them); a do-not-call lead is Refused."""
    if lead.status == Status.DNC:
        recorded = ""
        if lead.dnc_at:
            day = lead.dnc_at.astimezone(config.zone)
            recorded = f" on {day.day} {MONTHS['en'][day.month - 1]} {day.year}"
        reason = f" ({lead.dnc_reason})" if lead.dnc_reason else ""
        raise Refused(
            f"{lead.name} objected to calls{recorded}{reason}: a do-not-call lead gets no script."
        )
    if lang not in LANGUAGES:
        raise ConfigError(f"Scripts come in {' and '.join(LANGUAGES)}, not {lang!r}.")
    situation = (
        str(Situation(situation))
        if situation
        else detect_situation(lead, calls, followups, now, config)
    )
    slots = propose_slots(lead, followups, now, config)
    context = script_context(lead, calls, followups, now, config, lang, situation, slots)
    env = environment(lang, templates)
    for key, fn in context.pop("_filters").items():
        env.filters[key] = fn
    env.finalize = _data_stars  # `**` typed in a note stays two stars, never bold
    sections = parse_sections(render(env, "script.j2", context))
    email = literal(render(env, "email.j2", context).strip()) + "\n" if with_email else None
    title = " · ".join(x for x in (lead.name, lead.company) if x)
    return Script(
        lead_id=lead.id,
        situation=situation,
        sections=sections,
        slots=slots,
        email=email,
        title=f"{title} — {LABELS[lang]['situation'][situation]}",
    )


def script_context(
    lead: Lead,
    calls: list[Call],
    followups: list[FollowUp],
    now: datetime,
    config: Config,
    lang: str,
    situation: str,
    slots: list[Slot],
) -> dict[str, Any]:
    """What the templates see: the facts, already in the right zone, and the word filters."""
    mine = config.zone
    theirs = zone_of(lead, config)
    local_now = now.astimezone(mine)
    past = [replace(c, at=c.at.astimezone(mine)) for c in calls if c.at <= now]
    talks = [c for c in past if c.outcome.is_conversation]
    last_talk = talks[0] if talks else None
    pending = [
        replace(f, due_at=f.due_at.astimezone(mine))
        for f in followups
        if f.status == FollowUpStatus.OPEN
    ]
    pending.sort(key=lambda f: f.due_at)
    # Just called: today's conversation already logged; the e-mail sums it up.
    just_called = last_talk is not None and last_talk.at.date() == local_now.date()
    agreed = next(
        (f for f in pending if just_called and last_talk and f.call_id == last_talk.id), None
    )
    topic_pattern = {
        Situation.AFTER_DEMO: _DEMO,
        Situation.AFTER_OFFER: _OFFER,
        Situation.UNPAID_INVOICE: _INVOICE,
    }.get(Situation(situation))
    topic_call = next(
        (c for c in talks if topic_pattern and topic_pattern.search(fold(c.notes or ""))),
        last_talk,
    )
    dates = Dates(lang, local_now.date())
    labels = LABELS[lang]

    def days_since(moment: datetime) -> int:
        return (local_now.date() - moment.astimezone(mine).date()).days

    def log_line(action: str, goal: str | None) -> str:
        args = ["warmcall", "call", "log", str(lead.id), "--outcome", "connected"]
        if slots:
            args += ["--next", f"{slots[0].start.astimezone(mine):%Y-%m-%d %H:%M}"]
            args += ["--next-action", action]
            if goal:
                args += ["--next-goal", goal]
        return shlex.join(args)

    filters: dict[str, Callable[..., str]] = {
        "date": dates.date,
        "longdate": dates.longdate,
        "short": dates.short,
        "weekday": dates.weekday,
        "hm": hm,
        "outcome": lambda v: labels["outcome"][str(v)],
        "objection": lambda v: labels["objection"][str(v)],
        "channel": lambda v: labels["channel"][str(v)],
        "stage": lambda v: labels["stage"][str(v)],
        "temperature": lambda v: labels["temperature"][str(v)],
        "situation": lambda v: labels["situation"][str(v)],
        "mine": lambda m: m.astimezone(mine),
        "theirs": lambda m: m.astimezone(theirs),
    }
    unanswered = [c for c in past if not c.outcome.is_conversation]
    if last_talk:
        unanswered = [c for c in unanswered if c.at > last_talk.at]
    return {
        "_filters": filters,
        "lead": lead,
        "first_name": lead.name.split()[0],
        "situation": situation,
        "now": local_now,
        "lead_now": now.astimezone(theirs),
        "zone_differs": now.astimezone(theirs).utcoffset() != local_now.utcoffset(),
        "lead_city": city(theirs),
        "my_city": city(mine),
        "last_touch": past[0] if past else None,
        "last_talk": last_talk,
        "talks": talks[:2],
        "topic_call": topic_call,
        "last_subject": _subject(last_talk.notes if last_talk else None),
        "unanswered": unanswered,
        "silence_days": days_since(last_talk.at) if last_talk else None,
        "days_since": days_since,
        "tracks": tracks(past, situation),
        "conditions": conditions(talks),
        "followup": pending[0] if pending else None,
        "followup_overdue": bool(pending and pending[0].due_at.date() < local_now.date()),
        "agreed_today": bool(pending and pending[0].due_at.date() == local_now.date()),
        "contact": earlier_contact(lead),
        "invoice": invoice_reference(lead, talks),
        "slots": slots,
        "just_called": just_called,
        "agreed": agreed,
        "agreed_due": agreed.due_at.astimezone(theirs) if agreed else None,
        "log_line": log_line,
        "sentences": lambda text: [
            s.strip().rstrip(".;") for s in _SENTENCE.split(text or "") if s.strip()
        ],
    }
