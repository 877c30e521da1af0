"""Dates, weekdays, zone cities and the record's vocabulary in the script's language.

Babel (CLDR data) writes dates and city names the way each language does ("viernes 27 de
noviembre", "Nueva York"), whatever the system locale. The vocabulary and the date patterns
live in ``templates/<lang>/labels.toml``; a user's copy of that file wins, key by key.
Recent days read as people say them, counted from the script's moment, and never mean two
days: "this morning", "yesterday", "last Tuesday"; "tomorrow", "on Wednesday 9 December".
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from warmcall.errors import ConfigError

# Within this many days a past day is named by its weekday ("on Tuesday").
WEEKDAY_DAYS = 6


@cache
def _package_labels(lang: str) -> dict[str, Any]:
    text = resources.files("warmcall.scripts").joinpath(f"templates/{lang}/labels.toml")
    return tomllib.loads(text.read_text(encoding="utf-8"))


def labels(lang: str, user_dir: Path | None = None) -> dict[str, Any]:
    """The package's labels for ``lang``, with the user's file over them (table by table)."""
    merged = {k: dict(v) if isinstance(v, dict) else v for k, v in _package_labels(lang).items()}
    path = user_dir / lang / "labels.toml" if user_dir else None
    if path and path.exists():
        try:
            mine = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError("Cannot read {path}: {exc}.", path=path, exc=exc) from None
        for key, value in mine.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key].update(value)
            else:
                merged[key] = value
    return merged


@dataclass(frozen=True)
class Words:
    """Dates in a language; ``moment`` (aware, in the user's zone) is when the script is said."""

    lang: str
    moment: datetime
    table: dict[str, Any]

    @property
    def locale(self) -> str:
        return str(self.table.get("locale", self.lang))

    def _fmt(self, when: datetime, key: str) -> str:
        from babel.dates import format_date

        return format_date(when.date(), self.table["dates"][key], locale=self.locale)

    def date(self, when: datetime) -> str:
        """``27 November`` / ``27 de noviembre``; the year only when it is not this year's."""
        same_year = when.year == self.moment.year
        return self._fmt(when, "date" if same_year else "date_year")

    def weekday(self, when: datetime) -> str:
        from babel.dates import format_date

        return format_date(when.date(), "EEEE", locale=self.locale)

    def longdate(self, when: datetime) -> str:
        return f"{self.weekday(when)} {self.date(when)}"

    def short(self, when: datetime) -> str:
        return self._fmt(when, "short")

    def when(self, at: datetime) -> str:
        """A past moment as said in a sentence: "this morning", "yesterday", "last Tuesday",
        "on 12 November" (counted from the script's moment, in the same zone)."""
        at = at.astimezone(self.moment.tzinfo)
        days = (self.moment.date() - at.date()).days
        d = self.table["dates"]
        if days <= 0:
            word = d["today"][0][1]
            for hour, name in d["today"]:
                if at.hour >= hour:
                    word = name
            return str(word)
        if days == 1:
            return str(d["yesterday"])
        if days <= WEEKDAY_DAYS:
            return str(d["on_weekday"]).format(weekday=self.weekday(at))
        return str(d["on_date"]).format(date=self.date(at))

    def ahead(self, at: datetime) -> str:
        """A coming day as said in a sentence: "today", "tomorrow", "on Wednesday 9
        December" (never a bare weekday, which could mean last week's)."""
        days = (at.date() - self.moment.astimezone(at.tzinfo).date()).days
        d = self.table["dates"]
        if days <= 0:
            return str(d["today_plain"])
        if days == 1:
            return str(d["tomorrow"])
        return str(d["on_future"]).format(weekday=self.weekday(at), date=self.date(at))

    def ago(self, at: datetime) -> str:
        days = (self.moment.date() - at.astimezone(self.moment.tzinfo).date()).days
        d = self.table["dates"]
        if days <= 0:
            return str(d["today_plain"])
        if days == 1:
            return str(d["yesterday"])
        if days < 14:
            return str(d["days_ago"]).format(n=days)
        return str(d["weeks_ago"]).format(n=days // 7)

    def city(self, zone: ZoneInfo) -> str:
        """How a person names a zone in this language: ``Nueva York``, ``Ciudad de México``."""
        return city(zone, self.locale)

    def problem(self, found: dict[str, Any]) -> str:
        """Why the lead may not be called, from a problem's code and facts."""
        table = self.table["problem"]
        key = f"{found['code']}-{found.get('why')}"  # resting-refusal, resting-unanswered
        text = str(table.get(key) or table.get(found["code"], found["code"]))
        return text.format_map(_Blank({k: v for k, v in found.items() if k != "code"}))

    def label(self, kind: str, value: object) -> str:
        return str(self.table[kind][str(value)])


def city(zone: ZoneInfo, locale: str) -> str:
    from babel.dates import get_timezone_location

    try:
        return str(get_timezone_location(zone, locale=locale, return_city=True))
    except (LookupError, ValueError):
        return zone.key.rsplit("/", 1)[-1].replace("_", " ")


def hm(moment: datetime) -> str:
    return f"{moment:%H:%M}"


class _Blank(dict[str, Any]):
    """A fact a label names but the problem does not carry reads as nothing."""

    def __missing__(self, key: str) -> str:
        return ""
