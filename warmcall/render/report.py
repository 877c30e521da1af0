"""The weekly report for a person (rich, 80 columns) and for a spreadsheet (CSV)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from warmcall.render import console, escape, spreadsheet_safe, temperature, when
from warmcall.render.columns import bounded
from warmcall.render.i18n import N_, _, nf, number, objection_word, outcome_word, strftime
from warmcall.reports import NO_SOURCE

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from rich.console import Console
    from rich.table import Table

    from warmcall.reports import LeadRef, Period, Report, Results, TeamWeek

LIST_LIMIT = 10  # rows shown per action list; --json and --csv carry them all
BAR_WIDTH = 40
EIGHTHS = " ▏▎▍▌▋▊▉█"
ACTION_WIDTH = 20  # a follow-up's action, clipped, in the overdue list
UNANSWERED_STYLE = "dim"


# Human view ---------------------------------------------------------------------------------


def show(report: Report) -> None:
    out = console()
    before = report.previous
    out.print(f"[bold]{period_title(report.period)}[/]")
    notes = []
    if report.partial and report.as_of.astimezone(report.zone).date() < report.period.start:
        notes.append(_("not started yet"))
    elif report.partial:
        notes.append(_("so far: up to {moment}").format(moment=when(report.as_of, report.zone)))
    if before is not None:
        other = period_title(before.period, short=True)
        notes.append(
            _said(
                before.period,
                N_("compared with week {n} at the same point"),
                N_("compared with {period} at the same point"),
                period=other,
            )
            if before.partial
            else _said(
                before.period,
                N_("compared with week {n}"),
                N_("compared with {period}"),
                period=other,
            )
        )
    for note in notes:
        out.print(f"[dim]{note}[/]")
    out.print()
    if report.empty:
        said = _said(
            report.period, N_("No calls logged in week {n}."), N_("No calls logged in this period.")
        )
        if before is not None and before.touches:
            dials = nf("{n} dial", "{n} dials", before.dials)
            said += (
                " [dim]("
                + _said(
                    before.period,
                    N_("{dials} in week {n}."),
                    N_("{dials} in the period before."),
                    dials=dials,
                )
                + ")[/]"
            )
        out.print(said)
    else:
        _figures(out, report)
        _per_day(out, report)
        _outcomes(out, report)
        _results(out, report)
        _objections(out, report)
        _temperatures(out, report)
    _actions(out, report)


def period_title(period: Period, short: bool = False) -> str:
    """``Week 48 · Mon 23 – Sun 29 Nov 2026``; a run of days without the week number."""
    start, end = period.start, period.end
    first, last = strftime(start, "%a"), strftime(end, "%a")
    if start == end:
        days = f"{first} {start.day} {strftime(start, '%b %Y')}"
    elif start.year != end.year:
        days = (
            f"{first} {start.day} {strftime(start, '%b %Y')} – "
            f"{last} {end.day} {strftime(end, '%b %Y')}"
        )
    elif start.month != end.month:
        days = f"{first} {start.day} {strftime(start, '%b')} – {last} {end.day} " + strftime(
            end, "%b %Y"
        )
    else:
        days = f"{first} {start.day} – {last} {end.day} {strftime(end, '%b %Y')}"
    if short and period.week:
        return _name(period, False)
    if period.week:
        return _("Week {n}").format(n=int(period.week.split("W")[1])) + f" · {days}"
    return days


def _said(of: Period, week: str, other: str, **facts: str) -> str:
    """A sentence naming the period ``of``: ``week`` for an ISO week (its number as ``{n}``),
    else ``other`` (each language puts its own article before the name)."""
    if of.week:
        return _(week).format(n=int(of.week.split("W")[1]), **facts)
    return _(other).format(**facts)


def _name(period: Period, this: bool) -> str:
    """``week 48`` for a week; ``this period`` or ``period before`` for a run of days."""
    if period.week:
        return _("week {n}").format(n=int(period.week.split("W")[1]))
    return _("this period") if this else _("period before")


def _table(*columns: tuple[str, str]) -> Table:
    from rich.table import Table

    table = Table(
        box=None,
        header_style="dim",
        pad_edge=False,
        padding=(0, 2, 0, 0),
        show_header=any(name for name, _justify in columns),
    )
    for n, (name, justify) in enumerate(columns):
        # The first column (who) wraps and gives way on a narrow terminal; the figures,
        # dates and words beside it keep their width: nothing is cut.
        table.add_column(_(name) if name else "", justify=justify, no_wrap=n > 0)  # type: ignore[arg-type]
    return table


def _section(out: Console, title: str, hint: str = "") -> None:
    """A section's title and its dim hint, both already in the interface's language."""
    out.print()
    out.print(f"[bold]{title}[/]" + (f"  [dim]{hint}[/]" if hint else ""))


def _figures(out: Console, report: Report) -> None:
    """The key figures, each with its change against the period before (▲ ▼, green when good)."""
    before = report.previous
    table = _table(
        ("", "left"),
        (_name(report.period, True), "right"),
        (_name(before.period, False) if before else "", "right"),
        ("", "left"),
    )
    figures: list[tuple[str, Callable[[Report], int | float | None], bool]] = [
        (N_("Dials"), lambda r: r.dials, True),
        (N_("Conversations"), lambda r: r.conversations, True),
        (N_("Connect rate"), lambda r: r.connect_rate, True),
        (N_("Meetings booked"), lambda r: r.meetings, True),
        (N_("Follow-ups set"), lambda r: r.followups_set, True),
        (N_("Follow-ups kept"), lambda r: r.followups_kept, True),
        (N_("Follow-ups late"), lambda r: r.followups_late, False),
        (N_("Warmed up"), lambda r: r.warmed_count, True),
        (N_("Cooled down"), lambda r: r.cooled_count, False),
        (N_("Overdue"), lambda r: r.overdue_count, False),
        (N_("Stale leads"), lambda r: r.stale_count, False),
        (N_("Rule breaches"), lambda r: r.breaches_count, False),
    ]
    quiet_when_none = ("Follow-ups late", "Warmed up", "Cooled down")
    for label, figure, up_good in figures:
        now = figure(report)
        if before is None:
            table.add_row(_(label), _figure(now), "", "")
            continue
        then = figure(before)
        if label in quiet_when_none and not (now or then):
            continue
        table.add_row(
            _(label), _figure(now), f"[dim]{_figure(then)}[/]", _change(now, then, up_good)
        )
    out.print(table)


def _figure(value: int | float | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.0%}"
    return number(value)


def _change(now: int | float | None, then: int | float | None, up_good: bool) -> str:
    if now is None or then is None:
        return ""
    if isinstance(now, float):
        diff = round((now - then) * 100)
        amount = nf("{n} pt", "{n} pts", abs(diff))
    else:
        diff = int(now - then)
        amount = number(abs(diff))
    if diff == 0:
        return "[dim]=[/]"
    good = (diff > 0) == up_good
    return f"[{'green' if good else 'red'}]{'▲' if diff > 0 else '▼'} {amount}[/]"


def _bar(value: int, most: int) -> str:
    if not value or not most:
        return ""
    eighths = max(1, round(value / most * BAR_WIDTH * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[rest] if rest else "")


def _per_day(out: Console, report: Report) -> None:
    """Calls per day as a bar chart (per week when the period is longer than a month)."""
    days = list(report.by_day.items())
    if len(days) > 31:
        weeks = [days[i : i + 7] for i in range(0, len(days), 7)]
        rows = [
            (
                f"{strftime(w[0][0], '%a')} {w[0][0].day:>2} {strftime(w[0][0], '%b')}",
                sum(n for _day, n in w),
                w[0][0],
            )
            for w in weeks
        ]
        _section(out, _("Calls per week"), _("each row: the seven days from that day"))
    else:
        rows = [(f"{strftime(d, '%a')} {d.day:>2}", n, d) for d, n in days]
        _section(out, _("Calls per day"))
    most = max(n for _label, n, _day in rows)
    today = report.as_of.astimezone(report.zone).date()
    table = _table(("", "left"), ("", "left"), ("", "right"))
    for label, n, day in rows:
        if day > today:  # not yet lived
            table.add_row(f"[dim]{label}[/]", "", "[dim]·[/]")
            continue
        style = "dim" if not n else ""
        table.add_row(
            f"[{style}]{label}[/]" if style else label,
            f"[cyan]{_bar(n, most)}[/]",
            f"[{style}]{number(n)}[/]" if style else number(n),
        )
    out.print(table)


def _outcomes(out: Console, report: Report) -> None:
    from warmcall.models import CONVERSATIONS

    if not report.dials:
        return
    _section(out, _("Outcomes"), _("of the dials; dim: no one answered"))
    table = _table(("", "left"), (N_("dials"), "right"), (N_("share"), "right"))
    talks = {o.value for o in CONVERSATIONS}
    for outcome, n in sorted(report.by_outcome.items(), key=lambda kv: -kv[1]):
        if not n:
            continue
        style = "" if outcome in talks else UNANSWERED_STYLE
        share = f"{n / report.dials:.0%}"
        word = outcome_word(outcome)
        if style:
            table.add_row(f"[{style}]{word}[/]", f"[{style}]{number(n)}[/]", f"[{style}]{share}[/]")
        else:
            table.add_row(word, number(n), share)
    out.print(table)


def _results(out: Console, report: Report) -> None:
    """What pays off: dials, conversations, connect rate and meetings by source and temperature."""
    columns = (
        (N_("dials"), "right"),
        (N_("talks"), "right"),
        (N_("connect"), "right"),
        (N_("meetings"), "right"),
    )
    _section(out, _("By source"))
    table = _table(("", "left"), *columns)
    for source, results in report.by_source.items():
        name = _("(no source)") if source == NO_SOURCE else escape(_clip(source, 34))
        table.add_row(name, *_result_cells(results))
    out.print(table)
    _section(out, _("By temperature"), _("the lead's temperature now"))
    table = _table(("", "left"), *columns)
    for name in ("hot", "warm", "cold"):
        results = report.by_temperature.get(name)
        if results and (results.dials or results.meetings):
            table.add_row(temperature(name), *_result_cells(results))
    out.print(table)


def _result_cells(results: Results) -> tuple[str, str, str, str]:
    rate = f"{results.conversations / results.dials:.0%}" if results.dials else "—"
    meetings = f"[green]{number(results.meetings)}[/]" if results.meetings else "[dim]0[/]"
    return number(results.dials), number(results.conversations), rate, meetings


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _objections(out: Console, report: Report) -> None:
    if not report.objections:
        return
    _section(out, _("Objections heard"))
    out.print(
        "  ".join(f"{objection_word(name)} [bold]{number(n)}[/]" for name, n in report.objections)
    )


def _temperatures(out: Console, report: Report) -> None:
    for title, changes, total, style in (
        (_("Warmed up"), report.warmed, report.warmed_count, "green"),
        (_("Cooled down"), report.cooled, report.cooled_count, "blue"),
    ):
        if not changes:
            continue
        _section(out, f"{title} ({number(total)})")
        shown = [
            f"{_who(c.lead)} [dim]{_(c.before)} →[/] [{style}]{_(c.after)}[/]"
            for c in changes[:LIST_LIMIT]
        ]
        for line in shown:
            out.print(line)
        _more(out, total)


def _who(lead: LeadRef) -> str:
    name = f"{escape(lead.name)} [dim]#{lead.id}[/]"
    if lead.company:
        name += f" [dim]· {escape(bounded(lead.company))}[/]"
    return name


def _day(moment: datetime, report: Report) -> str:
    """``Mon 10 Aug``, with the year when it is not the period's."""
    local = moment.astimezone(report.zone)
    day = strftime(local, "%a %d %b")
    return day + (f" {local.year}" if local.year != report.period.end.year else "")


