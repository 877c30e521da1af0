"""The pickup record kept in the store: each lead's dials and answers per local hour.

``plan.pickup`` estimates from counts; this module keeps them in ``pickup_hours`` and reads
them back. A lead's rows are counted again from its own calls (``refresh``) whenever
something may change them — a call logged, corrected or undone, calls imported, the lead's
zone or number edited — inside the same transaction, so they never disagree with the calls.
The hour of a dial is the hour of the lead's local clock: its zone as the plan resolves it
(``compliance.rules.Calendar.zone``: its own, else the first it could be in).

``next`` reads the rows of the leads it details in one query per batch, and what the book
says (its average, the spread between leads, the pools of similar leads) once per plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from warmcall.config import Config
from warmcall.plan.pickup import (
    Book,
    Chance,
    Counts,
    PoolKey,
    answered,
    band_of,
    estimate,
    kappa_from_moments,
)
from warmcall.plan.pickup import seed_hours as _seed_hours
from warmcall.plan.windows import parse_window
from warmcall.store.db import Database, padded_chunks, placeholders

_ZONE_COLUMNS = "id, timezone, phone_e164, country, email"
INSERT = (
    "INSERT INTO pickup_hours (lead_id, hour, weekend, dials, answered) "
    "VALUES (:lead_id, :hour, :weekend, :dials, :answered)"
)
MIN_DIALS_FOR_SPREAD = 3  # a lead's rate counts toward the spread between leads from here


@dataclass(slots=True)
class _Zoned:
    """The fields the zone of a lead comes from (what ``Calendar.whereabouts`` reads)."""

    timezone: str | None
    phone_e164: str | None
    country: str | None
    email: str | None
    whereabouts: Any = None


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
        zones = {
            row[0]: calendar.zone(_Zoned(*row[1:]))
            for row in db.rows(f"SELECT {_ZONE_COLUMNS} FROM leads WHERE id {where}", names)
        }
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


# The book, read once per plan: the pools of similar leads (country, window, source) per
# band, and the spread of the leads' own answer rates for the prior's strength.
POOLS_SQL = """
SELECT l.country, l.window, l.source, p.hour, p.weekend, SUM(p.dials), SUM(p.answered)
FROM pickup_hours p JOIN leads l ON l.id = p.lead_id
GROUP BY l.country, l.window, l.source, p.hour, p.weekend
"""
SPREAD_SQL = f"""
SELECT COUNT(*), AVG(r), AVG(r * r), AVG(1.0 / n) FROM (
    SELECT SUM(answered) * 1.0 / SUM(dials) AS r, SUM(dials) AS n
    FROM pickup_hours GROUP BY lead_id HAVING SUM(dials) >= {MIN_DIALS_FOR_SPREAD}) s
"""


def pool_key(window: str | None, country: str | None, source: str | None) -> PoolKey:
    return (country, window or "any", source)


def book(db: Database, config: Config) -> Book:
    """What the whole book says, for ``plan.pickup.estimate``."""
    pools: dict[PoolKey, dict[tuple[int, bool], tuple[int, int]]] = {}
    dials = picked = 0
    for country, window, source, hour, weekend, n, a in db.rows(POOLS_SQL):
        n, a = int(n), int(a)
        pools.setdefault(pool_key(window, country, source), {})[(hour, bool(weekend))] = (n, a)
        dials += n
        picked += a
    seeds = _seed_hours(
        (r.start, r.end) for name in ("early", "midday") for r in parse_window(name, config.windows)
    )
    if not dials:
        return Book(seed_hours=seeds)
    leads, mean_rate, mean_square, inv_n = next(db.rows(SPREAD_SQL))
    kappa = kappa_from_moments(
        int(leads or 0), float(mean_rate or 0), float(mean_square or 0), float(inv_n or 0)
    )
    return Book(
        mean=(picked + 1) / (dials + 2),
        kappa=kappa,
        dials=dials,
        seed_hours=seeds,
        pools=pools,
    )


def pool_of(found: Book, window: str | None, country: str | None, source: str | None) -> Counts:
    return found.pools.get(pool_key(window, country, source), {})


def without(pool: Counts, own: Mapping[tuple[int, bool], tuple[int, int]]) -> Counts:
    """A pool less the lead's own rows: the lead is not its own evidence twice."""
    if not own:
        return pool
    out = dict(pool)
    for key, (n, a) in own.items():
        pn, pa = out.get(key, (0, 0))
        out[key] = (max(pn - n, 0), max(pa - a, 0))
    return out


def rows_of(counts: Counts) -> Iterator[tuple[int, bool, int, int]]:
    for (hour, weekend), (n, a) in sorted(counts.items()):
        yield hour, weekend, n, a


LEARNED = "learned"  # ``lead edit --window learned``: the hour the record shows best


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
