"""What every command shares: the store option, the clock, the configuration, the terminal."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from warmcall.errors import InvalidData, UsageError

if TYPE_CHECKING:
    from warmcall.config import Config
    from warmcall.models import Lead
    from warmcall.store.db import Database

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="WARMCALL_DB",
        help="Store: a SQLite file path or a SQLAlchemy URL (default: the user data dir).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
WHEN_FORMATS = (
    "'fri 07:50', 'tomorrow 10:00', '2026-12-01 08:15', '-2h', '+3d' (a number needs its "
    "unit: '-1d', not '-1')"
)
AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="WHEN",
        help=f"The moment to act as if it were (default: now), e.g. {WHEN_FORMATS}.",
        show_default=False,
    ),
]
# The file of an import (``lead import``, ``call import``) and the workbook sheet to read.
ImportFileArg = Annotated[
    str,
    typer.Argument(
        metavar="FILE|-", help="A CSV file or workbook (.xlsx), or - for standard input."
    ),
]
SheetOption = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        metavar="NAME",
        help="The workbook's sheet to read (default: the first).",
        show_default=False,
    ),
]


# The rep the command line names (--rep, or WARMCALL_REP): set by the program's callback for
# the command it runs, over ``[user] rep``.
rep_given: str | None = None


def config() -> Config:
    """The user's configuration; from here on the interface speaks its language."""
    from warmcall import config as cfg
    from warmcall.render import i18n

    conf = cfg.load()
    if rep_given and rep_given.strip():
        conf.user.rep = rep_given.strip()
    i18n.use(conf.language)
    return conf


def open_store(db: str | None, writes: bool = True) -> Database:
    """The store the command names. A command that only reads (``writes=False``) never
    creates one: a mistyped ``--db`` is one sentence, not a new empty store; the default
    store, before anything was written, reads as empty. A writer that has to wait for
    another command says so once on a terminal."""
    from warmcall.config import default_db_path
    from warmcall.store.db import open_db, open_empty

    if not db and not writes and not default_db_path().exists():
        return open_empty()  # before the first lead: an empty answer, and no store made
    say = _say_waiting if sys.stderr.isatty() else None
    return open_db(db or default_db_path(), create=writes, on_wait=say)


def store_file(db: str | None) -> Path | None:
    """The SQLite file of the store the command names (None on a server): a file option
    never writes over it."""
    from warmcall.config import default_db_path
    from warmcall.store.db import sqlite_file

    return sqlite_file(db or os.environ.get("WARMCALL_DB") or default_db_path())


def _say_waiting() -> None:
    from warmcall.render.i18n import _

    typer.echo(_("Waiting for another warmcall command to finish with the store…"), err=True)


def now(at: str | None, conf: Config, real: datetime | None = None) -> datetime:
    """The moment a command works at: ``--at`` read relative to the real clock (``real``,
    when the command has read it already: ``--at now`` is then that very moment), or now.
    Today's weekday name means today (``--at "mon 07:50"`` on a Monday)."""
    from warmcall.clock import utcnow

    real = (real or utcnow()).astimezone(conf.zone)
    if not at:
        return real
    from warmcall.timeparse import parse_when

    with option_value():
        return parse_when(at, real, conf.zone, conf.day_first, weekday_today="always").at


@contextmanager
def option_value() -> Iterator[None]:
    """Reading a value given on the command line: one warmcall cannot read, or outside its
    vocabulary, is a usage error (exit 2, SPEC §6), with the reader's own sentence."""
    try:
        yield
    except InvalidData as exc:
        raise UsageError(exc.template, **exc.facts) from None


def resolve_lead(store: Database, ref: str, conf: Config) -> Lead:
    """The lead a LEAD argument names; when several match, a person at a terminal picks one
    (scripts still get exit 1 and the list)."""
    from warmcall import leads
    from warmcall.errors import Ambiguous

    try:
        return leads.resolve(store, ref, conf)
    except Ambiguous as exc:
        if not (exc.ids and interactive()):
            raise
        from warmcall.cli import prompts
        from warmcall.render.i18n import _

        picked = prompts.select(f"{exc} " + _("Which one?"), exc.candidates)
        if picked is None:
            raise
        return leads.get(store, exc.ids[exc.candidates.index(picked)])


def interactive() -> bool:
    """A person at a terminal who can answer questions."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def require(value: str | None, param: str, ask: str) -> str:
    """A required value: given, asked on a terminal, or a usage error (exit 2) without one."""
    if value:
        return value
    if interactive():
        from warmcall.cli import prompts

        answer = prompts.text(ask)
        if answer:
            return answer
    missing(param)


def missing(param: str) -> NoReturn:
    """A required value not given, where nobody can be asked: Click's own usage error (exit
    2), which ``render.usage`` words in the user's language, as for any missing value. An
    argument is named by its metavar (``LEAD``), in that language too."""
    from typer._click.exceptions import MissingParameter

    from warmcall.render.i18n import _

    kind = "option" if param.startswith("-") else "argument"
    raise MissingParameter(
        param_hint=repr(param if kind == "option" else _(param)), param_type=kind
    )


def complete_lead(incomplete: str) -> list[tuple[str, str]]:
    """Lead names for the shell's TAB: one indexed query on the SQLite store, read-only.

    The shell keeps only values that begin with what was typed, so each value is the typed
    text followed by the rest of the name from the word it matched (``an`` → ``ana Martínez``
    or ``anaya`` for Mariana Anaya), which resolves to that lead; the help shows the whole
    name. Names that start with the text come first. Bash splits on spaces: there they are
    escaped.
    """
    import os
    import sqlite3

    from warmcall.config import default_db_path
    from warmcall.leads import fold

    target = os.environ.get("WARMCALL_DB") or str(default_db_path())
    typed = incomplete.replace("\\ ", " ")
    key = fold(typed)
    if "://" in target or not key or not os.path.exists(target):
        return []
    pattern = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    try:
        with sqlite3.connect(f"file:{target}?mode=ro", uri=True, timeout=0.5) as conn:
            found = conn.execute(
                "SELECT name, company FROM leads WHERE status <> 'dnc' AND "
                "(name_key LIKE ? ESCAPE '\\' OR name_key LIKE ? ESCAPE '\\') "
                "ORDER BY name_key NOT LIKE ? ESCAPE '\\', name_key LIMIT 50",
                (pattern + "%", "% " + pattern + "%", pattern + "%"),
            ).fetchall()
    except sqlite3.Error:
        return []
    bash = os.environ.get("_WARMCALL_COMPLETE", "").endswith("bash")
    offered = []
    for name, company in found:
        folded = fold(name)
        start = 0 if folded.startswith(key) else folded.index(" " + key) + 1
        rest = name if len(folded) == len(name) else folded  # ß → ss: fall back to the key
        value = typed + rest[start + len(key) :]
        about = f"{name} ({company})" if company else name
        offered.append((value.replace(" ", "\\ ") if bash else value, about))
    return offered


LEAD_HELP = "An id, e-mail, phone or part of the name."


def lead_argument(help: str = LEAD_HELP, metavar: str = "LEAD") -> Any:
    """A LEAD argument: what it takes, and TAB completion of lead names."""
    return typer.Argument(
        metavar=metavar, help=help, show_default=False, autocompletion=complete_lead
    )


LeadArg = Annotated[str, lead_argument()]
OptionalLeadArg = Annotated[str | None, lead_argument()]
