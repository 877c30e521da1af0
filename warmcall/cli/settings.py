"""``warmcall config …``: where the settings live, what they are, a file to start from."""

from typing import TYPE_CHECKING, Annotated

import typer

from warmcall.cli.options import DbOption, JsonOption

if TYPE_CHECKING:
    from warmcall.config import User

app = typer.Typer(
    help="Show the settings and where they live; write a file to edit.", no_args_is_help=True
)

HEADER = """\
# warmcall settings. Every rule and coefficient of the plan is here with its
# default; change what you need and delete the rest. Times are HH:MM, days are
# ISO numbers (1 = Monday).
"""


# Where the store in use was named, as ``config show`` says it.
STORE_FROM = {"option": "--db", "environment": "WARMCALL_DB", "default": "default"}


@app.command("show")
def show(ctx: typer.Context, db: DbOption = None, json: JsonOption = False) -> None:
    """Print the settings in force (file over defaults) and the paths, the store's with its source.

    \b
    Example:
      warmcall config show
    """
    from dataclasses import asdict

    from warmcall import config as cfg
    from warmcall.cli.options import config
    from warmcall.render import console, escape, print_json
    from warmcall.render.i18n import _

    conf = config()
    source = ctx.get_parameter_source("db")
    named = (
        "default"
        if not db
        else "environment"
        if source and source.name == "ENVIRONMENT"
        else "option"
    )
    paths = {
        "config": str(cfg.config_path()),
        "store": shown_store(db) if db else str(cfg.default_db_path()),
        "store_from": STORE_FROM[named],
    }
    if json:
        print_json(
            {
                "paths": paths,
                "effective_timezone": conf.zone.key,
                "effective_region": conf.phone_region,
                **asdict(conf),
            }
        )
        return
    out = console()
    written = cfg.config_path().exists()
    lines = [
        _("# file:  {path}").format(path=escape(paths["config"]))
        + ("" if written else " " + _("(not written yet: warmcall config init)")),
        {
            "option": _("# store: {path} (from --db)"),
            "environment": _("# store: {path} (from WARMCALL_DB)"),
            "default": _("# store: {path} (the default)"),
        }[named].format(path=escape(paths["store"])),
        _("# zone in use: {zone} · phone region: {region}").format(
            zone=conf.zone.key, region=conf.phone_region or _("none")
        ),
    ]
    import textwrap

    for line in lines:  # a wrapped comment stays a comment: the whole is still a TOML file
        for part in textwrap.wrap(line, out.width, subsequent_indent="#   ") or [line]:
            out.print(f"[dim]{part}[/]", soft_wrap=True)
    # The settings are data: a line is never cut inside its value (`config show > file`).
    out.print(cfg.to_toml(conf), markup=False, highlight=False, soft_wrap=True)


def shown_store(db: str) -> str:
    """The store ``--db`` names, as it is opened: a URL without its password, a path whole."""
    from pathlib import Path

    from warmcall.store.db import is_url, safe_url

    return safe_url(db) if is_url(db) else str(Path(db).expanduser().absolute())


@app.command("init")
def init(
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Write the settings file with every default, ready to edit.

    \b
    Example:
      warmcall config init
    """
    from warmcall import config as cfg
    from warmcall.errors import Refused

    path = cfg.config_path()
    if path.exists() and not force:
        raise Refused("{path} exists already; add --force to overwrite it.", path=path)
    settings = cfg.Config()
    _ask_user(settings.user)
    from warmcall.cli.options import store_file
    from warmcall.files import written

    with written(path, store=store_file(None)) as fh:  # 0600: the caller's name, region, zone
        fh.write(HEADER + "\n" + cfg.to_toml(settings, comments=True))
    from warmcall.render.i18n import _

    typer.echo(_("Wrote {file}").format(file=path))


def _ask_user(user: "User") -> None:
    """On a terminal, who the caller is: the scripts introduce them and sign the e-mail."""
    from warmcall.cli.options import interactive

    if not interactive():
        return
    from warmcall.cli import prompts

    user.name = (prompts.text("Your name (the scripts introduce you):") or "").strip() or None
    user.company = (prompts.text("Your company:") or "").strip() or None
    user.phone = (
        prompts.text("Your callback number (a voicemail leaves it):") or ""
    ).strip() or None
    user.signature = (
        prompts.text("E-mail signature (empty: your name and company):") or ""
    ).strip() or None
