"""Call scripts: a guide of tracks for *this* call, built from the lead and its history.

A script is not a text to recite. It says only what is true: the situation comes from the
record (``situations``), the agreed call is the one prepared (the script is made as of its
time), the slots are lawful, free and spread (``slots``), dates and places read in the
script's language (``words``), the caller introduces themself and signs the e-mail. Nothing
is offered that the record does not hold: objection tracks only for objections raised, the
likely ones as questions. The e-mail recaps a conversation that happened (never the goal or
the notes); the voicemail promises only the attempt the plan would make, and a lead that may
not be called now is said so first, from the same ``compliance.rules.Calendar``.

The words live in Jinja2 templates (English and Spanish ship with the package, with their
``labels.toml``; a file of the same name in ``<config dir>/templates/<lang>/`` wins, and runs
in Jinja's sandbox with its work bounded: ``sandbox``). Everything here is pure given the
lead, its calls and follow-ups, ``now`` and the configuration: the CLI reads the store, this
package decides, the renderer shows.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warmcall.config import Config, config_dir
from warmcall.errors import ConfigError, Refused
from warmcall.leads import objected, zone_of
from warmcall.models import Call, FollowUp, FollowUpStatus, Lead, Status
from warmcall.phones import display
from warmcall.scripts.contact import EarlierContact, conditions, earlier_contact
from warmcall.scripts.situations import Chosen, Fact, Situation, Track, choose, likely, tracks
from warmcall.scripts.slots import Slot, propose
from warmcall.scripts.words import Words, hm, labels

if TYPE_CHECKING:
    from jinja2 import Environment

    from warmcall.pickup.estimate import HoursQuestion

__all__ = [
    "LANGUAGES",
    "SEGMENTS",
    "EarlierContact",
    "Fact",
    "Script",
    "Section",
    "Situation",
    "Slot",
    "Track",
    "build_script",
    "detect_situation",
    "earlier_contact",
    "literal",
    "plain",
    "propose_slots",
]

LANGUAGES = ("en", "es")
EMPHASIS = re.compile(r"\*\*(.+?)\*\*")
# A ``*`` that came from data (a name, a note) while the template is rendered: never part of
# the template's own ``**key fact**`` marks; ``literal`` turns it back into ``*`` for display.
DATA_STAR = "\ue000"
_SENTENCE = re.compile(r"(?<=[.;!?])\s+|\n+")


@dataclass
class Section:
    title: str
    lines: list[str]


@dataclass
class Script:
    lead_id: int | None
    situation: str
    sections: list[Section]
    slots: list[Slot]
    email: str | None
    title: str = ""
    because: list[Fact] = field(default_factory=list)  # the recorded facts that chose it
    prepared_for: datetime | None = None  # the moment of the call prepared


def detect_situation(
    lead: Lead, calls: list[Call], followups: list[FollowUp], now: datetime, config: Config
) -> str:
    """The situation name the record shows (see ``situations.choose``)."""
    return str(choose(lead, calls, followups, now, config.zone).name)


def propose_slots(
    lead: Lead,
    followups: list[FollowUp],
    after: datetime,
    config: Config,
    n: int = 2,
    others: list[datetime] | None = None,
) -> list[Slot]:
    return propose(lead, followups, after, config, others, n)


def prepared_moment(followups: list[FollowUp], now: datetime) -> tuple[datetime, FollowUp | None]:
    """The call a script prepares: the agreed one when a follow-up is open and still ahead
    (the script is made as of its time), else a call made now."""
    pending = sorted(
        (f for f in followups if f.status == FollowUpStatus.OPEN), key=lambda f: f.due_at
    )
    if pending and pending[0].due_at > now:
        return pending[0].due_at, pending[0]
    return now, pending[0] if pending else None


def plain(line: str) -> str:
    """A template line without its emphasis marks (for JSON and e-mail)."""
    return literal(EMPHASIS.sub(r"\1", line))


def literal(text: str) -> str:
    """Text with the data's own ``*`` back (see ``DATA_STAR``)."""
    return text.replace(DATA_STAR, "*")


def _data_stars(value: Any) -> Any:
    """Jinja's finalize: a value printed by ``{{ … }}`` keeps its ``*`` out of the marks."""
    return value.replace("*", DATA_STAR) if isinstance(value, str) else value


# --- templates ------------------------------------------------------------------------------


def user_templates() -> Path:
    return config_dir() / "templates"


