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
from datetime import UTC, datetime, time, timedelta
from itertools import islice

from warmcall import claims
from warmcall.compliance.rules import frequency_limits, frequency_since
from warmcall.config import Config
from warmcall.models import CONVERSATIONS, UNANSWERED, Consent, Outcome, Stage, Temperature
from warmcall.plan.planner import Agreed, Candidate, Horizon, Plan, plan
from warmcall.plan.score import bound_sql
from warmcall.plan.windows import local_datetime
from warmcall.store.db import Database, placeholders


def _in(values: frozenset[object]) -> str:
    """A literal ``IN`` list of our own vocabulary (never user input)."""
    return ", ".join(f"'{v}'" for v in sorted(str(v) for v in values))


_CONVERSATION = _in(CONVERSATIONS)  # type: ignore[arg-type]
_UNANSWERED = _in(UNANSWERED)  # type: ignore[arg-type]

# The lead's fields and its history, each sub-query a seek into one lead's slice of the
# (lead_id, at) index of calls (or (lead_id, done_at) of followups).
DETAILS_SQL = f"""
SELECT l.id, l.name, l.company, l.phone, l.temperature, l.status, l.window, l.timezone,
       l.created_at, l.dnc_at, l.dnc_reason,
       l.stage, l.consent, l.country, l.phone_e164, l.phone_flag, l.email,
       t.at, t.outcome, t.channel,
       c.at, c.outcome,
       (SELECT COUNT(*) FROM calls d
         WHERE d.lead_id = l.id AND d.at >= :since AND d.channel = 'phone'),
       (SELECT COUNT(*) FROM calls d
         WHERE d.lead_id = l.id AND d.at >= :since AND d.channel = 'phone'
           AND d.outcome IN ({_UNANSWERED})),
       f.due_at, f.action, f.has_time
FROM leads l
LEFT JOIN calls t ON t.id = (
    SELECT id FROM calls WHERE lead_id = l.id ORDER BY at DESC, id DESC LIMIT 1)
LEFT JOIN calls c ON c.id = (
    SELECT id FROM calls WHERE lead_id = l.id AND outcome IN ({_CONVERSATION})
    ORDER BY at DESC, id DESC LIMIT 1)
LEFT JOIN followups f ON f.id = (
    SELECT id FROM followups WHERE lead_id = l.id AND done_at IS NULL
    ORDER BY due_at, id LIMIT 1)
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
# ``followup`` is a follow-up due before tomorrow: one agreed for later excludes the lead.
_DUE = (
    "EXISTS (SELECT 1 FROM followups f WHERE f.lead_id = l.id AND f.done_at IS NULL "
    "AND f.due_at < :tomorrow)"
)
# The same, as a set read once from the small followups table (not a probe per lead).
_DUE_IDS = (
    "l.id IN (SELECT f.lead_id FROM followups f WHERE f.done_at IS NULL AND f.due_at < :tomorrow)"
)
# The same leads, read from the follow-ups (CROSS JOIN: in that order, on SQLite too).
_DUE_SOURCE = (
    "(SELECT DISTINCT f.lead_id FROM followups f WHERE f.done_at IS NULL "
    "AND f.due_at < :tomorrow) d CROSS JOIN leads l"
)
CEILING_SQL = """
WITH l AS MATERIALIZED (
    SELECT l.id, l.temperature, l.stage, l.consent, l.created_at,
           (SELECT MAX(c.at) FROM calls c WHERE c.lead_id = l.id) AS last_at,
           {followup} AS followup
    FROM {source} {where})
