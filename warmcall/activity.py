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

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from itertools import islice

from warmcall.config import Config
from warmcall.models import CONVERSATIONS, UNANSWERED
from warmcall.plan.planner import Agreed, Candidate, Plan, ceiling_terms, plan
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
# whether a follow-up is open), best first: the planner reads leads in this order and stops
# as soon as no lead further down can enter the top ``limit``. ``d`` over-counts the calendar
# days since the last touch by up to two hours, so a DST change never makes it too low.
_D = "((:tomorrow + 7200 - COALESCE(MAX(c.at), l.created_at)) / 86400)"
CEILING_SQL = f"""
SELECT l.id,
  CASE WHEN EXISTS (SELECT 1 FROM followups f WHERE f.lead_id = l.id AND f.done_at IS NULL)
       THEN :c_followup ELSE 0 END
  + CASE l.temperature WHEN 'hot' THEN :c_hot WHEN 'warm' THEN :c_warm ELSE 0 END
  + (SELECT :c_per_day * CASE WHEN {_D} > :c_days_cap THEN :c_days_cap
                              WHEN {_D} > 0 THEN {_D} ELSE 0 END
            + CASE WHEN {_D} > :c_stale_days THEN :c_stale ELSE 0 END
            + CASE WHEN MAX(c.at) IS NULL THEN :c_never ELSE 0 END
     FROM calls c WHERE c.lead_id = l.id)
  + :c_rest AS ceiling
FROM leads l
"""
FIRST_BATCH = 256  # leads detailed at once; each batch doubles, up to MAX_BATCH
MAX_BATCH = 4096


def candidates(
    db: Database,
    now: datetime,
    config: Config,
    everything: bool = False,
    include_cold: bool = False,
) -> Iterator[Candidate]:
    """The leads the plan may consider as of ``now``.

    With ``everything`` (for ``next --all``): every lead, in id order. Otherwise only active
    leads (and warm or hot ones unless ``include_cold``), best possible score first, each
    with its ``ceiling``, detailed in growing batches as the planner pulls them.
    """
    zone = config.zone
    today = now.astimezone(zone).date()
    first_day = today - timedelta(days=max(config.rules.attempts_days, 1) - 1)
    since = local_datetime(first_day, time(0), zone)
    params = {"since": int(since.timestamp()), "kth": max(config.rules.max_attempts, 1) - 1}
    if everything:
        yield from _details(db, DETAILS_SQL + " ORDER BY l.id", params)
        return
    where = " WHERE l.status = 'active'"
    if not include_cold:
        where += " AND l.temperature <> 'cold'"
    tomorrow = local_datetime(today + timedelta(days=1), time(0), zone)
    ranked = db.rows(
        CEILING_SQL + where + " ORDER BY ceiling DESC, l.id",
        {"tomorrow": int(tomorrow.timestamp()), **ceiling_terms(config)},
    )
    size = FIRST_BATCH
    while batch := list(islice(ranked, size)):
        ids = {f"i{n}": lead_id for n, (lead_id, _) in enumerate(batch)}
        sql = DETAILS_SQL + f" WHERE l.id IN ({placeholders(list(ids))})"
        found = {c.lead_id: c for c in _details(db, sql, {**params, **ids})}
        for lead_id, ceiling in batch:
            if (lead := found.get(lead_id)) is not None:  # None: removed meanwhile
                lead.ceiling = ceiling
                yield lead
        size = min(size * 2, MAX_BATCH)


def _details(db: Database, sql: str, params: dict[str, int]) -> Iterator[Candidate]:
    when = _moment
    for (
        lead_id, name, company, phone, temperature, status, window, timezone,
        created_at, dnc_at, dnc_reason,
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
        candidates(db, now, config, everything=everything, include_cold=include_cold),
        now,
        config,
        include_cold=include_cold,
        limit=limit,
    )
