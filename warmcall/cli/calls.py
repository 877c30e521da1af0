"""``warmcall call …``: log, list and import calls."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from warmcall.cli.options import (
    AtOption,
    DbOption,
    ImportFileArg,
    JsonOption,
    OptionalLeadArg,
    SheetOption,
    config,
    interactive,
    lead_argument,
    missing,
    now,
    open_store,
    option_value,
    resolve_lead,
    store_file,
)
from warmcall.models import Channel, Objection, Outcome, Status, Temperature
from warmcall.render import TEMPERATURES
from warmcall.render.i18n import N_, _, error_words

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from warmcall.calls import CallEntry
    from warmcall.config import Config
    from warmcall.drafts import Draft
    from warmcall.models import Lead
    from warmcall.store.db import Database

app = typer.Typer(
    help="Log each touch and the agreed next step; list and import calls.", no_args_is_help=True
)

# The largest --limit a store can take (a 64-bit count, on every engine).
MAX_LIMIT = 2**63 - 1
LimitOption = Annotated[
    int | None,
    typer.Option(
        help="At most N calls (default 50 on screen, all with --json; 0 for all).",
        show_default=False,
    ),
]
TimelineOption = Annotated[
    str | None,
    typer.Option(
        help="The timeline the lead gave, in their words: 'maybe in spring'.",
        show_default=False,
    ),
]
# What a call was, as ``call log`` records it and ``call edit`` replaces it.
DurationOption = Annotated[
    str | None, typer.Option(help="How long: 5m, 90s, 1h5m, 4:30.", show_default=False)
]
TemperatureOption = Annotated[
    Temperature | None, typer.Option(help="The lead's temperature after the call.")
]
ObjectionsOption = Annotated[
    list[Objection] | None,
    typer.Option("--objection", help="The objections raised (replace; repeat for more)."),
]
# What was agreed for the next step, as ``call log`` records it and ``call edit`` replaces it.
NextActionOption = Annotated[
    str | None, typer.Option(help="What you will do then.", show_default=False)
]
NextGoalOption = Annotated[
    str | None, typer.Option(help="What the next step should get.", show_default=False)
]
OUTCOMES_HELP = (
    "connected, meeting, callback, not-interested, voicemail, no-answer, busy, wrong-number, "
    "do-not-call (or vm, na, bz, ni, dnc…)."
)


@app.command("log")
def log(
    lead: OptionalLeadArg = None,
    outcome: Annotated[
        str | None, typer.Option("--outcome", "-o", help=OUTCOMES_HELP, show_default=False)
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="WHEN",
            help="When the call happened (default: now), e.g. '09:40', 'yesterday 17:10'.",
            show_default=False,
        ),
    ] = None,
    channel: Annotated[Channel, typer.Option(help="How the touch was made.")] = Channel.PHONE,
    duration: DurationOption = None,
    notes: Annotated[str | None, typer.Option(help="What was said.")] = None,
    objection: Annotated[
        list[Objection] | None,
        typer.Option("--objection", help="An objection raised (repeat for more)."),
    ] = None,
    temperature: TemperatureOption = None,
    next_: Annotated[
        str | None,
        typer.Option(
            "--next",
            metavar="WHEN",
            help="The agreed next step, read from the call's time: 'fri 10:00', "
            "'tomorrow 08:30', '2026-12-01 09:30', '+3d'.",
        ),
    ] = None,
    their_time: Annotated[
        bool,
        typer.Option("--their-time", help="Read --next in the lead's own time zone, not yours."),
    ] = False,
    next_action: NextActionOption = None,
    next_goal: NextGoalOption = None,
    lost: Annotated[bool, typer.Option("--lost", help="Mark the lead lost.")] = False,
    sent: Annotated[
        str | None,
        typer.Option(
            help="What you sent with it: offer, proposal, invoice, info.", show_default=False
        ),
    ] = None,
    shown: Annotated[
        str | None, typer.Option(help="What you showed in it: demo.", show_default=False)
    ] = None,
    recap: Annotated[
        str | None,
        typer.Option(help="A summary in the customer's words, for the e-mail.", show_default=False),
    ] = None,
    timeline: TimelineOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Record a touch, what was agreed, and its effects on the lead.

    \b
    Examples:
      warmcall call log ana -o vm
      warmcall call log ana -o meeting --next "fri 10:00" --next-action "demo"
      warmcall call log pablo -o connected --timeline "maybe in spring"
    """
    from warmcall import calls
    from warmcall.calls import CallEntry
    from warmcall.render import print_json
    from warmcall.render.calls import logged, warn_rules

    for value, allowed, hint in ((sent, calls.SENT, "--sent"), (shown, calls.SHOWN, "--shown")):
        if value is not None and value not in allowed:
            # Click's own shape of a choice refused: render.usage words it in the user's language
            raise typer.BadParameter(
                f"{value!r} is not one of {', '.join(allowed)}.", param_hint=repr(hint)
            )
    conf = config()
    real_now = now(None, conf)
    call_at = now(at, conf, real_now) if at else real_now
    guided = interactive() and (lead is None or outcome is None)
    place = draft_place(db)
    with open_store(db) as store:
        found = _lead(store, lead, conf)
        calls.refuse_if_dnc(found, call_at, conf.zone)  # before asking anything
        draft = offer_draft(place, found, conf, real_now)
        with option_value():
            picked = (
                draft.entry.outcome
                if draft and not outcome
                else calls.parse_outcome(_required(outcome, "--outcome", _ask_outcome))
            )
            length = calls.parse_duration(duration) if duration else None
        given = CallEntry(
            outcome=picked,
            at=call_at,
            channel=channel,
            duration=length,
            notes=notes,
            objections=list(objection or []),
            temperature=temperature,
            next_action=next_action,
            next_goal=next_goal,
            lost=lost,
            sent=sent,
            shown=shown,
            recap=recap,
            timeline=timeline,
        )
        entry = _over(draft.entry, given, at is not None) if draft else given
        guided = guided or bool(draft and not draft.complete)
        ask_rest(entry, found, conf, next_, guided=guided, their_time=their_time)
        result = calls.log_call(store, found, entry, real_now, conf)
    settle_draft(place, found, entry, used=draft is not None)
    if json:
        from warmcall.render.reasons import english_problem

        said = english_problem(real_now, conf.zone)
        print_json(calls.logged_json(result, conf.zone, real_now, said))
        warn_rules(result, conf.zone, real_now)
    else:
        logged(result, conf.zone, real_now, marked_lost=entry.lost)


