"""Everything a person reads: rich tables and text, and the JSON/CSV writers for scripts.

This package is the only user of rich. Colour carries meaning (hot is red, warm amber, cold
blue; green is done, red is late) and disappears with ``NO_COLOR`` or when output is piped.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
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


def escape(text: str | None) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text or "")
