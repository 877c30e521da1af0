"""Everything a person reads: rich tables and text, and the JSON/CSV writers for scripts.

This package is the only user of rich. Colour carries meaning (hot is red, warm amber, cold
blue; green is done, red is late) and disappears with ``NO_COLOR`` or when output is piped.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

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

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def count(n: int, one: str, many: str | None = None) -> str:
    """``1 call``, ``2 calls``, ``3 touches``: a number with its noun, thousands separated."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


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


# What data may not send to a terminal: C0 controls (newline aside), DEL, C1 (U+0080–U+009F,
# which hold the one-character CSI and OSC), and the marks that reorder text (bidi embeddings,
# overrides and isolates; the invisible direction marks).
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


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
    value = value.replace("\r\n", "\n")
    if not newlines:
        value = value.replace("\n", "\\n")
    return _UNSAFE.sub(_spelled, value)


def _spelled(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape(text: str | None) -> str:
    """Data ready for rich markup: neutralised (``visible``), and its brackets literal."""
    from rich.markup import escape as rich_escape

    return rich_escape(visible(text))
