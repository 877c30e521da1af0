"""``warmcall config …``: where the settings live, what they are, a file to start from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from warmcall.cli.options import JsonOption

if TYPE_CHECKING:
    from warmcall.config import User

app = typer.Typer(
    help="Show the settings and where they live; write a file to edit.", no_args_is_help=True
)

HEADER = """\
# warmcall settings. Every rule and coefficient of the plan is here with its default;
# change what you need and delete the rest. Times are HH:MM, days are ISO numbers (1 = Monday).
"""


@app.command("show")
def show(json: JsonOption = False) -> None:
    """Print the settings in force (file over defaults) and the paths.

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
    paths = {"config": str(cfg.config_path()), "store": str(cfg.default_db_path())}
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
        _("# store: {path}").format(path=escape(paths["store"])),
        _("# zone in use: {zone} · phone region: {region}").format(
            zone=conf.zone.key, region=conf.phone_region or _("none")
        ),
    ]
    for line in lines:
        out.print(f"[dim]{line}[/]")
    out.print(cfg.to_toml(conf), markup=False, highlight=False)


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
    from warmcall.privacy import open_private

    with open_private(path) as fh:  # 0600: it holds the caller's name, region and zone
        fh.write(HEADER + "\n" + cfg.to_toml(settings, comments=True))
    from warmcall.render.i18n import _

    typer.echo(_("Wrote {file}").format(file=path))


def _ask_user(user: User) -> None:
    """On a terminal, who the caller is: the scripts introduce them and sign the e-mail."""
    from warmcall.cli.options import interactive

    if not interactive():
        return
    from warmcall import prompts

    user.name = (prompts.text("Your name (the scripts introduce you):") or "").strip() or None
    user.company = (prompts.text("Your company:") or "").strip() or None
    user.phone = (
        prompts.text("Your callback number (a voicemail leaves it):") or ""
    ).strip() or None
    user.signature = (
        prompts.text("E-mail signature (empty: your name and company):") or ""
    ).strip() or None