def environment(lang: str, user_dir: Path | None = None) -> Environment:
    """Jinja2 with the user's templates first, then the package's; undefined names fail.

    The sandbox (``sandbox``) keeps a template (a file anyone could hand the user) to the
    data it is given, and its work bounded: no attribute tricks reach Python's internals, no
    expression builds a gigabyte, no loop runs for minutes.
    """
    from warmcall.scripts import sandbox

    return sandbox.environment(lang, user_dir if user_dir is not None else user_templates())


def render(env: Environment, name: str, context: dict[str, Any]) -> str:
    """A template's text; a broken or greedy template (ours or the user's) is one
    ConfigError naming the file and line."""
    from warmcall.scripts import sandbox

    return sandbox.render(env, name, context)


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
    others: list[datetime] | None = None,
    email_call: int | None = None,
    segment: str | None = None,
    strict_email: bool = False,
    listed: Sequence[Any] = (),
    ask: HoursQuestion | None = None,
) -> Script:
    """The guide for the next call with ``lead`` (calls and follow-ups newest first, as
    ``calls.history`` returns them); ``others`` are the caller's agreed calls with other
    leads, which the slots avoid. A do-not-call lead is Refused.

    The e-mail (``with_email``) recaps a conversation that happened: call ``email_call``, or
    the latest conversation; with none there is no e-mail (Refused when ``strict_email``).
    ``segment`` (business, consumer, sole-trader) picks the wording; by default a lead with a
    company or a b2b consent is a business. ``listed``: the do-not-call registries the lead's
    number is on (``compliance.listings.listed``), said first, as the plan says them.
    ``ask``: whether to ask the person when they are best reached
    (``pickup.record.question``), said in the close."""
    if lead.status == Status.DNC:
        raise Refused(
            "{name} objected to calls on {day}{reason}: a do-not-call lead gets no script.",
            **objected(lead, config.zone),
        )
    if lang not in LANGUAGES:
        raise ConfigError(
            "Scripts come in {items}, not {lang!r}.", items=" and ".join(LANGUAGES), lang=lang
        )
    talk = None
    if with_email:
        try:
            talk = conversation(lead, calls, now, email_call)
        except Refused:
            if strict_email or email_call is not None:
                raise
    moment, prepared = prepared_moment(followups, now)
    chosen = choose(lead, calls, followups, moment, config.zone, situation)
    slots = propose(lead, followups, moment, config, others)
    user_dir = templates if templates is not None else user_templates()
    table = labels(lang, user_dir)
    context = script_context(
        lead, calls, followups, now, moment, prepared, config, lang, chosen, slots, table
    )
    context["segment"] = segment_of(lead, segment)
    agreed_time = prepared is not None and prepared.has_time and prepared.due_at == moment
    context["lawful"] = lawful_now(lead, calls, moment, config, agreed_time, listed)
    context["callback"] = next_attempt(lead, calls, moment, config)
    context["ask_hours"] = ask
    context.update(email_context(talk, followups, now, config, lead))
    env = environment(lang, user_dir)
    for key, fn in context.pop("_filters").items():
        env.filters[key] = fn
    env.finalize = _data_stars  # `**` typed in a note stays two stars, never bold
    sections = parse_sections(render(env, "script.j2", context))
    email = None
    if talk is not None:
        env.filters.update(context.pop("_email_filters"))
        email = literal(render(env, "email.j2", context).strip()) + "\n"
    title = " · ".join(x for x in (lead.name, lead.company) if x)
    return Script(
        lead_id=lead.id,
        situation=str(chosen.name),
        sections=sections,
        slots=slots,
        email=email,
        title=f"{title} — {table['situation'][str(chosen.name)]}",
        because=chosen.because,
        prepared_for=moment,
    )


