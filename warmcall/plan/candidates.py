"""What the planner needs from the store, per lead, in one indexed query.

The planner is pure; this module asks the store for the lead's own fields and a summary of
its history — last touch, last conversation, the dials of the last ``rules.attempts_days``
calendar days, the open follow-up — as correlated sub-queries that each seek the
``(lead_id, at)`` index of ``calls`` (or ``(lead_id, done_at)`` of ``followups``). No call is
loaded into Python; 100,000 leads and a million calls answer in a fraction of a second.
Leads the plan never calls (dnc, won, lost, and cold unless asked) are filtered out in SQL
unless ``everything`` is asked for (``next --all`` shows them with their reason).

Only the leads that can reach the top of the plan are detailed and scored. Each lead's score
is bounded in SQL first (``plan.score``, each part's bound beside the part); the leads come
to the planner best bound first, equal bounds by id, so that it stops at the first one that
cannot displace the rows it keeps. The book is read in groups (the leads with a follow-up
due, then a temperature with the stages of equal bound, through ``ix_leads_plan``), and a
group is queried only when its best bound, known from the bound SQL alone, could come next:
on a year of imported calls the warm and cold leads are never read.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import fields
from datetime import UTC, datetime, time, timedelta
from itertools import islice
from typing import Any

from warmcall import claims
from warmcall.compliance.consent import CONSENT_COLUMNS, consent_record
from warmcall.compliance.rules import Calendar, frequency_limits, frequency_since
from warmcall.config import Config, user_hours
from warmcall.localtime.windows import local_datetime
from warmcall.models import (
    CONVERSATIONS,
    UNANSWERED,
    Consent,
    ConsentRecord,
    Outcome,
    Stage,
    Temperature,
)
from warmcall.pickup import record as pickup_record
from warmcall.pickup.estimate import Book
from warmcall.plan.capacity import (
    DEFAULT_DIALS_PER_HOUR,
    LEARN_DAYS,
    PAUSE,
    SHORTEST_DIAL,
    Capacity,
    rate_of,
    spent_by_band,
)
from warmcall.plan.planner import Agreed, Candidate, Horizon, Plan, plan
from warmcall.plan.score import bound_sql, pickup_classes
from warmcall.store.columns import LEADS, TIMES
from warmcall.store.db import Database, placeholders
from warmcall.store.distinct import distinct


def _in(values: frozenset[object]) -> str:
    """A literal ``IN`` list of our own vocabulary (never user input)."""
    return ", ".join(f"'{v}'" for v in sorted(str(v) for v in values))


_CONVERSATION = _in(CONVERSATIONS)  # type: ignore[arg-type]
_UNANSWERED = _in(UNANSWERED)  # type: ignore[arg-type]

# The lead's own columns a ``Candidate`` holds: its fields named as a column of the leads
# table (its ``lead_id`` is the ``id``), in the table's order; the moments among them.
LEAD_FIELDS = tuple(c for c in LEADS if c in {f.name for f in fields(Candidate)})
_MOMENTS = tuple(c for c in LEAD_FIELDS if c in TIMES["leads"])
# The lead's open follow-up due first: a column each, each a seek into the lead's slice of
# ``ix_followups_lead_done`` (as a join, PostgreSQL hashed the whole followups table for a
# batch of 128 leads: half the query's time).
_NEXT_FOLLOWUP = ", ".join(
    f"(SELECT f.{column} FROM followups f WHERE f.lead_id = l.id AND f.done_at IS NULL "
    "ORDER BY f.due_at, f.id LIMIT 1)"
    for column in ("due_at", "action", "has_time")
)
# The lead's fields and its history, each sub-query a seek into one lead's slice of the
# (lead_id, at) index of calls (or (lead_id, done_at) of followups).
DETAILS_SQL = f"""
SELECT l.id, {", ".join(f"l.{c}" for c in LEAD_FIELDS)},
       t.at, t.outcome, t.channel,
       c.at, c.outcome,
       (SELECT COUNT(*) FROM calls d
         WHERE d.lead_id = l.id AND d.at >= :since AND d.channel = 'phone'),
       (SELECT COUNT(*) FROM calls d
         WHERE d.lead_id = l.id AND d.at >= :since AND d.channel = 'phone'
           AND d.outcome IN ({_UNANSWERED})),
       {_NEXT_FOLLOWUP}
FROM leads l
LEFT JOIN calls t ON t.id = (
    SELECT id FROM calls WHERE lead_id = l.id ORDER BY at DESC, id DESC LIMIT 1)
