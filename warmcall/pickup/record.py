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
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from warmcall.config import Config
from warmcall.errors import WarmcallError
from warmcall.localtime.windows import parse_window
from warmcall.pickup.estimate import (
    Book,
    Chance,
    Counts,
    HoursQuestion,
    PoolKey,
    Spread,
    answered,
    band_of,
    estimate,
    hours_question,
    kappa_from_moments,
    pool_ceiling,
    without,
)
from warmcall.pickup.estimate import seed_hours as _seed_hours
from warmcall.store.db import Database, padded_chunks, placeholders
from warmcall.store.distinct import distinct

ZONE_COLUMNS = "id, timezone, phone_e164, country, email"  # what ``lead_zones`` reads
# …and the zones the store keeps (0015 on): a lead of several is placed without its number
# read again (no phonenumbers in a ``call log``)
STORED_ZONE_COLUMNS = f"{ZONE_COLUMNS}, zones"
INSERT = (
    "INSERT INTO pickup_hours (lead_id, hour, weekend, dials, answered, "
    "pool_country, pool_window, pool_source) "
    "VALUES (:lead_id, :hour, :weekend, :dials, :answered, :country, :window, :source)"
)


@dataclass(slots=True)
class _Zoned:
    """The fields the zone of a lead comes from (what ``Calendar.whereabouts`` reads)."""

    timezone: str | None
    phone_e164: str | None
    country: str | None
    email: str | None
    zones: str | None = None  # as the store keeps them (``leads.zones``), when read
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
            db.rows(f"SELECT {STORED_ZONE_COLUMNS} FROM leads WHERE id {where}", names),
            calendar,
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
            keys = {
                lead_id: _pool_params(pool_key(window, country, source))
                for lead_id, country, window, source in db.rows(
                    f"SELECT l.id, l.country, l.window, l.source FROM leads l WHERE l.id {where}",
                    names,
                )
            }
            db.executemany(INSERT, [{**row, **keys[row["lead_id"]]} for row in rows])
        db.execute(MOST_SQL.format(where=where), names)


# The most dials each lead answered in one hour of its day (``leads.pickup_most``, 0019): what
# bounds its chance in the plan's ranking (``pickup.estimate.ceiling``).
MOST_SQL = """
UPDATE leads SET pickup_most = (
    SELECT COALESCE(MAX(h.answered), 0) FROM (
        SELECT SUM(p.answered) AS answered FROM pickup_hours p
        WHERE p.lead_id = leads.id GROUP BY p.hour) h)
WHERE id {where}
"""


