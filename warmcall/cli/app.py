"""The root command, its sub-commands, and the one place errors become exit codes."""

import copy
import errno
import os
import sys
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from warmcall.errors import Ambiguous, InvalidData, WarmcallError

if TYPE_CHECKING:  # Typer carries its own Click; importing the other one costs 90 ms
    from typer._click import Context, HelpFormatter


class HelpGroup(TyperGroup):
    """Lists its commands with their whole first sentence, wrapped, never cut with "…"."""

    def format_commands(self, ctx: "Context", formatter: "HelpFormatter") -> None:
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            text = cmd.short_help or (cmd.help or "").strip().split("\n\n")[0]
            sentence = " ".join(text.split())
            end = sentence.find(". ")
            rows.append((name, sentence[: end + 1] if end >= 0 else sentence))
        if rows:
            from warmcall.render.i18n import _

            with formatter.section(_("Commands")):
                formatter.write_dl(rows)


class WarmcallGroup(HelpGroup):
    """Runs a command and turns a WarmcallError into one sentence on stderr and its exit code."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        from warmcall.cli.speech import speak

        language = speak(self)  # the help is worded whichever way Click is run
        if not standalone_mode or language == "en":
            return super().main(*args, standalone_mode=standalone_mode, **kwargs)
        # Click would print its usage errors itself, in English: word them, then exit as it
        # does (2 for usage, 1 when aborted, the command's own code otherwise).
        from typer._click.exceptions import ClickException

        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except ClickException as exc:
            from warmcall.render import usage

            typer.echo(usage.show(exc), err=True)
            raise SystemExit(exc.exit_code) from None
        except typer.Abort:
            from warmcall.render.i18n import _

            typer.echo(_("Aborted."), err=True)
            raise SystemExit(1) from None
        raise SystemExit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WarmcallError as exc:
            report_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            from warmcall.render.i18n import _

            typer.echo(_("Stopped."), err=True)
            raise typer.Exit(130) from None
        except (typer.TyperException, typer.Exit, typer.Abort):  # usage errors: exit 2
            raise
        except BrokenPipeError:  # `warmcall lead export | head -1`: the reader has enough
            _silence_stdout()
            raise typer.Exit(0) from None
        except OSError as exc:
            if not _stdout_failed(exc):
                _internal(exc)
            _cannot_write_stdout(exc)
            raise typer.Exit(1) from None
        except Exception as exc:
            _internal(exc)


def _internal(exc: Exception) -> NoReturn:
    """A bug: still one sentence, the traceback on request."""
    if os.environ.get("WARMCALL_DEBUG"):
        raise exc
    typer.echo(
        f"warmcall hit an internal error ({type(exc).__name__}: {exc}); "
        "run again with WARMCALL_DEBUG=1 for the details.",
        err=True,
    )
    raise typer.Exit(1) from None


def _stdout_failed(exc: OSError) -> bool:
    """Whether standard output is what failed (a full disk behind ``> FILE``): a write
    error on no named file. The files warmcall writes say their own sentence
    (``files.written``), so at the edge such an error can only be the output's."""
    return exc.filename is None and exc.errno in _WRITE_ERRORS


_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def _cannot_write_stdout(exc: OSError) -> None:
    _silence_stdout()
    report_error(InvalidData("Cannot write to standard output: {value}.",
                             value=exc.strerror or exc))  # fmt: skip


def _silence_stdout() -> None:
    """Standard output pointed at /dev/null, so that nothing left in its buffer is tried
    again at exit ("Exception ignored … BrokenPipeError")."""
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):  # not a real file (the test runner's)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, fd)
    os.close(null)


def report_error(exc: WarmcallError) -> None:
    from warmcall.render import fitted, visible  # a message may quote data: a name, a cell
    from warmcall.render.i18n import error_words

    typer.echo(fitted(visible(error_words(exc)), sys.stderr), err=True)
    if isinstance(exc, Ambiguous):
        for candidate in exc.candidates:
            typer.echo(f"  {visible(candidate)}", err=True)


