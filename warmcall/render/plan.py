"""Today's plan as a salesperson reads it at 7:50: one table, grouped by slot, calm.

Each call takes two lines — who (name, company) and how to reach them on the first, with the
last touch; the short why under it — so the table fits 80 columns. The slot open now comes
first; a lead in another zone shows its own clock under the slot. ``--explain`` lists every
score part under its row, like Taskwarrior's urgency table; ``--all`` adds the leads left
out today, each with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from itertools import groupby
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from warmcall.models import CONVERSATIONS
from warmcall.plan.planner import Part, Plan, Row
from warmcall.render import TEMPERATURES, console, days_ago, escape, temperature, visible
from warmcall.render.i18n import _, n_, nf, number, outcome_word, speaking, strftime
from warmcall.render.reasons import (
    ask_hours,
    excluded_reason,
    part_detail,
    part_label,
    part_short,
    suggestion,
    unknown_zone,
)

if TYPE_CHECKING:
    from rich.table import Table

# The order of the "not today" section: what comes back soonest first.
EXCLUDED_ORDER = ("agreed", "tried", "resting", "talked", "closed", "holiday", "day-off", "cold",
                  "wrong-number", "consent", "won", "lost", "dnc")  # fmt: skip


def show(
    result: Plan,
    explain: bool = False,
    show_excluded: bool = False,
    apart: set[int] | None = None,
    hours: str | None = None,
    region: str | None = None,
) -> None:
    """The plan; the rows of ``apart`` (slots outside your own ``hours``) in a section of
    their own, after the others. Phones read in the national format of ``region`` (the
    user's country), in the international one for other countries."""
    from dataclasses import replace

    out = console()
    out.print(header(result))
    apart = apart or set()
    inside = [r for r in result.rows if r.lead.lead_id not in apart]
    outside = [r for r in result.rows if r.lead.lead_id in apart]
    if inside:
        out.print()
        out.print(_table(replace(result, rows=inside), explain, out.width, region))
    elif not result.rows:
        out.print(_empty(result))
    if outside:
        out.print()
        calls = nf("{n} call", "{n} calls", len(outside))
        label = _("Outside your hours ({hours})").format(hours=hours or "")
        out.print("[bold]" + label + f"[/] [dim]· {calls}[/]")
        out.print(_table(replace(result, rows=outside), explain, out.width, region))
    below = _below_limit(result) if show_excluded else None
    if show_excluded and (result.excluded or below):
        out.print()
        leads = nf("{n} lead", "{n} leads", len(result.excluded))
        out.print("[bold]" + _("Not today") + f"[/] [dim]· {leads}[/]")
        if result.excluded:
            out.print(_excluded_table(result))
        if below:
            out.print(below)


def show_team(plans: list[tuple[str, Plan]], region: str | None = None) -> None:
    """``next --team``: each rep's plan under their name, one after the other."""
    out = console()
    if not plans:
        out.print(_("No rep has leads, claims or calls in this store yet."))
        return
    for n, (rep, made) in enumerate(plans):
        if n:
            out.print()
        calls = nf("{n} call", "{n} calls", len(made.rows))
        name = escape(rep) if rep else _("(unnamed)")
        out.print("[bold]" + _("Plan of {rep}").format(rep=name) + f"[/] [dim]· {calls}[/]")
        show(made, region=region)


def _below_limit(result: Plan) -> str | None:
    """The callable leads the ``--limit`` left out: counted, with the reason and the way to
    see them (the planner keeps only the best rows, so they are not listed one by one)."""
    shown = len(result.rows)
    if result.limit is None or (result.callable is not None and result.callable <= shown):
        return None
    if result.callable is None:
        said = _("More leads could be called today, below the best {limit} by score.")
        option = "--limit"
    else:
        said = n_(
            "{n} more lead could be called today, below the best {limit} by score.",
            "{n} more leads could be called today, below the best {limit} by score.",
            result.callable - shown,
        )
        option = f"--limit {result.callable}"
    said = said.format(n=number(result.callable - shown) if result.callable else "", limit=shown)
    return said + " [dim]" + _("See them with {option}.").format(option=option) + "[/]"


def header(result: Plan) -> str:
    now = result.now.astimezone(result.zone)
    bits = [
        f"[bold]{strftime(now, '%a')} {now.day} {strftime(now, '%b')}[/] {now:%H:%M}",
        nf("{n} call", "{n} calls", len(result.rows)),
    ]
    if result.rows:
        bits.append(
            "[green]" + nf("{n} open now", "{n} open now", result.open_now) + "[/]"
            if result.open_now
            else _("none open now")
        )
    if result.callable is None or result.callable > len(result.rows):
        n = len(result.rows)
        best = (
            n_("best {n} of {total} by score", "best {n} of {total} by score", n).format(
                n=number(n), total=number(result.callable)
            )
            if result.callable
            else nf("best {n} by score", "best {n} by score", n)
        )
        bits.append(f"[dim]{best}[/]")
    return " · ".join(bits)


def _empty(result: Plan) -> str:
    if not result.working_day:
        nxt = result.next_working_day
        again = ""
        if nxt:
            day = f"{strftime(nxt, '%a')} {nxt.day} {strftime(nxt, '%b')}"
            again = " " + _("Calls resume {day}.").format(day=day)
        if result.holiday:
            said = _("{holiday}, a public holiday: nothing to call.").format(
                holiday=escape(result.holiday)
            )
            return said + again
        return _("Not a working day: nothing to call.") + again
    if result.excluded:
        return _("Nothing to call now. See who waits, and until when, with --all.")
    return _(
        "Nothing to call: no warm or hot lead yet. Bring your leads in with "
        "warmcall lead import FILE (a CSV or Excel file), or add one with warmcall lead add NAME."
    )


def _table(result: Plan, explain: bool, width: int, region: str | None = None) -> Table:
    from rich.cells import cell_len
    from rich.table import Table

    from warmcall.phones import display
    from warmcall.render.columns import LINE_CELL, TEXT_CELL, bounded

    phones = {
        r.lead.lead_id: bounded(display(r.lead.phone_e164, r.lead.phone, region) or "—", LINE_CELL)
        for r in result.rows
    }
    zone, now = result.zone, result.now
    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 1))
    # Rank, time, phone and temperature keep their width (a header is never cut); the name
    # and the last column share what is left (the name up to half, never breaking a word),
    # and both wrap: a name or a promise is never cut.
    heads = [_("time"), _("name"), _("phone"), _("temp"), _("last touch · why")]
    rank_w = max(len(str(r.rank)) for r in result.rows)  # `--explain 11`: one row, rank 11
    time_w = max(11, cell_len(heads[0]))
    phone_w = max(*(cell_len(p) for p in phones.values()), cell_len(heads[2]), 5 if explain else 1)
    temps = {r.lead.temperature for r in result.rows}
    temp_w = max(*(cell_len(_(TEMPERATURES[t])) for t in temps), cell_len(heads[3]))
    texts = [bounded(t) for r in result.rows for t in (r.lead.name, r.lead.company) if t]
    longest = max(cell_len(t) for t in texts)
    word = max(min(cell_len(w), LINE_CELL) for t in texts for w in t.split())
    rest = width - (rank_w + time_w + phone_w + temp_w) - 10  # five gaps of two
    # The last column's header breaks at its " · " when the column is narrower than it.
    last_least = max(12, *(cell_len(part) + 2 for part in heads[4].split(" · ")))
    name_least = max(word, cell_len(heads[1]), 16 if explain else 10)
    name_w = max(min(longest, 28, rest // 2, rest - max(16, last_least)), name_least)
    last_w = max(rest - name_w, last_least)
    if last_w < cell_len(heads[4]):
        heads[4] = heads[4].replace(" · ", " ·\n")
    table.add_column("#", justify="right", style="dim", width=rank_w)
    table.add_column(heads[0], no_wrap=True, width=time_w)
    table.add_column(heads[1], overflow="fold", width=name_w)
    table.add_column(heads[2], no_wrap=True, width=phone_w)
    table.add_column(heads[3], no_wrap=True, width=temp_w)
    table.add_column(heads[4], overflow="fold", width=last_w)
    for n, (_slot_key, members) in enumerate(groupby(result.rows, key=lambda r: slot_key(r, now))):
        rows = list(members)
        if n:
            table.add_row()
        for i, row in enumerate(rows):
            lead = row.lead
            name = f"[bold]{escape(bounded(lead.name))}[/]"
            if lead.company:
                name += f"\n[dim]{escape(bounded(lead.company))}[/]"
            why = escape(bounded(_why(row, now, zone), 2 * TEXT_CELL))
            table.add_row(
                str(row.rank),
                _slot(row, now, zone) if i == 0 else _under_header(row, zone, now),
                name,
                escape(phones[lead.lead_id] or "—"),
                temperature(lead.temperature),
                f"{_last_touch(row, now, zone)}\n{why}" + _suggested(row),
            )
            if explain:
                _explain(table, row, now, zone)
    return table


def slot_key(row: Row, now: datetime) -> tuple[datetime, datetime] | None:
    """What a row shares with the rows under the same header: ``None`` for every row open
    now, else its own slot, start and end: two rows share a header only when their slots
    are equal."""
    return None if row.slot_start <= now else (row.slot_start, row.slot_end)


def _slot(row: Row, now: datetime, zone: ZoneInfo) -> str:
    """The group's label, the first row's own slot: ``now``, or its hours; under it the
    lead's own clock if it differs."""
    if row.slot_start <= now:
        label = "[bold green]" + _("now") + "[/]"
    else:
        label = f"{row.slot_start.astimezone(zone):%H:%M}–{row.slot_end.astimezone(zone):%H:%M}"
    clock = _their_clock(row, zone, now)
    return f"{label}\n{clock}" if clock else label


def _under_header(row: Row, zone: ZoneInfo, now: datetime) -> str:
    """A row under another's header: its clock on the second line, where the first row has
    its own, so that ``08:45 CET`` or ``zone ?`` never reads as the slot."""
    clock = _their_clock(row, zone, now)
    return f"\n{clock}" if clock else ""


def _their_clock(row: Row, zone: ZoneInfo, now: datetime) -> str:
    """``12:00 EST`` for a lead whose clock differs from the user's at the slot: for a row
    open now, the time it is there now; ``zone ?`` for a lead whose zone is unknown."""
    where = row.lead.whereabouts
    if where is not None and not where.known:
        return "[yellow]" + _("zone ?") + "[/]"
    tz = where.zones[0] if where is not None else row.lead.timezone
    if not tz or tz == zone.key:
        return ""
    start = max(row.slot_start, now)
    theirs, ours = start.astimezone(ZoneInfo(tz)), start.astimezone(zone)
    if theirs.utcoffset() == ours.utcoffset():
        return ""
    return f"[dim]{theirs:%H:%M} {theirs.tzname()}[/]"


def _last_touch(row: Row, now: datetime, zone: ZoneInfo) -> str:
    lead = row.lead
    if lead.last_touch_at is None:
        return "[dim]" + _("never contacted") + "[/]"
    what = outcome_word(lead.last_touch_outcome or "")
    if lead.last_touch_channel and lead.last_touch_channel != "phone":
        what = f"{lead.last_touch_channel} {what}".strip()
    style = "green" if lead.last_touch_outcome in CONVERSATIONS else "dim"
    return f"{days_ago(lead.last_touch_at, now, zone)} · [{style}]{escape(what)}[/]"


def _why(row: Row, now: datetime, zone: ZoneInfo) -> str:
    """The reasons to call, in few words: what the other columns do not already say (the
    temperature, the time, the days since the last touch), weightiest first, two at most."""
    parts = sorted(row.parts, key=lambda p: -p.points)
    return " · ".join([said for p in parts if (said := part_short(p, now, zone))][:2])


def _suggested(row: Row) -> str:
    """Better hours the record shows outside the window the person asked for, as a line
    under the reasons (the window stays: the salesperson decides); else, when the window
    they gave has not reached them, to ask them again."""
    found, ask = row.suggestion, row.ask
    if found is not None:
        return "\n[yellow]" + escape(suggestion(found.hour, found.answered, found.dials)) + "[/]"
    if ask is not None and ask.in_window:  # a lead with no window is asked in its script
        return "\n[yellow]" + escape(ask_hours(ask.dials)) + "[/]"
    return ""


def _explain(table: Table, row: Row, now: datetime, zone: ZoneInfo) -> None:
    """Every score part under the row: ``part  points  detail``, then the total."""
    from rich.text import Text

    for part in row.parts:
        table.add_row(
            "",
            "",
            Text(part_label(part.part), style="dim"),
            Text(
                number(part.points, "+.1f"),
                style="green" if part.points > 0 else "red",
                justify="right",
            ),
            "",
            Text(visible(part_detail(part, now, zone)), style="dim"),
        )
    table.add_row(
        "",
        "",
        Text(_("score"), style="dim"),
        Text(number(row.score, ".1f"), style="bold", justify="right"),
    )
    where = row.lead.whereabouts
    if where is not None and not where.known:
        table.add_row("", "", "", "", "", Text(zone_unknown(where.zones), style="yellow"))


def zone_unknown(zones: tuple[str, ...]) -> str:
    """What every view says of a lead whose zone is unknown, and the zones it could be in."""
    said = unknown_zone()
    could = _("could be: {zones}").format(zones=", ".join(zones))
    return f"{said} ({could})"


def _excluded_table(result: Plan) -> Table:
    from rich.table import Table

    order = {code: n for n, code in enumerate(EXCLUDED_ORDER)}
    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 1))
    table.add_column("id", justify="right", style="dim", no_wrap=True)
    table.add_column(_("name"), overflow="fold", max_width=22)
    table.add_column(_("company"), overflow="fold", max_width=16, style="dim")
    table.add_column(_("why not today"), overflow="fold")
    for item in sorted(result.excluded, key=lambda e: (order.get(e.code, 99), e.lead.lead_id)):
        lead = item.lead
        table.add_row(
            str(lead.lead_id),
            escape(lead.name),
            escape(lead.company),
            escape(excluded_reason(item, result.now, result.zone)),
        )
    return table


def plan_json(result: Plan, include_excluded: bool = False) -> list[dict[str, Any]]:
    """SPEC §2's JSON rows: each score part's ``detail`` and each ``excluded`` is an English
    sentence, worded here from the same templates as the screen's (the JSON is
    language-neutral)."""
    from warmcall.plan.planner import plan_json as rows

    with speaking("en"):
        said = lambda item: excluded_reason(item, result.now, result.zone)  # noqa: E731
        return rows(result, include_excluded, english_detail(result), said)


def english_detail(result: Plan) -> Callable[[Part], str]:
    """A score part of ``result`` as an English sentence (call it inside ``speaking("en")``)."""
    return lambda part: part_detail(part, result.now, result.zone)
