"""Calls as a person reads them: a lead's timeline, the call list, the line after logging.

Outcome colours carry the kind of touch: a conversation is green (a meeting bold), an
unanswered dial is dim, a do-not-call is red. Follow-ups: open plain, kept green, late amber,
overdue red.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from warmcall.calls import ListedCall, LoggedCall, RuleWarning, Undone, followup_status
from warmcall.imports.calls import CallImportResult
from warmcall.models import Call, Channel, FollowUp, FollowUpStatus, Outcome
from warmcall.render import console, escape, temperature, warn, when
from warmcall.render.i18n import (
    N_,
    _,
    n_,
    nf,
    number,
    objection_word,
    outcome_label,
    outcome_word,
    quoted,
    strftime,
)

if TYPE_CHECKING:
    from warmcall.compliance.rules import Problem
    from warmcall.drafts import Draft
    from warmcall.models import Lead

FOLLOWUP_STYLE = {
    FollowUpStatus.OPEN: "bold",
    FollowUpStatus.KEPT: "green",
    FollowUpStatus.LATE: "dark_orange",
    FollowUpStatus.OVERDUE: "bold red",
    FollowUpStatus.MOVED: "dim",
}
FOLLOWUP_WORDS = {
    "open": N_("open"),
    "kept": N_("kept"),
    "late": N_("kept late"),  # kept, by a call after its time ("late" alone: the report's column)
    "overdue": N_("overdue"),
    "moved": N_("moved"),
}


CHANNELS = {
    "phone": N_("phone"),
    "email": N_("email"),
    "sms": N_("sms"),
    "linkedin": N_("linkedin"),
    "visit": N_("visit"),
}


def channel_label(channel: object) -> str:
    return _(CHANNELS.get(str(channel), str(channel)))


def objection_label(objection: object) -> str:
    return objection_word(str(objection))


def followup_word(status: object) -> str:
    return _(FOLLOWUP_WORDS.get(str(status), str(status)))


def outcome(value: Outcome) -> str:
    """The outcome, coloured by its kind."""
    if value == Outcome.DO_NOT_CALL:
        style = "bold red"
    elif value == Outcome.MEETING:
        style = "bold green"
    elif value.is_conversation:
        style = "green"
    else:
        style = "dim"
    return f"[{style}]{outcome_label(value)}[/]"


def duration(seconds: int | None) -> str:
    """``4m30s``, ``12m``, ``1h05m``, ``45s``; empty when unknown."""
    if seconds is None:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s" if secs else f"{minutes}m"
    return f"{secs}s"


def due(followup: FollowUp, zone: ZoneInfo, now: datetime) -> str:
    """When a follow-up is due: the day alone when no time was agreed."""
    text = when(followup.due_at, zone, now)
    return text[: -len(" 00:00")] if not followup.has_time else text


def timeline(
    calls: list[Call],
    followups: list[FollowUp],
    zone: ZoneInfo,
    now: datetime,
    newest: int | None = None,
) -> None:
    """Every touch and every agreed next step, newest first, one aligned row each (only the
    ``newest`` rows when given: the calling session's glance at the history)."""
    from rich.table import Table

    out = console()
    if not calls and not followups:
        out.print("\n[dim]" + _("No calls yet.") + "[/]")
        return
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="dim")  # when
    grid.add_column(no_wrap=True)  # outcome, or "next step"
    grid.add_column(no_wrap=True)  # channel, or follow-up status
    grid.add_column(overflow="fold")  # details
    rows: list[tuple[datetime, int, tuple[str, str, str, str]]] = []
    for call, before in zip(calls, _temperatures_before(calls), strict=True):
        rows.append((call.at, 0, _call_row(call, before, zone, now)))
    for followup in followups:
        rows.append((followup.due_at, 1, _followup_row(followup, zone, now)))
    rows.sort(key=lambda r: (r[0], r[1]), reverse=True)
    shown = (
        ""
        if newest is None or newest >= len(rows)
        else " · " + _("the newest {n}").format(n=newest)
    )
    touches = nf("{n} touch", "{n} touches", len(calls))
    steps = nf("{n} follow-up", "{n} follow-ups", len(followups))
    out.print()
    out.print("[bold]" + _("Timeline") + f"[/]  [dim]{touches}, {steps}{shown}[/]")
    for _at, _order, cells in rows[:newest]:
        grid.add_row(*cells)
    out.print(grid)