def _over(draft: "CallEntry", given: "CallEntry", at_given: bool) -> "CallEntry":
    """The draft's answers, with what the command line gave in their place."""
    from dataclasses import fields, replace

    from warmcall.calls import CallEntry

    default = CallEntry(outcome=given.outcome, at=given.at)
    changed = {
        f.name: getattr(given, f.name)
        for f in fields(CallEntry)
        if f.name != "at" and getattr(given, f.name) != getattr(default, f.name)
    }
    changed["outcome"] = given.outcome
    if at_given:
        changed["at"] = given.at
    return replace(draft, **changed)


def draft_place(db: str | None) -> tuple[Path, str]:
    """Where the drafts of this store are kept: the user data folder, and the store's key."""
    from warmcall import drafts, places
    from warmcall.config import default_db_path

    return places.data_dir(), drafts.store_key(db or str(default_db_path()))


def offer_draft(
    place: tuple[Path, str], lead: "Lead", conf: "Config", moment: "datetime"
) -> "Draft | None":
    """A draft kept for the lead, shown and offered on a terminal: the one to log (None: none
    kept, kept for later, or discarded now)."""
    if not interactive():
        return None
    from warmcall import drafts
    from warmcall.cli import prompts
    from warmcall.render.calls import draft_summary

    draft = drafts.find(*place, lead.id)  # type: ignore[arg-type]
    if draft is None:
        return None
    draft_summary(draft, lead, conf.zone, moment)
    answer = prompts.select(
        _("Log it?"),
        [
            (_("yes: log it (and answer what is missing)"), "use"),
            (_("not now: keep it for later"), "keep"),
            (_("no: discard it"), "discard"),
        ],
        "use",
    )
    if answer == "discard":
        drafts.discard(*place, lead.id)  # type: ignore[arg-type]
    return draft if answer == "use" else None


def settle_draft(place: tuple[Path, str], lead: "Lead", entry: "CallEntry", used: bool) -> None:
    """A call logged: the draft it came from goes, as does one it records (the line printed
    when the draft was kept). A draft file that cannot be written fails nothing logged."""
    from warmcall import drafts

    try:
        if used:
            drafts.discard(*place, lead.id)  # type: ignore[arg-type]
        else:
            drafts.logged_as(*place, lead.id, entry)  # type: ignore[arg-type]
    except OSError:
        pass


