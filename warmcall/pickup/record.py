"""The pickup record kept in the store: each lead's dials and answers per local hour.

``pickup.estimate`` estimates from counts; this module keeps them in ``pickup_hours`` and reads
them back. A lead's rows are counted again from its own calls (``refresh``) whenever
something may change them — a call logged, corrected or undone, calls imported, the lead's
zone or number edited — inside the same transaction, so they never disagree with the calls.
The hour of a dial is the hour of the lead's local clock: its zone as the plan resolves it
(``compliance.rules.Calendar.zone``: its own, else the first it could be in).

``next`` reads the rows of the leads it details in one query per batch, and what the book
says (its average, the spread between leads, the pools of similar leads) from its newest
leads, once per plan (``book``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from warmcall.config import Config
from warmcall.localtime.windows import parse_window
from warmcall.pickup.estimate import (
    Book,
    Chance,
    Counts,
    PoolKey,
    Spread,
    answered,
    band_of,
    estimate,
    kappa_from_moments,
    without,
)
from warmcall.pickup.estimate import seed_hours as _seed_hours
from warmcall.store.db import Database, padded_chunks, placeholders

ZONE_COLUMNS = "id, timezone, phone_e164, country, email"  # what ``lead_zones`` reads
INSERT = (
    "INSERT INTO pickup_hours (lead_id, hour, weekend, dials, answered) "
    "VALUES (:lead_id, :hour, :weekend, :dials, :answered)"
)


@dataclass(slots=True)
class _Zoned:
    """The fields the zone of a lead comes from (what ``Calendar.whereabouts`` reads)."""

    timezone: str | None
    phone_e164: str | None
    country: str | None
    email: str | None
    whereabouts: Any = None


def lead_zones(rows: Iterable[Sequence[Any]], calendar: Any) -> dict[int, Any]:
    """Each lead's zone, as the plan resolves it, from rows of ``ZONE_COLUMNS``."""
    return {row[0]: calendar.zone(_Zoned(*row[1:])) for row in rows}


def count(calls: Iterable[tuple[int, datetime, str]], zone_of: Any) -> list[dict[str, int]]:
    """The rows of ``pickup_hours`` for phone dials ``(lead_id, at, outcome)``; ``zone_of``
    gives a lead id's zone."""
    totals: dict[tuple[int, int, bool], list[int]] = {}
    for lead_id, at, outcome in calls:
        hour, weekend = band_of(at.astimezone(zone_of(lead_id)))
        cell = totals.setdefault((lead_id, hour, weekend), [0, 0])
        cell[0] += 1
        cell[1] += answered(outcome)
    return [
        {"lead_id": lead, "hour": hour, "weekend": int(weekend), "dials": n, "answered": a}
        for (lead, hour, weekend), (n, a) in sorted(totals.items())
    ]


def refresh(db: Database, lead_ids: Iterable[int], config: Config) -> None:
    """Count the pickup rows of these leads again from their calls (inside the caller's
    transaction)."""
    from warmcall.compliance.rules import Calendar

    calendar = Calendar(config)
    ids = sorted(set(lead_ids))
    for chunk in padded_chunks(ids):
        names = {f"i{n}": lead_id for n, lead_id in enumerate(chunk)}
        where = f"IN ({placeholders(list(names))})"
        db.execute(f"DELETE FROM pickup_hours WHERE lead_id {where}", names)
        zones = lead_zones(
            db.rows(f"SELECT {ZONE_COLUMNS} FROM leads WHERE id {where}", names), calendar
        )
        calls = (
            (lead_id, datetime.fromtimestamp(at, UTC), outcome)
            for lead_id, at, outcome in db.rows(
                f"SELECT lead_id, at, outcome FROM calls WHERE lead_id {where} "
                "AND channel = 'phone'",
                names,
            )
            if lead_id in zones
        )
        rows = count(calls, zones.__getitem__)
        if rows:
            db.executemany(INSERT, rows)


def rebuild(db: Database, config: Config) -> None:
    """Count every lead's pickup rows again (the migration, and a store filled directly)."""
    db.execute("DELETE FROM pickup_hours")
    ids = [row[0] for row in db.rows("SELECT DISTINCT lead_id FROM calls WHERE channel = 'phone'")]
    refresh(db, ids, config)


OWN_SQL = (
    "SELECT lead_id, hour, weekend, dials, answered FROM pickup_hours WHERE lead_id IN ({ids})"
)


def own_counts(
    db: Database, lead_ids: Sequence[int]
) -> dict[int, dict[tuple[int, bool], tuple[int, int]]]:
    """The pickup rows of these leads, by lead: one query."""
    found: dict[int, dict[tuple[int, bool], tuple[int, int]]] = {}
    if not lead_ids:
        return found
    names = {f"p{n}": lead_id for n, lead_id in enumerate(lead_ids)}
    for lead_id, hour, weekend, n, a in db.rows(
        OWN_SQL.format(ids=placeholders(list(names))), names
    ):
        found.setdefault(lead_id, {})[(hour, bool(weekend))] = (n, a)
    return found