SELECT l.id, {bound} AS ceiling FROM l
"""
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
             1 = 0 AS followup
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
FIRST_BATCH = 128  # leads detailed at once; each batch doubles, up to MAX_BATCH
MAX_BATCH = 4096


def candidates(
    db: Database,
    now: datetime,
    config: Config,
    everything: bool = False,
    include_cold: bool = False,
) -> Iterator[Candidate]:
    """The leads the plan may consider as of ``now`` (see ``pool``), every one of them."""
    for found in pool(db, now, config, everything=everything, include_cold=include_cold):
        if isinstance(found, Candidate):
            yield found


def pool(
    db: Database,
    now: datetime,
    config: Config,
    everything: bool = False,
    include_cold: bool = False,
) -> Iterator[Candidate | Horizon]:
    """The leads the plan may consider as of ``now``, for ``plan`` to read as far as it needs.

    With a ``Horizon`` among them where the rest would need another query.

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
        yield from _with_dials(db, _details(db, sql, {**params, **mine}), legal_since)
        return
    where = f" WHERE l.status = 'active' AND {claims.MINE}"
    if not include_cold:
        where += " AND l.temperature <> 'cold'"
    tomorrow = local_datetime(today + timedelta(days=1), time(0), zone)
    bound_params = {"tomorrow": int(tomorrow.timestamp()), "since": params["since"], **mine}
    bound = bound_sql(config)
    size = FIRST_BATCH
    batch: list[tuple[int, float]] = []
    for item in _ranked(db, config, where, bound, bound_params):
        if isinstance(item, Horizon):
            yield from _detailed(db, batch, params, legal_since)
            batch = []
            yield item
            continue
        batch.append(item)
        if len(batch) >= size:
            yield from _detailed(db, batch, params, legal_since)
            batch = []
            size = min(size * 2, MAX_BATCH)
    yield from _detailed(db, batch, params, legal_since)


def _ranked(
    db: Database, config: Config, where: str, bound: str, params: dict[str, int]
) -> Iterator[tuple[int, float] | Horizon]:
    """Lead ids with their ceilings, best first (equal ones by id), read group by group.

    The leads with a follow-up due come first (few, and usually the top of the plan). The
    others are read one group at a time (``_groups``: a temperature, stage and consent), a
    group only once its best possible ceiling could come next, announced by a ``Horizon``
    (the most any lead not read yet can score) so that the planner can stop before the
    query: groups that cannot reach the top of the plan are never read."""
    order = " ORDER BY ceiling DESC, l.id"

    def ceilings(extra: str, followup: str, source: str = "leads l") -> Iterator[tuple[int, float]]:
        sql = CEILING_SQL.format(
            bound=bound, where=f"{where} AND {extra}", followup=followup, source=source
        )
        return _ties_by_id(db.rows(sql + order, params))

    groups = _groups(db, config, bound, params)
    # Each stream's next ceiling, best first: (-ceiling, lead id, stream number, stream).
    heads: list[tuple[float, int, int, Iterator[tuple[int, float]]]] = []

    def advance(stream: Iterator[tuple[int, float]], n: int) -> None:
        for lead_id, ceiling in stream:
            heapq.heappush(heads, (-ceiling, lead_id, n, stream))
            break

    advance(ceilings("l.id = d.lead_id", _DUE, _DUE_SOURCE), 0)
    opened = 0
    while True:
        while opened < len(groups) and (not heads or groups[opened][0] >= -heads[0][0] - 1e-9):
            ceiling, match = groups[opened]
            yield Horizon(ceiling)
            opened += 1
            advance(ceilings(f"NOT {_DUE_IDS} AND {match}", "1 = 0"), opened)
        if not heads:
            return
        negative, lead_id, n, stream = heapq.heappop(heads)
        yield lead_id, -negative
        advance(stream, n)


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
    for *walked, most in db.rows(sql, params):
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
    found = {c.lead_id: c for c in _details(db, sql, {**params, **ids})}
    _add_dials(db, found, legal_since)
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
        yield from batch


def _add_dials(db: Database, leads: dict[int, Candidate], since: int) -> None:
    """Each lead's recent phone dials, for the rule profile's frequency limit."""
    if not leads:
        return
    ids = {f"i{n}": lead_id for n, lead_id in enumerate(leads)}
    times: dict[int, list[datetime]] = {}
    sql = DIALS_SQL.format(ids=placeholders(list(ids)))
    for lead_id, at in db.rows(sql, {"legal_since": since, **ids}):
        times.setdefault(lead_id, []).append(datetime.fromtimestamp(at, UTC))
    for lead_id, found in times.items():
        leads[lead_id].dial_times = tuple(sorted(found))


