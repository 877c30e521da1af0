"""A calling session (``next --go``): which lead comes next, and what the session has done.

The CLI asks the questions and renders; this module decides. After every call the plan is
made again as of the session's clock, so the rules act at once (a voicemail rests the lead,
a conversation today takes it off the plan), and the next lead is rank 1 of that fresh plan
among the leads this session has not handled yet: a lead logged or skipped is not offered
again in the same session, even when the rules would allow it.

Only whom it may call *now* is offered: a row whose lawful slot is open. When nobody's is,
``upcoming`` names who opens next and when, and whether calling them early is lawful (only
their own window is closed, not the calling hours, day or a holiday of the rule profile).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from warmcall.calls import LoggedCall
from warmcall.compliance.rules import Calendar, Problem
from warmcall.config import Config
from warmcall.models import Outcome
from warmcall.pickup import record as pickup_record
from warmcall.plan.candidates import capacity
from warmcall.plan.candidates import pool as candidates
from warmcall.plan.planner import Plan, Row, plan
from warmcall.store.db import Database


@dataclass(frozen=True, slots=True)
class Summary:
    """The line a session ends on: ``3 calls logged · 1 meeting · 2 left for later``."""

    calls: int
    meetings: int
    conversations: int
    skipped: int
    left: int  # leads still to call today: the planned ones not reached, and those skipped


@dataclass(frozen=True, slots=True)
class Upcoming:
    """Nobody may be called now: who opens next, when, and whether going early is lawful."""

    row: Row
    opens_at: datetime
    early: bool  # may be called now: only the lead's own window is still closed
    problems: list[Problem]  # why not now (the window; and what forbids going early)


@dataclass
class Session:
    include_cold: bool = False
    limit: int | None = 20
    logged: list[LoggedCall] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # lead ids, in the order skipped
    drafted: set[int] = field(default_factory=set)  # leads whose call was kept as a draft
    plan: Plan | None = None  # the latest plan, of the leads not handled yet
    # The calls the session set out with: "3 of 20" counts against it, so the total does not
    # grow as each new plan brings in the lead that was 21st.
    planned: int | None = None

    @property
    def handled(self) -> set[int]:
        return {c.call.lead_id for c in self.logged} | set(self.skipped)

    def next_call(self, db: Database, now: datetime, config: Config) -> Row | None:
        """Plan again as of ``now`` and return the best row open now, or None when nobody
        may be called now (``upcoming`` then says who opens next).

        Handled leads are left out before the plan keeps its best ``limit`` rows, so
        skipping never hides a lead that ``next`` would show after those.
        """
        handled = self.handled
        pool = candidates(db, now, config, include_cold=self.include_cold)
        self.plan = plan(
            (c for c in pool if c.lead_id not in handled),
            now,
            config,
            include_cold=self.include_cold,
            limit=self.limit,
            capacity=capacity(db, now, config),  # the same day as ``next`` plans
            book=pickup_record.book(db, config),
        )
        if self.planned is None:
            self.planned = len(self.plan.rows)
        return next((r for r in self.plan.rows if r.slot_start <= now < r.slot_end), None)

    def position(self) -> tuple[int, int]:
        """``(n, total)`` for the lead shown now: the n-th of the calls the session set out
        with (more when the caller goes beyond them)."""
        n = len(self.handled) + 1
        return n, max(n, self.planned or 0)

    def upcoming(self, now: datetime, config: Config) -> Upcoming | None:
        """The lead of the latest plan whose slot opens first after ``now``, or None when
        nobody is left today."""
        later = [r for r in (self.plan.rows if self.plan else []) if r.slot_start > now]
        if not later:
            return None
        row = min(later, key=lambda r: (r.slot_start, -r.score, r.lead.lead_id))
        problems = Calendar(config).may_call(row.lead, now)
        early = all(p.code == "outside-window" for p in problems)
        return Upcoming(row, row.slot_start, early, problems)

    def record(self, logged: LoggedCall) -> None:
        self.logged.append(logged)

    def skip(self, lead_id: int) -> None:
        self.skipped.append(lead_id)

    def summary(self) -> Summary:
        outcomes = [c.call.outcome for c in self.logged]
        planned = 0
        if self.plan is not None:
            count = self.plan.callable
            planned = count if count is not None else len(self.plan.rows)
        return Summary(
            calls=len(outcomes),
            meetings=outcomes.count(Outcome.MEETING),
            conversations=sum(1 for o in outcomes if o.is_conversation),
            skipped=len(self.skipped),
            left=planned + len(self.skipped),
        )
