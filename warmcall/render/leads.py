"""Lead tables and profiles."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from warmcall.compliance.zones import Whereabouts
from warmcall.leads import LeadEvent
from warmcall.models import Lead
from warmcall.render import STATUS_STYLE, console, escape, temperature, when
from warmcall.render.i18n import N_, _, nf

# A lead's status as a person reads it (the CLI and the JSON keep the codes).
STATUSES = {"active": N_("active"), "won": N_("won"), "lost": N_("lost"), "dnc": N_("dnc")}


# A window and a consent as a person reads them; a custom window (07:00-08:30) is shown as is.
WINDOWS = {"early": N_("early"), "midday": N_("midday"), "any": N_("any time")}
CONSENTS = {
    "opt-in": N_("opt-in"),
    "customer": N_("customer"),
    "form": N_("web form"),
    "b2b": N_("business (b2b)"),
    "none": N_("none on record"),
}


def status_word(status: str) -> str:
    return _(STATUSES.get(status, status))


def window_word(window: str) -> str:
    return _(WINDOWS[window]) if window in WINDOWS else escape(window)


def consent_word(consent: str) -> str:
    return _(CONSENTS.get(consent, consent))


def lead_table(leads: list[Lead], zone: ZoneInfo, now: datetime) -> None:
    from rich.table import Table

    out = console()
    if not leads:
        out.print(
            _("No leads match. Add one with {command} or import a CSV.").format(
                command="[bold]warmcall lead add NAME[/]"
            )
        )
        return
    # Narrow terminals keep who and how to reach them; the rest is in `lead show`.
    optional = {"Stage": 110, "Source": 100, "Window": 90}
    labels = {
        "#": "#",
        "Name": _("Name"),
        "Company": _("Company"),
        "Phone": _("Phone"),
        "Temp": _("Temp"),
        "Stage": _("Stage"),
        "Status": _("Status"),
        "Window": _("Window"),
        "Source": _("Source"),
    }
    columns = [
        ("#", {"justify": "right", "style": "dim"}),
        ("Name", {"no_wrap": True, "max_width": 26, "overflow": "ellipsis"}),
        ("Company", {"overflow": "ellipsis", "no_wrap": True, "max_width": 22}),
        ("Phone", {"no_wrap": True}),
        ("Temp", {"no_wrap": True}),
        ("Stage", {"no_wrap": True}),
        ("Status", {"no_wrap": True}),
        ("Window", {"no_wrap": True}),
        ("Source", {"overflow": "ellipsis", "no_wrap": True, "max_width": 22}),
    ]
    shown = [c for c in columns if out.width >= optional.get(c[0], 0)]
    table = Table(box=None, header_style="bold", pad_edge=False)
    for col, kw in shown:
        table.add_column(labels[col], **kw)
    for lead in leads:
        status = str(lead.status)
        style = STATUS_STYLE.get(status, "")
        phone = escape(lead.phone or "")
        if lead.phone_flag:
            phone += " [yellow]?[/]" if lead.phone_flag == "unparsed" else " [red]✗[/]"
        cells = {
            "#": str(lead.id),
            "Name": escape(lead.name),
            "Company": escape(lead.company),
            "Phone": phone,
            "Temp": temperature(str(lead.temperature)),
            "Stage": str(lead.stage),
            "Status": f"[{style}]{status_word(status)}[/]" if style else status_word(status),
            "Window": window_word(lead.window),
            "Source": escape(lead.source),
        }
        table.add_row(*(cells[c] for c, _ in shown))
    out.print(table)
    out.print("[dim]" + nf("{n} lead", "{n} leads", len(leads)) + "[/]")


def profile(lead: Lead, zone: ZoneInfo, now: datetime, where: Whereabouts | None = None) -> None:
    """The lead's card: who they are, how we know them, how to reach them; ``where``: the
    zones it may be in (said when its zone is unknown)."""
    from rich.table import Table

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
        if lead.dnc_reason:
            status += f" ({escape(lead.dnc_reason)})"
    phone = escape(lead.phone or "—")
    if lead.phone_flag == "unparsed":
        phone += "  [yellow](" + _("not a number we could normalise") + ")[/]"
    elif lead.phone_flag == "wrong-number":
        phone += "  [red](" + _("wrong number") + ")[/]"
    elif lead.phone_e164 and lead.phone_e164 != lead.phone:
        phone += f"  [dim]{lead.phone_e164}[/]"
    zone_name = "[dim]" + escape(lead.timezone or _("your time zone")) + "[/]"
    if where is not None and where.known:
        zone_name = "[dim]" + escape(where.zones[0]) + "[/]"
    elif where is not None:
        from warmcall.render.plan import zone_unknown

        zone_name = "[yellow]" + escape(zone_unknown(where.zones)) + "[/]"
    rows = [
        (_("phone"), phone),
        *([(_("other numbers"), escape(", ".join(lead.phones)))] if lead.phones else []),
        (_("e-mail"), escape(lead.email or "—")),
        (_("temperature"), temperature(str(lead.temperature))),
        (_("stage"), str(lead.stage)),
        (_("status"), status),
        (_("window"), f"{window_word(lead.window)}  {zone_name}"),
        (_("how we know them"), escape(lead.context or "—")),
        (_("source"), escape(lead.source or "—")),
        (_("consent"), consent_word(str(lead.consent))),
    ]
    if lead.tags:
        rows.append((_("tags"), escape(", ".join(lead.tags))))
    if lead.notes:
        rows.append((_("notes"), escape(lead.notes)))
    rows.append((_("added"), when(lead.created_at, zone, now)))
    for label, value in rows:
        grid.add_row(label, value)
    out.print(grid)


def objections(events: list[LeadEvent], zone: ZoneInfo, now: datetime) -> None:
    """The proof of do-not-call: every objection and every lift, dated, with its reason."""
    from rich.table import Table

    out = console()
    out.print()
    out.print("[bold]" + _("Do not call") + "[/]")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for event in events:
        label = (
            "[bold red]" + _("objected") + "[/]"
            if event.kind == "dnc"
            else "[green]" + _("lifted") + "[/]"
        )
        grid.add_row(when(event.at, zone, now), label, escape(event.reason or "—"))
    out.print(grid)
