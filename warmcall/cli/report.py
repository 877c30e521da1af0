"""``warmcall report``: the week (or any run of days) in figures, beside the period before."""

from typing import TYPE_CHECKING, Annotated

import typer

from warmcall.cli.options import (
    AtOption,
    DbOption,
    JsonOption,
    config,
    now,
    open_store,
    option_value,
)

if TYPE_CHECKING:
    from datetime import date, datetime

    from warmcall.config import Config
    from warmcall.reports import Period

WeekOption = Annotated[
    str | None,
    typer.Option(
        "--week",
        help="An ISO week (2026-W47), 'this' or 'last' (default: this week).",
        show_default=False,
    ),
]
FromOption = Annotated[
    str | None,
    typer.Option("--from", help="First day of the period (included).", show_default=False),
]
ToOption = Annotated[
    str | None,
    typer.Option(
        "--to", help="Last day of the period (included; default: today).", show_default=False
    ),
]
CsvOption = Annotated[
    bool, typer.Option("--csv", help="Print CSV rows: period,section,key,metric,value.")
]


def report(
    week: WeekOption = None,
    from_: FromOption = None,
    to: ToOption = None,
    at: AtOption = None,
    json: JsonOption = False,
    csv: CsvOption = False,
    team: Annotated[
        bool, typer.Option("--team", help="Each rep's figures, a line a rep (for a manager).")
    ] = False,
    rep: Annotated[
        str | None,
        typer.Option("--rep", metavar="NAME", help="One rep's figures.", show_default=False),
    ] = None,
    db: DbOption = None,
) -> None:
    """The week in figures: dials, conversations, meetings, follow-ups, who needs you.

    Compares each figure with the period before and lists what asks for action: overdue
    follow-ups, warm and hot leads gone stale, and leads called more often than the
    frequency rule allows.

    \b
    Examples:
      warmcall report
      warmcall report --week 2026-W47 --csv > week.csv
    """
    from warmcall import reports
    from warmcall.errors import UsageError

    if json and csv:
        raise UsageError("Choose one of --json and --csv.")
    conf = config()
    moment = now(at, conf)
    period = _period(week, from_, to, moment, conf)
    if team or rep is not None:
        _team(db, period, conf, moment, rep, json, csv)
        return
    from warmcall.render.report import LIST_LIMIT

    with open_store(db, writes=False) as store:  # a terminal: a few stale leads; --json, --csv: all
        listed = None if json or csv else LIST_LIMIT
        result = reports.weekly(store, period, conf, moment, stale_listed=listed)
    if json:
        from warmcall.render.report import write_json

        write_json(reports.as_json(result))
    elif csv:
        from warmcall.render.report import write_csv

        write_csv(result)
    else:
        from warmcall.render.report import show

        show(result)


def _team(
    db: str | None,
    period: "Period",
    conf: "Config",
    moment: "datetime",
    rep: str | None,
    json: bool,
    csv: bool,
) -> None:
    """``report --team`` (every rep) or ``report --rep NAME`` (one)."""
    from warmcall import reports

    with open_store(db, writes=False) as store:
        week = reports.team(store, period, conf, moment, rep=rep)
    if json:
        from warmcall.render import print_json

        print_json(reports.team_json(week))
    elif csv:
        from warmcall.render.report import write_team_csv

        write_team_csv(week)
    else:
        from warmcall.render.report import show_team

        show_team(week)


def _period(
    week: str | None, start: str | None, end: str | None, moment: "datetime", conf: "Config"
) -> "Period":
    from warmcall import reports
    from warmcall.errors import UsageError

    today = moment.astimezone(conf.zone).date()
    if week and (start or end):
        raise UsageError("Give either --week or --from/--to, not both.")
    if week:
        with option_value():
            return reports.week_named(week, today, conf)
    if end and not start:
        raise UsageError("--to needs --from: name the first day of the period too.")
    if not start:
        return reports.week_of(today, conf)
    first = day_of(start, moment, conf)
    last = day_of(end, moment, conf) if end else today
    if last < first:
        raise UsageError("--from {first} is after --to {last}.", first=first, last=last)
    return reports.Period(first, last)


def day_of(text: str, moment: "datetime", conf: "Config") -> "date":
    from warmcall.timeparse import parse_when

    with option_value():
        return parse_when(text, moment, conf.zone, conf.day_first).at.date()