def script_context(
    lead: Lead,
    calls: list[Call],
    followups: list[FollowUp],
    now: datetime,
    moment: datetime,
    prepared: FollowUp | None,
    config: Config,
    lang: str,
    chosen: Chosen,
    slots: list[Slot],
    table: dict[str, Any],
) -> dict[str, Any]:
    """What the templates see: the facts, already in the right zone, and the word filters.

    The script reads as of ``moment`` (the call prepared); the e-mail as of ``now`` (it goes
    out after the call just logged)."""
    mine = config.zone
    theirs = zone_of(lead, config)
    local = moment.astimezone(mine)
    past = [replace(c, at=c.at.astimezone(mine)) for c in calls if c.at <= moment]
    talks = [c for c in past if c.outcome.is_conversation]
    last_talk = talks[0] if talks else None
    pending = sorted(
        (
            replace(f, due_at=f.due_at.astimezone(mine))
            for f in followups
            if f.status == FollowUpStatus.OPEN
        ),
        key=lambda f: f.due_at,
    )
    if prepared is not None:
        prepared = replace(prepared, due_at=prepared.due_at.astimezone(mine))
    words = Words(lang, local, table)
    mail_words = Words(lang, now.astimezone(mine), table)
    situation = str(chosen.name)
    topic = chosen.topic
    subject = None
    if topic is not None:
        if topic.sent:
            subject = table["sent"].get(topic.sent)
        elif topic.shown:
            subject = table["shown"].get(topic.shown)

    def log_line(action: str, goal: str | None) -> str:
        args = ["warmcall", "call", "log", str(lead.id), "--outcome", "connected"]
        if slots:
            args += ["--next", f"{slots[0].start.astimezone(mine):%Y-%m-%d %H:%M}"]
            args += ["--next-action", action]
            if goal:
                args += ["--next-goal", goal]
        return shlex.join(args)

    def filters(w: Words) -> dict[str, Callable[..., str]]:
        return {
            "date": w.date,
            "longdate": w.longdate,
            "short": w.short,
            "weekday": w.weekday,
            "when": w.when,
            "ago": w.ago,
            "ahead": w.ahead,
            "hm": hm,
            "outcome": lambda v: w.label("outcome", v),
            "objection": lambda v: w.label("objection", v),
            "channel": lambda v: w.label("channel", v),
            "problem": w.problem,
            "stage": lambda v: w.label("stage", v),
            "temperature": lambda v: w.label("temperature", v),
            "situation": lambda v: w.label("situation", v),
            "mine": lambda m: m.astimezone(mine),
            "theirs": lambda m: m.astimezone(theirs),
        }

    unanswered = [c for c in past if not c.outcome.is_conversation]
    if last_talk:
        unanswered = [c for c in unanswered if c.at > last_talk.at]
    user = config.user
    return {
        "_filters": filters(words),
        "_email_filters": filters(mail_words),
        "lead": lead,
        # The number as dialled: national in the user's country, international abroad.
        "phone": display(lead.phone_e164, lead.phone, config.phone_region),
        "first_name": lead.name.split()[0],
        "situation": situation,
        "because": chosen.because,
        "now": local,
        "lead_now": moment.astimezone(theirs),
        "zone_differs": moment.astimezone(theirs).utcoffset() != local.utcoffset(),
        "lead_city": words.city(theirs),
        "my_city": words.city(mine),
        "last_touch": past[0] if past else None,
        "last_talk": last_talk,
        "talks": talks[:2],
        # The latest timeline the lead gave in a conversation, quoted as recorded (never read
        # as a date): it replaces any horizon the script would otherwise assume.
        "said_timeline": next((c for c in talks if c.timeline), None),
        "topic": topic,
        "subject": subject,
        "unanswered": unanswered,
        "tracks": tracks(past),
        "likely": likely(past, situation),
        "conditions": conditions(talks),
        "followup": pending[0] if pending else None,
        "prepared": prepared,
        "prepared_at": prepared.due_at.astimezone(theirs) if prepared else None,
        "followup_overdue": bool(pending and pending[0].due_at < moment),
        "contact": earlier_contact(lead),
        "first_call": not talks,
        "no_consent": _consent_at(lead, moment, config) == "none",
        "slots": slots,
        "me": {
            "name": user.name,
            "company": user.company,
            "signature": user.signature,
            "phone": user.phone,
        },
        "log_line": log_line,
    }


def _consent_at(lead: Lead, moment: datetime, config: Config) -> str:
    """The consent in force at the call's moment (a lapsed one is none)."""
    from warmcall.compliance.consent import in_force
    from warmcall.compliance.rules import Calendar

    return in_force(lead, moment, Calendar(config).profile(lead, moment)).consent


# --- what the record allows -----------------------------------------------------------------

SEGMENTS = ("business", "consumer", "sole-trader")


def segment_of(lead: Lead, segment: str | None) -> str:
    """The lead's register: as given, else a business when it has a company or a b2b consent."""
    if segment:
        return segment
    return "business" if lead.company or str(lead.consent) == "b2b" else "consumer"