LEFT JOIN calls c ON c.id = (
    SELECT id FROM calls WHERE lead_id = l.id AND outcome IN ({_CONVERSATION})
    ORDER BY at DESC, id DESC LIMIT 1)
"""

# When the lead last said it was not interested (a correlated sub-query over the (lead_id, at)
# index, for a ``FROM leads l``): the call is the fact a not-interested lead rests on, so
# undoing or editing that call moves the rest with it. Null when never.
LAST_NOT_INTERESTED = (
    "(SELECT MAX(n.at) FROM calls n WHERE n.lead_id = l.id "
    f"AND n.outcome = '{Outcome.NOT_INTERESTED}')"
)

# An upper bound of each lead's score from what the indexes answer alone (its last touch,
# whether a follow-up is due), best first: the planner reads leads in this order and stops
# as soon as no lead further down can enter the top ``limit``. Each part's bound is declared
# with the part itself (``plan.score``); ``{where}`` keeps the leads the plan may call. The
# inner query is MATERIALIZED so that its sub-queries run once per lead, not once per use.
# ``followup`` is a follow-up due before tomorrow (one agreed for later excludes the lead):
# true for the leads read as due, false for the others. The rep's leads with one and the
# shared ones: each a range of ``ix_leads_owner_due``, which holds just the leads with a
# follow-up open, read from the index alone (0023). Read from the follow-ups, they were
# every rep's (8,777 of issue 25's million leads), each looked up to learn its owner.
_DUE_LEADS = " UNION ALL ".join(
    f"SELECT d.id FROM leads d WHERE d.owner {owner} AND d.due_at < :tomorrow"
    for owner in ("= :rep", "IS NULL")
)
_DUE_IDS = f"l.id IN ({_DUE_LEADS})"
# The same leads, read first (CROSS JOIN: in that order, on SQLite too).
_DUE_SOURCE = f"({_DUE_LEADS}) d CROSS JOIN leads l"
# PostgreSQL reorders a join as it likes: there the due leads are an ARRAY, each read by its
# key. As a join it hashed the rep's every lead (by ``owner``: 380,000 of a million, 0.7 s)
# to meet a few thousand follow-ups.
_DUE_AMONG = f"l.id = ANY(ARRAY({_DUE_LEADS}))"
CEILING_SQL = """
WITH l AS MATERIALIZED (
    SELECT l.id, l.temperature, l.stage, l.consent, l.created_at, l.window, l.zones,
           l.pickup_most, (SELECT MAX(c.at) FROM calls c WHERE c.lead_id = l.id) AS last_at,
           {followup} AS followup
    FROM {source} {where})
SELECT l.id, {bound} AS ceiling FROM l
"""
# The leads of a group whose bound is its best (``near``: just below it), in id order, over
# one range of ids: read as a table is, with no sort, so that a group whose best bound ties
# many leads (a book of look-alike leads) is read only as far as the plan needs.
TOP_SQL = """
SELECT l.id FROM (
    SELECT l.id, l.temperature, l.stage, l.consent, l.created_at, l.window, l.zones,
           l.pickup_most, (SELECT MAX(c.at) FROM calls c WHERE c.lead_id = l.id) AS last_at,
           1 = 0 AS followup
    FROM leads l {where} AND l.id > :after AND l.id <= :upto) l
WHERE {bound} > :near
ORDER BY l.id
"""
# How far below a group's best bound a lead still has it: the bounds are sums of the
# configuration's points, apart by far more; only their last bits differ.
TOP_GAP = 5e-7
FIRST_RANGE = 2048  # ids read at once for a group's best leads; each range doubles
MAX_RANGE = 65536
# The most a lead without a due follow-up can score, for each temperature, stage and consent:
# the bound over every day count, touched or not (no lead's row needed).
HORIZON_SQL = """
WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < {days}),
t(temperature) AS ({temperatures}),
s(stage) AS ({stages}),
c(consent) AS ({consents}),
w(touched) AS (SELECT 0 UNION ALL SELECT 1),
l AS (SELECT -1 AS id, t.temperature, s.stage, c.consent,
             :tomorrow - k.n * 86400 - 3600 AS created_at,
             CASE WHEN w.touched = 1 THEN :tomorrow - k.n * 86400 - 3600 END AS last_at,
             CAST(NULL AS INTEGER) AS pickup_most, 1 = 0 AS followup
      FROM k, t, s, c, w)