def _more(out: Console, total: int, hint: str = "") -> None:
    if total > LIST_LIMIT:
        more = _("… and {n} more").format(n=number(total - LIST_LIMIT))
        out.print(f"[dim]{more}{hint}[/]")


def _actions(out: Console, report: Report) -> None:
    """The lists that ask for action, as of the end of the period (or now)."""
    zone = report.zone
    if report.overdue:
        _section(out, _("Overdue follow-ups") + f" ({number(report.overdue_count)})")
        table = _table(("", "left"), (N_("due"), "left"), (N_("late"), "right"), ("", "left"))
        widths = (16, 4, ACTION_WIDTH)  # at 80 columns the names give way, not the dates
        for column, width in zip(table.columns[1:], widths, strict=True):
            column.min_width = width
        table.columns[0].max_width = max(20, out.width - sum(widths) - 2 * len(widths))
        for item in report.overdue[:LIST_LIMIT]:
            due = when(item.due_at, zone) if item.has_time else _day(item.due_at, report)
            action = escape(_clip(item.action, ACTION_WIDTH))
            table.add_row(_who(item.lead), due, f"[red]{item.days_late} d[/]", action)
        out.print(table)
        _more(out, report.overdue_count, " " + _("(--json lists them all)"))
    if report.stale:
        days = report.rules.stale_days
        _section(
            out,
            _("Stale leads") + f" ({number(report.stale_count)})",
            _("warm or hot, no touch for more than {days} days").format(days=days),
        )
        table = _table(("", "left"), ("", "left"), (N_("last touch"), "left"), ("", "right"))
        for item in report.stale[:LIST_LIMIT]:
            last = (
                _day(item.last_touch, report) if item.last_touch else "[dim]" + _("never") + "[/]"
            )
            table.add_row(_who(item.lead), temperature(item.temperature), last, f"{item.days} d")
        out.print(table)
        _more(out, report.stale_count, " " + _("(--json lists them all)"))
    if report.breaches:
        _breaches(out, report, zone)
    if not (report.overdue or report.stale or report.breaches):
        _section(
            out,
            _("Nothing asks for action"),
            _("no overdue follow-ups, stale leads or breaches"),
        )