def _temperatures_before(calls: list[Call]) -> list[str | None]:
    """For each call (newest first), the temperature the lead had before it, when recorded."""
    before: list[str | None] = []
    last: str | None = None
    for call in reversed(calls):
        before.append(last)
        if call.temperature is not None:
            last = str(call.temperature)
    return list(reversed(before))


def _call_row(
    call: Call, before: str | None, zone: ZoneInfo, now: datetime
) -> tuple[str, str, str, str]:
    details = []
    if call.duration is not None:
        details.append(duration(call.duration))
    if call.notes:
        details.append(escape(call.notes))
    if call.timeline:
        details.append(said_timeline(call.timeline))
    if call.objections:
        details.append(
            _("objections: {list}").format(
                list=", ".join(objection_label(o) for o in call.objections)
            )
        )
    if call.temperature is not None and str(call.temperature) != before:
        change = temperature(str(call.temperature))
        details.append(
            f"{temperature(before)} → {change}"
            if before
            else _("now {temperature}").format(temperature=change)
        )
    channel = "" if call.channel == Channel.PHONE else f"[cyan]{channel_label(call.channel)}[/]"
    return when(call.at, zone, now), outcome(call.outcome), channel, " · ".join(details)


def said_timeline(text: str) -> str:
    """The timeline the lead gave, quoted as they said it: ``timeline “maybe in spring”``."""
    return _("timeline {quoted}").format(quoted=quoted(escape(text)))


def _followup_row(followup: FollowUp, zone: ZoneInfo, now: datetime) -> tuple[str, str, str, str]:
    status = followup_status(followup, now)
    detail = escape(followup.action)
    if followup.goal:
        detail += " [dim]· " + _("goal:") + f"[/] {escape(followup.goal)}"
    if followup.done_at is not None:
        done = _("done {when}").format(when=when(followup.done_at, zone, now))
        detail += f" [dim]· {done}[/]"
    return (
        due(followup, zone, now),
        "[italic]" + _("next step") + "[/]",
        f"[{FOLLOWUP_STYLE[status]}]{followup_word(status)}[/]",
        detail,
    )


def call_table(listed: list[ListedCall], zone: ZoneInfo, now: datetime, limited: bool) -> None:
    """``call list``: newest first, times in the user's zone."""
    from rich.table import Table

    out = console()
    if not listed:
        lead = _("LEAD")  # as the help names it, in its language
        out.print(
            _("No calls match. Log one with {command}").format(
                command=f"[bold]warmcall call log {lead} --outcome …[/]"
            )
        )
        return
    # When, who and what keep their width; who wraps (the company under the name), never
    # cut; the notes give way on a narrow terminal, on one line (``lead show`` has them
    # whole). The channel (when not the phone) and the length ride with the outcome:
    # "connected · visit · 4m".
    from rich.text import Text

    from warmcall.render.columns import LINE_CELL, bounded

    rows = []
    for item in listed:
        call = item.call
        lead = f"[bold]{escape(bounded(item.lead_name))}[/]"
        if item.company:
            lead += f"\n[dim]{escape(bounded(item.company))}[/]"
        what = outcome(call.outcome)
        if call.channel != Channel.PHONE:
            what += f" [dim]· {channel_label(call.channel)}[/]"
        if call.duration:
            what += f" [dim]· {duration(call.duration)}[/]"
        said = [escape(call.notes)] if call.notes else []
        if call.timeline:
            said.append(said_timeline(call.timeline))
        rows.append((str(call.id), when(call.at, zone, now), lead, what, " · ".join(said)))

    def widest(i: int) -> int:
        return max(Text.from_markup(row[i]).cell_len for row in rows)

    # Fixed widths: rich's own shrinking can squeeze a column to nothing.
    words = [w for row in rows for w in Text.from_markup(row[2]).plain.split()]
    word = max(min(Text(w).cell_len, LINE_CELL) for w in words)
    widths = [
        widest(0),
        widest(1),
        max(word, Text(_("Lead")).cell_len, min(widest(2), 30 if out.width >= 100 else 22)),
        widest(3),
    ]
    notes = max(8, out.width - sum(widths) - 2 * len(widths))
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("#", no_wrap=True, style="dim", justify="right", width=widths[0])
    table.add_column(_("When"), no_wrap=True, style="dim", width=widths[1])
    table.add_column(_("Lead"), width=widths[2], overflow="fold")
    table.add_column(_("Outcome"), no_wrap=True, width=widths[3])
    table.add_column(_("Notes"), overflow="ellipsis", no_wrap=True, width=notes)
    for row in rows:
        table.add_row(*row)
    out.print(table)
    footer = nf("{n} call", "{n} calls", len(listed))
    if limited:
        footer += ", " + _("the newest (--limit N for more, --limit 0 for all)")
    out.print(f"[dim]{footer}[/]")