SELECT l.temperature, l.stage, l.consent, MAX({bound}) FROM l
GROUP BY l.temperature, l.stage, l.consent
"""
# Phone dials inside the longest frequency period of the rule profiles, per lead of a batch.
DIALS_SQL = """
SELECT lead_id, at FROM calls
WHERE lead_id IN ({ids}) AND channel = 'phone' AND at >= :legal_since
"""
# A value outside the vocabulary (or none), as the bound sees it: each of its CASEs falls to
# its ELSE, so the group of such leads is bounded by the same SQL as the others.
UNKNOWN = "?"
# Ceilings are compared to 2-decimal scores: rounded here, sums that differ only in their
# last bits are one tie.
CEILING_DIGITS = 6
HORIZON_DAYS = 3660  # ten years: the longest day count the horizon walks, day by day
# Leads detailed at once: then each batch as many as all before it (the total doubles), up
# to MAX_BATCH. A plan of 20 reads 110 to 210 leads on issue 25's book: 256 in two batches
# (doubling each batch detailed 384).
FIRST_BATCH = 128
MAX_BATCH = 4096


def candidates(
    db: Database,
    now: datetime,
    config: Config,
    everything: bool = False,
    include_cold: bool = False,
    book: Book | None = None,
) -> Iterator[Candidate]:
    """The leads the plan may consider as of ``now`` (see ``pool``), every one of them."""
    for found in pool(db, now, config, everything, include_cold, book):
        if isinstance(found, Candidate):
            yield found


def pool(
    db: Database,
    now: datetime,
    config: Config,
    everything: bool = False,
    include_cold: bool = False,
    book: Book | None = None,
) -> Iterator[Candidate | Horizon]:
    """The leads the plan may consider as of ``now``, for ``plan`` to read as far as it needs.

    With a ``Horizon`` among them where the rest would need another query. ``book`` is what
    the plan knows of pickup hours (``pickup.record.book``): with it, a lead's pickup part is
    bounded by its own record (``score.pickup_classes``), else by a chance of 1.

    With ``everything`` (for ``next --all``): every lead, in id order. Otherwise only active
    leads (and warm or hot ones unless ``include_cold``), best possible score first, each
    with its ``ceiling``, detailed in growing batches as the planner pulls them.
    """
    zone = config.zone
    today = now.astimezone(zone).date()
    first_day = today - timedelta(days=max(config.rules.attempts_days, 1) - 1)
    since = local_datetime(first_day, time(0), zone)
    params = {"since": int(since.timestamp())}
    legal_since = int(frequency_since(now, _legal_days(config)).timestamp())
    # The rep's own leads and the shared ones no colleague has claimed today (SPEC §8).
    mine = claims.params(config.rep, now)
    if everything:
        sql = DETAILS_SQL + f" WHERE {claims.MINE} ORDER BY l.id"
        yield from _with_dials(db, _details(db.rows(sql, {**params, **mine})), legal_since)
        return
    where = f" WHERE l.status = 'active' AND {claims.MINE}"
    if not include_cold:
        where += " AND l.temperature <> 'cold'"
    tomorrow = local_datetime(today + timedelta(days=1), time(0), zone)
    bound_params = {"tomorrow": int(tomorrow.timestamp()), "since": params["since"], **mine}
    window_open, any_open = _window_open(db, now, config)
    classes = None
    if book is not None and book.dials:
        # bounded by the most any pool gives (the plan reads it once, ``plan_today``), in the
        # steps the planner lays around it
        top = book.top
        pool_p = top if top is not None else pickup_record.chance_ceiling(db, book, config, now)
        most = db.fetch("SELECT MAX(l.pickup_most) FROM leads l")[0][0]
        classes = pickup_classes(config, book.kappa, pool_p, top, most)
    bound = bound_sql(config, window_open=window_open, pickup=classes)
    size, detailed = FIRST_BATCH, 0
    batch: list[tuple[int, float]] = []
    horizon = bound_sql(config, window_open="1 = 1" if any_open else "1 = 0", pickup=classes)
    for item in _ranked(db, config, where, bound, horizon, bound_params, classes):
        if isinstance(item, Horizon):
            yield from _detailed(db, batch, params, legal_since)
            batch = []
            yield item
            continue
        batch.append(item)
        if len(batch) >= size:
            yield from _detailed(db, batch, params, legal_since)
            detailed += len(batch)
            batch = []
            size = min(detailed, MAX_BATCH)
    yield from _detailed(db, batch, params, legal_since)


def _ranked(
    db: Database,
    config: Config,
    where: str,
    bound: str,
    horizon: str,
    params: dict[str, int],
    classes: list[tuple[int, float]] | None = None,
) -> Iterator[tuple[int, float] | Horizon]:
    """Lead ids with their ceilings, best first (equal ones by id), read group by group.

    The leads with a follow-up due come first (few, and usually the top of the plan). The
    others are read one group at a time (``_groups``: a temperature, stage and consent), a
    group only once its best possible ceiling could come next, announced by a ``Horizon``
    (the most any lead not read yet can score) so that the planner can stop before the
    query: groups that cannot reach the top of the plan are never read. ``horizon`` is the
    bound of a lead whose window and zones are not known yet (``_window_open``)."""
    order = " ORDER BY ceiling DESC, l.id"

    def ceilings(
        extra: str, followup: str, source: str = "leads l", below: str = "", few: bool = False
    ) -> Iterator[tuple[int, float]]:
        """The leads ``extra`` picks, best bound first: streamed, or ``few`` at once."""
        sql = CEILING_SQL.format(
            bound=bound, where=f"{where} AND {extra}", followup=followup, source=source
        )
        read = db.fetch if few else db.rows
        return _ties_by_id(read(sql + below + order, params))

    def group(most: float, match: str) -> Iterator[tuple[int, float] | Horizon]:
        """A group's leads: those at its best bound first, in id order as the table is read
        (``_at_best``), then a ``Horizon`` just below it, then the rest, best first."""
        extra = f"NOT {_DUE_IDS} AND {match}"
        if most == float("inf"):
            yield from ceilings(extra, "1 = 0")
            return
        near = most - TOP_GAP
        span = f"SELECT MIN(l.id), MAX(l.id) FROM leads l {where} AND {extra}"
        lowest, highest = db.fetch(span, params)[0]
        if lowest is None:
            return  # no lead in the group (from the index)
        top = TOP_SQL.format(bound=bound, where=f"{where} AND {extra}")
        for lead_id in _at_best(db, top, (lowest, highest), {**params, "near": near}):
            yield lead_id, most
        yield Horizon(near)
        yield from ceilings(extra, "1 = 0", below=f" WHERE {bound} <= {near!r}")

    groups = _by_pickup(_groups(db, config, horizon, params), classes)
    # Each stream's next item, best first: (-ceiling, lead id, stream number, item, stream).
    Item = tuple[int, float] | Horizon
    heads: list[tuple[float, int, int, Item, Iterator[Item]]] = []

    def advance(stream: Iterator[Item], n: int) -> None:
        for item in stream:
            key = (item.ceiling, item.lead_id) if isinstance(item, Horizon) else item[::-1]
            heapq.heappush(heads, (-key[0], key[1], n, item, stream))  # type: ignore[operator]
            break

    # the rep's leads with a follow-up due (each one's is, without asking again): a few
    # hundred or thousand, read at once
    if db.dialect == "postgresql":
        advance(ceilings(_DUE_AMONG, "1 = 1", few=True), 0)
    else:
        advance(ceilings("l.id = d.id", "1 = 1", _DUE_SOURCE, few=True), 0)
    opened = 0
    while True:
        while opened < len(groups) and (not heads or groups[opened][0] >= -heads[0][0] - 1e-9):
            ceiling, match = groups[opened]
            yield Horizon(ceiling)
            opened += 1
            advance(group(ceiling, match), opened)
        if not heads:
            return
        _, _, n, item, stream = heapq.heappop(heads)
        yield item
        advance(stream, n)


def _at_best(
    db: Database, sql: str, span: tuple[int, int], params: dict[str, Any]
) -> Iterator[int]:
    """The ids ``TOP_SQL`` finds, in id order, read a range of ids at a time (growing) over
    the group's ``span`` (its first and last id): only as far as the planner asks."""
    lowest, highest = span
    after, size = lowest - 1, FIRST_RANGE
    while after < highest:
        for (lead_id,) in db.rows(sql, {**params, "after": after, "upto": after + size}):
            yield lead_id
        after += size
        size = min(size * 2, MAX_RANGE)