def _breaches(out: Console, report: Report, zone: ZoneInfo) -> None:
    """The leads dialled against a rule: the frequency rule's (the most dials in one span),
    then every other rule's (the dials that broke it, and how the last one did)."""
    from warmcall.render.reasons import check_label

    frequency = [b for b in report.breaches if b.problem is None]
    # One limit for every lead listed is said once; leads under several profiles each
    # carry theirs in their row.
    limits = {(b.most, b.days) for b in frequency}
    only_frequency = len(frequency) == len(report.breaches)
    hint = ""
    if len(limits) == 1 and only_frequency:
        most, days = next(iter(limits))
        hint = _("more than {n} dials within {days} days").format(n=most, days=days)
    title = _("Frequency-rule breaches") if only_frequency else _("Rule breaches")
    _section(out, title + f" ({number(report.breaches_count)})", hint)
    table = _table(("", "left"), ("", "right"), ("", "left"), (N_("last dial"), "left"))
    for item in report.breaches[:LIST_LIMIT]:
        dials = nf("{n} dial", "{n} dials", item.dials)
        if item.problem is None:
            rule = _("within {days} d").format(days=item.days)
        else:
            rule = escape(check_label(item.check))
        table.add_row(_who(item.lead), f"[red]{dials}[/]", rule, when(item.last_at, zone))
    out.print(table)
    _more(out, report.breaches_count, " " + _("(--json lists them all)"))


