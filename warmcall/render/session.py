"""The calling session on the terminal: one lead at a time, everything for the call on screen.

Each lead gets a compact card (who, the phone number standing out, the slot, why it comes
first), a glance at its newest touches, and the parts of the script used during the call:
Open, Unblock, Close (Prepare is what the card and the touches already say). The outcome
question that follows takes a dozen lines; the script is cut to what still fits above it,
what to say first, so the phone number never scrolls out of sight on a small terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from warmcall.plan.planner import Part, Row
from warmcall.render import console, escape, temperature, when
from warmcall.render.calls import outcome, timeline
from warmcall.render.i18n import _, nf, number, strftime
from warmcall.render.leads import stage_word
from warmcall.render.reasons import part_detail, problem_text
from warmcall.render.script import section

if TYPE_CHECKING:
    from rich.console import Console

    from warmcall.models import Call, FollowUp, Lead
    from warmcall.plan.session import Summary, Upcoming
    from warmcall.scripts import Script

# The script sections used during the call, by their titles in the shipped templates (en, es).
# A user's own templates with other titles show every section instead.
DURING_CALL = {
    "open", "unblock", "close", "voicemail", "abrir", "desbloquear", "cerrar", "buzón de voz",
}  # fmt: skip
# Rows taken by the outcome question below the card (its line and eleven choices) and a
# blank line: the card, the touches and the script share the rest of the terminal.
QUESTION_ROWS = 13
# Which script lines to keep first when they do not all fit: what to say, then the facts
# and objection headings, then the steps.
# The fewest rows worth giving the script: a blank line, its title, two lines.
SCRIPT_ROWS = 4
LINE_ORDER = {"> ": 0, "": 1, "- ": 2, "$ ": 3}


def card(
    row: Row,
    lead: Lead,
    position: tuple[int, int],
    calls: list[Call],
    followups: list[FollowUp],
    script: Script | None,
    now: datetime,
    zone: ZoneInfo,
    explain: bool = False,
    region: str | None = None,
) -> None:
    """Everything for the call with one lead, fitted to the terminal's height (after the
    first lead, two rows above stay for the line that said what was logged). The phone
    reads as dialled: national in ``region`` (the user's country), international abroad."""
    out = console()
    budget = out.height - QUESTION_ROWS - (2 if position[0] > 1 else 0)

    def draw(last: Call | None = None, brief: bool = False) -> None:
        _card(out, row, lead, position, now, zone, explain, last, brief, region)

    top = _rows(_capture(out, draw))
    for newest in (3, 2, 1):  # fewer touches on a small terminal, to leave the script room
        touches = _rows(_printed(lambda n=newest: timeline(calls, followups, zone, now, n)))
        if top + touches <= budget - SCRIPT_ROWS:
            draw()
            timeline(calls, followups, zone, now, newest)
            break
    else:  # too small for a timeline: the newest touch on one line, the rest for the script
        touches = 0
        top = _rows(_capture(out, lambda: draw(calls[0] if calls else None, brief=True)))
        draw(calls[0] if calls else None, brief=True)
    if script is not None:
        _script(out, script, budget - top - touches, gap=touches > 0)


def _card(
    out: Console,
    row: Row,
    lead: Lead,
    position: tuple[int, int],
    now: datetime,
    zone: ZoneInfo,
    explain: bool,
    last: Call | None = None,
    brief: bool = False,
    region: str | None = None,
) -> None:
    """The card; ``brief`` (a small terminal) drops the blank line above and adds the
    newest touch in one line, in place of the timeline."""
    from rich.table import Table

    local = now.astimezone(zone)
    if not brief:
        out.print()
    place = _("{n} of {total}").format(n=position[0], total=position[1])
    today = f"{strftime(local, '%a')} {local.day} {strftime(local, '%b')} {local:%H:%M}"
    out.rule(f"[bold]{place}[/] [dim]· {today}[/]", align="left")
    who = f"[bold]{escape(lead.name)}[/]"
    about = " · ".join(escape(x) for x in (lead.title, lead.company) if x)
    grid = Table.grid(expand=True, padding=(0, 2))
    grid.add_column(overflow="fold")  # who wraps, never cut; the slot beside it stays whole
    grid.add_column(justify="right", no_wrap=True)
    grid.add_row(
        f"{who} [dim]·[/] {about}" if about else who,
        f"{temperature(str(lead.temperature))} [dim]· {stage_word(str(lead.stage)).upper()}[/]",
    )
    grid.add_row(_phone(lead, region), _slot(row, now, zone))
    out.print(grid)
    parts = sorted(row.parts, key=lambda p: -p.points)
    if explain:
        for part in parts:
            style = "green" if part.points > 0 else "red"
            detail = part_detail(part, now, zone)
            out.print(f"  [{style}]{number(part.points, '+5.1f')}[/]  {escape(detail)}")
        out.print(f"  [bold]{number(row.score, '5.1f')}[/]  [dim]" + _("score") + "[/]")
    else:
        why = Table.grid(padding=(0, 1))  # the reasons wrap under themselves, never cut
        why.add_column(no_wrap=True)
        why.add_column(overflow="fold")
        why.add_row("[dim]" + _("Why first:") + "[/]", _why(parts, row, now, zone))
        out.print(why)
    if brief:
        touch = _touch(last, zone, now)
        out.print("[dim]" + _("Last touch:") + f"[/] {touch}", overflow="ellipsis", no_wrap=True)


def _touch(call: Call | None, zone: ZoneInfo, now: datetime) -> str:
    if call is None:
        return _("none yet")
    words = [when(call.at, zone, now), outcome(call.outcome)]
    if call.notes:
        words.append(escape(call.notes))
    return " · ".join(words)


def _why(parts: list[Part], row: Row, now: datetime, zone: ZoneInfo) -> str:
    """The weightiest reasons the card does not already show (temperature, slot), at most
    three; the days since the last touch once."""
    said = {"temperature", "window-open"}
    if any(p.part == "stale" for p in parts):
        said.add("days-since-touch")
    reasons = [p for p in parts if p.part not in said and p.points > 0] or parts
    return escape(" · ".join(part_detail(p, now, zone) for p in reasons[:3]))


def _phone(lead: Lead, region: str | None) -> str:
    """The number to dial as it is dialled (``phones.display``), bold and apart; a flag on
    it in amber."""
    from warmcall.phones import display

    if not lead.phone:
        return "[dark_orange]" + _("no phone number") + "[/]"
    flag = {"wrong-number": _("marked wrong number"), "unparsed": _("not a number we could read")}
    note = f"  [dark_orange]{flag[lead.phone_flag]}[/]" if lead.phone_flag in flag else ""
    shown = display(lead.phone_e164, lead.phone, region)
    return f"[bold reverse] {escape(shown)} [/]{note}"


def _slot(row: Row, now: datetime, zone: ZoneInfo) -> str:
    """``now, until 09:00`` or ``12:00–14:00``, and the lead's own clock when it differs."""
    end = row.slot_end.astimezone(zone)
    if row.slot_start <= now:
        text = "[green]" + _("now") + "[/], " + _("until {time}").format(time=f"{end:%H:%M}")
    else:
        text = f"{row.slot_start.astimezone(zone):%H:%M}–{end:%H:%M}"
    if row.lead.timezone:
        theirs = now.astimezone(ZoneInfo(row.lead.timezone))
        if theirs.utcoffset() != now.astimezone(zone).utcoffset():
            clock = f"{theirs:%H:%M} {theirs.tzname()}"
            text += " [dim]· " + _("their time {clock}").format(clock=clock) + "[/]"
    return text


def _script(out: Console, script: Script, budget: int, gap: bool = True) -> None:
    """The sections used during the call, as many of their lines as fit in ``budget`` rows:
    what to say first, then facts and objections, then steps; the order stays the script's.
    ``gap``: a blank line before each section (not on a small terminal)."""
    sections = [s for s in script.sections if s.title.strip().lower() in DURING_CALL]
    sections = sections or script.sections
    cost = {
        (n, i): _rows(_capture(out, lambda s=s, line=line: section(out, s.title, [line]))) - 1
        for n, s in enumerate(sections)
        for i, line in enumerate(s.lines)
    }
    # Each section's lines by importance; the sections take turns, so each keeps its best.
    turn = {
        (n, i): place
        for n, s in enumerate(sections)
        for place, i in enumerate(
            sorted(range(len(s.lines)), key=lambda i: (_order(s.lines[i]), i))
        )
    }
    keep: set[tuple[int, int]] = set()
    used = 0
    titled: set[int] = set()
    hint = 1  # the line that says where the whole script is, when it is cut
    for n, i in sorted(cost, key=lambda k: (turn[k], k[0])):
        extra = cost[n, i] + (0 if n in titled else 1 + gap)  # a new section: rule, blank
        if used + extra + hint > budget:
            break  # never a lesser line in place of a more important one
        keep.add((n, i))
        titled.add(n)
        used += extra
    for n, s in enumerate(sections):
        lines = [line for i, line in enumerate(s.lines) if (n, i) in keep]
        if lines:
            if gap:
                out.print()
            section(out, s.title, lines)
    if len(keep) < len(cost):
        whole = _("… the whole guide: {command}").format(
            command=f"warmcall script {script.lead_id}"
        )
        out.print(f"[dim]{whole}[/]")


def _order(line: str) -> int:
    return LINE_ORDER.get(line[:2], LINE_ORDER[""])


def _capture(out: Console, draw: Callable[[], None]) -> str:
    with out.capture() as captured:
        draw()
    return captured.get()


def _printed(draw: Callable[[], None]) -> str:
    """What ``draw`` prints through its own console, at the terminal's width, unseen."""
    from contextlib import redirect_stdout
    from io import StringIO

    with redirect_stdout(StringIO()) as text:
        draw()
    return text.getvalue()


def _rows(text: str) -> int:
    return text.count("\n")


def skipped(lead: Lead) -> None:
    said = _("Skipped {name}: not offered again in this session.").format(name=escape(lead.name))
    console().print(f"[dim]{said}[/]")


def nothing_logged(lead: Lead) -> None:
    console().print(_("Nothing logged for {name}.").format(name=escape(lead.name)))


def problem(message: str, again: bool = True) -> None:
    """A call that could not be logged: the reason, and (``again``) the same lead is asked
    again."""
    more = " " + _("Nothing logged; once more:") if again else ""
    console().print(f"[dark_orange]{escape(message)}[/]{more}")


def no_script(message: str) -> None:
    said = _("No script: {message}").format(message=escape(message))
    console().print(f"[dark_orange]{said}[/]")


def done() -> None:
    console().print("\n" + _("That was everyone planned for now."))


def summary(result: Summary) -> None:
    """``3 calls logged · 1 meeting · 2 left for later``."""
    calls = nf("{n} call logged", "{n} calls logged", result.calls)
    bits = [calls if result.calls else _("No calls logged")]
    if result.meetings:
        bits.append("[green]" + nf("{n} meeting", "{n} meetings", result.meetings) + "[/]")
    if result.left:
        bits.append(nf("{n} left for later", "{n} left for later", result.left))
    console().print("\n" + " · ".join(bits))


def waiting(upcoming: Upcoming, now: datetime, zone: ZoneInfo) -> None:
    """``Nobody's window is open now. Next: Dario Sanz, 12:00–14:00 (18:00 EST).``"""
    row = upcoming.row
    start, end = row.slot_start.astimezone(zone), row.slot_end.astimezone(zone)
    day = "" if start.date() == now.astimezone(zone).date() else strftime(start, "%a") + " "
    text = f"{day}{start:%H:%M}–{end:%H:%M}"
    if row.lead.timezone:
        theirs = row.slot_start.astimezone(ZoneInfo(row.lead.timezone))
        if theirs.utcoffset() != start.utcoffset():
            clock = f"{theirs:%H:%M} {theirs.tzname()}"
            text += " [dim](" + _("{clock} their time").format(clock=clock) + ")[/]"
    out = console()
    who = f"[bold]{escape(row.lead.name)}[/]"
    out.print(
        "\n" + _("Nobody's window is open now. Next: {who}, {when}.").format(who=who, when=text)
    )
    if not upcoming.early:
        why = "; ".join(
            problem_text(p, now, zone) for p in upcoming.problems if p.code != "outside-window"
        )
        out.print("[dim]" + _("Not before: {why}.").format(why=escape(why)) + "[/]")


def waiting_until(moment: datetime, zone: ZoneInfo) -> None:
    at = f"{moment.astimezone(zone):%H:%M}"
    console().print("[dim]" + _("Waiting until {time} (Ctrl-C stops).").format(time=at) + "[/]")