# What the book says is read from the newest leads with dials, never the whole record, so
# that ``next`` costs the same on a book of a thousand leads or a million calls: the
# ``SAMPLE`` newest leads dialled (the oldest of them found by one walk down the (lead, hour,
# kind of day) index that stops there; 0 while there are fewer) give the book's average, its
# chance in each band and the spread between leads within each band
# (``pickup.estimate.kappa_from_moments``), read from their cells, a range of that index;
# each pool of similar leads its ``POOL_SAMPLE`` newest, read only when a lead of that pool is
# planned. Thousands of leads are plenty for a prior; the lead's own dials are always all
# counted.
SAMPLE = 5000
POOL_SAMPLE = 2000
FIRST_SQL = f"""
SELECT MIN(lead_id) AS first FROM (SELECT lead_id FROM pickup_hours
GROUP BY lead_id ORDER BY lead_id DESC LIMIT {SAMPLE}) s
"""
CELLS_SQL = """
SELECT hour, weekend, SUM(dials), SUM(answered),
       SUM(CASE WHEN dials >= 2 THEN 1 ELSE 0 END),
       SUM(CASE WHEN dials >= 2 THEN 1.0 * answered / dials ELSE 0 END),
       SUM(CASE WHEN dials >= 2 THEN 1.0 * answered * answered / (dials * dials) ELSE 0 END),
       SUM(CASE WHEN dials >= 2 THEN 1.0 / dials ELSE 0 END)
FROM pickup_hours WHERE lead_id >= :first
GROUP BY hour, weekend
"""
POOL_SQL = f"""
SELECT p.hour, p.weekend, SUM(p.dials), SUM(p.answered)
FROM (SELECT l.id FROM leads l
      WHERE COALESCE(l.country, '') = :country AND COALESCE(l.window, 'any') = :window
        AND COALESCE(l.source, '') = :source
      ORDER BY l.id DESC LIMIT {POOL_SAMPLE}) s
JOIN pickup_hours p ON p.lead_id = s.id
GROUP BY p.hour, p.weekend
"""


def pool_key(window: str | None, country: str | None, source: str | None) -> PoolKey:
    return (country, window or "any", source)


class _Pools(Mapping[PoolKey, Counts]):
    """The pools of similar leads, each read from the store the first time it is asked for."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.read: dict[PoolKey, Counts] = {}

    def __getitem__(self, key: PoolKey) -> Counts:
        if key not in self.read:
            country, window, source = key
            params = {"country": country or "", "window": window, "source": source or ""}
            self.read[key] = {
                (hour, bool(weekend)): (int(n), int(a))
                for hour, weekend, n, a in self.db.rows(POOL_SQL, params)
            }
        return self.read[key]

    def __iter__(self) -> Iterator[PoolKey]:
        return iter(self.read)

    def __len__(self) -> int:
        return len(self.read)


def book(db: Database, config: Config) -> Book:
    """What the book says, for ``plan.pickup.estimate`` (see ``SAMPLE``)."""
    seeds = _seed_hours(
        (r.start, r.end) for name in ("early", "midday") for r in parse_window(name, config.windows)
    )
    oldest = db.one(FIRST_SQL)
    first = (oldest or {}).get("first") or 0
    cells = list(db.rows(CELLS_SQL, {"first": first}))
    dials = sum(int(n) for _, _, n, *_ in cells)
    if not dials:
        return Book(seed_hours=seeds)
    picked = sum(int(a) for _, _, _, a, *_ in cells)
    kappa = kappa_from_moments(
        Spread(int(c), float(r), float(q), float(i)) for *_, c, r, q, i in cells
    )
    return Book(
        mean=(picked + 1) / (dials + 2),
        kappa=kappa,
        dials=dials,
        seed_hours=seeds,
        pools=_Pools(db),
        bands={(int(h), bool(w)): (int(n), int(a)) for h, w, n, a, *_ in cells},
    )


def pool_of(found: Book, window: str | None, country: str | None, source: str | None) -> Counts:
    return found.pools.get(pool_key(window, country, source), {})


def lead_hours(db: Database, lead: Any, config: Config, now: datetime) -> list[Chance]:
    """The lead's chance to pick up in each hour a window may open (``early``, ``midday``,
    ``any``, within its calling hours), on the kind of day ``now`` is for it: what ``lead
    show`` draws. Empty when the book holds no dial."""
    from warmcall.compliance.rules import Calendar

    found = book(db, config)
    if not found.dials:
        return []
    own = own_counts(db, [lead.id]).get(lead.id, {})
    pool = without(pool_of(found, lead.window, lead.country, lead.source), own)
    calendar = Calendar(config)
    hours = _seed_hours(calendar.hours(_AnyHour(), calendar.profile(lead, now)))
    weekend = now.astimezone(calendar.zone(lead)).isoweekday() >= 6
    return [estimate(own, pool, found, h, weekend) for h in sorted(hours)]


def learned_window(db: Database, lead: Any, config: Config, now: datetime) -> str | None:
    """The window ``lead edit --window learned`` stores: the lead's best lawful hour by the
    estimate, as an explicit range (``16:00-17:00``), among the hours it answered in; None
    when it never answered a dial. An explicit range, not a window that follows the
    estimate: what the person's window is stays written and only changes when the user
    says so (SPEC §2: the plan suggests, never moves silently)."""
    chances = [c for c in lead_hours(db, lead, config, now) if c.answered]
    if not chances:
        return None
    top = max(chances, key=lambda c: (c.p, -c.hour))
    return f"{top.start:%H:%M}-{top.end:%H:%M}"


@dataclass(frozen=True, slots=True)
class _AnyHour:
    """A stand-in lead whose window is every named one: the hours a window may learn."""

    window: str = "early,midday,any"
