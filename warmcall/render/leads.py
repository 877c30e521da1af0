"""Lead tables and profiles."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from warmcall.leads import LeadEvent
from warmcall.models import Lead
from warmcall.render import STATUS_STYLE, console, escape, temperature, when


def lead_table(leads: list[Lead], zone: ZoneInfo, now: datetime) -> None:
    from rich.table import Table

    out = console()
    if not leads:
        out.print("No leads match. Add one with [bold]warmcall lead add NAME[/] or import a CSV.")
        return
    # Narrow terminals keep who and how to reach them; the rest is in `lead show`.
    optional = {"Stage": 110, "Source": 100, "Window": 90}
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
        table.add_column(col, **kw)
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
            "Status": f"[{style}]{status}[/]" if style else status,
            "Window": escape(lead.window),
            "Source": escape(lead.source),
        }
        table.add_row(*(cells[c] for c, _ in shown))
    out.print(table)
    out.print(f"[dim]{len(leads)} lead{'s' if len(leads) != 1 else ''}[/]")


def profile(lead: Lead, zone: ZoneInfo, now: datetime) -> None:
    """The lead's card: who they are, how we know them, how to reach them."""
    from rich.table import Table

    out = console()
    title = f"[bold]{escape(lead.name)}[/]"
    if lead.title or lead.company:
        title += "  [dim]" + escape(" · ".join(x for x in (lead.title, lead.company) if x)) + "[/]"
    out.print(f"#{lead.id}  {title}")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", justify="right")
    grid.add_column()
    status = str(lead.status)
    if lead.status == "dnc":
        status = f"[bold red]do not call[/] since {when(lead.dnc_at, zone, now)}"
        if lead.dnc_reason:
            status += f" ({escape(lead.dnc_reason)})"
    phone = escape(lead.phone or "—")
    if lead.phone_flag == "unparsed":
        phone += "  [yellow](not a number we could normalise)[/]"
    elif lead.phone_flag == "wrong-number":
        phone += "  [red](wrong number)[/]"
    elif lead.phone_e164 and lead.phone_e164 != lead.phone:
        phone += f"  [dim]{lead.phone_e164}[/]"
    rows = [
        ("phone", phone),
        ("e-mail", escape(lead.email or "—")),
        ("temperature", temperature(str(lead.temperature))),
        ("stage", str(lead.stage)),
        ("status", status),
        ("window", f"{escape(lead.window)}  [dim]{escape(lead.timezone or 'your time zone')}[/]"),
        ("how we know them", escape(lead.context or "—")),
        ("source", escape(lead.source or "—")),
        ("consent", str(lead.consent)),
    ]
    if lead.tags:
        rows.append(("tags", escape(", ".join(lead.tags))))
    if lead.notes:
        rows.append(("notes", escape(lead.notes)))
    rows.append(("added", when(lead.created_at, zone, now)))
    for label, value in rows:
        grid.add_row(label, value)
    out.print(grid)


def objections(events: list[LeadEvent], zone: ZoneInfo, now: datetime) -> None:
    """The proof of do-not-call: every objection and every lift, dated, with its reason."""
    from rich.table import Table

    out = console()
    out.print()
    out.print("[bold]Do not call[/]")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for event in events:
        label = "[bold red]objected[/]" if event.kind == "dnc" else "[green]lifted[/]"
        grid.add_row(when(event.at, zone, now), label, escape(event.reason or "—"))
    out.print(grid)