def _lead(store: "Database", ref: str | None, conf: "Config") -> "Lead":
    """The lead named on the command line, or chosen with completion on a terminal."""
    from warmcall import leads

    if ref:
        return resolve_lead(store, ref, conf)
    if not interactive():
        missing("LEAD")
    from warmcall.cli import prompts

    choices = leads.labels(store)
    if not choices:
        from warmcall.errors import NotFound

        raise NotFound("There are no leads to call yet; add one with `warmcall lead add NAME`.")
    answer = prompts.autocomplete(_("Lead:"), list(choices))
    if not answer:
        _nothing_logged()
    if answer in choices:
        return leads.get(store, choices[answer])
    return resolve_lead(store, answer, conf)


def _required(value: str | None, param: str, ask: "Callable[[], str | None]") -> str:
    """A value given, asked on a terminal, or a usage error (exit 2) without one."""
    if value:
        return value
    if interactive():
        answer = ask()
        if answer:
            return answer
        _nothing_logged()
    missing(param)


def _nothing_logged() -> NoReturn:
    """A question left unanswered (Ctrl-C, Esc): stop without writing."""
    typer.echo(_("Nothing logged."), err=True)
    raise typer.Exit(1)


def _ask_outcome() -> str | None:
    from warmcall.cli import prompts
    from warmcall.render.calls import outcome_label

    return prompts.select(_("Outcome:"), [(outcome_label(o), o.value) for o in Outcome])


def ask_rest(
    entry: "CallEntry",
    lead: "Lead",
    conf: "Config",
    next_text: str | None,
    guided: bool,
    temperature: bool = False,
    their_time: bool = False,
) -> None:
    """The questions after the outcome, shared by ``call log`` on a terminal and the calling
    session of ``next --go``: notes and objections (guided), the lead's temperature after a
    conversation (when ``temperature``), the next step (guided, or needed by a callback),
    and whether a lead who is not interested is now lost."""
    if guided:
        _ask_details(entry)
        if temperature and entry.temperature is None:
            entry.temperature = _ask_temperature(entry, lead)
    _next_step(entry, lead, next_text, conf, ask=guided, their_time=their_time)
    if (
        entry.outcome == Outcome.NOT_INTERESTED
        and not entry.lost
        and lead.status == Status.ACTIVE
        and interactive()
    ):
        from warmcall.cli import prompts

        entry.lost = prompts.confirm(
            _("Mark {name} as lost?").format(name=lead.name), default=False
        )


def _ask_temperature(entry: "CallEntry", lead: "Lead") -> Temperature | None:
    """After a conversation (not a do-not-call): keep the lead's temperature, or change it."""
    if not entry.outcome.is_conversation or entry.outcome == Outcome.DO_NOT_CALL:
        return None
    from warmcall.cli import prompts

    keep = "keep"
    words = [(_(TEMPERATURES[t.value]), t.value) for t in Temperature]
    kept = _("keep ({temperature})").format(temperature=_(TEMPERATURES[str(lead.temperature)]))
    answer = prompts.select(_("Temperature now:"), [(kept, keep), *words], keep)
    return None if answer in (None, keep) else Temperature(answer)


def _ask_details(entry: "CallEntry") -> None:
    """Guided logging: the notes, and for a conversation the objections raised and (unless
    it was a do-not-call) the timeline the lead gave."""
    from warmcall.cli import prompts

    if entry.notes is None:
        entry.notes = _kept(entry, "notes", lambda: prompts.text(_("Notes (empty for none):")))
    if entry.outcome.is_conversation and not entry.objections:
        from warmcall.render.calls import objection_label

        objections = [(objection_label(o), o.value) for o in Objection]
        picked = prompts.checkbox(_("Objections raised:"), objections)
        entry.objections = [Objection(o) for o in picked]
    said = entry.outcome.is_conversation and entry.outcome != Outcome.DO_NOT_CALL
    if said and entry.timeline is None:  # a person who said "never call" gave no timeline
        entry.timeline = _kept(
            entry,
            "timeline",
            lambda: prompts.text(_("Timeline they gave, in their words (empty for none):")),
        )


def _kept(entry: "CallEntry", name: str, ask: "Callable[[], str | None]") -> str | None:
    """Ask; stopped with Ctrl-C, what was typed on the line goes into the entry first (the
    session keeps it as a draft)."""
    from warmcall.cli.prompts import Interrupted

    try:
        return ask()
    except Interrupted as stop:
        if stop.typed.strip():
            setattr(entry, name, stop.typed.strip())
        raise


