"""``warmcall audit`` as a person reads it, and as JSON or CSV for a regulator's tools.

Every writer streams: one dial read, one dial written, so a year of a big store's dials
never sits in memory. JSON is one array, a dial a line; CSV one row a dial
(``audit.CSV_FIELDS``), formulas neutralised, phone numbers kept as numbers.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING
from zoneinfo import ZoneInfo

from warmcall.audit import CSV_FIELDS, AuditRow, as_json, csv_values
from warmcall.render import console, escape
from warmcall.render.i18n import _, long_day, n_, nf, number, outcome_word, strftime

if TYPE_CHECKING:
    from rich.console import Console


def write(rows: Iterable[AuditRow], out: IO[str], fmt: str, zone: ZoneInfo) -> int:
    """Write ``rows`` as ``json`` or ``csv``; returns how many dials were written."""
    from warmcall.controls import inert_json
    from warmcall.imports.export import neutralise

    count = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_FIELDS)
        for row in rows:
            cells = csv_values(as_json(row, zone))
            writer.writerow("" if c is None else neutralise(str(c)) for c in cells)
            count += 1
        return count
    out.write("[")
    for row in rows:
        out.write(",\n  " if count else "\n  ")
        out.write(inert_json(json.dumps(as_json(row, zone), ensure_ascii=False)))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def _indented(out: Console, markup: str) -> None:
    """A line of a dial's detail, two columns in: wrapped, it stays two columns in."""
    from rich.padding import Padding

    out.print(Padding(markup, (0, 0, 0, 2)))


def show(
    rows: Iterable[AuditRow], zone: ZoneInfo, start: date, end: date, region: str | None
) -> None:
    """Each dial in a few short lines: when and whom, their clock and the rule in force, the
    checks broken and passed, the lead's identity changes; then the count. Numbers read as
    they are dialled from ``region`` (``phones.display``)."""
    from warmcall.phones import display
    from warmcall.render.reasons import check_label

    out = console()
    out.print(
        "[bold]"
        + _("Audit of the dials from {start} to {end}").format(
            start=long_day(start), end=long_day(end)
        )
        + "[/]"
    )
    dials = broke = 0
    for row in rows:
        dials += 1
        who = escape(row.name) + f" [dim]#{row.lead_id}[/]"
        dialled = display(row.number if (row.number or "").startswith("+") else None,
                          row.number, region) if row.number else "—"  # fmt: skip
        number = escape(dialled) + ("" if row.number_recorded else " " + _("(then)"))
        out.print(
            f"{_moment(row.at.astimezone(zone))}  {who} · {number} · {outcome_word(row.outcome)}"
        )
        place = row.local.tzinfo.key if isinstance(row.local.tzinfo, ZoneInfo) else ""
        if not row.zone_known:
            place += " " + _("(zone unknown)")
        rule = escape(row.profile)
        if row.rule_from:
            rule += " " + _("(rule of {day})").format(day=long_day(row.rule_from))
        their = _("their time {time} {zone}").format(time=_moment(row.local), zone=place)
        _indented(out, f"{their} · {rule}")
        if row.verdict is None:
            _indented(out, "[dim]" + _("checks not recorded when logged") + "[/]")
        else:
            broken = [check_label(c) for c in row.verdict.broken_checks]
            passed = [check_label(c) for c in row.verdict.passed]
            if broken:
                broke += 1
                said = _("broke: {checks}").format(checks=", ".join(broken))
                _indented(out, f"[red]{said}[/]")
            if passed:
                _indented(out, _("passed: {checks}").format(checks=", ".join(passed)))
        for change in row.identities:
            said = _("{kind} changed {day}: {old} → {new}").format(
                kind=_("phone") if change.kind == "phone" else _("e-mail"),
                day=_moment(change.at.astimezone(zone)),
                old=escape(change.old),
                new=escape(change.new or "—"),
            )
            _indented(out, "[dim]" + said + "[/]")
    out.print(
        nf("{n} dial", "{n} dials", dials)
        + " · "
        + nf("{n} broke a rule", "{n} broke a rule", broke)
    )


def _moment(moment: datetime) -> str:
    return strftime(moment, "%a %d %b %Y %H:%M")


def exported(count: int, path: Path) -> None:
    """The line after ``audit -o FILE``, on stderr."""
    said = n_("Wrote {n} dial to {path}.", "Wrote {n} dials to {path}.", count)
    where = f"[bold]{escape(str(path))}[/]"
    console(stderr=True).print(said.format(n=number(count), path=where))