def _window_open(db: Database, now: datetime, config: Config) -> tuple[str, bool]:
    """SQL true for a lead whose window may be open at ``now`` (the ``{window_open}`` of the
    bound), and whether any lead's may be. Each window and set of zones the store holds
    (``leads.zones``, a few look-ups down its index) is asked once of the calendar: the leads
    whose window is closed in one of their zones are named, every other lead (its zones
    unknown to the store, or written since) may be open."""
    calendar = Calendar(config)
    closed: dict[str, list[str]] = {}
    any_open = False
    for window, zones in distinct(db, "leads", ("window", "zones")):  # ix_leads_window_zones
        if zones is not None and not calendar.window_may_be_open(window, zones.split(" "), now):
            closed.setdefault(zones, []).append(window)
        else:
            any_open = True
    if not closed:
        return "1 = 1", any_open
    shut = " OR ".join(
        f"(l.zones = {_text(zones)} AND l.window IN ({', '.join(map(_text, windows))}))"
        for zones, windows in sorted(closed.items())
    )
    return f"CASE WHEN {shut} THEN 1 = 0 ELSE 1 = 1 END", any_open


def _text(value: str) -> str:
    """A string as an SQL literal (a window or zone names the store holds)."""
    return "'" + value.replace("'", "''") + "'"