def _next_step(
    entry: "CallEntry", lead: "Lead", text: str | None, conf: "Config", ask: bool, their_time: bool
) -> None:
    """``--next`` read from the call's own time, in your zone (in the lead's with
    ``their_time``); asked on a terminal when guided or needed, showing both clocks when the
    lead lives in another zone."""
    from warmcall.compliance.rules import Calendar
    from warmcall.timeparse import parse_when

    theirs = Calendar(conf).zone(lead)
    zone = theirs if their_time else conf.zone
    needed = entry.outcome in (Outcome.CALLBACK, Outcome.MEETING)
    if (
        not text
        and entry.next_at is None  # a draft's step is kept as it was answered
        and interactive()
        and (ask or needed)
        and entry.outcome != Outcome.DO_NOT_CALL
    ):
        from warmcall.cli import prompts

        question = {
            Outcome.CALLBACK: _("Call back when? (e.g. fri 10:00)"),
            Outcome.MEETING: _("Next step when? The meeting (e.g. tue 10:00)"),
        }.get(entry.outcome, _("Next step when? (empty: none)"))
        question += _clocks(entry.at, conf.zone, zone, theirs)
        text = prompts.text(question, validate=_when_check(entry, conf, needed, zone))
    if text:
        with option_value():
            when = parse_when(text, base=entry.at, zone=zone, dayfirst=conf.day_first)
        entry.next_at, entry.next_has_time = when.at, when.has_time
    if entry.next_at is None:
        return
    callback = entry.outcome == Outcome.CALLBACK  # its step goes without saying: call back
    if not entry.next_action and interactive():
        from warmcall.cli import prompts

        entry.next_action = _kept(
            entry,
            "next_action",
            lambda: prompts.text(
                _("Next step, what? (empty: call back)")
                if callback
                else _("Next step, what? (e.g. send the revised offer)"),
                validate=lambda answer: bool(answer or callback) or _("Say what you will do then."),
            ),
        )
        if entry.next_action and not entry.next_goal and ask:
            entry.next_goal = _kept(
                entry, "next_goal", lambda: prompts.text(_("Goal of that step (empty for none):"))
            )
    if not entry.next_action and callback:
        entry.next_action = _("call back")


def _clocks(at: "datetime", yours: "ZoneInfo", asked: "ZoneInfo", theirs: "ZoneInfo") -> str:
    """`` — in your time (09:50 for you, 03:50 EST for them)``, when the zones differ."""
    mine, other = at.astimezone(yours), at.astimezone(theirs)
    if mine.utcoffset() == other.utcoffset():
        return ""
    said = (
        _(" — in their time ({mine} for you, {theirs} for them)")
        if asked == theirs
        else _(" — in your time ({mine} for you, {theirs} for them)")
    )
    return said.format(mine=f"{mine:%H:%M}", theirs=f"{other:%H:%M} {other.tzname()}")


def _when_check(
    entry: "CallEntry", conf: "Config", needed: bool, zone: "ZoneInfo"
) -> "Callable[[str], bool | str]":
    """An answer to "when?" is read from the call's time and must come after the call, as
    ``log_call`` will check; a callback cannot leave it empty."""
    from dataclasses import replace

    from warmcall.calls import check_entry
    from warmcall.errors import WarmcallError
    from warmcall.render.calls import outcome_label
    from warmcall.timeparse import parse_when

    def check(answer: str) -> bool | str:
        if not answer:
            return not needed or _("A {outcome} needs the time you agreed.").format(
                outcome=outcome_label(entry.outcome)
            )
        try:
            when = parse_when(answer, base=entry.at, zone=zone, dayfirst=conf.day_first)
            check_entry(
                replace(entry, next_at=when.at, next_has_time=when.has_time, next_action="-")
            )
        except WarmcallError as exc:
            return error_words(exc)
        return True

    return check


