"""Call scripts: a guide of tracks for *this* call, built from the lead and its history.

A script is not a text to recite. It says only what is true: the situation comes from the
record (``situations``), the agreed call is the one prepared (the script is made as of its
time), the slots are lawful, free and spread (``slots``), dates and places read in the
script's language (``words``), the caller introduces themself and signs the e-mail, and the
e-mail recaps the agreed step without pasting the internal notes.

The words live in Jinja2 templates (English and Spanish ship with the package, with their
``labels.toml``; a file of the same name in ``<config dir>/templates/<lang>/`` wins, and runs
in Jinja's sandbox with its work bounded: ``sandbox``). Everything here is pure given the
lead, its calls and follow-ups, ``now`` and the configuration: the CLI reads the store, this
package decides, the renderer shows.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warmcall.config import Config, config_dir
from warmcall.errors import ConfigError, Refused
from warmcall.leads import objected, zone_of
from warmcall.models import Call, FollowUp, FollowUpStatus, Lead, Status
from warmcall.phones import display
from warmcall.scripts.contact import EarlierContact, conditions, earlier_contact
from warmcall.scripts.situations import Chosen, Fact, Situation, Track, choose, tracks
from warmcall.scripts.slots import Slot, propose
from warmcall.scripts.words import Words, hm, labels

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = [
    "LANGUAGES",
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
) -> Script:
    """The guide for the next call with ``lead`` (calls and follow-ups newest first, as
    ``calls.history`` returns them); ``others`` are the caller's agreed calls with other
    leads, which the slots avoid. A do-not-call lead is Refused."""
    if lead.status == Status.DNC:
        raise Refused(
            "{name} objected to calls on {day}{reason}: a do-not-call lead gets no script.",
            **objected(lead, config.zone),
        )
    if lang not in LANGUAGES:
        raise ConfigError(
            "Scripts come in {items}, not {lang!r}.", items=" and ".join(LANGUAGES), lang=lang
        )
    moment, prepared = prepared_moment(followups, now)
    chosen = choose(lead, calls, followups, moment, config.zone, situation)
    slots = propose(lead, followups, moment, config, others)
    user_dir = templates if templates is not None else user_templates()
    table = labels(lang, user_dir)
    context = script_context(
        lead, calls, followups, now, moment, prepared, config, lang, chosen, slots, table
    )
    env = environment(lang, user_dir)
    for key, fn in context.pop("_filters").items():
        env.filters[key] = fn
    env.finalize = _data_stars  # `**` typed in a note stays two stars, never bold
    sections = parse_sections(render(env, "script.j2", context))
    email = None
    if with_email:
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
    # The e-mail after a call: the conversation logged today and the step it agreed.
    local_now = now.astimezone(mine)
    done = [c for c in calls if c.at <= now and c.outcome.is_conversation]
    just_called = bool(done) and done[0].at.astimezone(mine).date() == local_now.date()
    agreed = next((f for f in followups if just_called and f.call_id == done[0].id), None)

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
            "hm": hm,
            "outcome": lambda v: w.label("outcome", v),
            "objection": lambda v: w.label("objection", v),
            "channel": lambda v: w.label("channel", v),
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
    raised_today = list(dict.fromkeys(str(o) for o in done[0].objections)) if just_called else []
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
        "topic": topic,
        "subject": subject,
        "unanswered": unanswered,
        "tracks": tracks(past, situation),
        "conditions": conditions(talks),
        "followup": pending[0] if pending else None,
        "prepared": prepared,
        "prepared_at": prepared.due_at.astimezone(theirs) if prepared else None,
        "followup_overdue": bool(pending and pending[0].due_at < moment),
        "contact": earlier_contact(lead),
        "first_call": not talks,
        "no_consent": str(lead.consent) == "none",
        "slots": slots,
        "just_called": just_called,
        "agreed": agreed,
        "agreed_due": agreed.due_at.astimezone(theirs) if agreed else None,
        "raised_today": raised_today,
        "recap": done[0].recap if just_called else None,
        "me": {
            "name": user.name,
            "company": user.company,
            "signature": user.signature,
        },
        "log_line": log_line,
    }