def _details(db: Database, sql: str, params: dict[str, int]) -> Iterator[Candidate]:
    when = _moment
    for (
        lead_id, name, company, phone, temperature, status, window, timezone,
        created_at, dnc_at, dnc_reason, stage, consent, country, phone_e164, phone_flag, email,
        touch_at, touch_outcome, touch_channel, talk_at, talk_outcome,
        dials, unanswered, due_at, action, has_time,
    ) in db.rows(sql, params):  # fmt: skip
        yield Candidate(
            lead_id=lead_id,
            name=name,
            created_at=when(created_at),  # type: ignore[arg-type]
            company=company,
            phone=phone,
            temperature=temperature,
            status=status,
            window=window,
            timezone=timezone,
            dnc_at=when(dnc_at),
            dnc_reason=dnc_reason,
            stage=stage,
            consent=consent,
            country=country,
            phone_e164=phone_e164,
            phone_flag=phone_flag,
            email=email,
            last_touch_at=when(touch_at),
            last_touch_outcome=touch_outcome,
            last_touch_channel=touch_channel,
            last_conversation_at=when(talk_at),
            last_conversation_outcome=talk_outcome,
            dials=dials,
            unanswered=unanswered,
            followup=None if due_at is None else Agreed(when(due_at), action, bool(has_time)),  # type: ignore[arg-type]
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

    With ``claim``, the planned leads are claimed for the rep (``claims``): a lead a colleague
    claimed a moment before leaves the plan, and the plan is made again without it."""
    for _ in range(CLAIM_ROUNDS):
        made = plan(
            pool(db, now, config, everything=everything, include_cold=include_cold),
            now,
            config,
            include_cold=include_cold,
            limit=limit,
        )
        if not claim:
            return made
        wanted = [
            (row.lead.lead_id, claims.day_end(now, _zones(row.lead, config))) for row in made.rows
        ]
        if not claims.claim(db, wanted, config.rep, now):
            return made
    return made


# Plans made again at most, when colleagues keep claiming the same leads at the same moment.
CLAIM_ROUNDS = 5


def team_plans(
    db: Database, now: datetime, config: Config, include_cold: bool = False, limit: int | None = 20
) -> list[tuple[str, Plan]]:
    """Every rep's plan today, for a manager (``next --team``), claiming nothing: the reps
    who own leads, hold claims or called in the last ``attempts_days``, by name. A shared
    lead no one has claimed yet is on the first plan that takes it only."""
    from dataclasses import replace

    taken: set[int] = set()
    plans = []
    for rep in reps(db, now, config):
        as_rep = replace(config, user=replace(config.user, rep=rep))
        found = pool(db, now, as_rep, include_cold=include_cold)
        free = (c for c in found if isinstance(c, Horizon) or c.lead_id not in taken)
        made = plan(free, now, as_rep, include_cold=include_cold, limit=limit)
        taken.update(row.lead.lead_id for row in made.rows)
        plans.append((rep, made))
    return plans


def reps(db: Database, now: datetime, config: Config) -> list[str]:
    """The team as the store knows it: who owns leads, holds a claim or called lately."""
    since = now - timedelta(days=max(config.rules.attempts_days, 1))
    found = db.rows(
        "SELECT owner FROM leads WHERE owner IS NOT NULL GROUP BY owner "
        "UNION SELECT rep FROM claims WHERE until_at > :now "
        "UNION SELECT rep FROM calls WHERE at >= :since AND rep <> ''",
        {"now": int(now.timestamp()), "since": int(since.timestamp())},
    )
    return sorted({rep for (rep,) in found})


def _zones(lead: Candidate, config: Config) -> tuple[str, ...]:
    return lead.whereabouts.zones if lead.whereabouts else (config.zone.key,)
