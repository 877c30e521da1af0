"""``warmcall lead …``: add, list, show, edit, dnc, forget."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from warmcall.cli.options import (
    AtOption,
    DbOption,
    JsonOption,
    LeadArg,
    config,
    now,
    open_store,
    option_value,
    require,
    resolve_lead,
)
from warmcall.models import Consent, Segment, Stage, Status, Temperature
from warmcall.render.i18n import _

if TYPE_CHECKING:
    from warmcall.config import Config
    from warmcall.models import Lead

app = typer.Typer(
    help="Add, find, change and remove leads; import and export CSV.", no_args_is_help=True
)

Company = Annotated[str | None, typer.Option(help="Company.")]
Title = Annotated[str | None, typer.Option(help="Job title.")]
Phone = Annotated[str | None, typer.Option(help="Phone number, any format.")]
Phones = Annotated[
    list[str] | None,
    typer.Option(
        "--phone",
        help="Phone number, any format (repeat for more: mobile, work…; the first is called).",
    ),
]
Email = Annotated[str | None, typer.Option(help="E-mail address.")]
Temp = Annotated[Temperature | None, typer.Option(help="cold, warm or hot.")]
StageOpt = Annotated[
    Stage | None, typer.Option("--stage", help="lead, mql, pql, sql, prospect, customer.")
]
WindowOpt = Annotated[
    str | None, typer.Option(help="early, midday, any, or HH:MM-HH:MM[,HH:MM-HH:MM].")
]
EditWindowOpt = Annotated[
    str | None,
    typer.Option(
        help="early, midday, any, HH:MM-HH:MM[,HH:MM-HH:MM], or learned (the hour the record "
        "shows they pick up best)."
    ),
]
Zone = Annotated[str | None, typer.Option("--timezone", help="IANA zone, e.g. America/New_York.")]
Source = Annotated[str | None, typer.Option(help="Where the lead and number came from.")]
Context = Annotated[str | None, typer.Option(help="How we know them: the earlier contact.")]
ConsentOpt = Annotated[Consent | None, typer.Option(help="opt-in, customer, form, b2b, none.")]
SegmentOpt = Annotated[
    Segment | None,
    typer.Option(
        help="business, consumer or sole-trader: with the country and region it chooses the "
        "calling rules (default: [compliance] segment)."
    ),
]
RegionOpt = Annotated[
    str | None,
    typer.Option(
        help="The region, ISO 3166-2 (ES-MD, US-FL): its holidays and state rules apply "
        "(default: from the number's area code)."
    ),
]
Notes = Annotated[str | None, typer.Option(help="Free text.")]
Tags = Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeat for more).")]


def _values(arguments: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The lead's fields a command was given: its arguments named as the fields (``--tag``
    gives ``tags``), then ``extra``; a field not given is left out."""
    from warmcall.leads import EDITABLE

    given = {f: arguments.get("tag" if f == "tags" else f) for f in EDITABLE} | extra
    values = {k: (v.value if hasattr(v, "value") else v) for k, v in given.items() if v is not None}
    if "tags" in values:
        values["tags"] = list(values["tags"]) or None
        if values["tags"] is None:
            del values["tags"]
    return values


def _who(calendar: Any, lead: "Lead", moment: datetime) -> tuple[str, str | None, str]:
    """The lead's segment, region and rule profile in force at ``moment``, for its card."""
    return calendar.segment(lead), calendar.lead_region(lead), calendar.profile(lead, moment).name


def _show(lead: "Lead", conf: "Config", moment: datetime, json: bool) -> None:
    """The lead a command just wrote: its JSON object, or its card."""
    from warmcall import leads
    from warmcall.compliance.rules import Calendar
    from warmcall.render import print_json
    from warmcall.render.leads import profile

    if json:
        print_json(leads.as_json(lead, conf.zone))
    else:
        calendar = Calendar(conf)
        profile(
            lead, conf.zone, moment, conf.phone_region, calendar.whereabouts(lead),
            _who(calendar, lead, moment),
        )  # fmt: skip


