"""``warmcall lead import`` and ``lead export``: leads in from other tools, and out again."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from warmcall.cli.leads import app
from warmcall.cli.options import (
    AtOption,
    DbOption,
    ImportFileArg,
    JsonOption,
    SheetOption,
    config,
    now,
    open_store,
    option_value,
    store_file,
)
from warmcall.models import Temperature


class OnDuplicate(StrEnum):
    SKIP = "skip"
    UPDATE = "update"


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


@app.command("import")
def import_(
    file: ImportFileArg,
    sheet: SheetOption = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="COLUMN=FIELD",
            help="COLUMN=FIELD for a column the header names differently (repeat for more; "
            "FIELD may be ignore).",
        ),
    ] = None,
    on_duplicate: Annotated[
        OnDuplicate,
        typer.Option(help="A lead whose e-mail or phone is known: skip it or update the lead."),
    ] = OnDuplicate.SKIP,
    skip_invalid: Annotated[
        bool, typer.Option(help="Import the valid rows even if some are invalid.")
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE", help="Write the rejected rows, with their line and reason, to this CSV."
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="Show what would happen; write nothing.")] = False,
    temperature: Annotated[
        Temperature, typer.Option(help="Temperature of rows that have none.")
    ] = Temperature.WARM,
    encoding: Annotated[
        str | None,
        typer.Option(
            metavar="NAME", help="The file's encoding (default: detected).", show_default=False
        ),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            metavar="COUNTRY",
            help="The country of rows that name none (e.g. MX or Mexico): their numbers are "
            "read in it, and its zone is theirs when it has one.",
            show_default=False,
        ),
    ] = None,
    owner: Annotated[
        str | None,
        typer.Option(
            metavar="REP",
            help="The rep the new leads belong to (default: shared by the team).",
            show_default=False,
        ),
    ] = None,
    assign: Annotated[
        str | None,
        typer.Option(
            metavar="round-robin",
            help="Share the new leads out among --reps, one each in turn.",
            show_default=False,
        ),
    ] = None,
    reps: Annotated[
        str | None,
        typer.Option(metavar="A,B,…", help="The reps --assign shares out to.", show_default=False),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
    at: AtOption = None,
) -> None:
    """Import leads from a CSV export or workbook (Google, Outlook, HubSpot, Salesforce…).

    Atomic: one invalid row and nothing is written, every bad line is listed (exit 1).

    \b
    Examples:
      warmcall lead import contacts.csv --dry-run
      warmcall lead import contacts.csv --skip-invalid --rejects bad.csv
    """
    from warmcall.imports import leads as importer
    from warmcall.imports.pipeline import rejects_file
    from warmcall.imports.source import open_source
    from warmcall.leads import owners
    from warmcall.render import print_json
    from warmcall.render.imports import progress, summary

    with option_value():
        mapping = importer.parse_maps(map_ or [])
        given = owners(owner, assign, reps)
    options = importer.ImportOptions(
        mapping=mapping,
        on_duplicate=on_duplicate.value,
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        temperature=temperature,
        owners=given,
    )
    if rejects is not None:
        from warmcall.files import check

        check(rejects, (file,), store_file(db))
    conf = config()
    moment = now(at, conf)
    if country:  # the file's own default country, in place of the user's
        from dataclasses import replace

        from warmcall.errors import UsageError
        from warmcall.imports.countries import country_code

        code = country_code(country)
        if code is None:
            raise UsageError(
                "{country!r} is not a country warmcall knows (try 'MX' or 'Mexico').",
                country=country,
            )
        conf = replace(conf, region=code)
    with (
        open_source(file, encoding, sheet) as (source, size),
        rejects_file(rejects) as out,
        open_store(db) as store,
        progress(size, enabled=not json) as tick,
    ):
        result = importer.import_leads(store, source, conf, moment, options, out, tick)
    if json:
        print_json(result.as_json())
    importer.settle(result, options, rejects)
    if not json:
        summary(result, rejects)


@app.command("export")
def export(
    format_: Annotated[
        ExportFormat, typer.Option("--format", help="csv (for a spreadsheet or CRM) or json.")
    ] = ExportFormat.CSV,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", metavar="FILE", help="Write to this file (default: standard output)."
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Export every lead, with every field, to move to another tool.

    Cells a spreadsheet would run as formulas are neutralised with a leading quote.

    \b
    Examples:
      warmcall lead export -o leads.csv
      warmcall lead export --format json | jq length
    """
    from contextlib import closing, nullcontext

    from warmcall.imports import export as exporter
    from warmcall.render import data_out

    to_file = output is not None and str(output) != "-"
    if to_file:
        from warmcall.files import check, written

        check(output, store=store_file(db))  # type: ignore[arg-type]
    conf = config()
    with (
        open_store(db, writes=False) as store,
        closing(exporter.records(store, conf.zone)) as records,
        written(output) if to_file else nullcontext(data_out()) as out,  # type: ignore[arg-type]
    ):
        count = exporter.write(records, out, format_.value)
    if to_file:
        from warmcall.render.imports import exported

        exported(count, output)