def conversation(lead: Lead, calls: list[Call], now: datetime, call_id: int | None) -> Call:
    """The conversation an e-mail recaps: call ``call_id``, or the latest one; Refused when
    there is none (an e-mail never invents a conversation)."""
    if call_id is not None:
        found = next((c for c in calls if c.id == call_id), None)
        if found is None:
            raise Refused("Call {call} is not one of {name}'s calls.", call=call_id, name=lead.name)
        if not found.outcome.is_conversation:
            raise Refused(
                "Call {call} with {name} was not a conversation ({outcome}): there is nothing "
                "to recap in an e-mail.",
                call=call_id,
                name=lead.name,
                outcome=str(found.outcome),
            )
        return found
    talks = [c for c in calls if c.at <= now and c.outcome.is_conversation]
    if not talks:
        raise Refused(
            "No conversation with {name} is logged yet: the e-mail recaps a call that "
            "happened, so log it first (warmcall call log).",
            name=lead.name,
        )
    return talks[0]


def email_context(
    talk: Call | None, followups: list[FollowUp], now: datetime, config: Config, lead: Lead
) -> dict[str, Any]:
    """What the e-mail recaps: the conversation, the step agreed in it (if any), its recap."""
    if talk is None:
        return {"talk": None, "agreed": None, "agreed_due": None, "recap": None}
    agreed = next((f for f in followups if f.call_id is not None and f.call_id == talk.id), None)
    theirs = zone_of(lead, config)
    return {
        "talk": replace(talk, at=talk.at.astimezone(config.zone)),
        "agreed": agreed,
        "agreed_due": agreed.due_at.astimezone(theirs) if agreed else None,
        "recap": talk.recap,
    }


@dataclass
class Lawful:
    """Whether the lead may be called at the script's moment, and if not, when."""

    problems: list[dict[str, Any]]  # {"code": …, **facts}
    never: bool  # a standing problem: no time is lawful until the record changes
    next: datetime | None  # the next lawful moment, in the lead's zone


def next_lawful(lead: Lead, after: datetime, history: Any, config: Config) -> datetime | None:
    """The first moment from ``after`` at which the same rules as the plan (calendar,
    calling hours, window, rests, frequency) allow a call; None if none in the horizon or
    never (a standing problem)."""
    from warmcall.compliance.rules import Calendar

    calendar = Calendar(config)
    if calendar.standing(lead, after):
        return None
    moment = after
    for _ in range(100):
        rests = calendar.resting(lead, moment, history)
        if rests:
            untils = [p.until for p in rests if p.until is not None]
            if not untils:
                return None
            moment = max(untils)
            continue
        opening = calendar.next_opening(lead, moment)
        if opening is None:
            return None
        start = max(opening[0], moment)
        if calendar.resting(lead, start, history):
            moment = start
            continue
        return start.astimezone(zone_of(lead, config))
    return None


def lawful_now(
    lead: Lead,
    calls: list[Call],
    moment: datetime,
    config: Config,
    agreed: bool = False,
    listed: Sequence[Any] = (),
) -> Lawful:
    """The plan's checks at ``moment``: standing ones (consent, wrong number, the do-not-call
    registries ``listed``), the clock (day, holiday, hours, window) and the history (rests,
    frequency). At a time the lead ``agreed`` to, their window gives way, as in the plan."""
    from warmcall.compliance.rules import Calendar, history_of, listed_problems

    calendar = Calendar(config)
    history = history_of(c for c in calls if c.at <= moment)
    problems = listed_problems(listed) + calendar.may_call(lead, moment, history)
    if agreed:
        problems = [p for p in problems if p.code != "outside-window"]
    never = bool(listed) or bool(calendar.standing(lead, moment))
    found = [{"code": p.code, **p.facts} for p in problems]
    later = None if never or not problems else next_lawful(lead, moment, history, config)
    return Lawful(found, never, later)


def next_attempt(
    lead: Lead, calls: list[Call], moment: datetime, config: Config
) -> datetime | None:
    """When the plan would let the caller try again after a voicemail left at ``moment``
    (the voicemail is a dial: it counts for the rests and the frequency)."""
    from warmcall.compliance.rules import history_of
    from warmcall.models import Outcome

    dial = Call(lead_id=lead.id or 0, at=moment, outcome=Outcome.VOICEMAIL)
    history = history_of([*(c for c in calls if c.at <= moment), dial])
    after = moment + timedelta(minutes=1)
    # The plan proposes a lead once a day: never again the same day.
    day_after = datetime.combine(
        moment.astimezone(zone_of(lead, config)).date() + timedelta(days=1),
        datetime.min.time(),
        zone_of(lead, config),
    )
    return next_lawful(lead, max(after, day_after), history, config)
