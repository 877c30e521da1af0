"""``warmcall registry``: the national do-not-call lists (Robinson, Bloctel, the US
National Do Not Call Registry…) loaded from the files those services hand out."""

from pathlib import Path
from typing import Annotated

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

app = typer.Typer(
    help="Load, list and remove national do-not-call lists (Robinson, Bloctel, US DNC).",
    no_args_is_help=True,
)


@app.command("import")
def import_(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="The list as the service hands it out: a number a line, or a CSV with a "
            "number column (Bloctel's answer file, the US registry's area code,number).",
        ),
    ],
    name: Annotated[
        str,
        typer.Option(
            "--name",
            metavar="NAME",
            help="robinson (ES), bloctel (FR), us-dnc (US), or a name of your own (with "
            "--country). A list of the same name is replaced.",
        ),
    ],
    as_of: Annotated[
        str,
        typer.Option("--as-of", metavar="DATE", help="The date the service issued the list."),
    ],
    country: Annotated[
        str | None,
        typer.Option(  # --country
            metavar="CC",
            help="The country its numbers are read in (default: the known list's).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    json: JsonOption = False,
    at: AtOption = None,
) -> None:
    """Load a do-not-call list: its numbers are never planned, offered or logged without a
    warning. Kept as keyed hashes, never as numbers.

    \b
    Examples:
      warmcall registry import robinson.txt --name robinson --as-of 2026-12-01
      warmcall registry import 212.txt --name us-dnc --as-of "2026-11-30"
      warmcall registry import bloctel-retour.csv --name bloctel --as-of 2026-07-01
    """
    from warmcall.compliance import registries
    from warmcall.render.registries import imported, imported_json
    from warmcall.timeparse import parse_when

    conf = config()
    moment = now(at, conf)
    with option_value():
        day = parse_when(as_of, moment, conf.zone, conf.day_first).at.date()
    with open_store(db) as store:
        result = registries.import_registry(store, Path(file), name, day, moment, country)
    if json:
        from warmcall.render import print_json

        print_json(imported_json(result, moment))
        return
    imported(result, moment)


@app.command("list")
def list_(db: DbOption = None, json: JsonOption = False, at: AtOption = None) -> None:
    """The lists loaded: name, country, numbers, the date each is as of and its age."""
    from warmcall.compliance.listings import loaded
    from warmcall.render.registries import table, table_json

    conf = config()
    moment = now(at, conf)
    with open_store(db, writes=False) as store:
        found = loaded(store) if "registries" in store.tables() else []
    if json:
        from warmcall.render import print_json

        print_json(table_json(found, moment))
        return
    table(found, moment)


@app.command("remove")
def remove(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="The list's name (see registry list).")
    ],
    db: DbOption = None,
) -> None:
    """Remove a loaded list and all its numbers."""
    from warmcall.compliance import registries
    from warmcall.render.registries import removed

    with open_store(db) as store:
        gone = registries.remove(store, name)
    removed(gone)