def logged(
    result: LoggedCall,
    zone: ZoneInfo,
    now: datetime,
    marked_lost: bool = False,
    verb: str = "Logged",
) -> None:
    """The calm line after ``call log`` (or ``call edit``: ``verb``): what was recorded and
    what it changed; a frequency rule the dial broke goes to stderr."""
    lead = result.lead
    who = escape(lead.name) + (f" ({escape(lead.company)})" if lead.company else "")
    call = result.call
    via = (
        ""
        if call.channel == Channel.PHONE
        else " " + _("by {channel}").format(channel=channel_label(call.channel))
    )
    said = {"outcome": outcome(call.outcome) + via, "who": f"[bold]{who}[/]"}
    said["when"] = when(call.at, zone, now)
    if verb == "Logged":
        first = _("Logged {outcome} with {who} at {when}").format(**said)
    elif verb == "Corrected":
        first = _("Corrected #{id} {outcome} with {who} at {when}").format(id=call.id, **said)
    else:
        first = f"{verb} #{call.id} {said['outcome']} with {said['who']} at {said['when']}"
    parts = [first]
    if result.opened:
        theirs = _their_clock(result.opened, lead.timezone, zone)
        parts.append(
            _("next: {due} — {action}").format(
                due=due(result.opened, zone, now) + theirs, action=escape(result.opened.action)
            )
        )
    if result.superseded_by:
        later = result.superseded_by
        parts.append(
            "[dim]"
            + _("already moved: a later call agreed {due} — {action}").format(
                due=due(later, zone, now), action=escape(later.action)
            )
            + "[/]"
        )
    for followup, status in (
        (result.closed, result.closed and result.closed.status),
        (result.moved, FollowUpStatus.MOVED),
        (result.still_open, FollowUpStatus.OPEN),
    ):
        if followup is None or status is None:
            continue
        day = followup.due_at.astimezone(zone)
        near = abs((day.date() - call.at.astimezone(zone).date()).days) < 7
        weekday = strftime(day, "%a")
        label = weekday if near else f"{weekday} {day.day} {strftime(day, '%b')}"
        word = _("still open") if status == FollowUpStatus.OPEN else followup_word(status)
        word = f"[{FOLLOWUP_STYLE[status]}]{word}[/]"
        parts.append(_("follow-up of {day} {status}").format(day=label, status=word))
    if call.outcome == Outcome.DO_NOT_CALL:
        parts.append("[bold red]" + _("will not be called again") + "[/]")
    elif call.outcome == Outcome.WRONG_NUMBER:
        parts.append("[dark_orange]" + _("phone flagged as a wrong number") + "[/]")
    if result.cleared_flag:
        parts.append(_("wrong-number flag cleared: the number reached them"))
    if marked_lost and lead.status == "lost":
        parts.append(_("marked lost"))
    if call.temperature is not None:
        parts.append(_("now {temperature}").format(temperature=temperature(str(call.temperature))))
    console().print(" · ".join(parts))
    warn_rules(result, zone, now)