def _ties_by_id(rows: Iterable[tuple[int, float]]) -> Iterator[tuple[int, float]]:
    """Ceilings best first, rounded to ``CEILING_DIGITS``, equal ones in lead id order: the
    same points summed in another order differ in their last bits (18.000000000000004 and
    18.0), and the planner stops at a tie only when the ids behind it are higher."""
    tied: list[tuple[int, float]] = []
    for lead_id, ceiling in rows:
        rounded = round(float(ceiling), CEILING_DIGITS)
        if tied and rounded != tied[0][1]:
            tied.sort()
            yield from tied
            tied = []
        tied.append((lead_id, rounded))
    tied.sort()
    yield from tied


def _groups(
    db: Database, config: Config, bound: str, params: dict[str, int]
) -> list[tuple[float, str]]:
    """The leads without a follow-up due, in groups best bound first: each known temperature,
    stage and consent with the most a lead of it can score (``HORIZON_SQL``), as SQL that
    matches the group (an index range of ``ix_leads_plan``), and the leads whose fields are
    outside the vocabulary (none in a sound store), bounded as ``UNKNOWN``. One group of
    every lead when the bound cannot be walked (a bound that counts calls)."""
    vocabulary = _VOCABULARY
    days = max(config.score.days_cap, config.rules.stale_days, 0) + 3
    if config.score.unanswered_each > 0 or days > HORIZON_DAYS:
        # a bound that counts a lead's calls, or a day count too long to walk (a config's
        # days_cap of 10**11): no horizon, every lead is read
        return [(float("inf"), "1 = 1")]

    every = {name: {*map(str, values), UNKNOWN} for name, values in vocabulary.items()}
    # A field the bound does not read (the consent, as a rule: it adds the same to every
    # lead) is walked as one value and splits no group.
    reads = {name for name in vocabulary if f"l.{name}" in bound}

    def values(name: str) -> str:
        walked = sorted(every[name]) if name in reads else [UNKNOWN]
        return " UNION ALL ".join(f"SELECT '{v}' AS {name}" for v in walked)

    sql = HORIZON_SQL.format(
        days=days,
        temperatures=values("temperature"),
        stages=values("stage"),
        consents=values("consent"),
        bound=bound,
    )
    # One group per temperature and best bound: its stages, each with the consents that
    # reach that bound.
    found: dict[tuple[str, float], dict[str, set[str]]] = {}
    for *walked, most in db.fetch(sql, params):
        temperatures, stages, consents = (
            {value} if name in reads else every[name]
            for name, value in zip(vocabulary, walked, strict=True)
        )
        for temperature in temperatures:
            group = found.setdefault((temperature, round(float(most), CEILING_DIGITS)), {})
            for stage in stages:
                group.setdefault(stage, set()).update(consents)
    groups = []
    for (temperature, most), stages in found.items():
        by_consents: dict[frozenset[str], set[str]] = {}
        for stage, consents in stages.items():
            by_consents.setdefault(frozenset(consents), set()).add(stage)
        either = " OR ".join(
            f"({_matching('stage', stage_set)} AND {_matching('consent', consents)})"
            for consents, stage_set in by_consents.items()
        )
        groups.append((most, f"{_matching('temperature', {temperature})} AND ({either})"))
    groups.sort(key=lambda g: -g[0])
    return groups


_VOCABULARY = {"temperature": Temperature, "stage": Stage, "consent": Consent}