# The root, with its options and no command yet: ``app_for`` adds the one it runs, or
# ``whole_app`` every one.
_root = typer.Typer(
    cls=WarmcallGroup,
    name="warmcall",
    help="Warm calls for solo salespeople: whom to call today, when, and what to say.",
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from warmcall import __version__

        typer.echo(f"warmcall {__version__}")
        raise typer.Exit()


@_root.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
    rep: Annotated[
        str | None,
        typer.Option(
            "--rep",
            envvar="WARMCALL_REP",
            metavar="NAME",
            help="Who is calling, on a team's store (default: [user] rep, else your user name).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Warm calls for solo salespeople: whom to call today, when, and what to say."""
    from warmcall.cli import options

    options.rep_given = rep
    if ctx.invoked_subcommand is None:
        from warmcall.cli.speech import START
        from warmcall.render.i18n import _

        typer.echo(_(START), nl=False)


# The commands, in the order of a salesperson's day: plan, prepare, log; then the lists and
# the week. Each is its name, the module of ``warmcall.cli`` that holds it, the function (a
# command) or sub-app (a group) there, and the modules that add more commands to that group
# when imported. A command's module is imported only when the command is built: the core is
# imported inside the command functions, but the eight modules themselves cost 5 to 8 ms.
COMMANDS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("next", "plan", "next_", ()),
    ("script", "script", "script", ()),
    ("call", "calls", "app", ()),
    ("lead", "leads", "app", ("lead_io",)),
    ("report", "report", "report", ()),
    ("registry", "registry", "app", ()),
    ("audit", "audit", "audit", ()),
    ("config", "settings", "app", ()),
)


def _with(names: set[str] | None) -> typer.Typer:
    """The root with the commands ``names`` names (None: every one)."""
    built = copy.copy(_root)
    built.registered_commands, built.registered_groups = [], []
    for name, module, attr, more in COMMANDS:
        if names is not None and name not in names:
            continue
        # (``__import__``, not importlib's: ``python -X importtime`` reports only the former)
        found = getattr(__import__(f"warmcall.cli.{module}", fromlist=[attr]), attr)
        for extra in more:
            __import__(f"warmcall.cli.{extra}")
        if isinstance(found, typer.Typer):
            built.add_typer(found, name=name, cls=HelpGroup)
        else:
            built.command(name)(found)
    return built


@cache
def whole_app() -> typer.Typer:
    """The app with every command: for help, completion and a name we do not have (and for
    tests, as ``app``)."""
    return _with(None)


def __getattr__(name: str) -> Any:
    """``app``: the whole app, built when first asked for (``main`` builds one command)."""
    if name == "app":
        return whole_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def app_for(args: list[str]) -> typer.Typer:
    """The app that runs ``args``: only the command they name, when they name one after the
    root's options; else (no command, ``--help``, a name we do not have, the shell asking
    for completions) the whole app. Typer builds every command's options before it runs
    one: 10 ms of each command for the twenty it does not run, and their modules 5 ms more."""
    name = _command_name(args)
    completing = any(key.startswith("_WARMCALL_COMPLETE") for key in os.environ)
    if completing or name not in {command for command, *_ in COMMANDS}:
        return whole_app()
    return _with({name})


def _command_name(args: list[str]) -> str | None:
    """The command ``args`` name after the root's options (``--rep NAME``), or None."""
    given = iter(args)
    for arg in given:
        if arg == "--rep":
            next(given, None)
        elif not arg.startswith("--rep="):
            return None if arg.startswith("-") else arg
    return None


def main() -> None:
    """The program. What standard output still buffers is written before exit here, at
    the edge: a reader gone (``| head``) ends it quietly with 0, as SIGPIPE would; a full
    disk is one sentence and exit 1."""
    code: Any = 0
    try:
        app_for(sys.argv[1:])(prog_name="warmcall")
    except SystemExit as done:
        code = done.code
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        code = 0
    except OSError as exc:
        _cannot_write_stdout(exc)
        code = 1
    raise SystemExit(code)
