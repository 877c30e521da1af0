"""What the planner needs from the store, per lead, in one indexed query.

The planner is pure; this module asks the store for the lead's own fields and a summary of
its history — last touch, last conversation, the dials of the last ``rules.attempts_days``
calendar days, the open follow-up — as correlated sub-queries that each seek the
``(lead_id, at)`` index of ``calls`` (or ``(lead_id, done_at)`` of ``followups``). No call is
loaded into Python; 100,000 leads and a million calls answer in a fraction of a second.
Leads the plan never calls (dnc, won, lost, and cold unless asked) are filtered out in SQL
unless ``everything`` is asked for (``next --all`` shows them with their reason).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, time, timedelta
from itertools import islice

from warmcall.config import Config
from warmcall.models import CONVERSATIONS, UNANSWERED, Consent, Stage, Temperature
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
       (SELECT d.at FROM calls d
         WHERE d.lead_id = l.id AND d.at >= :since AND d.channel = 'phone'
         ORDER BY d.at DESC, d.id DESC LIMIT 1 OFFSET :kth),
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
    "(SELECT MAX(n.at) FROM calls n WHERE n.lead_id = l.id AND n.outcome = 'not-interested')"
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
CEILING_SQL = f"""
WITH l AS MATERIALIZED (
    SELECT l.id, l.temperature, l.stage, l.consent, l.created_at,
           (SELECT MAX(c.at) FROM calls c WHERE c.lead_id = l.id) AS last_at,
           {_DUE} AS followup
    FROM leads l {{where}})
SELECT l.id, {{bound}} AS ceiling FROM l
"""
# The most any lead without a due follow-up can score: the bound over every temperature,
# stage, consent and day count, touched or not (no lead's row needed).
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
SELECT MAX({bound}) FROM l
"""
# Phone dials inside the longest frequency period of the rule profiles, per lead of a batch.
DIALS_SQL = """
SELECT lead_id, at FROM calls
WHERE lead_id IN ({ids}) AND channel = 'phone' AND at >= :legal_since
"""
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
    params = {"since": int(since.timestamp()), "kth": max(config.rules.max_attempts, 1) - 1}
    legal_since = int((now - timedelta(days=_legal_days(config))).timestamp())
    if everything:
        yield from _with_dials(
            db, _details(db, DETAILS_SQL + " ORDER BY l.id", params), legal_since
        )
        return
    where = " WHERE l.status = 'active'"
    if not include_cold:
        where += " AND l.temperature <> 'cold'"
    tomorrow = local_datetime(today + timedelta(days=1), time(0), zone)
    bound_params = {"tomorrow": int(tomorrow.timestamp()), "since": params["since"]}
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
    """Lead ids with their ceilings, best first, in two tiers: the leads with a follow-up
    due (few, and usually the top of the plan), then a ``Horizon`` (the most any other lead
    can score, from the bound alone), then — only if the planner reads on — everyone else,
    merged with the rest of the first tier."""
    order = " ORDER BY ceiling DESC, l.id"
    first = list(
        db.rows(CEILING_SQL.format(bound=bound, where=f"{where} AND {_DUE_IDS}") + order, params)
    )
    horizon = _horizon(db, config, bound, params)
    n = 0
    while n < len(first) and first[n][1] >= horizon:
        yield first[n][0], first[n][1]
        n += 1
    yield Horizon(horizon)
    rest = db.rows(
        CEILING_SQL.format(bound=bound, where=f"{where} AND NOT {_DUE_IDS}") + order, params
    )
    yield from heapq.merge(first[n:], rest, key=lambda r: (-r[1], r[0]))


def _horizon(db: Database, config: Config, bound: str, params: dict[str, int]) -> float:
    def values(name: str, items: Iterable[object]) -> str:
        return " UNION ALL ".join(f"SELECT '{v}' AS {name}" for v in items)

    days = max(config.score.days_cap, config.rules.stale_days, 0) + 3
    if config.score.unanswered_each > 0 or days > HORIZON_DAYS:
        # a bound that counts a lead's calls, or a day count too long to walk (a config's
        # days_cap of 10**11): no horizon, every lead is read
        return float("inf")
    sql = HORIZON_SQL.format(
        days=days,
        temperatures=values("temperature", Temperature),
        stages=values("stage", Stage),
        consents=values("consent", Consent),
        bound=bound,
    )
    found = next(iter(db.rows(sql, params)), (None,))[0]
    return float("inf") if found is None else float(found)


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
    from warmcall.compliance.rules import _profile

    names = {config.compliance.profile, *config.compliance.countries.values()}
    return max([_profile(name).attempts_days for name in names] + [config.rules.attempts_days])


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
        dials, unanswered, kth_dial_at, due_at, action, has_time,
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
            kth_dial_at=when(kth_dial_at),
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
) -> Plan:
    """Load and plan in one call: ``next`` runs it once, a calling session after each call."""
    return plan(
        pool(db, now, config, everything=everything, include_cold=include_cold),
        now,
        config,
        include_cold=include_cold,
        limit=limit,
    )
