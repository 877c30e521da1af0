"""Today's plan as a salesperson reads it at 7:50: one table, grouped by slot, calm.

Each call takes two lines — who (name, company) and how to reach them on the first, with the
last touch; the short why under it — so the table fits 80 columns. The slot open now comes
first; a lead in another zone shows its own clock under the slot. ``--explain`` lists every
score part under its row, like Taskwarrior's urgency table; ``--all`` adds the leads left
out today, each with the reason.
"""

from __future__ import annotations

from datetime import datetime
from itertools import groupby
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from warmcall.plan.planner import Excluded, Plan, Row
from warmcall.render import console, count, days_ago, escape, temperature

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

# The order of the "not today" section: what comes back soonest first.
EXCLUDED_ORDER = ("agreed", "tried", "resting", "talked", "closed", "holiday", "day-off", "cold",
                  "wrong-number", "consent", "won", "lost", "dnc")  # fmt: skip
SHORT_WHY = {
    "stale": "gone quiet",
    "never-contacted": "new lead",
    "positive-last": "last talk: {lead.last_conversation_outcome}",
    "unanswered": "{lead.unanswered} unanswered",
}
CONVERSATIONS = {"connected", "meeting", "callback", "not-interested", "do-not-call"}


def show(result: Plan, explain: bool = False, show_excluded: bool = False) -> None:
    out = console()
    out.print(header(result))
    if result.rows:
        out.print()
        out.print(_table(result, explain, out.width))
    else:
        out.print(_empty(result))
    if show_excluded and result.excluded:
        out.print()
        out.print(f"[bold]Not today[/] [dim]· {count(len(result.excluded), 'lead')}[/]")
        out.print(_excluded_table(result.excluded))


def header(result: Plan) -> str:
    now = result.now.astimezone(result.zone)
    bits = [f"[bold]{now:%a} {now.day} {now:%b}[/] {now:%H:%M}", count(len(result.rows), "call")]
    if result.rows:
        bits.append(f"[green]{result.open_now} open now[/]" if result.open_now else "none open now")
    if result.callable is None or result.callable > len(result.rows):
        more = f" of {result.callable:,}" if result.callable else ""
        bits.append(f"[dim]best {len(result.rows)}{more} by score[/]")
    return " · ".join(bits)


def _empty(result: Plan) -> str:
    if not result.working_day:
        nxt = result.next_working_day
        again = f" Calls resume {nxt:%a} {nxt.day} {nxt:%b}." if nxt else ""
        if result.day_off and result.day_off.endswith("(public holiday)"):
            name = result.day_off.removesuffix(" (public holiday)")
            return f"{escape(name)}, a public holiday: nothing to call.{again}"
        return f"Not a working day: nothing to call.{again}"
    if result.excluded:
        return "Nothing to call now. See who waits, and until when, with --all."
    return "Nothing to call: no warm or hot lead yet. Add one with warmcall lead add NAME."


def _table(result: Plan, explain: bool, width: int) -> Table:
    from rich.table import Table

    zone, now = result.zone, result.now
    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 1))
    # Rank, time, phone and temperature keep their width; name and the last column share
    # what is left of the terminal (the last one never narrower than "6 d ago · voicemail").
    rank_w = len(str(len(result.rows)))
    phone_w = max(max(len(r.lead.phone or "—") for r in result.rows), 5 if explain else 1)
    name_w = max(len(text or "") for r in result.rows for text in (r.lead.name, r.lead.company))
    rest = width - (rank_w + 11 + phone_w + 4) - 10
    name_w = max(min(name_w, 24, rest - 20), 16 if explain else 10)
    table.add_column("#", justify="right", style="dim", width=rank_w)
    table.add_column("time", no_wrap=True, width=11)
    table.add_column("name", no_wrap=True, overflow="ellipsis", width=name_w)
    table.add_column("phone", no_wrap=True, width=phone_w)
    table.add_column("temp", no_wrap=True, width=4)
    table.add_column("last touch · why", overflow="fold", width=max(rest - name_w, 19))
    groups = groupby(result.rows, key=lambda r: max(r.slot_start, now))
    for n, (start, members) in enumerate(groups):
        rows = list(members)
        if n:
            table.add_row()
        for i, row in enumerate(rows):
            lead = row.lead
            name = f"[bold]{escape(lead.name)}[/]"
            if lead.company:
                name += f"\n[dim]{escape(lead.company)}[/]"
            table.add_row(
                str(row.rank),
                _slot(rows, start, now, zone) if i == 0 else _their_clock(row, zone),
                name,
                escape(lead.phone or "—"),
                temperature(lead.temperature),
                _cropped(f"{_last_touch(row, now, zone)}\n{escape(_why(row))}"),
            )
            if explain:
                _explain(table, row)
    return table