# CSV ----------------------------------------------------------------------------------------


CSV_HEADER = ("period", "section", "key", "metric", "value")


def write_csv(report: Report) -> None:
    """Tidy rows: ``period,section,key,metric,value``, the current period then the one before.

    ``period`` is ``start/end`` (ISO 8601 dates), so a pivot table can set the two side by
    side; ``section`` is ``summary``, ``by_day``, ``by_outcome``, ``by_source``,
    ``by_temperature``, ``objections``, ``warmed``, ``cooled``, ``overdue``, ``stale`` or
    ``breaches``; for lead lists ``key`` is ``#id name``. The period before has its summary
    (with how many leads each list held) and breakdowns, not the lead lists. Text cells that a
    spreadsheet would run as a formula are neutralised.
    """
    from warmcall.render import data_out

    writer = csv.writer(data_out(), lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for part in (report, report.previous):
        if part is not None:
            writer.writerows(
                tuple(spreadsheet_safe(str(cell)) for cell in row) for row in csv_rows(part)
            )


def csv_rows(report: Report) -> list[tuple[str, str, str, str, object]]:
    period = f"{report.period.start.isoformat()}/{report.period.end.isoformat()}"
    rows: list[tuple[str, str, str, str, object]] = []

    def add(section: str, key: str, metric: str, value: object) -> None:
        rows.append((period, section, key, metric, "" if value is None else value))

    rate = None if report.connect_rate is None else round(report.connect_rate, 4)
    for metric, value in (
        ("dials", report.dials),
        ("conversations", report.conversations),
        ("connect_rate", rate),
        ("meetings", report.meetings),
        ("touches", report.touches),
        ("followups_set", report.followups_set),
        ("followups_kept", report.followups_kept),
        ("followups_late", report.followups_late),
        ("overdue", report.overdue_count),
        ("stale", report.stale_count),
        ("breaches", report.breaches_count),
        ("warmed", report.warmed_count),
        ("cooled", report.cooled_count),
    ):
        add("summary", "", metric, value)
    for day, n in report.by_day.items():
        add("by_day", day.isoformat(), "dials", n)
    for outcome, n in report.by_outcome.items():
        add("by_outcome", outcome, "dials", n)
    for section, groups in (
        ("by_source", report.by_source),
        ("by_temperature", report.by_temperature),
    ):
        for key, results in groups.items():
            add(section, key, "dials", results.dials)
            add(section, key, "conversations", results.conversations)
            add(section, key, "meetings", results.meetings)
    for name, n in report.objections:
        add("objections", name, "count", n)
    for section, changes in (("warmed", report.warmed), ("cooled", report.cooled)):
        for change in changes:
            add(section, _key(change.lead), "before", change.before)
            add(section, _key(change.lead), "after", change.after)
    for item in report.overdue:
        add("overdue", _key(item.lead), "due_at", item.due_at.isoformat(timespec="seconds"))
        add("overdue", _key(item.lead), "days_late", item.days_late)
    for item in report.stale:
        last = item.last_touch.isoformat(timespec="seconds") if item.last_touch else None
        add("stale", _key(item.lead), "last_touch_at", last)
        add("stale", _key(item.lead), "days", item.days)
    for item in report.breaches:
        # A lead's frequency breach keeps its metrics' names; another rule's are prefixed
        # with the check (``hours_dials``), so a lead that broke several stays one key.
        prefix = "" if item.problem is None else f"{item.check}_"
        add("breaches", _key(item.lead), f"{prefix}dials", item.dials)
        last = item.last_at.isoformat(timespec="seconds")
        add("breaches", _key(item.lead), f"{prefix}last_at", last)
    return rows


def _key(lead: LeadRef) -> str:
    return f"#{lead.id} {lead.name}"


# JSON ---------------------------------------------------------------------------------------


def write_json(data: dict[str, Any]) -> None:
    """``--json``: the report a key a line, and each item of a list on a line of its own.

    Valid JSON like ``print_json``'s, shaped for a report whose lists may hold tens of
    thousands of leads: the standard library indents in pure Python (a second for 50,000
    stale leads) but encodes a whole line in C, and one lead a line still reads well.
    """
    encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
    from warmcall.controls import inert_json

    sys.stdout.write(inert_json("\n".join(_json_lines(data, encode, ""))) + "\n")


def _json_lines(
    data: dict[str, Any], encode: Callable[[Any], str], pad: str, tail: str = ""
) -> Iterator[str]:
    """The lines of one object. A list puts each item on a line; an object that holds lists
    or objects puts each key on a line; a flat object (the period, a source's results) fits
    on one."""
    inner = pad + "  "
    yield "{"
    last = len(data) - 1
    for i, (key, value) in enumerate(data.items()):
        comma = "," if i < last else ""
        name = f"{inner}{encode(key)}: "
        if isinstance(value, dict) and any(isinstance(v, dict | list) for v in value.values()):
            lines = _json_lines(value, encode, inner, comma)
            yield name + next(lines)
            yield from lines
        elif isinstance(value, list) and value:
            yield f"{name}[\n{inner}  {_items(value, encode, inner)}\n{inner}]{comma}"
        else:
            yield f"{name}{encode(value)}{comma}"
    yield f"{pad}}}{tail}"


def _items(items: list[Any], encode: Callable[[Any], str], pad: str) -> str:
    """A list's items, one a line: encoded in one call (C speed; a call per item costs twice
    as much), then broken after each comma that precedes an object opening with the first
    item's first key. Outside a string, that is where one item ends; inside one it cannot
    occur, as a quote in a string is escaped (and a string's closing quote is followed by
    ``:``, ``,``, ``}`` or ``]``, never by a key)."""
    text = encode(items)[1:-1]
    if isinstance(items[0], dict) and items[0]:
        opening = "{" + encode(next(iter(items[0]))) + ": "
        text = text.replace(", " + opening, f",\n{pad}  {opening}")
    return text


# The team's week (``report --team``, ``report --rep``) ------------------------------------


def show_team(week: TeamWeek) -> None:
    """A line a rep: their dials, conversations, connect rate, meetings, steps, breaches."""
    out = console()
    out.print(f"[bold]{period_title(week.period)}[/]")
    out.print()
    table = _table(
        (N_("Rep"), "left"),
        (N_("Dials"), "right"),
        (N_("Conversations"), "right"),
        (N_("Connect"), "right"),
        (N_("Meetings"), "right"),
        (N_("Steps set"), "right"),
        (N_("Kept"), "right"),
        (N_("Breaches"), "right"),
    )
    for w in week.reps:
        rate = "–" if w.connect_rate is None else f"{w.connect_rate:.0%}"
        table.add_row(
            escape(w.rep) if w.rep else _("(unnamed)"),
            str(w.dials), str(w.conversations), rate, str(w.meetings),
            str(w.followups_set), str(w.followups_kept), str(w.breaches),
        )  # fmt: skip
    out.print(table)


def write_team_csv(week: TeamWeek) -> None:
    """``period,team,REP,metric,value`` rows, a rep's figures together."""
    from warmcall.render import data_out
    from warmcall.reports import team_json

    writer = csv.writer(data_out(), lineterminator="\n")
    writer.writerow(CSV_HEADER)
    period = f"{week.period.start.isoformat()}/{week.period.end.isoformat()}"
    for rep in team_json(week)["reps"]:
        name = spreadsheet_safe(rep.pop("rep"))
        writer.writerows(
            (period, "team", name, metric, "" if value is None else value)
            for metric, value in rep.items()
        )