def warn_rules(result: LoggedCall, zone: ZoneInfo, now: datetime) -> None:
    """Each rule in force the dial broke (hours, day, holiday, consent, rest, and any other
    check of the verdict), each frequency rule, and what makes the agreed next step's time a
    poor one for the person, one sentence each on stderr."""
    from warmcall.render.reasons import problem_text

    broken = result.verdict.broken if result.verdict is not None else result.clock_problems
    for problem in broken:
        if _said_as_frequency(problem):
            continue  # worded below, with the rule's source
        said = _("the dial breaks a rule: {problem}. Logged anyway.").format(
            problem=escape(problem_text(problem, now, zone))
        )
        warn("[dark_orange]" + _("Warning:") + f"[/] {said}")
    for warning in result.warnings:
        warn("[dark_orange]" + _("Warning:") + f"[/] {rule_warning(warning, zone, now)}")
    for problem in result.next_problems:
        warn(
            "[dark_orange]"
            + _("Note:")
            + "[/] "
            + _("the next step: {problem}; kept as agreed.").format(
                problem=escape(problem_text(problem, now, zone))
            )
        )


def _said_as_frequency(problem: Problem) -> bool:
    """A frequency rule of the verdict: ``rule_warning`` words it (``LoggedCall.warnings``)."""
    return problem.code == "over-frequency" or (
        problem.code == "resting" and problem.facts.get("why") == "unanswered"
    )


def _their_clock(step: FollowUp, timezone: str | None, zone: ZoneInfo) -> str:
    """`` (09:30 in New York)`` after an agreed time, when the lead's clock reads otherwise."""
    if not step.has_time or not timezone:
        return ""
    theirs, ours = step.due_at.astimezone(ZoneInfo(timezone)), step.due_at.astimezone(zone)
    if theirs.utcoffset() == ours.utcoffset():
        return ""
    place = timezone.rsplit("/", 1)[-1].replace("_", " ")
    return " " + _("({time} in {place})").format(time=f"{theirs:%H:%M}", place=place)


def rule_warning(warning: RuleWarning, zone: ZoneInfo, now: datetime) -> str:
    """One sentence naming the frequency rule a dial broke."""
    if warning.rule == "attempts":
        key = "rules.max_attempts / rules.attempts_days"
        return _(
            "this is dial {count} in {days} days; the frequency rule allows "
            "{limit} ({source}). Logged anyway."
        ).format(
            count=warning.count,
            days=warning.days,
            limit=warning.limit,
            source=_rule_source(warning, key),
        )
    return _(
        "the last dial, {when}, went unanswered less than {hours} hours ago ({source}). "
        "Logged anyway."
    ).format(
        when=when(warning.since, zone, now),
        hours=warning.hours,
        source=_rule_source(warning, "rules.rest_hours_after_unanswered"),
    )


def _rule_source(warning: RuleWarning, key: str) -> str:
    """Where the limit comes from: the lead's rule profile, or the configuration's key."""
    if warning.profile:
        return _("the {profile} rule profile").format(profile=warning.profile)
    return key


def undone(result: Undone, zone: ZoneInfo, now: datetime) -> None:
    """The line after ``call undo``: the call taken back and what came back with it."""
    call = result.call
    parts = [
        _("Undid call #{id}: {outcome} with {who} at {when}").format(
            id=call.id,
            outcome=outcome(call.outcome),
            who=f"[bold]{escape(result.lead.name)}[/]",
            when=when(call.at, zone, now),
        )
    ]
    for followup in result.reopened:
        parts.append(_("follow-up of {due} open again").format(due=due(followup, zone, now)))
    for followup in result.removed:
        parts.append(_("step of {due} removed").format(due=due(followup, zone, now)))
    if "temperature" in result.restored:
        back = temperature(str(result.lead.temperature))
        parts.append(_("back to {temperature}").format(temperature=back))
    if "status" in result.restored:
        parts.append(_("status {status} again").format(status=result.lead.status))
    if "phone" in result.restored:
        parts.append(_("phone no longer flagged"))
    if "phone-flag" in result.restored:
        parts.append(_("phone flagged as a wrong number again"))
    console().print(" · ".join(parts))


