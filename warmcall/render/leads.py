"""Lead tables and profiles."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from warmcall.compliance.consent import Held
from warmcall.compliance.zones import Whereabouts
from warmcall.models import ConsentRecord, Lead, Said, said
from warmcall.pickup.estimate import Chance
from warmcall.render import (
    STATUS_STYLE,
    TEMPERATURES,
    console,
    escape,
    temperature,
    visible,
    when,
)
from warmcall.render.i18n import N_, _, nf, quoted

if TYPE_CHECKING:
    from warmcall.leads import LeadEvent

# A lead's status as a person reads it (the CLI and the JSON keep the codes).
STATUSES = {"active": N_("active"), "won": N_("won"), "lost": N_("lost"), "dnc": N_("dnc")}


# The reasons warmcall itself records (codes), as a person reads them.
SAID = {Said.ASKED: N_("asked not to be called"), Said.CORRECTED: N_("the call was corrected")}
# A lift recorded by taking a call back: the user's reason, then which call and how (codes).
LIFTED_BY = re.compile(r"(?P<reason>.*) \(call #(?P<id>\d+) (?P<how>corrected|undone)\)", re.S)


def reason_words(reason: str | None) -> str | None:
    """A stored reason of an objection or a lift as the user reads it: warmcall's codes (and
    the English earlier versions stored instead) in the user's language, the user's own
    words as typed."""
    if reason is None:
        return None
    if (code := said(reason)) is not None:
        return _(SAID[code])
    if found := LIFTED_BY.fullmatch(reason):
        how = (
            _("{reason} (call #{id} corrected)")
            if found["how"] == "corrected"
            else _("{reason} (call #{id} undone)")
        )
        return how.format(reason=reason_words(found["reason"]), id=found["id"])
    return reason


def given_reason(reason: str | None) -> str | None:
    """The reason of an objection beyond the objection itself, in words: None when warmcall
    recorded none ("asked not to be called" says no more than "objected")."""
    return None if said(reason) == Said.ASKED else reason_words(reason)


# A window and a consent as a person reads them; a custom window (07:00-08:30) is shown as is.
WINDOWS = {"early": N_("early"), "midday": N_("midday"), "any": N_("any time")}
CONSENTS = {
    "opt-in": N_("opt-in"),
    "customer": N_("customer"),
    "form": N_("web form"),
    "b2b": N_("business (b2b)"),
    "none": N_("none on record"),
    "revoked": N_("revoked"),
}

# Where the lead is in the funnel: the qualified stages keep their acronyms in every language.
STAGES = {
    "lead": N_("lead"),
    "mql": N_("MQL"),
    "pql": N_("PQL"),
    "sql": N_("SQL"),
    "prospect": N_("prospect"),
    "customer": N_("customer"),
}

# Who the lead is to the law.
SEGMENTS = {
    "business": N_("business"),
    "consumer": N_("consumer"),
    "sole-trader": N_("sole trader"),
}


def stage_word(stage: str) -> str:
    return _(STAGES.get(stage, stage))


def segment_word(segment: str) -> str:
    return _(SEGMENTS.get(segment, segment))


def status_word(status: str) -> str:
    return _(STATUSES.get(status, status))


def window_word(window: str) -> str:
    return _(WINDOWS[window]) if window in WINDOWS else escape(window)


def consent_word(consent: str) -> str:
    return _(CONSENTS.get(consent, consent))


def lead_table(
    leads: list[Lead],
    zone: ZoneInfo,
    now: datetime,
    region: str | None = None,
    segment: str = "business",
) -> None:
    """The leads, one line each where the terminal allows: who and how to reach them always
    (id, name, phone, temperature, status), then the company, the window, the source, the
    stage and the segment (``segment``: of a lead that names none) as the width allows, each
    whole (``render.columns``). Phones read as dialled (``phones.display``: national in
    ``region``, the user's country)."""
    from warmcall.phones import display
    from warmcall.render.columns import LINE_CELL, Column, bounded, fit, table

    out = console()
    if not leads:
        name, file = _("NAME"), _("FILE")  # as the help names them, in its language
        out.print(
            _("No leads match. Add one with {add} or import a file with {import_}.").format(
                add=f"[bold]warmcall lead add {name}[/]",
                import_=f"[bold]warmcall lead import {file}[/]",
            )
        )
        return
    flags = {"unparsed": (" ?", " [yellow]?[/]"), "wrong-number": (" ✗", " [red]✗[/]")}
    plain: list[dict[str, str]] = []
    marked: list[dict[str, str]] = []
    for lead in leads:
        status = str(lead.status)
        style = STATUS_STYLE.get(status, "")
        phone = bounded(visible(display(lead.phone_e164, lead.phone, region)), LINE_CELL)
        flag = flags.get(lead.phone_flag or "", ("", ""))
        text = {
            "#": str(lead.id),
            "Name": bounded(visible(lead.name)),
            "Company": bounded(visible(lead.company)),
            "Phone": phone + flag[0],
            "Temp": _(TEMPERATURES.get(str(lead.temperature), str(lead.temperature))),
            "Status": status_word(status),
            "Window": bounded(visible(_(WINDOWS.get(lead.window, lead.window))), LINE_CELL),
            "Source": bounded(visible(lead.source)),
            "Stage": stage_word(str(lead.stage)),
            "Segment": segment_word(str(lead.segment or segment)),
        }
        plain.append(text)
        marked.append(
            {key: escape(value) for key, value in text.items()}
            | {
                "Name": f"[bold]{escape(text['Name'])}[/]",
                "Phone": escape(phone) + flag[1],
                "Temp": temperature(str(lead.temperature)),
                "Status": f"[{style}]{text['Status']}[/]" if style else text["Status"],
            }
        )
    headers = {
        "#": "#", "Name": _("Name"), "Company": _("Company"), "Phone": _("Phone"),
        "Temp": _("Temp"), "Status": _("Status"), "Window": _("Window"), "Source": _("Source"),
        "Stage": _("Stage"), "Segment": _("Segment"),
    }  # fmt: skip
    wraps = {"Name", "Company", "Source"}
    columns = [
        Column(key, headers[key], [row[key] for row in plain], wraps=key in wraps)
        for key in (
            "#",
            "Name",
            "Company",
            "Phone",
            "Temp",
            "Status",
            "Window",
            "Source",
            "Stage",
            "Segment",
        )  # fmt: skip
    ]
    columns[0].justify, columns[0].style = "right", "dim"
    # By need: who and how to reach them, then the company, the window, the source, the stage,
    # the segment.
    later = ["Company", "Window", "Source", "Stage", "Segment"]
    ranked = sorted(columns, key=lambda c: later.index(c.key) if c.key in later else -1)
    widths = fit(ranked, {"#", "Name", "Phone", "Temp", "Status"}, out.width)
    out.print(table(columns, widths, marked))
    out.print("[dim]" + nf("{n} lead", "{n} leads", len(leads)) + "[/]")


def profile(
    lead: Lead,
    zone: ZoneInfo,
    now: datetime,
    region: str | None = None,
    where: Whereabouts | None = None,
    who: tuple[str, str | None, str] | None = None,
    listed: Sequence[Any] = (),
) -> None:
    """The lead's card: who they are, how we know them, how to reach them (the phone read
    as dialled: national in ``region``, the user's country); ``where``: the zones it may be
    in (said when its zone is unknown); ``who``: its segment, region and the rule profile in
    force for it; ``listed``: the do-not-call registries its number is on."""
    from rich.table import Table

    from warmcall.phones import display, normalise

    out = console()
    title = f"[bold]{escape(lead.name)}[/]"
    if lead.title or lead.company:
        title += "  [dim]" + escape(" · ".join(x for x in (lead.title, lead.company) if x)) + "[/]"
    out.print(f"#{lead.id}  {title}")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", justify="right")
    grid.add_column()
    status = status_word(str(lead.status))
    if lead.status == "dnc":
        since = _("since {when}").format(when=when(lead.dnc_at, zone, now))
        status = "[bold red]" + _("do not call") + f"[/] {since}"
        if given := given_reason(lead.dnc_reason):
            status += f" ({escape(given)})"
    if listed:
        from warmcall.render.reasons import registry_listed

        for found in listed:
            said = registry_listed({"registry": found.registry, "as_of": found.as_of})
            status += "\n[bold red]" + escape(said) + "[/]"
    phone = escape(display(lead.phone_e164, lead.phone, region) or "—")
    if lead.phone_flag == "unparsed":
        phone += "  [yellow](" + _("not a number we could normalise") + ")[/]"
    elif lead.phone_flag == "wrong-number":
        phone += "  [red](" + _("wrong number") + ")[/]"
    others = [display(normalise(raw, region)[0], raw, region) for raw in lead.phones]
    zone_name = escape(lead.timezone or _("your time zone"))
    if where is not None and where.known:
        zone_name = escape(where.zones[0])
    elif where is not None:
        from warmcall.render.plan import zone_unknown

        zone_name = "[yellow]" + escape(zone_unknown(where.zones)) + "[/]"
    rows = [
        (_("phone"), phone),
        *([(_("other numbers"), escape(", ".join(others)))] if others else []),
        (_("e-mail"), escape(lead.email or "—")),
        (_("temperature"), temperature(str(lead.temperature))),
        (_("stage"), stage_word(str(lead.stage))),
        (_("status"), status),
        (_("window"), f"{window_word(lead.window)}  {zone_name}"),
        (_("how we know them"), escape(lead.context or "—")),
        (_("source"), escape(lead.source or "—")),
        (_("consent"), consent_word(str(lead.consent))),
    ]
    if who is not None:
        segment, place, rules = who
        said = segment_word(segment) + (f" · {escape(place)}" if place else "")
        rows.append((_("segment"), said + "  [dim]" + _("rules: {profile}").format(
            profile=escape(rules)) + "[/]"))  # fmt: skip
    if lead.tags:
        rows.append((_("tags"), escape(", ".join(lead.tags))))
    if lead.notes:
        rows.append((_("notes"), escape(lead.notes)))
    rows.append((_("added"), when(lead.created_at, zone, now)))
    for label, value in rows:
        grid.add_row(label, value)
    out.print(grid)


def objections(events: list[LeadEvent], zone: ZoneInfo, now: datetime) -> None:
    """The proof of do-not-call: every objection and every lift, dated, with its reason; then
    every number and e-mail replaced, dated, with what replaced it (the objection binds them)."""
    from rich.table import Table

    out = console()
    acts = [e for e in events if e.kind in ("dnc", "lift")]
    changes = [e for e in events if e.kind not in ("dnc", "lift")]
    for title, shown in ((_("Do not call"), acts), (_("Phone and e-mail changes"), changes)):
        if not shown:
            continue
        out.print()
        out.print("[bold]" + title + "[/]")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for event in shown:
            grid.add_row(when(event.at, zone, now), *_event_cells(event))
        out.print(grid)


def _event_cells(event: LeadEvent) -> tuple[str, str]:
    """An act's label and what it says: the reason, or the old value and the new."""
    if event.kind == "dnc":
        return "[bold red]" + _("objected") + "[/]", escape(reason_words(event.reason) or "—")
    if event.kind == "lift":
        return "[green]" + _("lifted") + "[/]", escape(reason_words(event.reason) or "—")
    label = _("phone changed") if event.kind == "phone" else _("e-mail changed")
    if event.new is None:
        return label, _("{old} removed").format(old=escape(event.old or "—"))
    return label, _("{old} → {new}").format(old=escape(event.old or "—"), new=escape(event.new))


BAR_WIDTH = 28  # characters of a certain pickup: the chart fits 80 columns
_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(p: float, width: int = BAR_WIDTH) -> str:
    """A chance as a bar of block characters, to the eighth of a character."""
    eighths = round(max(0.0, min(p, 1.0)) * width * 8)
    full, rest = divmod(eighths, 8)
    return ("█" * full + (_EIGHTHS[rest] if rest else "")).ljust(width)


def pickup_chart(chances: list[Chance], book_mean: float) -> None:
    """The lead's chance to pick up by hour of its day, with its 80 % interval and the dials
    it rests on: green where the lead's own dials speak, dim where only similar leads do."""
    if not chances:
        return
    out = console()
    out.print()
    title = _("pickup by hour, their time · book average {p}%").format(p=round(book_mean * 100))
    out.print(f"[bold]{escape(title)}[/]")
    for c in chances:
        style = "green" if c.dials else "dim"
        evidence = (
            _("answered {a} of {n}").format(a=c.answered, n=c.dials) if c.dials else _("no dial")
        )
        interval = f"{round(c.low * 100)}–{round(c.high * 100)}"
        out.print(
            f"  {c.hour:02d}:00  [{style}]{bar(c.p)}[/] {round(c.p * 100):>3}%  "
            f"[dim]{interval:>7}[/]  {escape(evidence)}",
            highlight=False,
        )


def consent_history(
    records: tuple[ConsentRecord, ...], held: Held, zone: ZoneInfo, now: datetime
) -> None:
    """The proof of consent: every consent given or withdrawn, dated, with its channel, its
    wording and its expiry; then what is in force now, or when it lapsed."""
    from rich.table import Table

    out = console()
    out.print()
    out.print("[bold]" + _("Consent given and withdrawn") + "[/]")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for record in records:
        label = consent_word(record.consent)
        if record.consent == "revoked":
            label = "[bold red]" + label + "[/]"
        said = [escape(_channel(record.channel))]
        if record.basis:
            said.append(_(BASES[record.basis]))
        if record.wording:
            said.append(quoted(escape(record.wording)))
        if record.expires_at:
            said.append(_("until {day}").format(day=when(record.expires_at, zone, now)))
        grid.add_row(when(record.at, zone, now), label, " · ".join(said))
    out.print(grid)
    if held.expired_at is not None and held.record is not None:
        out.print(
            "[yellow]"
            + _("{consent} lapsed {when}: nothing is in force now.").format(
                consent=consent_word(held.record.consent), when=when(held.expired_at, zone, now)
            )
            + "[/]"
        )
    elif held.until is not None:
        out.print(
            _("{consent} in force until {when}.").format(
                consent=consent_word(held.consent), when=when(held.until, zone, now)
            )
        )


BASES = {"purchase": N_("after a purchase"), "inquiry": N_("after an inquiry")}


def _channel(channel: str) -> str:
    return _("channel not recorded") if channel == "unknown" else channel
