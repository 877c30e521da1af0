"""Everything a person reads: rich tables and text, and the JSON/CSV writers for scripts.

This package is the only user of rich. Colour carries meaning (hot is red, warm amber, cold
blue; green is done, red is late) and disappears with ``NO_COLOR`` or when output is piped.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from warmcall.controls import inert_json, spell_out

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from rich.console import Console

TEMPERATURE_STYLE = {"hot": "bold red", "warm": "dark_orange", "cold": "blue"}
STATUS_STYLE = {"active": "", "won": "green", "lost": "dim", "dnc": "bold red"}


def N_(message: str) -> str:  # the catalogue's marker (render.i18n.N_), without its import
    return message


TEMPERATURES = {"hot": N_("hot"), "warm": N_("warm"), "cold": N_("cold")}


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    made = Console(stderr=stderr, highlight=False, soft_wrap=False)
    made.on_broken_pipe = _reader_gone  # type: ignore[method-assign]
    return made


def warn(markup: str) -> None:
    """A warning or a note on stderr, one sentence: a single line when piped or logged (a
    line a script can grep), wrapped between words at a terminal, so that it fits the
    screen instead of being cut mid-word by it."""
    err = console(stderr=True)
    err.print(markup, soft_wrap=not err.is_terminal)


def fitted(text: str, stream: IO[str]) -> str:
    """Plain text for ``stream`` (an error sentence): wrapped between words to a terminal's
    width, as it is for a pipe or a file."""
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):
        terminal = False
    if not terminal:
        return text
    import shutil
    import textwrap

    width = shutil.get_terminal_size().columns
    return "\n".join(
        textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False) or line
        for line in text.split("\n")
    )


def _reader_gone() -> None:
    """rich would exit 1 when the reader of a pipe is gone (``lead list | head -1``); the
    command's edge ends it quietly with 0 instead, as for every other command."""
    raise BrokenPipeError(32, "Broken pipe")


def print_json(data: Any) -> None:
    """``--json``: readable UTF-8, every control and bidi mark escaped (``inert_json``)."""
    import json  # not for --help: only the commands that print JSON pay for it

    sys.stdout.write(inert_json(json.dumps(data, ensure_ascii=False, indent=2, default=str)) + "\n")


class _Spelled:
    """Standard output on a terminal, for data written as it is (``lead export``'s CSV):
    each control and bidi mark spelled out as ``visible`` does, newlines kept."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def write(self, text: str) -> int:
        return self.out.write(spell_out(text))


def data_out() -> IO[str]:
    """Where a command writes data to standard output: the exact data to a file or a pipe,
    its controls neutralised on a terminal (a CSV cell cannot drive the screen)."""
    return _Spelled(sys.stdout) if sys.stdout.isatty() else sys.stdout  # type: ignore[return-value]


def temperature(value: str) -> str:
    from warmcall.render.i18n import _

    style = TEMPERATURE_STYLE.get(value, "")
    word = _(TEMPERATURES.get(value, value))
    return f"[{style}]{word}[/]" if style else word


def when(moment: datetime | None, zone: ZoneInfo, now: datetime | None = None) -> str:
    """A moment in the user's zone, short: ``Tue 24 Nov 10:30`` (the year only if not this one)."""
    if moment is None:
        return "—"
    from warmcall.render.i18n import strftime

    local = moment.astimezone(zone)
    fmt = "%a %d %b %H:%M"
    if now is not None and local.year != now.astimezone(zone).year:
        fmt = "%d %b %Y %H:%M"
    return strftime(local, fmt)


def days_ago(moment: datetime | None, now: datetime, zone: ZoneInfo) -> str:
    """Calendar days in the user's zone: a touch on the 19th is "6 d ago" on the 25th."""
    from warmcall.render.i18n import _

    if moment is None:
        return _("never")
    days = (now.astimezone(zone).date() - moment.astimezone(zone).date()).days
    if days <= 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    return _("{n} d ago").format(n=days)


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading ``= + - @`` (a formula) gets a quote.

    Numbers (``-3``, ``-0.5``) are left alone so they stay numbers.
    """
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(cell)
        except ValueError:
            return "'" + cell
    return cell


def visible(text: object, newlines: bool = True) -> str:
    """Text from data (a name, a note, a CSV cell) made harmless for a terminal.

    Every control character, escape and bidi override becomes its visible ``\\xNN`` or
    ``\\uNNNN`` spelling: ``\\x1b[31mRED`` shows as typed instead of turning the screen
    red, a window-title or OSC 8 sequence shows as text, U+202E cannot reverse a line. A
    newline stays a newline (``\\r\\n`` too) unless ``newlines`` is False. Everything else is
    left as it was; the stored data is never changed. Every human view passes data through
    here (``escape`` does, for rich markup), so this is the one place that decides.
    """
    value = "" if text is None else str(text)
    if not newlines:
        value = value.replace("\r\n", "\n").replace("\n", "\\n")
    return spell_out(value)


def escape(text: str | None) -> str:
    """Data ready for rich markup: neutralised (``visible``), and its brackets literal."""
    from rich.markup import escape as rich_escape

    return rich_escape(visible(text))