def _by_pickup(
    groups: list[tuple[float, str]], classes: list[tuple[int, float]] | None
) -> list[tuple[float, str]]:
    """Each group split by the pickup part's bound (``score.pickup_classes``): a range of
    ``pickup_most`` per class, whose best is the group's less what the class cannot reach
    (the group's best counts the part's most: the horizon knows no lead's record). Leads of
    one class tie, so a book of look-alike leads is still read only as far as the plan
    needs, the class most likely to reach the top first."""
    if not classes or len(classes) < 2:
        return groups
    most = classes[-1][1]
    split = []
    for best, match in groups:
        if best == float("inf"):
            split.append((best, match))
            continue
        for n, (lowest, points) in enumerate(classes):
            upto = classes[n + 1][0] if n + 1 < len(classes) else None
            pickup = f"l.pickup_most >= {lowest}" + (
                f" AND l.pickup_most < {upto}" if upto is not None else ""
            )
            split.append((round(best - most + points, CEILING_DIGITS), f"{match} AND {pickup}"))
    split.sort(key=lambda g: -g[0])
    return split


def _matching(column: str, values: set[str] | frozenset[str]) -> str:
    """SQL true for the leads whose ``column`` is among ``values`` (``UNKNOWN``: any value
    outside the vocabulary, or none): an index range where it can be."""
    known = {str(v) for v in _VOCABULARY[column]}
    if UNKNOWN not in values:
        return f"l.{column} IN ({_in(frozenset(values))})"
    if known <= values:
        return "1 = 1"
    return f"COALESCE(l.{column}, '') NOT IN ({_in(frozenset(known - values))})"


def _detailed(
    db: Database, batch: list[tuple[int, float]], params: dict[str, int], legal_since: int
) -> Iterator[Candidate]:
    if not batch:
        return
    ids = {f"i{n}": lead_id for n, (lead_id, _) in enumerate(batch)}
    sql = DETAILS_SQL + f" WHERE l.id IN ({placeholders(list(ids))})"
    found = {c.lead_id: c for c in _details(db.fetch(sql, {**params, **ids}))}
    _add_dials(db, found, legal_since)
    _add_listings(db, found)
    _add_consents(db, found)
    for lead_id, ceiling in batch:
        if (lead := found.get(lead_id)) is not None:  # None: removed meanwhile
            lead.ceiling = ceiling
            yield lead


def _legal_days(config: Config) -> int:
    """The longest frequency period of the profiles the configuration can apply."""
    days = [limit.days for limit in frequency_limits(config).values() if limit is not None]
    return max([*days, config.rules.attempts_days])


def _with_dials(db: Database, leads: Iterator[Candidate], since: int) -> Iterator[Candidate]:
    while batch := list(islice(leads, MAX_BATCH)):
        found = {c.lead_id: c for c in batch}
        _add_dials(db, found, since)
        _add_listings(db, found)
        _add_consents(db, found)
        yield from batch


def _add_dials(db: Database, leads: dict[int, Candidate], since: int) -> None:
    """Each lead's recent phone dials, for the rule profile's frequency limit, and its
    pickup record (``pickup.record``: one query a batch)."""
    if not leads:
        return
    for lead_id, counts in pickup_record.own_counts(db, list(leads)).items():
        leads[lead_id].pickup_own = counts
    ids = {f"i{n}": lead_id for n, lead_id in enumerate(leads)}
    times: dict[int, list[datetime]] = {}
    sql = DIALS_SQL.format(ids=placeholders(list(ids)))
    for lead_id, at in db.fetch(sql, {"legal_since": since, **ids}):
        times.setdefault(lead_id, []).append(datetime.fromtimestamp(at, UTC))
    for lead_id, found in times.items():
        leads[lead_id].dial_times = tuple(sorted(found))


def _add_listings(db: Database, leads: dict[int, Candidate]) -> None:
    """The do-not-call registries each lead's number is on: one indexed look-up per list for
    the batch (``compliance.listings.listed``), nothing when no list is loaded."""
    from warmcall.compliance.listings import listed

    found = listed(db, (c.phone_e164 for c in leads.values()))
    if found:
        for lead in leads.values():
            lead.listed = found.get(lead.phone_e164 or "", ())


def _add_consents(db: Database, leads: dict[int, Candidate]) -> None:
    """Each lead's consent records, for the consent in force at the plan's moment (its
    date, its expiry): one indexed read a batch. A lead with one record keeps the implied
    one (its consent since its creation), which says the same."""
    if not leads:
        return
    ids = {f"i{n}": lead_id for n, lead_id in enumerate(leads)}
    records: dict[int, list[ConsentRecord]] = {}
    for row in db.fetch(
        f"SELECT lead_id, {CONSENT_COLUMNS} FROM lead_consents "
        f"WHERE lead_id IN ({placeholders(list(ids))}) ORDER BY lead_id, at, id",
        ids,
    ):
        records.setdefault(row[0], []).append(consent_record(row[1:]))
    for lead_id, found in records.items():
        if len(found) > 1 or found[0].expires_at or found[0].basis or found[0].channel != "unknown":
            leads[lead_id].consents = tuple(found)


