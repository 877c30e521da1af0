"""``warmcall next``: today's calls, in the order and slot to make them, and why."""

from typing import TYPE_CHECKING, Annotated

import typer

from warmcall.cli.options import (
    AtOption,
    DbOption,
    JsonOption,
    config,
    lead_argument,
    now,
    open_store,
    resolve_lead,
    store_file,
)
from warmcall.errors import UsageError

if TYPE_CHECKING:
    from datetime import datetime

    from warmcall.config import Config
    from warmcall.plan.planner import Plan


def next_(
    lead: Annotated[
        str | None,
        lead_argument(
            "Only this lead: where it stands today and why (with --explain, every part)."
        ),
    ] = None,
    at: AtOption = None,
    limit: Annotated[
        int, typer.Option("--limit", min=0, help="Keep the N best-scored calls.")
    ] = 20,
    include_cold: Annotated[
        bool, typer.Option("--include-cold", help="Plan cold leads too.")
    ] = False,
    all_: Annotated[
        bool, typer.Option("--all", help="Also list the leads left out today, with the reason.")
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show every part of each score.")
    ] = False,
    ics: Annotated[
        str | None,
        typer.Option(
            "--ics",
            help="Also write the plan as calendar events to FILE (re-export updates them).",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    go: Annotated[
        bool,
        typer.Option(
            "--go", help="Call now: each lead with its history and script, log, go on (q stops)."
        ),
    ] = False,
    team: Annotated[
        bool, typer.Option("--team", help="Every rep's plan today (for a manager).")
    ] = False,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Whom to call today, when, and why: open windows first, then by score.

    \b
    Examples:
      warmcall next
      warmcall next --at "fri 07:50" --explain
      warmcall next ana --explain
      warmcall next --go
    """
    if go:
        if lead:
            raise UsageError("--go walks the whole plan; drop LEAD.")
        from warmcall.cli.session import run

        run(
            at, include_cold, limit, explain, db, also={"--json": json, "--ics": ics, "--all": all_}
        )
        return
    from warmcall.plan.candidates import plan_for, plan_today

    if ics is not None:
        from warmcall.files import check

        check(ics, store=store_file(db))  # before anything is read
    conf = config()
    moment = now(at, conf)
    if team:
        _team(db, moment, conf, include_cold, limit, json, lead, go)
        return
    with open_store(db, writes=False) as store:
        focus = resolve_lead(store, lead, conf).id if lead else None
        if focus is not None:
            result = plan_for(store, moment, conf, focus, include_cold=include_cold, limit=limit)
        else:
            result = plan_today(
                store,
                moment,
                conf,
                include_cold=include_cold,
                limit=limit,
                everything=all_,
                # a team's store: what this rep plans is theirs today (SQLite: one rep)
                claim=store.dialect == "postgresql",
            )
    if result.stale_registries:
        from warmcall.render.registries import warn_stale

        warn_stale(result.stale_registries)
    if focus is not None:
        result = only(result, focus)
        all_ = True
    if ics is not None:
        from warmcall.files import write_bytes
        from warmcall.render.ics import to_ics

        write_bytes(ics, to_ics(result))  # whole or not at all: a calendar may be watching
    if json:
        from warmcall.render import print_json
        from warmcall.render.plan import plan_json

        print_json(plan_json(result, include_excluded=all_))
        return
    from warmcall.plan.planner import outside_your_hours
    from warmcall.render.plan import show

    apart = outside_your_hours(result, conf)
    show(
        result,
        explain=explain,
        show_excluded=all_,
        apart=apart,
        hours=conf.user.hours,
        region=conf.phone_region,
    )
    if ics is not None:
        from warmcall.render.i18n import n_

        count = len(result.rows)
        wrote = n_("Wrote {n} event to {file}.", "Wrote {n} events to {file}.", count)
        typer.echo(wrote.format(n=count, file=ics))


def _team(
    db: str | None,
    moment: "datetime",
    conf: "Config",
    include_cold: bool,
    limit: int,
    json: bool,
    lead: str | None,
    go: bool,
) -> None:
    """``next --team``: each rep's plan, one after the other (``--json``: by rep)."""
    if lead or go:
        raise UsageError("--team shows every rep's plan; drop LEAD and --go.")
    from warmcall.plan.candidates import team_plans

    with open_store(db, writes=False) as store:
        plans = team_plans(store, moment, conf, include_cold=include_cold, limit=limit)
    if json:
        from warmcall.render import print_json
        from warmcall.render.plan import plan_json

        print_json({rep: plan_json(made) for rep, made in plans})
        return
    from warmcall.render.plan import show_team

    show_team(plans, region=conf.phone_region)


def only(result: "Plan", lead_id: int) -> "Plan":
    """The plan narrowed to one lead: its row if it is planned, else why it is left out."""
    from dataclasses import replace

    rows = [r for r in result.rows if r.lead.lead_id == lead_id]
    excluded = [e for e in result.excluded if e.lead.lead_id == lead_id]
    return replace(result, rows=rows, excluded=excluded, callable=len(rows), limit=None)