@app.command("list")
def list_(
    lead: Annotated[
        str | None, lead_argument("Only this lead: id, e-mail, phone or part of the name.")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="From this moment: '-7d', 'mon', '2026-11-01'.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Before this moment; a day alone includes that day.")
    ] = None,
    outcome: Annotated[
        list[str] | None,
        typer.Option("--outcome", "-o", help="Only these outcomes (repeat for more)."),
    ] = None,
    limit: LimitOption = None,
    db: DbOption = None,
    json: JsonOption = False,
    at: AtOption = None,
) -> None:
    """List calls, newest first, times in your zone.

    \b
    Examples:
      warmcall call list --since today
      warmcall call list ana --json
    """
    from datetime import timedelta

    from warmcall import calls
    from warmcall.render import print_json
    from warmcall.render.calls import call_table
    from warmcall.timeparse import parse_when

    conf = config()
    moment = now(at, conf)
    with option_value():
        flt = calls.CallFilter(outcomes=[calls.parse_outcome(o) for o in outcome or []])
        if since:
            flt.since = parse_when(since, moment, conf.zone, conf.day_first).at
        if until:
            end = parse_when(until, moment, conf.zone, conf.day_first)
            flt.until = end.at if end.has_time else end.at + timedelta(days=1)
    if limit is not None and not 0 <= limit <= MAX_LIMIT:
        from warmcall.errors import UsageError

        raise UsageError(
            "--limit takes a count of calls, or 0 for all of them; {given} is not one a "
            "store can hold.",
            given=limit,
        )
    flt.limit = (None if json else 50) if limit is None else (limit or None)
    with open_store(db, writes=False) as store:
        if lead:
            flt.lead_id = resolve_lead(store, lead, conf).id
        found = calls.find_calls(store, flt)
    if json:
        print_json([calls.listed_json(c, conf.zone) for c in found])
    else:
        call_table(
            found, conf.zone, moment, limited=flt.limit is not None and len(found) == flt.limit
        )


@app.command("import")
def import_(
    file: ImportFileArg,
    sheet: SheetOption = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the valid rows; report the others.")
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option(help="Write the rejected rows and their reasons to this CSV."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check everything; write nothing.")
    ] = False,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="COLUMN=FIELD for a header we don't recognise (repeat)."),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            help="Read the file in this encoding (default: detected).", show_default=False
        ),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
    at: AtOption = None,
) -> None:
    """Bring call history from another tool: the lead (e-mail, phone or id), the time, the
    outcome, notes. Imported history is a record: it closes no follow-up, except that a
    do-not-call outcome marks the lead do-not-call.

    \b
    Example:
      warmcall call import hubspot-calls.csv --dry-run
      warmcall call import activity.xlsx --sheet Calls
    """
    from warmcall.imports import calls as call_import
    from warmcall.render import print_json
    from warmcall.render.calls import import_summary
    from warmcall.render.imports import printed_if_rejected, progress

    if rejects is not None:
        from warmcall.files import check

        check(rejects, (file,), store_file(db))  # before anything is read
    conf = config()
    moment = now(at, conf)
    with option_value():
        mapping = call_import.parse_map(map_ or [])
    with (
        call_import.open_source(file, encoding, sheet) as (source, size),
        open_store(db) as store,
        progress(size, enabled=not json) as tick,
        printed_if_rejected(json),
    ):
        result = call_import.import_calls(
            store,
            source,
            conf,
            moment,
            size=size,
            skip_invalid=skip_invalid,
            dry_run=dry_run,
            rejects=rejects,
            mapping=mapping,
            progress=tick,
        )
    if json:
        print_json(result.as_json())
    else:
        import_summary(result, rejects)


ReasonOption = Annotated[
    str | None,
    typer.Option(
        help="Why the objection is lifted, when the call recorded a do-not-call.",
        show_default=False,
    ),
]


@app.command("undo")
def undo(
    yes: Annotated[bool, typer.Option("--yes", help="Confirm without asking (scripts).")] = False,
    reason: ReasonOption = None,
    db: DbOption = None,
    json: JsonOption = False,
    at: AtOption = None,
) -> None:
    """Take back the last call logged, with what it did: the step it closed reopens, the one
    it agreed goes, the lead's temperature and status come back. Taking back a do-not-call
    lifts the objection, so it needs --reason, as `lead dnc --lift` does."""
    from warmcall import calls, leads
    from warmcall.errors import UsageError
    from warmcall.render import print_json
    from warmcall.render.calls import undone

    conf = config()
    moment = now(at, conf)
    with open_store(db) as store:
        last = calls.last_logged(store, conf.rep)
        lead = leads.get(store, last.lead_id)
        if not yes:
            if not interactive():
                raise UsageError(
                    "Add --yes to undo call #{id} with {name}.", id=last.id, name=lead.name
                )
            from warmcall.cli import prompts
            from warmcall.render import when
            from warmcall.render.calls import outcome_label

            question = _("Undo call #{id}: {outcome} with {name} at {when}?").format(
                id=last.id,
                outcome=outcome_label(last.outcome),
                name=lead.name,
                when=when(last.at, conf.zone, moment),
            )
            if not prompts.confirm(question, default=False):
                typer.echo(_("Nothing undone."), err=True)
                raise typer.Exit(1)
        if not reason and calls.needs_reason(store, last, lead):
            reason = _lift_reason(lead)
        result = calls.undo_call(store, last, moment, conf, reason)
    if json:
        print_json(calls.undone_json(result, conf.zone, moment))
    else:
        undone(result, conf.zone, moment)