@app.command("add")
def add(
    name: Annotated[str | None, typer.Argument(metavar="NAME", help="The person's name.")] = None,
    company: Company = None,
    title: Title = None,
    phone: Phones = None,
    email: Email = None,
    temperature: Temp = None,
    stage: StageOpt = None,
    window: WindowOpt = None,
    timezone: Zone = None,
    source: Source = None,
    context: Context = None,
    consent: ConsentOpt = None,
    segment: SegmentOpt = None,
    region: RegionOpt = None,
    notes: Notes = None,
    tag: Tags = None,
    allow_duplicate: Annotated[
        bool, typer.Option(help="Add even if the e-mail or phone is already a lead's.")
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
    at: AtOption = None,
) -> None:
    """Add a lead: who they are and how we know them.

    \b
    Examples:
      warmcall lead add "Ana Martínez" --phone "612 345 678" --window early
      warmcall lead add "Eva Ruiz" --phone "612 345 679" --phone "91 555 12 34"
      warmcall lead add "Luis Pérez" --source "Expo Retail 2026" --context "asked for pricing"
    """
    from warmcall import leads

    name = require(name, "NAME", _("Name of the person:"))
    conf = config()
    moment = now(at, conf)
    first, others = (phone[0], phone[1:]) if phone else (None, None)
    lead = leads.LeadBuilder(conf).build(_values(locals(), phone=first, phones=others))
    with open_store(db) as store:
        leads.refuse_objector(store, lead, conf.zone)  # even with --allow-duplicate
        leads.refuse_suppressed(store, lead, conf.zone)
        sharing = [] if allow_duplicate else leads.refuse_duplicate(store, lead)
        lead.duplicate_allowed = allow_duplicate  # holds no identity key: another may be them
        leads.add(store, lead, moment)
    _show(lead, conf, moment, json)
    if sharing:  # a switchboard: another person on the same number (SPEC §5)
        from warmcall.render import console, escape

        names = ", ".join(f"{escape(x.name)} (#{x.id})" for x in sharing[:5])
        console(stderr=True).print(
            _("Shares a number with {names}: a different person, kept apart.").format(names=names)
        )


@app.command("list")
def list_(
    temperature: Temp = None,
    status: Annotated[Status | None, typer.Option(help="active, won, lost, dnc.")] = None,
    stage: StageOpt = None,
    source: Annotated[str | None, typer.Option(help="Part of the source.")] = None,
    tag: Annotated[str | None, typer.Option(help="Leads with this tag.")] = None,
    search: Annotated[
        str | None, typer.Option(help="Text in name, company, e-mail, phone, notes, context.")
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
    at: AtOption = None,
) -> None:
    """List leads, filtered.

    \b
    Examples:
      warmcall lead list --temperature hot
      warmcall lead list --search innova --json
    """
    from warmcall import leads
    from warmcall.render import print_json
    from warmcall.render.leads import lead_table

    conf = config()
    flt = leads.LeadFilter(temperature, status, stage, source, tag, search)
    with open_store(db, writes=False) as store:
        found = leads.find(store, flt)
    if json:
        print_json([leads.as_json(lead, conf.zone) for lead in found])
    else:
        lead_table(found, conf.zone, now(at, conf), conf.phone_region, conf.compliance.segment)


@app.command("show")
def show(lead: LeadArg, db: DbOption = None, json: JsonOption = False, at: AtOption = None) -> None:
    """Show a lead's profile and the timeline of every touch and follow-up.

    \b
    Example:
      warmcall lead show ana
    """
    from warmcall import calls, leads
    from warmcall.compliance.consent import held_json, in_force
    from warmcall.compliance.listings import listed
    from warmcall.compliance.rules import Calendar
    from warmcall.pickup import record as pickup_record
    from warmcall.plan.planner import zone_json
    from warmcall.render import print_json
    from warmcall.render.leads import profile

    conf = config()
    moment = now(at, conf)
    with open_store(db, writes=False) as store:
        found = resolve_lead(store, lead, conf)
        history, followups = calls.history(store, found.id)  # type: ignore[arg-type]
        acts = leads.events(store, found)
        hours = [] if json else pickup_record.lead_hours(store, found, conf, moment)
        book_mean = pickup_record.book(store, conf).mean if hours else 0.0
        on_lists = listed(store, [found.phone_e164]).get(found.phone_e164 or "", ())
    calendar = Calendar(conf)
    where = calendar.whereabouts(found)
    held = in_force(found, moment, calendar.profile(found, moment))
    if json:
        data = leads.as_json(found, conf.zone) | zone_json(where)
        data["consent_in_force"] = held_json(held, conf.zone)
        data["segment"] = calendar.segment(found)  # the configured one when it names none
        data["profile"] = calendar.profile(found, moment).name
        data["registries"] = [{"registry": x.registry, "as_of": str(x.as_of)} for x in on_lists]
        data["calls"] = [calls.call_json(c, conf.zone) for c in history]
        data["followups"] = [calls.followup_json(f, conf.zone, moment) for f in followups]
        data["events"] = [leads.event_json(e, conf.zone) for e in acts]
        print_json(data)
        return
    who = _who(calendar, found, moment)
    profile(found, conf.zone, moment, conf.phone_region, where, who, on_lists)
    if hours:
        from warmcall.render.leads import pickup_chart

        pickup_chart(hours, book_mean)
    if acts:
        from warmcall.render.leads import objections

        objections(acts, conf.zone, moment)
    if len(found.consents) > 1 or held.expired_at is not None:
        from warmcall.render.leads import consent_history

        consent_history(found.consents, held, conf.zone, moment)
    from warmcall.render.calls import timeline

    timeline(history, followups, conf.zone, moment)


@app.command("edit")
def edit(
    lead: LeadArg,
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    company: Company = None,
    title: Title = None,
    phone: Phone = None,
    email: Email = None,
    temperature: Temp = None,
    stage: StageOpt = None,
    status: Annotated[
        Status | None, typer.Option(help="active, won, lost (dnc: use lead dnc).")
    ] = None,
    window: EditWindowOpt = None,
    timezone: Zone = None,
    source: Source = None,
    context: Context = None,
    consent: ConsentOpt = None,
    segment: SegmentOpt = None,
    region: RegionOpt = None,
    notes: Notes = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Replace the tags.")] = None,
    db: DbOption = None,
    json: JsonOption = False,
    at: AtOption = None,
) -> None:
    """Change a lead's fields.

    \b
    Example:
      warmcall lead edit ana --window midday --stage sql
    """
    from warmcall import leads
    from warmcall.errors import UsageError

    changes = _values(locals())
    if not changes:
        raise UsageError("Say what to change, e.g. --temperature hot or --window early.")
    if name is not None and not name.strip():
        from warmcall.errors import InvalidData

        raise InvalidData("A lead needs a name.")  # --name '' would keep the old one silently
    if changes.get("status") == "dnc":
        raise UsageError("Use `warmcall lead dnc LEAD --reason …` to record an objection.")
    conf = config()
    moment = now(at, conf)
    with open_store(db) as store:
        found = leads.edit(store, resolve_lead(store, lead, conf), changes, conf, moment)
    _show(found, conf, moment, json)


@app.command("assign")
def assign(
    lead: LeadArg,
    rep: Annotated[
        str | None,
        typer.Argument(metavar="[REP]", help="The rep it goes to (none: shared by the team)."),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
    at: AtOption = None,
) -> None:
    """Give a lead to a rep: it is on their plan only (no REP: shared by the team again).

    \b
    Examples:
      warmcall lead assign ana luis
      warmcall lead assign ana
    """
    from warmcall import leads

    conf = config()
    moment = now(at, conf)
    with open_store(db) as store:
        found = leads.assign(store, resolve_lead(store, lead, conf), rep, conf, moment)
    _show(found, conf, moment, json)


@app.command("dnc")
def dnc(
    lead: LeadArg,
    reason: Annotated[str | None, typer.Option(help="What the person said.")] = None,
    lift: Annotated[
        bool,
        typer.Option("--lift", help="Lift the objection (the person asked again); needs --reason."),
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
    at: AtOption = None,
) -> None:
    """Record that the person objected: they are never offered again (--lift, with a reason,
    takes it back; the timeline keeps both acts).

    \b
    Examples:
      warmcall lead dnc ana --reason "asked not to be called"
      warmcall lead dnc ana --lift --reason "asked us to call again at the fair"
    """
    from warmcall import leads
    from warmcall.render import console, escape, print_json, when

    conf = config()
    moment = now(at, conf)
    if lift and not (reason or "").strip():
        from warmcall.errors import UsageError

        raise UsageError("Say why the objection is lifted: add --reason TEXT.")
    with open_store(db) as store:
        found = resolve_lead(store, lead, conf)
        if lift:
            leads.lift_dnc(store, found, reason or "", moment)
        else:
            leads.mark_dnc(store, found, reason, moment)
    if json:
        print_json(leads.as_json(found, conf.zone))
    elif lift:
        from warmcall.render import escape

        console().print(
            _(
                "{name} may be called again (objection lifted {when}: {reason}); "
                "the timeline keeps both acts."
            ).format(
                name=f"[bold]{escape(found.name)}[/]",
                when=when(moment, conf.zone),
                reason=escape(reason),
            )
        )
    else:
        from warmcall.render.leads import given_reason

        given = given_reason(found.dnc_reason)
        recorded = (
            _("{name} will not be called again (objection recorded {when}: {reason}).")
            if given
            else _("{name} will not be called again (objection recorded {when}).")
        )
        console().print(
            recorded.format(
                name=f"[bold]{escape(found.name)}[/]",
                when=when(found.dnc_at, conf.zone),
                reason=escape(given or ""),
            )
        )


ConsentArg = Annotated[
    str,
    typer.Argument(
        metavar="CONSENT",
        help="opt-in, customer, form, b2b, none, or revoked (the person withdrew it).",
        show_default=False,
    ),
]


@app.command("consent")
def consent(
    lead: LeadArg,
    given: ConsentArg,
    channel: Annotated[
        str | None,
        typer.Option(help="How it was given: web-form, phone, email, paper, event, …"),
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="The wording the person agreed to, as shown.")
    ] = None,
    expires: Annotated[
        str | None, typer.Option(metavar="DATE", help="The day it stops, when given for a while.")
    ] = None,
    basis: Annotated[
        str | None,
        typer.Option(help="A customer's: purchase or inquiry (how long it lasts depends on it)."),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
    at: AtOption = None,
) -> None:
    """Record a consent given or withdrawn, with its proof: the day (--at), the channel and
    the wording. The one in force at a moment is the latest before it, until it expires
    (--expires, or the rule profile's validity); the lead's history keeps every one.

    \b
    Examples:
      warmcall lead consent ana opt-in --at 2026-11-02 --channel web-form \\
          --text "Call me about your offers"
      warmcall lead consent ana customer --basis purchase --at 2026-06-10 --channel paper
      warmcall lead consent ana revoked --channel phone --text "asked us to stop"
    """
    from warmcall import leads
    from warmcall.models import ConsentRecord
    from warmcall.render import console, escape, print_json, when
    from warmcall.timeparse import parse_when

    with option_value():  # a consent outside the vocabulary is a usage error (exit 2)
        given = str(leads.consent_value(given))
    conf = config()
    moment = now(at, conf)
    ends = parse_when(expires, moment, conf.zone, conf.day_first).at if expires else None
    record = ConsentRecord(moment, given, channel or "", text, ends, basis)
    with open_store(db) as store:
        found = resolve_lead(store, lead, conf)
        record = leads.give_consent(store, found, record, moment)
    if json:
        print_json(leads.as_json(found, conf.zone))
        return
    from warmcall.render.leads import consent_word

    console().print(
        _("{name}: consent {consent} recorded {when} ({channel}).").format(
            name=f"[bold]{escape(found.name)}[/]",
            consent=consent_word(record.consent),
            when=when(record.at, conf.zone),
            channel=escape(record.channel),
        )
    )
    latest = found.consents[-1] if found.consents else None
    if latest is not None and latest.at > record.at:  # back-dated: history, not what holds
        console().print(
            _("A later record stays in force: {consent} since {when}.").format(
                consent=consent_word(latest.consent), when=when(latest.at, conf.zone)
            )
        )


@app.command("forget")
def forget(
    lead: LeadArg,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: erase this person's data.")] = False,
    db: DbOption = None,
    at: AtOption = None,
) -> None:
    """Erase a person's data everywhere: the lead, its calls and follow-ups, overwritten and
    compacted out of the store's files. Only a keyed hash of their e-mail and phone stays,
    so that no import brings them back unasked.

    \b
    Example:
      warmcall lead forget ana --yes
    """
    from warmcall import leads
    from warmcall.cli.options import interactive
    from warmcall.errors import UsageError
    from warmcall.render import console, escape

    conf = config()
    with open_store(db) as store:
        found = resolve_lead(store, lead, conf)
        if not yes:
            from warmcall.cli import prompts

            if not interactive():
                raise UsageError(
                    "Add --yes to erase {name} (#{id}) for good.", name=found.name, id=found.id
                )
            question = _("Erase {name} (#{id}) and every call with them?")
            if not prompts.confirm(question.format(name=found.name, id=found.id)):
                typer.echo(_("Nothing erased."), err=True)
                raise typer.Exit(1)
        scrubbed = leads.forget(store, found, now(at, conf), conf.phone_region)
    from warmcall import drafts
    from warmcall.cli.calls import draft_place

    drafts.discard(*draft_place(db), found.id)  # a call typed but not logged: theirs too
    erased = _("Erased {name} (#{id}) and their history.")
    console().print(erased.format(name=escape(found.name), id=found.id))
    if not scrubbed:
        typer.echo(
            _(
                "Their old copies stay in the store's files until it is compacted: on "
                "PostgreSQL, the owner of its tables runs VACUUM (FULL); on SQLite, it happens "
                "when the other warmcall commands end."
            ),
            err=True,
        )


@app.command("unsuppress")
def unsuppress(
    value: Annotated[
        str, typer.Argument(metavar="EMAIL|PHONE", help="The forgotten person's e-mail or phone.")
    ],
    reason: Annotated[
        str | None, typer.Option(help="Why they may be added again (kept as proof).")
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
    at: AtOption = None,
) -> None:
    """Let a person forgotten at their request be added or imported again."""
    from warmcall import phones
    from warmcall.clock import iso
    from warmcall.compliance import suppression
    from warmcall.errors import InvalidData, UsageError
    from warmcall.render import console, escape, print_json, when

    if not (reason or "").strip():
        raise UsageError("Say why this person may be added again: add --reason TEXT.")
    conf = config()
    moment = now(at, conf)
    if "@" in value:
        normal = value.strip().lower()
    else:
        normal, _ = phones.normalise(value, conf.phone_region)
        if normal is None:
            raise InvalidData(
                "{value!r} is neither an e-mail nor a phone number we can read.", value=value
            )
    with open_store(db) as store:
        lifted = suppression.lift(store, normal, reason or "", moment)
    if json:
        print_json(
            {
                "value": lifted.value,
                "forgotten_at": iso(lifted.forgotten_at, conf.zone),
                "lifted_at": iso(lifted.lifted_at, conf.zone),
                "reason": lifted.reason,
            }
        )
    else:
        console().print(
            _("{value} may be added again (forgotten {when}; lifted: {reason}).").format(
                value=escape(lifted.value),
                when=when(lifted.forgotten_at, conf.zone),
                reason=escape(lifted.reason),
            )
        )
