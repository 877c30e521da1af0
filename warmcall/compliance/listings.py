"""Which numbers are on a loaded do-not-call registry, and which lists are stale (SPEC §7):
what ``next``, ``call log`` and ``script`` ask of the registries, apart from loading them
(``compliance.registries``), so that a plan does not import the file readers.

A list's numbers are kept as keyed hashes (``compliance.suppression``), each to its first
``DIGEST_CHARS`` hexadecimal digits; a number is looked for by its hash, one indexed look-up
on ``registry_numbers``' primary key for a batch of ``LOOKUP``, never a scan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from warmcall.clock import from_epoch
from warmcall.store.db import Database, placeholders

if TYPE_CHECKING:
    from warmcall.config import Config

LOOKUP = 500  # digests asked at once: under every SQLite's limit of bound parameters
DIGEST_CHARS = 32  # 128 bits of the HMAC, in hexadecimal


@dataclass(frozen=True, slots=True)
class Registry:
    name: str
    country: str | None
    numbers: int
    as_of: date
    loaded_at: datetime

    def age(self, today: date) -> int:
        """Days since the list was as of (0 on that day)."""
        return max(0, (today - self.as_of).days)


@dataclass(frozen=True, slots=True)
class Listing:
    """A lead's number found on a list: which, and as of when (the facts of a refusal)."""

    registry: str
    as_of: date


@dataclass(frozen=True, slots=True)
class Stale:
    """A list a rule profile wants fresher than it is, or has not got: ``age`` None."""

    registry: str
    profile: str
    max_days: int
    age: int | None
    as_of: date | None


def hasher(db: Database, create: bool = False) -> Callable[[str], str]:
    from warmcall.compliance import suppression

    whole = suppression.hasher(db, create=create)
    return lambda value: whole(value)[:DIGEST_CHARS]


def registry_from_row(row: tuple[object, ...]) -> Registry:
    _, name, country, numbers, as_of, loaded_at = row
    return Registry(
        str(name), country and str(country), int(numbers),  # type: ignore[call-overload]
        date.fromisoformat(str(as_of)), from_epoch(int(loaded_at)),  # type: ignore[call-overload, arg-type]
    )  # fmt: skip


COLUMNS = "id, name, country, numbers, as_of, loaded_at"


def loaded(db: Database) -> list[Registry]:
    """The lists loaded, by name."""
    rows = db.rows(f"SELECT {COLUMNS} FROM registries ORDER BY name")
    return [registry_from_row(r) for r in rows]


def on_list(db: Database, registry_id: int, digests: list[str]) -> Iterator[str]:
    """Those of ``digests`` the list ``registry_id`` holds: one indexed look-up a batch."""
    for start in range(0, len(digests), LOOKUP):
        chunk = digests[start : start + LOOKUP]
        names = [f"d{i}" for i in range(len(chunk))]
        sql = (
            "SELECT digest FROM registry_numbers WHERE registry_id = :r "
            f"AND digest IN ({placeholders(names)})"
        )
        params = {"r": registry_id, **dict(zip(names, chunk, strict=True))}
        for (digest,) in db.fetch(sql, params):
            yield str(digest)


def listed(db: Database, phones: Iterable[str | None]) -> dict[str, tuple[Listing, ...]]:
    """Which of these E.164 numbers are on a loaded list, and on which: per list, one
    indexed look-up a batch of digests (nothing asked, nor hashed, when no list is loaded)."""
    lists = db.fetch("SELECT id, name, as_of FROM registries WHERE numbers > 0")
    numbers = list(dict.fromkeys(p for p in phones if p))
    if not lists or not numbers:
        return {}
    hashed = hasher(db)
    by_digest = {hashed(n): n for n in numbers}
    digests = list(by_digest)
    found: dict[str, list[Listing]] = {}
    for registry_id, name, as_of in lists:
        listing = Listing(str(name), date.fromisoformat(str(as_of)))
        for digest in on_list(db, int(registry_id), digests):  # type: ignore[call-overload]
            found.setdefault(by_digest[digest], []).append(listing)
    return {number: tuple(found_on) for number, found_on in found.items()}


def stale_for(db: Database, leads: Iterable[Any], now: datetime, config: Config) -> list[Stale]:
    """The lists the rule profiles of these leads (as in force ``now``) require and the store
    has not got, or has older than they allow."""
    from warmcall.compliance.rules import Calendar

    calendar = Calendar(config)
    required = {
        (profile.name, name, days)
        for lead in leads
        for profile in (calendar.profile(lead, now),)
        for name, days in profile.registries
        if days
    }
    if not required:
        return []
    return stale(loaded(db), required, now.date())


def stale(
    lists: Iterable[Registry], required: Iterable[tuple[str, str, int]], today: date
) -> list[Stale]:
    """The lists the profiles in use want fresher than they are, or have not got.
    ``required``: (profile, registry, max days) for each profile in use."""
    by_name = {r.name: r for r in lists}
    found: dict[tuple[str, str], Stale] = {}
    for profile, name, days in required:
        registry = by_name.get(name)
        if registry is None:
            found.setdefault((name, profile), Stale(name, profile, days, None, None))
        elif days and registry.age(today) > days:
            found.setdefault(
                (name, profile),
                Stale(name, profile, days, registry.age(today), registry.as_of),
            )
    return [found[k] for k in sorted(found)]
