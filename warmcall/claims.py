"""Claims: a lead on one rep's plan today is on no other rep's (SPEC §8).

``next`` claims the leads it plans for the rep who runs it; a claim holds until the day ends
where the lead is (the last of its possible zones to reach midnight) or until a call is
logged on the lead, whoever logs it. Taking a claim is one statement per lead that the
database settles (``INSERT … ON CONFLICT … DO UPDATE … WHERE``: a claim still held by
another rep is left as it is), so two reps planning at the same moment never both get a lead,
without a lock held across the plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from warmcall.clock import to_epoch
from warmcall.store.db import Database, placeholders

# The leads a rep may plan: their own, the team's shared ones, and none another rep has
# claimed for today (``:rep``, ``:now`` are the rep and the moment, in epoch seconds). The
# claims held by others are read once (NOT IN: a hashed set), not once a lead.
OWNED = "(l.owner IS NULL OR l.owner = :rep)"
MINE = (
    f"{OWNED} AND l.id NOT IN (SELECT k.lead_id FROM claims k "
    "WHERE k.rep <> :rep AND k.until_at > :now)"
)

CLAIM_SQL = (
    "INSERT INTO claims (lead_id, rep, until_at) VALUES (:lead, :rep, :until) "
    "ON CONFLICT (lead_id) DO UPDATE SET rep = excluded.rep, until_at = excluded.until_at "
    "WHERE claims.rep = excluded.rep OR claims.until_at <= :now"
)


def params(rep: str, now: datetime) -> dict[str, object]:
    return {"rep": rep, "now": to_epoch(now)}


def day_end(now: datetime, zones: Sequence[str]) -> datetime:
    """When the day of ``now`` has ended in every one of ``zones``."""
    ends = []
    for name in zones:
        zone = ZoneInfo(name)
        tomorrow = now.astimezone(zone).date() + timedelta(days=1)
        ends.append(datetime.combine(tomorrow, time(0), zone))
    return max(ends)


def claim(
    db: Database, wanted: Iterable[tuple[int, datetime]], rep: str, now: datetime
) -> set[int]:
    """Claim each lead (with when its day ends) for ``rep``; returns the leads another rep
    holds (they must leave this rep's plan). The claims already the rep's are renewed."""
    rows = [
        {"lead": lead_id, "rep": rep, "until": to_epoch(until), "now": to_epoch(now)}
        for lead_id, until in wanted
    ]
    if not rows:
        return set()
    with db.transaction(exclusive=False):  # each claim row settles itself (ON CONFLICT)
        db.executemany(CLAIM_SQL, rows)
        ids = {f"i{n}": row["lead"] for n, row in enumerate(rows)}
        held = db.fetch(
            f"SELECT lead_id FROM claims WHERE lead_id IN ({placeholders(list(ids))}) "
            "AND rep <> :rep",
            {**ids, "rep": rep},
        )
        return {lead_id for (lead_id,) in held}


def release(db: Database, lead_id: int) -> None:
    """A call was logged on the lead: whoever planned it is done with it."""
    db.execute("DELETE FROM claims WHERE lead_id = :lead", {"lead": lead_id})


def claimants(db: Database, now: datetime) -> list[str]:
    """The reps who hold a claim now."""
    found = db.fetch(
        "SELECT DISTINCT rep FROM claims WHERE until_at > :now ORDER BY rep", {"now": to_epoch(now)}
    )
    return [rep for (rep,) in found]
