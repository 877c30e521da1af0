"""``warmcall next``: today's calls, in the order and slot to make them, and why."""

from __future__ import annotations

from typing import Annotated

import typer

from warmcall.cli.options import AtOption, DbOption, JsonOption, config, now, open_store


def next_(
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
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Whom to call today, when, and why: open windows first, then by score."""
    if go:
        from warmcall.cli.session import run

        run(
            at, include_cold, limit, explain, db, also={"--json": json, "--ics": ics, "--all": all_}
        )
        return
    from warmcall.activity import plan_today

    conf = config()
    moment = now(at, conf)
    with open_store(db, writes=False) as store:
        result = plan_today(
            store, moment, conf, include_cold=include_cold, limit=limit, everything=all_
        )
    if ics is not None:
        from pathlib import Path

        from warmcall.plan.ics import write_ics

        write_ics(result, Path(ics))
    if json:
        from warmcall.plan.planner import plan_json
        from warmcall.render import print_json

        print_json(plan_json(result, include_excluded=all_))
        return
    from warmcall.render.plan import show

    show(result, explain=explain, show_excluded=all_)
    if ics is not None:
        typer.echo(f"Wrote {len(result.rows)} events to {ics}.")