def _slot(rows: list[Row], start: datetime, now: datetime, zone: ZoneInfo) -> str:
    """The group's label: ``now``, or its hours; under it the lead's own clock if it differs."""
    if start <= now:
        label = "[bold green]now[/]"
    else:
        ends = {r.slot_end for r in rows}
        local = start.astimezone(zone)
        label = f"{local:%H:%M}"
        if len(ends) == 1:
            label += f"–{ends.pop().astimezone(zone):%H:%M}"
    clock = _their_clock(rows[0], zone)
    return f"{label}\n{clock}" if clock else label


def _their_clock(row: Row, zone: ZoneInfo) -> str:
    """``12:00 EST`` for a lead whose clock differs from the user's at the slot."""
    tz = row.lead.timezone
    if not tz or tz == zone.key:
        return ""
    start = row.slot_start
    theirs, ours = start.astimezone(ZoneInfo(tz)), start.astimezone(zone)
    if theirs.utcoffset() == ours.utcoffset():
        return ""
    return f"[dim]{theirs:%H:%M} {theirs.tzname()}[/]"


def _last_touch(row: Row, now: datetime, zone: ZoneInfo) -> str:
    lead = row.lead
    if lead.last_touch_at is None:
        return "[dim]never contacted[/]"
    what = lead.last_touch_outcome or ""
    if lead.last_touch_channel and lead.last_touch_channel != "phone":
        what = f"{lead.last_touch_channel} {what}".strip()
    style = "green" if lead.last_touch_outcome in CONVERSATIONS else "dim"
    return f"{days_ago(lead.last_touch_at, now, zone)} · [{style}]{escape(what)}[/]"


def _why(row: Row) -> str:
    """The reasons to call, in few words: what the other columns do not already say (the
    temperature, the time, the days since the last touch), weightiest first, two at most."""
    agreed = row.lead.followup
    words: list[str] = []
    for part in sorted(row.parts, key=lambda p: -p.points):
        if part.part == "followup-overdue" and agreed:
            words.append(f"overdue: {agreed.action}")
        elif part.part == "followup-due" and agreed:
            words.append(f"agreed: {agreed.action}")
        elif part.part in SHORT_WHY:
            words.append(SHORT_WHY[part.part].format(lead=row.lead))
    return " · ".join(words[:2])


def _cropped(markup: str) -> Text:
    """One line per line of ``markup``, cut with an ellipsis where the column ends."""
    from rich.text import Text

    text = Text.from_markup(markup, overflow="ellipsis")
    text.no_wrap = True
    return text


def _explain(table: Table, row: Row) -> None:
    """Every score part under the row: ``part  points  detail``, then the total."""
    from rich.text import Text

    for part in row.parts:
        table.add_row(
            "",
            "",
            Text(part.part, style="dim"),
            Text(
                f"{part.points:+.1f}", style="green" if part.points > 0 else "red", justify="right"
            ),
            "",
            Text(part.detail, style="dim"),
        )
    table.add_row(
        "", "", Text("score", style="dim"), Text(f"{row.score:.1f}", style="bold", justify="right")
    )


def _excluded_table(excluded: list[Excluded]) -> Table:
    from rich.table import Table

    order = {code: n for n, code in enumerate(EXCLUDED_ORDER)}
    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 1))
    table.add_column("id", justify="right", style="dim", no_wrap=True)
    table.add_column("name", no_wrap=True, overflow="ellipsis", max_width=22)
    table.add_column("company", no_wrap=True, overflow="ellipsis", max_width=16, style="dim")
    table.add_column("why not today", overflow="fold")
    for item in sorted(excluded, key=lambda e: (order.get(e.code, 99), e.lead.lead_id)):
        lead = item.lead
        table.add_row(
            str(lead.lead_id),
            escape(lead.name),
            escape(lead.company),
            escape(item.reason),
        )
    return table
