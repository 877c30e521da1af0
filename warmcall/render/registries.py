"""The words of ``warmcall registry``: what an import loaded, the lists and their age, and
the plan's warning when a rule profile wants a fresher list."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from warmcall.clock import iso
from warmcall.render import console, escape, warn
from warmcall.render.i18n import _, long_day, n_, number

if TYPE_CHECKING:
    from warmcall.compliance.listings import Registry, Stale
    from warmcall.compliance.registries import Imported


def age(days: int) -> str:
    if days == 0:
        return _("today")
    return n_("{n} day", "{n} days", days).format(n=days)


def imported(result: Imported, now: datetime) -> None:
    out = console()
    registry = result.registry
    said = n_(
        "Loaded {name} ({country}, as of {day}): {n} number.",
        "Loaded {name} ({country}, as of {day}): {n} numbers.",
        registry.numbers,
    ).format(
        name=f"[bold]{escape(registry.name)}[/]",
        country=registry.country or "—",
        day=long_day(registry.as_of),
        n=number(registry.numbers),
    )
    out.print(said)
    out.print(
        n_(
            "{n} of your leads has their number on it: not planned while it lists them.",
            "{n} of your leads have their number on it: not planned while it lists them.",
            result.leads,
        ).format(n=number(result.leads))
        if result.leads
        else _("None of your leads has their number on it.")
    )
    if result.replaced is not None:
        out.print(
            _("It replaces the list as of {day} ({n} numbers).").format(
                day=long_day(result.replaced.as_of), n=number(result.replaced.numbers)
            )
        )
    if result.not_listed:
        out.print(
            n_(
                "{n} row marked as not listed was left out.",
                "{n} rows marked as not listed were left out.",
                result.not_listed,
            ).format(n=number(result.not_listed))
        )
    if result.unreadable:
        lines = ", ".join(str(n) for n in result.first_unreadable)
        if result.unreadable > len(result.first_unreadable):
            lines += ", …"
        out.print(
            "[yellow]"
            + n_(
                "{n} line held no number we could read (line {lines}).",
                "{n} lines held no number we could read (lines {lines}).",
                result.unreadable,
            ).format(n=number(result.unreadable), lines=lines)
            + "[/]"
        )


def imported_json(result: Imported, now: datetime) -> dict[str, Any]:
    return {
        **registry_json(result.registry, now),
        "replaced": None if result.replaced is None else registry_json(result.replaced, now),
        "leads": result.leads,
        "lines": result.lines,
        "not_listed": result.not_listed,
        "unreadable": result.unreadable,
        "first_unreadable": list(result.first_unreadable),
    }


def registry_json(registry: Registry, now: datetime) -> dict[str, Any]:
    return {
        "name": registry.name,
        "country": registry.country,
        "numbers": registry.numbers,
        "as_of": registry.as_of.isoformat(),
        "age_days": registry.age(now.date()),
        "loaded_at": iso(registry.loaded_at, now.tzinfo),  # type: ignore[arg-type]
    }


def table_json(found: Iterable[Registry], now: datetime) -> list[dict[str, Any]]:
    return [registry_json(r, now) for r in found]


def table(found: list[Registry], now: datetime) -> None:
    out = console()
    if not found:
        file, day = _("FILE"), _("DATE")  # as the help names them, in its language
        out.print(
            _("No do-not-call list is loaded. Load one with {command}.").format(
                command=f"[bold]warmcall registry import {file} --name robinson --as-of {day}[/]"
            )
        )
        return
    name, country, numbers, as_of, old = (
        _("Name"), _("Country"), _("Numbers"), _("As of"), _("Age")
    )  # fmt: skip
    width = max(len(name), *(len(r.name) for r in found))
    header = f"{name:<{width}}  {country:<7}  {numbers:>11}  {as_of:<11}  {old}"
    out.print(f"[bold]{escape(header)}[/]")
    for registry in found:
        out.print(
            escape(
                f"{registry.name:<{width}}  {registry.country or '—':<7}  "
                f"{registry.numbers:>11,}  {long_day(registry.as_of):<11}  "
                f"{age(registry.age(now.date()))}"
            )
        )


def removed(registry: Registry) -> None:
    console().print(
        n_(
            "Removed {name} ({n} number).", "Removed {name} ({n} numbers).", registry.numbers
        ).format(name=f"[bold]{escape(registry.name)}[/]", n=number(registry.numbers))
    )


def warn_stale(items: Iterable[Stale]) -> None:
    """The plan's warning, on stderr (``--json`` keeps its array), one sentence a list."""
    for item in items:
        warn("[dark_orange]" + _("Warning:") + f"[/] {escape(stale_text(item))}")


def stale_text(item: Stale) -> str:
    """Why a profile in use wants another list: missing, or older than it allows."""
    if item.age is None or item.as_of is None:
        return _(
            "{profile} requires the {registry} list, no older than {days} days, and none is "
            "loaded: load it with warmcall registry import FILE --name {registry} --as-of DATE."
        ).format(profile=item.profile, registry=item.registry, days=item.max_days)
    return _(
        "The {registry} list is {age} days old (as of {day}); {profile} requires one no older "
        "than {days} days: load a fresh one."
    ).format(
        registry=item.registry, age=item.age, day=long_day(item.as_of), profile=item.profile,
        days=item.max_days,
    )  # fmt: skip