def _details(rows: Iterable[tuple[Any, ...]]) -> Iterator[Candidate]:
    """Candidates from the rows of ``DETAILS_SQL``."""
    when = _moment
    own = len(LEAD_FIELDS) + 1
    for row in rows:
        lead = dict(zip(LEAD_FIELDS, row[1:own], strict=True))
        for column in _MOMENTS:
            lead[column] = when(lead[column])
        (
            touch_at, touch_outcome, touch_channel, talk_at, talk_outcome,
            dials, unanswered, due_at, action, has_time,
        ) = row[own:]  # fmt: skip
        yield Candidate(
            lead_id=row[0],
            **lead,
            last_touch_at=when(touch_at),
            last_touch_outcome=touch_outcome,
            last_touch_channel=touch_channel,
            last_conversation_at=when(talk_at),
            last_conversation_outcome=talk_outcome,
            dials=dials,
            unanswered=unanswered,
            followup=None if due_at is None else Agreed(when(due_at), action, bool(has_time)),  # type: ignore[arg-type]
            pool_key=pickup_record.pool_key(lead["window"], lead["country"], lead["source"]),
        )


def _moment(seconds: int | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def plan_today(
    db: Database,
    now: datetime,
    config: Config,
    include_cold: bool = False,
    limit: int | None = 20,
    everything: bool = False,
    claim: bool = False,
) -> Plan:
    """Load and plan in one call: ``next`` runs it once, a calling session after each call.
    The plan carries the do-not-call lists its rows' profiles want fresher than they are.

    With ``claim``, the planned leads are claimed for the rep (``claims``): a lead a colleague
    claimed a moment before leaves the plan, and the plan is made again without it."""
    from warmcall.compliance.listings import stale_for

    # claims move neither the caller's day nor the book
    day, book = capacity(db, now, config), pickup_record.book(db, config, now)
    for _ in range(CLAIM_ROUNDS):
        made = plan(
            pool(db, now, config, everything=everything, include_cold=include_cold, book=book),
            now,
            config,
            include_cold=include_cold,
            limit=limit,
            capacity=day,
            book=book,
        )
        if not claim:
            break
        wanted = [
            (row.lead.lead_id, claims.day_end(now, _zones(row.lead, config))) for row in made.rows
        ]
        if not claims.claim(db, wanted, config.rep, now):
            break
    made.stale_registries = stale_for(db, [row.lead for row in made.rows], now, config)
    return made


def plan_for(
    db: Database, now: datetime, config: Config, lead_id: int, include_cold: bool, limit: int
) -> Plan:
    """The plan ``next LEAD`` narrows to one lead: the day's plan as ``next`` makes it, so the
    lead's slot is the one the caller's day gives it; a lead that plan does not reach (below
    the limit, or cold) is placed among every lead, cold ones included."""
    result = plan_today(db, now, config, include_cold=include_cold, limit=limit)
    if any(r.lead.lead_id == lead_id for r in result.rows):
        return result
    return plan_today(db, now, config, include_cold=True, limit=None, everything=True)


# The caller's own phone dials in a range of time, read through the (rep, at) index: on a
# team, a colleague's busy morning is no hour of this rep's; the implicit rep's calls (a store
# of one, or every call from before the store knew its reps) are everyone's, so a store of one
# counts every call as before.
_DIALS_BETWEEN = (
    "FROM calls WHERE rep IN (:rep, '') AND at >= :start AND at < :end AND channel = 'phone'"
)


# The caller's pace (``plan.capacity.rate_of``) summed by the store: each dial's gap to
# the caller's previous one on the same local day (``{day}``: its day's number), kept when
# shorter than a pause and counted at least as a short dial. Reading the dials of four weeks
# into Python instead took 0.3 s of a ``next`` on a busy book.
# At most the caller's ``PACE_DIALS`` newest dials say their pace: plenty of gaps, and a busy
# team's four weeks are not read whole (76,000 dials took 0.14 s).
PACE_DIALS = 2000
_PACE_FROM = f"SELECT at {_DIALS_BETWEEN} ORDER BY at DESC LIMIT 1 OFFSET {PACE_DIALS - 1}"
_PACE_SQL = """
SELECT COUNT(*), SUM(CASE WHEN g < :shortest THEN :shortest ELSE g END) FROM (
    SELECT at - LAG(at) OVER w AS g, ({day}) - LAG({day}) OVER w AS d
    {dials}
    WINDOW w AS (PARTITION BY rep ORDER BY at)
) s WHERE d = 0 AND g < :pause
"""


def capacity(db: Database, now: datetime, config: Config) -> Capacity:
    """The caller's hour by hour room today (``plan.capacity``): ``[user] dials_per_hour``,
    else their pace over the ``LEARN_DAYS`` days before today (``plan.capacity.rate_of``),
    else the default; and the dials already made today, by hour. The caller is ``config.rep``:
    their own dials and history, not the team's."""
    zone = config.zone
    today = now.astimezone(zone).date()
    start = local_datetime(today, time(0), zone)
    end = local_datetime(today + timedelta(days=1), time(0), zone)
    span = {"start": int(start.timestamp()), "end": int(end.timestamp()), "rep": config.rep}
    today_dials = db.fetch("SELECT at " + _DIALS_BETWEEN, span)
    spent = spent_by_band((datetime.fromtimestamp(at, UTC) for (at,) in today_dials), zone)
    rate, source = config.user.dials_per_hour, "config"
    if rate is None:
        days = [today - timedelta(days=n) for n in range(LEARN_DAYS, 0, -1)]
        midnights = [int(local_datetime(d, time(0), zone).timestamp()) for d in days]
        ends = [*midnights[1:], span["start"]]  # each day's end: the next midnight
        day = "CASE " + " ".join(f"WHEN at < {m} THEN {n}" for n, m in enumerate(ends))
        window = {**span, "start": midnights[0], "end": span["start"]}
        newest = next(iter(db.fetch(_PACE_FROM, window)), (midnights[0],))[0]
        count, total = next(iter(db.fetch(
            _PACE_SQL.format(day=day + f" ELSE {len(ends)} END", dials=_DIALS_BETWEEN),
            {**window, "start": max(midnights[0], newest),
             "pause": int(PAUSE.total_seconds()), "shortest": int(SHORTEST_DIAL.total_seconds())},
        )))  # fmt: skip
        rate, source = rate_of(int(count or 0), timedelta(seconds=int(total or 0))), "learned"
    if rate is None:
        rate, source = DEFAULT_DIALS_PER_HOUR, "default"
    yours = user_hours(config)
    hours = None if yours is None else (
        local_datetime(today, yours[0], zone), local_datetime(today, yours[1], zone)
    )  # fmt: skip
    return Capacity(rate, source, spent, hours=hours)


# Plans made again at most, when colleagues keep claiming the same leads at the same moment.
CLAIM_ROUNDS = 5


def team_plans(
    db: Database, now: datetime, config: Config, include_cold: bool = False, limit: int | None = 20
) -> list[tuple[str, Plan]]:
    """Every rep's plan today, for a manager (``next --team``), claiming nothing: the reps
    who own leads, hold claims or called in the last ``attempts_days``, by name, each with
    their own day (``capacity``: their dials today, their rate), as their own ``next`` plans
    it. A shared lead no one has claimed yet is on the first plan that takes it only."""
    from dataclasses import replace

    taken: set[int] = set()
    plans = []
    book = pickup_record.book(db, config, now)  # the leads' hours: the same for every rep
    for rep in reps(db, now, config):
        as_rep = replace(config, user=replace(config.user, rep=rep))
        day = capacity(db, now, as_rep)
        found = pool(db, now, as_rep, include_cold=include_cold)
        free = (c for c in found if isinstance(c, Horizon) or c.lead_id not in taken)
        made = plan(
            free, now, as_rep, include_cold=include_cold, limit=limit, capacity=day, book=book
        )
        taken.update(row.lead.lead_id for row in made.rows)
        plans.append((rep, made))
    return plans


def reps(db: Database, now: datetime, config: Config) -> list[str]:
    """The team as the store knows it: who owns leads, holds a claim or called lately."""
    since = now - timedelta(days=max(config.rules.attempts_days, 1))
    found = db.fetch(
        "SELECT owner FROM leads WHERE owner IS NOT NULL GROUP BY owner "
        "UNION SELECT rep FROM claims WHERE until_at > :now "
        "UNION SELECT rep FROM calls WHERE at >= :since AND rep <> ''",
        {"now": int(now.timestamp()), "since": int(since.timestamp())},
    )
    return sorted({rep for (rep,) in found})


def _zones(lead: Candidate, config: Config) -> tuple[str, ...]:
    return lead.whereabouts.zones if lead.whereabouts else (config.zone.key,)