def import_summary(result: CallImportResult, rejects: Path | None = None) -> None:
    """What an import did, in a few calm lines."""
    out = console()
    calls = nf("{n} call", "{n} calls", result.imported)
    rows = nf("{n} row", "{n} rows", result.rows)
    n = result.imported  # the verb agrees with the calls: "Se importaría 1 llamada"
    said = (
        n_("Would import {calls} from {rows}", "Would import {calls} from {rows}", n)
        if result.dry_run
        else n_("Imported {calls} from {rows}", "Imported {calls} from {rows}", n)
    ).format(calls=calls, rows=rows)
    if result.rejected:
        said += "; [dark_orange]" + nf("{n} rejected", "{n} rejected", result.rejected) + "[/]"
    out.print(said + ".")
    if result.outcomes:
        ordered = sorted(result.outcomes.items(), key=lambda kv: -kv[1])
        out.print(
            "[dim]"
            + ", ".join(f"{number(n)} {escape(outcome_word(o))}" for o, n in ordered)
            + "[/]"
        )
    if result.marked_dnc:
        n = result.marked_dnc
        marked = (
            nf("{n} lead would be marked do-not-call", "{n} leads would be marked do-not-call", n)
            if result.dry_run
            else nf("{n} lead now marked do-not-call", "{n} leads now marked do-not-call", n)
        )
        out.print(f"[bold red]{marked}[/] " + _("(a do-not-call outcome in the history)."))
    for rejected in result.errors:
        line = _("line {line}:").format(line=rejected.line)
        out.print(f"  [dim]{line}[/] {escape(rejected.words(_))}")
    if result.rejected > len(result.errors):
        more = nf("… and {n} more", "… and {n} more", result.rejected - len(result.errors))
        where = (
            _(", all in {path}").format(path=escape(str(rejects)))
            if rejects
            else _("; --rejects FILE lists all")
        )
        out.print(f"  [dim]{more}{where}[/]")
    elif result.rejected and rejects:
        out.print(
            "  [dim]" + _("(also written to {path})").format(path=escape(str(rejects))) + "[/]"
        )
    if result.dry_run:
        out.print("[dim]" + _("Nothing was written (--dry-run).") + "[/]")


def draft_summary(draft: Draft, lead: Lead, zone: ZoneInfo, now: datetime) -> None:
    """``A draft is kept for Ana Martínez, from Mon 7 Dec 09:40: connected · “she was
    driving” · next: Fri 11 Dec 10:00 — send the offer``."""
    entry = draft.entry
    bits = [outcome(entry.outcome)]
    if entry.notes:
        bits.append(quoted(escape(entry.notes)))
    if entry.objections:
        bits.append(
            _("objections: {list}").format(
                list=", ".join(objection_label(o) for o in entry.objections)
            )
        )
    if entry.next_at is not None:
        step = FollowUp(
            lead_id=draft.lead_id, due_at=entry.next_at, has_time=entry.next_has_time,
            action=entry.next_action or "",
        )  # fmt: skip
        bits.append(
            _("next: {due} — {action}").format(due=due(step, zone, now), action=escape(step.action))
        )
    said = _("A draft is kept for {name}, from {when}:").format(
        name=f"[bold]{escape(lead.name)}[/]", when=when(entry.at, zone, now)
    )
    console().print(f"{said} " + " · ".join(bits))


def draft_kept(lead: Lead, command: list[str], saved: bool) -> None:
    """Nothing was logged, what was typed is not lost: the draft, and the line that logs it."""
    import shlex

    name = escape(lead.name)
    said = (
        _("Nothing logged for {name}; what you typed is kept as a draft, offered when you "
          "call them again. To log it now:")
        if saved
        else _("Nothing logged for {name}; to log what you typed:")
    ).format(name=name)  # fmt: skip
    out = console()
    out.print(said)
    out.print(f"  [bold]{escape(shlex.join(command))}[/]", soft_wrap=True)