def rebuild(db: Database, config: Config) -> None:
    """Count every lead's pickup rows again (the migration, and a store filled directly)."""
    db.execute("DELETE FROM pickup_hours")
    db.execute("UPDATE leads SET pickup_most = 0 WHERE pickup_most <> 0")
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
    for lead_id, hour, weekend, n, a in db.fetch(
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
# each pool of similar leads its ``POOL_SAMPLE`` newest (a seek down ``ix_leads_pool``, then
# a range of ``ix_pickup_hours_pool``). A thousand leads give each working hour hundreds of
# dials, plenty for a prior that weighs at most ``KAPPA_RANGE``'s 40 dials against the
# lead's own; the lead's own dials are always all counted. Two thousand for the book (each
# band of issue 25's book over 100 dials, the average within 0.2 points of five thousand's):
# the book's sums are read by every rep's every plan (5,000 took 18 ms of them, 2,000 take 7).
SAMPLE = 2000
POOL_SAMPLE = 1000
FIRST_SQL = f"""
SELECT MIN(lead_id) FROM (SELECT lead_id FROM pickup_hours
GROUP BY lead_id ORDER BY lead_id DESC LIMIT {SAMPLE}) s
"""
# (grouped by ``hour + 0``: a plain ``hour`` let SQLite walk all of ``ix_pickup_hours_band_dials``
# for its order, 0.7 s on a million calls, instead of the range of the newest leads; the
# ratios in floating point: PostgreSQL's ``1.0 * …`` is its slower arbitrary-precision numeric)
CELLS_SQL = """
SELECT hour + 0 AS hour, weekend + 0 AS weekend, SUM(dials), SUM(answered),
       SUM(CASE WHEN dials >= 2 THEN 1 ELSE 0 END),
       SUM(CASE WHEN dials >= 2 THEN CAST(answered AS DOUBLE PRECISION) / dials ELSE 0 END),
       SUM(CASE WHEN dials >= 2
           THEN CAST(answered * answered AS DOUBLE PRECISION) / (dials * dials) ELSE 0 END),
       SUM(CASE WHEN dials >= 2 THEN 1 / CAST(dials AS DOUBLE PRECISION) ELSE 0 END)
FROM pickup_hours WHERE lead_id >= :first
GROUP BY hour + 0, weekend + 0
"""
# A pool's newest leads: the id from which they start (a walk down ``ix_leads_pool``, whose
# last column is the id, on either engine), then their rows, each kept with the pool its
# lead was in when counted (0019): a range of ``ix_pickup_hours_pool``, read from the index
# alone. The pool's fields are compared as they are stored, so that PostgreSQL estimates
# them from its statistics (for COALESCE(…) = :value it guessed one lead and read the
# whole table). Two statements for every pool the plan asks for (``_Pools.read_all``), not
# the start as a sub-query: not knowing it, PostgreSQL planned the range for any start and
# took three times as long.
POOL_START_SQL = f"""
SELECT {{n}}, (SELECT l.id FROM leads l WHERE {{same}}
               ORDER BY l.id DESC LIMIT 1 OFFSET {POOL_SAMPLE - 1})
"""
POOL_SQL = """
SELECT {n}, p.hour, p.weekend, SUM(p.dials), SUM(p.answered) FROM pickup_hours p
WHERE p.pool_country = :country{n} AND p.pool_window = :window{n} AND p.pool_source = :source{n}
  AND p.lead_id >= :start{n}
GROUP BY p.hour, p.weekend
"""


def _same(column: str, value: str, n: int) -> str:
    """SQL true for a lead whose ``column`` is ``value`` ('': also when NULL): an equality
    the index can seek for the usual values, its parameter named for the ``n``-th pool of the
    statement."""
    if not value:
        return f"(l.{column} IS NULL OR l.{column} = '')"
    return f"l.{column} = :{column}{n}"


def _pool_params(key: PoolKey) -> dict[str, str]:
    """A pool's key as the columns of its rows hold it (no NULL: '' and ``any``)."""
    country, window, source = key
    return {"country": country or "", "window": window or "any", "source": source or ""}


def pool_key(window: str | None, country: str | None, source: str | None) -> PoolKey:
    return (country, window or "any", source)


class _Pools(Mapping[PoolKey, Counts]):
    """The pools of similar leads, each read from the store the first time it is asked for."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.read: dict[PoolKey, Counts] = {}

    def __getitem__(self, key: PoolKey) -> Counts:
        if key not in self.read:
            self.read_all([key])
        return self.read[key]

    def read_all(self, keys: Iterable[PoolKey]) -> None:
        """Read these pools (those not read yet): two statements, however many they are."""
        wanted = list(dict.fromkeys(k for k in keys if k not in self.read))
        if not wanted:
            return
        params: dict[str, str | int] = {}
        starts = []
        for n, key in enumerate(wanted):
            given = _pool_params(key)
            params.update({f"{column}{n}": value for column, value in given.items()})
            same = " AND ".join(
                [*(_same(c, given[c], n) for c in ("country", "source")),
                 f"l.window = :window{n}"]  # never NULL
            )  # fmt: skip
            starts.append(POOL_START_SQL.format(n=n, same=same))
        for n, start in self.db.fetch(" UNION ALL ".join(starts), params):
            params[f"start{n}"] = start or 0
        sums = " UNION ALL ".join(POOL_SQL.format(n=n) for n in range(len(wanted)))
        for key in wanted:
            self.read[key] = {}
        for n, hour, weekend, dials, picked in self.db.fetch(sums, params):
            self.read[wanted[n]][(hour, bool(weekend))] = (int(dials), int(picked))

    def __iter__(self) -> Iterator[PoolKey]:
        return iter(self.read)

    def __len__(self) -> int:
        return len(self.read)


def book(db: Database, config: Config, now: datetime | None = None) -> Book:
    """What the book says, for ``plan.pickup.estimate`` (see ``SAMPLE``); with ``now``, for
    the plan of that day: with the most any pool gives then (``Book.top``,
    ``chance_ceiling``)."""
    seeds = _seed_hours(
        (r.start, r.end) for name in ("early", "midday") for r in parse_window(name, config.windows)
    )
    first = db.fetch(FIRST_SQL)[0][0] or 0
    cells = db.fetch(CELLS_SQL, {"first": first})
    dials = sum(int(n) for _, _, n, *_ in cells)
    if not dials:
        return Book(seed_hours=seeds)
    picked = sum(int(a) for _, _, _, a, *_ in cells)
    kappa = kappa_from_moments(
        Spread(int(c), float(r), float(q), float(i)) for *_, c, r, q, i in cells
    )
    found = Book(
        mean=(picked + 1) / (dials + 2),
        kappa=kappa,
        dials=dials,
        seed_hours=seeds,
        pools=_Pools(db),
        bands={(int(h), bool(w)): (int(n), int(a)) for h, w, n, a, *_ in cells},
    )
    if now is None:
        return found
    return replace(found, top=chance_ceiling(db, found, config, now))


# More pools than this and the plan's bound does not read them all: a lead's chance is then
# bounded by 1 (``chance_ceiling``), which is true but lets more leads tie at the top.
MAX_POOLS = 64


def chance_ceiling(db: Database, found: Book, config: Config, now: datetime) -> float:
    """The most any pool of the book may give a lead as its pool's chance in a band the plan
    of ``now``'s day may offer (``pickup.estimate.pool_ceiling``): every pool of the store's
    leads is read (one look down ``ix_leads_pool``, then each pool once, as the plan would),
    in the hours of its window (every lawful hour for ``any``, whose hours are learned) on
    the kinds of day the lead's day may be, with the most dials one lead holds in each band
    (``ix_pickup_hours_band_dials``). 0 in a book without a dial."""
    if not found.dials:
        return 0.0
    # A few seeks down ``ix_leads_pool`` (``store.distinct``): PostgreSQL's DISTINCT read the
    # whole index, 0.2 to 0.3 s of each next over a million leads.
    keys = distinct(db, "leads", ("country", "window", "source"), limit=MAX_POOLS + 1)
    if len(keys) > MAX_POOLS:
        return 1.0
    most = {
        (int(hour), bool(weekend)): (int(n), 0)
        for hour, weekend, n in db.fetch(BAND_DIALS_SQL)
        if n is not None
    }
    hours = {w: _window_hours(w, config) for w in {w for _, w, _ in keys}}  # once a window
    if isinstance(found.pools, _Pools):
        found.pools.read_all(pool_key(w, country, source) for country, w, source in keys)
    pools = (
        (found.pools.get(pool_key(w, country, source), {}), hours[w]) for country, w, source in keys
    )
    return pool_ceiling(found, pools, most, _kinds(now, config))


def _window_hours(window: str | None, config: Config) -> frozenset[int]:
    """The hours of its local day a lead with this window may be planned in: the window's
    (its own hours stay hard), every hour any rule profile allows for ``any`` (learned)."""
    from warmcall.compliance.profiles import available, load_profile

    if (window or "any").strip().lower() == "any":
        profiles = [load_profile(name) for name in available()]
        spans = {(r.start, r.end) for p in profiles for v in (p, *p.dated) for r in v.hours}
        return _seed_hours(spans)
    try:
        return given_hours(window, config)
    except WarmcallError:
        return frozenset(range(24))  # a window the plan will refuse: bound by every hour


def given_hours(window: str, config: Config) -> frozenset[int]:
    """The hours of its local day that a window the person gave (not ``any``) touches."""
    return _seed_hours((r.start, r.end) for r in parse_window(window, config.windows))


def _kinds(now: datetime, config: Config) -> frozenset[bool]:
    """Whether the calling days a lead may be in during the user's day of ``now`` include
    working days, weekends, or both: its local day is within two days of the user's (any
    two zones are at most 26 hours apart), and a day outside ``[windows] working_days`` is
    no calling day (``compliance.rules.Calendar.day_off``)."""
    today = now.astimezone(config.zone).date()
    days = (today + timedelta(days=n) for n in range(-2, 3))
    return frozenset(
        day.isoweekday() >= 6 for day in days if day.isoweekday() in config.windows.working_days
    )


# The most dials one lead holds in each band: a seek into the index per band, in one
# statement with one sub-query (48 statements joined by UNION ALL took PostgreSQL 3.6 ms
# to plan, more than they took to run).
BAND_DIALS_SQL = """
WITH RECURSIVE b(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM b WHERE n < 47)
SELECT n / 2, n % 2,
       (SELECT MAX(p.dials) FROM pickup_hours p WHERE p.hour = n / 2 AND p.weekend = n % 2)
FROM b
"""


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


def question(db: Database, lead: Any, config: Config) -> HoursQuestion | None:
    """Whether the caller should ask the person when they are best reached
    (``pickup.estimate.hours_question``), from the lead's own dials: what ``script`` says."""
    own = own_counts(db, [lead.id]).get(lead.id, {})
    if (lead.window or "any").strip().lower() == "any":
        return hours_question(own, None)
    try:
        hours = given_hours(lead.window, config)
    except WarmcallError:
        return None  # a window the plan refuses: the lead is not planned to be asked
    return hours_question(own, hours)


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
