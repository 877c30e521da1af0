"""The help and Click's own words in the configured language (SPEC §6).

Click reads each command's docstring and ``help=`` text, and words its usage line, headings
and ``--help`` itself in English. Before it reads any of them, ``speak`` routes them through
the catalogue; ``python -m warmcall.cli.catalogue`` collects the texts with ``help_texts``.
Click's usage errors are worded by ``render.usage``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from warmcall.render.i18n import N_

HELP = N_("Show this message and exit.")
# What Click writes in a usage line and beside an option whose value has no name of its own
# (the type's): words, translated like the help. An option's own metavar (WHEN, FILE, LEAD)
# is a help text too (``_helps``). A choice's metavar lists the values typed, which stay.
OPTIONS = N_("[OPTIONS]")
SUBCOMMAND = N_("COMMAND [ARGS]...")
TYPES = {"str": N_("<str>"), "int": N_("<int>"), "int range": N_("<int range>"),
         "path": N_("<path>")}  # fmt: skip

START = N_("""\
warmcall: whom to call today, when they pick up, and what to say.

Start here:
  1. warmcall lead import contacts.csv
     bring your leads (a CSV or Excel file)
  2. warmcall next
     today's calls, in order, with the reason
  3. warmcall script ana
     what to say to Ana: the earlier contact, the slots to offer
  4. warmcall call log ana -o meeting --next "fri 10:00"
     what happened, and the next step agreed

Then: warmcall next --go (a calling session), warmcall report (the week).
Every command has --help; warmcall --install-completion adds TAB completion.
""")


def commands(group: Any) -> Iterator[Any]:
    """Every command of the tree under ``group`` (Click objects), ``group`` first."""
    yield group
    for command in getattr(group, "commands", {}).values():
        yield from commands(command)


def _helps(root: Any) -> Iterator[tuple[Any, str]]:
    """Each ``(object, attribute)`` of the tree that holds a help text: a command's help and
    short help, each of its parameters' help and own metavar (the name of its value)."""
    for command in commands(root):
        for owner, attribute in (
            (command, "help"),
            (command, "short_help"),
            *((param, "help") for param in command.params),
            *((param, "metavar") for param in command.params),
        ):
            if getattr(owner, attribute, None):
                yield owner, attribute


def help_texts(root: Any) -> Iterator[str]:
    """The English help of every command and option: what the catalogue translates."""
    for owner, attribute in _helps(root):
        yield getattr(owner, attribute)


def speak(root: Any) -> str:
    """Word the help of the whole tree in the configured language, before Click reads it;
    returns the language."""
    from warmcall.places import language_setting
    from warmcall.render import i18n

    i18n.use(language_setting())
    if i18n.language() == "en":
        return "en"
    import typer.core
    from typer._click.core import Context
    from typer._click.decorators import help_option
    from typer._click.formatting import HelpFormatter

    class Formatter(HelpFormatter):
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, i18n._("Usage:") + " " if prefix is None else prefix)

    Context.formatter_class = Formatter  # the usage line
    typer.core._ = i18n._  # the help's headings: Options, Arguments, default, required
    for command in commands(root):  # before the metavars below are taken for help texts
        if command.options_metavar == OPTIONS:
            command.options_metavar = i18n._(OPTIONS)
        if getattr(command, "subcommand_metavar", None) == SUBCOMMAND:
            command.subcommand_metavar = i18n._(SUBCOMMAND)
        for param in command.params:
            if (isinstance(param, typer.core.TyperOption) and param.metavar is None
                    and not param.is_flag and param.type.name in TYPES):  # fmt: skip
                param.metavar = TYPES[param.type.name]
    for owner, attribute in list(_helps(root)):
        setattr(owner, attribute, i18n._(getattr(owner, attribute)))
    for command in commands(root):  # --help itself, made as Click makes it on first use
        help_option(["--help"])(command)
        command._help_option = command.params.pop()
        command._help_option.help = i18n._(HELP)
    return i18n.language()