def _lift_reason(lead: "Lead", stopped: str = "Nothing undone.") -> str | None:
    """Why an objection is lifted, asked on a terminal (None without one: the core says
    --reason is needed); ``stopped`` is said when no reason is given."""
    if not interactive():
        return None
    from warmcall.cli import prompts

    answer = prompts.text(
        _("{name} asked not to be called. Why lift the objection?").format(name=lead.name),
        validate=lambda text: bool(text) or _("Say why, or press Ctrl-C to stop."),
    )
    if not answer:
        typer.echo(_(stopped), err=True)
        raise typer.Exit(1)
    return answer


@app.command("edit")
def edit(
    call_id: Annotated[int, typer.Argument(metavar="CALL_ID", help="The id `call list` shows.")],
    outcome: Annotated[
        str | None, typer.Option("--outcome", "-o", help=OUTCOMES_HELP, show_default=False)
    ] = None,
    when_: Annotated[
        str | None,
        typer.Option("--at", help="When the call really happened.", show_default=False),
    ] = None,
    notes: Annotated[str | None, typer.Option(help="What was said (replaces).")] = None,
    duration: DurationOption = None,
    objection: ObjectionsOption = None,
    temperature: TemperatureOption = None,
    next_: Annotated[
        str | None,
        typer.Option(
            "--next",
            metavar="WHEN",
            help="The step agreed in the call (replaces it), read from the call's time.",
            show_default=False,
        ),
    ] = None,
    next_action: NextActionOption = None,
    next_goal: NextGoalOption = None,
    timeline: Annotated[
        str | None,
        typer.Option(
            help="The timeline the lead gave, in their words (replaces; '' clears it).",
            show_default=False,
        ),
    ] = None,
    reason: ReasonOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Correct a call; what it did (follow-ups, the lead's temperature and status) follows.

    \b
    Example:
      warmcall call edit 42 -o connected --next "fri 10:00" --next-action "send the offer"
    """
    from warmcall import calls
    from warmcall.errors import UsageError
    from warmcall.render import print_json
    from warmcall.render.calls import logged

    conf = config()
    real_now = now(None, conf)
    changes = calls.CallChanges(
        outcome=calls.parse_outcome(outcome) if outcome else None,
        at=now(when_, conf, real_now) if when_ else None,
        notes=notes,
        duration=calls.parse_duration(duration) if duration else None,
        objections=list(objection) if objection else None,
        temperature=temperature,
        next_action=next_action,
        next_goal=next_goal,
        timeline=timeline,
    )
    if changes == calls.CallChanges() and not next_:
        raise UsageError("Say what to correct, e.g. --outcome connected or --at 'mon 10:00'.")
    changes.reason = reason
    with open_store(db) as store:
        if not reason and changes.outcome not in (None, Outcome.DO_NOT_CALL):
            from warmcall import leads

            call = calls.get_call(store, call_id)
            lead = leads.get(store, call.lead_id)
            if calls.needs_reason(store, call, lead):
                changes.reason = _lift_reason(lead, N_("Nothing corrected."))
        if next_:
            from warmcall.timeparse import parse_when

            base = changes.at or calls.get_call(store, call_id).at
            with option_value():
                when = parse_when(next_, base=base, zone=conf.zone, dayfirst=conf.day_first)
            changes.next_at, changes.next_has_time = when.at, when.has_time
        result = calls.edit_call(store, call_id, changes, real_now, conf)
    if json:
        from warmcall.render.reasons import english_problem

        said = english_problem(real_now, conf.zone)
        print_json(calls.logged_json(result, conf.zone, real_now, said))
    else:
        logged(result, conf.zone, real_now, verb="Corrected")
