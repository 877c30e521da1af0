"""``warmcall audit``: every dial of a period with the rules it kept or broke (SPEC §7)."""

from pathlib import Path
from typing import Annotated

import typer

from warmcall.cli.options import AtOption, DbOption, JsonOption, config, now, open_store, store_file
from warmcall.cli.report import ToOption, day_of

FromOption = Annotated[
    str, typer.Option("--from", help="First day of the period (included).", show_default=False)
]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV: one row a dial.")]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "-o", "--output", metavar="FILE", help="Write to this file (default: standard output)."
    ),
]


def audit(
    from_: FromOption,
    to: ToOption = None,
    at: AtOption = None,
    json: JsonOption = False,
    csv: CsvOption = False,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """Every dial of a period and the rules it kept or broke: what you hand a regulator.

    For each dial, in time order: the lead, the number dialled, the lead's local time, the
    rule profile and its version in force, the checks it passed and broke when it was
    logged, and the lead's changes of number or e-mail in the period.

    \b
    Examples:
      warmcall audit --from 2026-11-01 --to 2026-11-30
      warmcall audit --from 2026-11-01 --json -o november.json
    """
    from contextlib import nullcontext

    from warmcall import audit as core
    from warmcall.errors import UsageError
    from warmcall.localtime.windows import local_datetime

    if json and csv:
        raise UsageError("Choose one of --json and --csv.")
    conf = config()
    moment = now(at, conf)
    first = day_of(from_, moment, conf)
    last = day_of(to, moment, conf) if to else moment.astimezone(conf.zone).date()
    if last < first:
        raise UsageError("--from {first} is after --to {last}.", first=first, last=last)
    from datetime import time, timedelta

    start = local_datetime(first, time(0), conf.zone)
    end = local_datetime(last + timedelta(days=1), time(0), conf.zone)
    to_file = output is not None and str(output) != "-"
    if to_file:
        from warmcall.files import check

        check(output, store=store_file(db))  # type: ignore[arg-type]
    fmt = "csv" if csv else "json" if json or to_file else None
    with open_store(db, writes=False) as store:
        rows = core.dials(store, start, end, conf)
        if fmt is None:
            from warmcall.render.audit import show

            show(rows, conf.zone, first, last, conf.phone_region)
            return
        from warmcall.files import written
        from warmcall.render import data_out
        from warmcall.render.audit import exported, write

        with written(output) if to_file else nullcontext(data_out()) as out:  # type: ignore[arg-type]
            count = write(rows, out, fmt, conf.zone)
    if to_file:
        exported(count, output)  # type: ignore[arg-type]
