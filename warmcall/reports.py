"""The weekly report: what a period of calling produced, beside the period before it.

A period is a run of whole days in the user's zone (an ISO week by default, or any ``from``–
``to`` days, both included). Its edges are local midnights turned into UTC epoch seconds in
Python, so a week that crosses a DST change still starts and ends at midnight; calls are put
into days in SQL by a ``CASE`` over the runs of days between the zone's offset changes, each
run a division by 86,400 (portable: SQLite and PostgreSQL). The SQL grows with the offset
changes in the range (none in most weeks, two a year), never with its days: a report from
1970 to 2100 is a few hundred comparisons, a few levels deep. Every figure is an aggregate
the database computes: the calls of the period are never loaded one by one. The current and
the previous period are read by the same queries: their calls come off one range of the
``(at, lead_id, channel, outcome, objections, temperature)`` index, index-only, and what is
asked lead by lead (the last touch, the dials before a dial) is a seek of the ``(lead_id,
at)`` index, in lead order. The cost grows with the periods' calls and with the leads, not
with the calls of other weeks. On SQLite, the frequency-rule pass and the period before's
counts (about half the work) run on a second connection at the same time as the rest
(``db.alongside``), so a two-core machine does both.

The period before carries every figure but none of the long lists: its ``overdue``,
``stale``, ``breaches``, ``warmed`` and ``cooled`` are counted (``overdue_count`` …), not
listed, which is all a comparison needs. The current period has both the lists and the
counts.

Definitions (the SPEC's words, made exact):

- *dial*: a touch on the ``phone`` channel; a *conversation* is a dial whose outcome is a
  conversation (connected, meeting, callback, not-interested, do-not-call).
- *meetings*: touches on any channel whose outcome is ``meeting`` (booked by e-mail counts).
- *follow-ups set*: created in the period; *kept* / *late*: closed in the period on or before
  their day / after it.
- *as of*: the end of the period, or ``now`` when that is earlier. ``overdue`` and ``stale``
  are judged at that moment, over active leads: overdue follow-ups were open then and past
  their time (a follow-up agreed for a day without a time is overdue once that day is over);
  stale leads are warm or hot leads whose last touch (or, never touched, their creation) is
  more than ``rules.stale_days`` calendar days before that moment's day.
- *warmed* / *cooled*: a lead whose temperature, as recorded by its last call in the period
  that recorded one, is higher / lower than the temperature it had before: the lead's own
  temperature just before the period's first such call (kept with every logged call), else
  the one recorded by its last earlier call, else (calls imported before either existed)
  the period's first recorded one. ``call log --temperature hot`` on a warm lead warms it.
- *breach* of the frequency rule (the lead's limit: its rule profile's, fr-b2c 4 dials in 30
  days, else ``[rules]``' ``max_attempts`` in ``attempts_days``): a dial in the period that
  ``compliance.rules.over_frequency`` forbids — at least that many dials of the same lead
  before it within that many calendar days of the lead's zone, its own day included (the
  rule ``next`` and ``call log`` apply). A dial that closed an
  agreed follow-up, or made on a day an agreed step was due (or overdue), is not a breach:
  the person asked for it (the same rule ``call log`` warns by).
- ``by_source`` / ``by_temperature`` group by the lead's source and current temperature.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from operator import attrgetter
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from warmcall.clock import iso, to_epoch
from warmcall.compliance.rules import (
    Calendar,
    Frequency,
    Problem,
    frequency_limit,
    frequency_limits,
    frequency_since,
    frequency_surely_since,
    over_frequency,
)
from warmcall.config import Config, Rules
from warmcall.errors import ConfigError, InvalidData
from warmcall.localtime.windows import local_datetime
from warmcall.models import CONVERSATIONS, Objection, Outcome, Temperature
from warmcall.store.db import Database, alongside, padded_chunks, placeholders

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NO_SOURCE = "(no source)"
HEAT = {Temperature.COLD: 0, Temperature.WARM: 1, Temperature.HOT: 2}

_WEEK = re.compile(r"^(\d{4})-?w(\d{1,2})$")


@dataclass(frozen=True)
class Period:
    """Whole days in the user's zone, ``start`` to ``end`` both included."""

    start: date
    end: date
    week: str | None = None  # "2026-W48" when the period is a week

    @cached_property
    def days(self) -> list[date]:
        """Every day of the period (made once: a report over decades asks several times)."""
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def before(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        length = (self.end - self.start).days + 1
        start = self.start - timedelta(days=length)
        return _week(start) if self.week else Period(start, self.start - timedelta(days=1))


@dataclass(slots=True)
class Results:
    dials: int = 0
    conversations: int = 0
    meetings: int = 0


@dataclass(slots=True)
class LeadRef:
    id: int
    name: str
    company: str | None


@dataclass(slots=True)
class Overdue:
    lead: LeadRef
    due_at: datetime
    has_time: bool
    action: str
    days_late: int  # calendar days between the due day and the as-of day


@dataclass(slots=True)
class Stale:
    lead: LeadRef
    temperature: str
    last_touch: datetime | None  # None: never touched
    days: int  # calendar days since the last touch (or since added)


@dataclass(slots=True)
class Breach:
    """A lead's dials in the period that broke one rule (``check``: ``compliance.checks``).
    Frequency: ``dials`` is the most inside one span; another rule: the dials that broke it,
    ``problem`` the last one's code and facts, as judged when it was logged."""

    lead: LeadRef
    dials: int  # the most dials inside one span (more than the rule allows)
    breaching_dials: int  # dials in the period made while the lead should have rested
    last_at: datetime
    days: int = 0  # the lead's limit: at most ``most`` dials in ``days`` calendar days
    most: int = 0
    profile: str | None = None  # the rule profile that set it; None: [rules]
    check: str = "frequency"
    problem: Problem | None = None


@dataclass(slots=True)
class TemperatureChange:
    lead: LeadRef
    before: str
    after: str


@dataclass
class Report:
    period: Period
    zone: ZoneInfo
    as_of: datetime  # the moment overdue and stale are judged at
    rules: Rules  # [rules]: the staleness rule; each breach carries its lead's own limit
    partial: bool = False  # figures stop at ``as_of``, before the period's end
    dials: int = 0
    conversations: int = 0
    meetings: int = 0
    touches: int = 0  # every channel
    followups_set: int = 0
    followups_kept: int = 0
    followups_late: int = 0
    by_day: dict[date, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, Results] = field(default_factory=dict)
    by_temperature: dict[str, Results] = field(default_factory=dict)
    objections: list[tuple[str, int]] = field(default_factory=list)
    warmed: list[TemperatureChange] = field(default_factory=list)
    cooled: list[TemperatureChange] = field(default_factory=list)
    overdue: list[Overdue] = field(default_factory=list)
    stale: list[Stale] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)
    # How many each list holds; the period before has these and leaves its lists empty.
    warmed_count: int = 0
    cooled_count: int = 0
    overdue_count: int = 0
    stale_count: int = 0
    breaches_count: int = 0
    previous: Report | None = None

    @property
    def connect_rate(self) -> float | None:
        return self.conversations / self.dials if self.dials else None

    @property
    def empty(self) -> bool:
        return self.touches == 0


# Periods ------------------------------------------------------------------------------------


def week_start_day(config: Config) -> int:
    """The configured first day of the week as a Python weekday (0 = Monday)."""
    name = config.report.week_start.strip().lower()
    for i, day in enumerate(WEEKDAYS):
        if name in (day, day[:3]):
            return i
    raise ConfigError(
        "report.week_start {week_start!r} is not a day of the week.",
        week_start=config.report.week_start,
    )


def week_of(day: date, config: Config) -> Period:
    """The week (starting on the configured day) that holds ``day``."""
    first = week_start_day(config)
    start = day - timedelta(days=(day.weekday() - first) % 7)
    return _week(start)


def week_named(text: str, today: date, config: Config) -> Period:
    """``2026-W47`` (ISO year and week), ``this`` or ``last``.

    With a week start other than Monday, week N is the seven days from that weekday on or
    before the Monday of ISO week N (a Sunday week holds the ISO week's Monday to Saturday).
    """
    raw = text.strip().lower()
    if raw in ("this", "current"):
        return week_of(today, config)
    if raw in ("last", "previous"):
        return week_of(today, config).before()
    match = _WEEK.match(raw)
    if not match:
        raise InvalidData(
            "Cannot read {text!r} as a week; try 2026-W47, 'this' or 'last'.", text=text
        )
    year, number = int(match.group(1)), int(match.group(2))
    outside = InvalidData(
        "{text!r} is not a week between 1970 and 2100, the years warmcall keeps.", text=text
    )
    if not 1970 <= year <= 2101:  # SPEC §6 (2101-W01 may hold the last days of 2100)
        raise outside
    try:
        monday = date.fromisocalendar(year, number, 1)
    except ValueError:
        raise InvalidData("{year} has no week {number}.", year=year, number=number) from None
    week = _week(monday - timedelta(days=(monday.weekday() - week_start_day(config)) % 7))
    if week.end < FIRST_DAY or week.start > LAST_DAY:
        raise outside
    return week


FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2100, 12, 31)  # the days warmcall keeps


def _week(start: date) -> Period:
    monday = start + timedelta(days=(7 - start.weekday()) % 7)
    return Period(start, start + timedelta(days=6), _week_label(monday))


def _week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def midnight(day: date, zone: ZoneInfo) -> int:
    """The epoch second a local day starts (after a DST gap at midnight, when it opens)."""
    return to_epoch(local_datetime(day, time(0, 0), zone))


# The report ---------------------------------------------------------------------------------

Spans = tuple[tuple[int, int], tuple[int, int]]  # (previous, current) as [lo, hi) epochs
Pair = tuple[Report, Report]  # (previous, current)


def weekly(
    db: Database, period: Period, config: Config, now: datetime, stale_listed: int | None = None
) -> Report:
    """The report for ``period`` in the user's zone, with ``previous`` for the period before.

    ``stale_listed``: list only that many stale leads, those stale longest (the head of the
    whole list); ``stale_count`` still counts them all. For a view that shows a few: a big
    store has tens of thousands, and reading them is most of a report's cost there.
    """
    zone = config.zone
    days, runs, n_prev, spans, reports = _frame(period, config, now)
    before, current = reports
    stale_days = config.rules.stale_days

    # About half the work, on a second connection: queries that keep the database busy and
    # return few rows. One that returns many (the stale list) takes the interpreter back for
    # every row, so two of those at once wait on each other (tried: slower than one).
    def breaches_and_counts(store: Database) -> None:
        _breaches(store, spans, config, reports, runs)
        _judged_breaches(store, spans, reports)
        before.overdue_count = _count(store, OVERDUE, _overdue_params(before.as_of, zone))
        before.stale_count = _count(store, STALE, _stale_params(before.as_of, zone, stale_days))

    with alongside(db, breaches_and_counts):
        _tally_calls(db, runs, days, n_prev, spans, reports)
        _followups(db, spans, reports)
        _temperatures(db, spans, reports)
        current.overdue = _overdue(db, current.as_of, zone)
        current.stale, current.stale_count = _stale(
            db, current.as_of, zone, stale_days, stale_listed
        )
    current.overdue_count = len(current.overdue)
    current.previous = before
    return current


def _frame(
    period: Period, config: Config, now: datetime
) -> tuple[list[date], list[Run], int, Spans, Pair]:
    """What a report of ``period`` (and the one before it) is counted over: its days, their
    runs of one offset, how many days the period before has, the spans, and the two reports
    to fill."""
    zone = config.zone
    prev = period.before()
    days = prev.days + period.days
    edges = _edges(days, zone)
    runs = _runs(edges)  # as many as the zone's offset changes: the SQL stays small
    n_prev = len(prev.days)
    spans = _spans(edges, n_prev, period, now.astimezone(zone))
    # A period not started yet still judges its lists now, not at its (empty) span's end.
    moments = (spans[0][1] - 1, max(spans[1][1], min(edges[-1], to_epoch(now) + 1)) - 1)
    reports = tuple(
        Report(p, zone, _moment(as_of, zone), config.rules, partial=as_of < end - 1,
               by_day={d: 0 for d in p.days})
        for p, as_of, end in zip((prev, period), moments, (edges[n_prev], edges[-1]), strict=True)
    )  # fmt: skip
    return days, runs, n_prev, spans, reports  # type: ignore[return-value]


def breaches(db: Database, period: Period, config: Config, now: datetime) -> list[Breach]:
    """The period's breaches as ``weekly`` lists them, without the rest of its report (the
    team's week needs only these: the stale and overdue lists cost far more on a big book),
    nor the period before's (an empty span: its dials are not read)."""
    _days, runs, _n_prev, spans, reports = _frame(period, config, now)
    current = spans[1]
    spans = ((current[0], current[0]), current)
    _breaches(db, spans, config, reports, runs)
    _judged_breaches(db, spans, reports)
    return reports[1].breaches


def _spans(edges: list[int], n_prev: int, period: Period, now: datetime) -> Spans:
    """The [lo, hi) epochs each period's figures cover (``now`` is in the user's zone).

    A period in progress is counted up to ``now``, and the period before up to the same day
    and time, so the two compare like for like (Wednesday 07:50 against Wednesday 07:50).
    """
    lo0, lo1, hi1 = edges[0], edges[n_prev], edges[-1]
    cut = to_epoch(now) + 1
    if cut >= hi1:
        return (lo0, lo1), (lo1, hi1)
    offset = (now.date() - period.start).days
    if offset < 0:  # not started yet
        return (lo0, lo0), (lo1, lo1)
    same_point = local_datetime(period.before().start + timedelta(offset), now.time(), now.tzinfo)
    return (lo0, to_epoch(same_point) + 1), (lo1, cut)


def _edges(days: list[date], zone: ZoneInfo) -> list[int]:
    """The local midnight that starts each day, and the one after the last (epoch seconds).

    A day is 86,400 seconds unless the zone's offset changes in it: each midnight is the one
    before plus a day when the offset is the same at both, and only the days of a change are
    worked out in full, so a century of days takes a fraction of a second."""
    if not days:
        return []

    def offset(epoch: int) -> int:
        found = datetime.fromtimestamp(epoch, zone).utcoffset()
        return int(found.total_seconds()) if found is not None else 0

    edges = [midnight(days[0], zone)]
    here = offset(edges[0])
    for day in days[1:] + [days[-1] + timedelta(days=1)]:
        last = edges[-1]
        guess = last + 86400
        at_midnight = (last + here) % 86400 == 0  # not the hour after a gap at midnight
        there = offset(guess)
        if at_midnight and there == here:
            edges.append(guess)
        else:
            edges.append(midnight(day, zone))
            there = offset(edges[-1])
        here = there
    return edges


# How many branches one ``CASE`` of a day tree tests before it nests another: the trees stay
# a few levels deep whatever the range (SQLite's parser refuses deep nesting), and a row is
# placed in a few dozen comparisons at most.
FANOUT = 16


@dataclass(frozen=True, slots=True)
class Run:
    """Days in a row from ``start`` to ``end`` (epochs), the first one's index ``first``:
    all 86,400 seconds long (``regular``), or the one day of an offset change."""

    start: int
    end: int
    first: int
    regular: bool

    @property
    def single(self) -> bool:
        return not self.regular or self.end - self.start == 86400


def _runs(edges: list[int]) -> list[Run]:
    """The periods' days as runs: as many as the zone's offset changes, not as the days."""
    runs: list[Run] = []
    for i in range(len(edges) - 1):
        start, end = edges[i], edges[i + 1]
        regular = end - start == 86400
        if regular and runs and runs[-1].regular:
            runs[-1] = Run(runs[-1].start, end, runs[-1].first, True)
        else:
            runs.append(Run(start, end, i, regular))
    return runs


def _day_tree(runs: list[Run], leaf: Callable[[Run], str], column: str) -> str:
    """SQL choosing ``leaf(run)`` for the run ``column`` falls in: a ``CASE`` over the runs'
    starts, nested ``FANOUT`` at a time (the runs and their numbers are our own integers)."""
    if len(runs) == 1:
        return leaf(runs[0])
    size = max(1, -(-len(runs) // FANOUT))
    while -(-len(runs) // size) > FANOUT:
        size *= FANOUT
    groups = [runs[i : i + size] for i in range(0, len(runs), size)]
    whens = " ".join(
        f"WHEN {column} < {later[0].start} THEN {_day_tree(group, leaf, column)}"
        for group, later in zip(groups, groups[1:], strict=False)
    )
    return f"CASE {whens} ELSE {_day_tree(groups[-1], leaf, column)} END"


def _bucket(runs: list[Run], column: str = "c.at") -> str:
    """SQL giving the index of the day ``column`` falls in, in as few comparisons as there
    are offset changes in the periods (none in most weeks), never one per day."""

    def index(run: Run) -> str:
        if run.single:
            return str(run.first)
        return f"({column} - {run.start}) / 86400 + {run.first}"

    return _day_tree(runs, index, column)


# Both periods' calls, as one range of the (at, …) index: [lo0, hi1) less the gap between a
# period in progress and the same point of the period before (empty for whole periods).
IN_SPANS = "c.at >= :lo0 AND c.at < :hi1 AND (c.at < :hi0 OR c.at >= :lo1)"


def _tally_calls(
    db: Database, runs: list[Run], days: list[date], n_prev: int, spans: Spans, reports: Pair
) -> None:
    """Dials, outcomes, sources, temperatures, objections: one grouped pass over the calls.

    Objections are few and stored as "price,timing": the pass counts each distinct list and
    they are split here (a LIKE per objection per call would cost more than the rest)."""
    sql = (
        f"SELECT {_bucket(runs)} AS day, c.outcome, c.channel, c.objections, l.source, "
        f"l.temperature, COUNT(*) FROM calls c JOIN leads l ON l.id = c.lead_id "
        f"WHERE {IN_SPANS} GROUP BY 1, 2, 3, 4, 5, 6"
    )
    conversations = {o.value for o in CONVERSATIONS}
    counted: list[Counter[str]] = [Counter(), Counter()]
    for report in reports:
        report.by_outcome = {o.value: 0 for o in Outcome}
        report.by_temperature = {t.value: Results() for t in Temperature}
    for day, outcome, channel, objections, source, temperature, n in db.rows(
        sql, _span_params(spans)
    ):
        which = 0 if day < n_prev else 1
        report = reports[which]
        report.touches += n
        if objections:
            for name in objections.split(","):
                counted[which][name.strip()] += n
        by_source = report.by_source.setdefault(source or NO_SOURCE, Results())
        by_temp = report.by_temperature.setdefault(temperature, Results())
        meetings = n if outcome == Outcome.MEETING else 0
        report.meetings += meetings
        by_source.meetings += meetings
        by_temp.meetings += meetings
        if channel != "phone":
            continue
        talks = n if outcome in conversations else 0
        report.dials += n
        report.conversations += talks
        report.by_day[days[day]] += n
        report.by_outcome[outcome] = report.by_outcome.get(outcome, 0) + n
        by_source.dials += n
        by_source.conversations += talks
        by_temp.dials += n
        by_temp.conversations += talks
    order = {o.value: i for i, o in enumerate(Objection)}
    for report, counter in zip(reports, counted, strict=True):
        report.by_source = dict(
            sorted(report.by_source.items(), key=lambda kv: (-kv[1].dials, -kv[1].meetings, kv[0]))
        )
        report.objections = sorted(counter.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99)))


def _followups(db: Database, spans: Spans, reports: Pair) -> None:
    """Follow-ups set (created) and closed kept or late, in each period."""
    parts = []
    for i in (0, 1):
        parts += [
            f"SUM(CASE WHEN created_at >= :lo{i} AND created_at < :hi{i} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN status = 'kept' AND done_at >= :lo{i} AND done_at < :hi{i} "
            "THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN status = 'late' AND done_at >= :lo{i} AND done_at < :hi{i} "
            "THEN 1 ELSE 0 END)",
        ]
    sql = (
        f"SELECT {', '.join(parts)} FROM followups "
        "WHERE (created_at >= :lo0 AND created_at < :hi1) OR (done_at >= :lo0 AND done_at < :hi1)"
    )
    row = next(db.rows(sql, _span_params(spans)))
    for i, report in enumerate(reports):
        report.followups_set, report.followups_kept, report.followups_late = (
            int(v or 0) for v in row[i * 3 : i * 3 + 3]
        )


def _temperatures(db: Database, spans: Spans, reports: Pair) -> None:
    """Warmed and cooled leads: each lead's temperature before and after, per period (the
    period before only counts them)."""

    def recorded(where: str, order: str, column: str = "temperature") -> str:
        return (
            f"(SELECT p.{column} FROM calls p WHERE p.lead_id = l.id "
            f"AND p.temperature IS NOT NULL AND {where} ORDER BY p.at {order}, p.id {order} "
            "LIMIT 1)"
        )

    columns = []
    for i in (0, 1):
        columns += [
            recorded(f"p.at >= :lo{i} AND p.at < :hi{i}", "ASC", "before_temperature"),
            recorded(f"p.at < :lo{i}", "DESC"),
            recorded(f"p.at >= :lo{i} AND p.at < :hi{i}", "ASC"),
            recorded(f"p.at >= :lo{i} AND p.at < :hi{i}", "DESC"),
        ]
    sql = (
        f"SELECT l.id, l.name, l.company, {', '.join(columns)} FROM leads l "
        "WHERE l.id IN (SELECT c.lead_id FROM calls c "
        f"WHERE c.temperature IS NOT NULL AND {IN_SPANS}) ORDER BY l.name, l.id"
    )
    current = reports[1]
    for lead_id, name, company, *temps in db.rows(sql, _span_params(spans)):
        for i, report in enumerate(reports):
            had, earlier, first, last = temps[i * 4 : i * 4 + 4]
            start = had or earlier or first
            if last is None or start is None:
                continue
            change = HEAT[Temperature(last)] - HEAT[Temperature(start)]
            if change > 0:
                report.warmed_count += 1
            elif change < 0:
                report.cooled_count += 1
            if change and report is current:
                lead = LeadRef(lead_id, name, company)
                changes = current.warmed if change > 0 else current.cooled
                changes.append(TemperatureChange(lead, start, last))


def _day_end(runs: list[Run], column: str) -> str:
    """SQL giving the local midnight that ends the day ``column`` falls in (``_bucket``'s
    tree, answering the day's end instead of its index)."""

    def end(run: Run) -> str:
        if run.single:
            return str(run.end)
        return f"{run.start} + (({column} - {run.start}) / 86400 + 1) * 86400"

    return _day_tree(runs, end, column)


def _breaches(
    db: Database, spans: Spans, config: Config, reports: Pair, runs: list[Run] | None = None
) -> None:
    """Leads dialled while the frequency rule had them resting (see the module docstring);
    the period before only counts them. Each dial is judged by ``over_frequency``, under its
    lead's own limit (``call log`` and ``next`` ask the same); the database only picks the
    suspects: dials with at least the smallest limit's count of dials before them within the
    longest limit's days (and a margin for the zones)."""
    every = frequency_limits(config)
    limits = [limit for limit in every.values() if limit is not None]
    if not limits:
        return
    # One limit for every lead (a configuration without profiles of their own): no lead's
    # profile need be looked for.
    single = limits[0] if len(set(every.values())) == 1 else None
    # A dial on an agreed step due that day (or overdue) breaks nothing, as at log time: the
    # person asked for it (``calls.frequency_warnings``).
    due = "0 = 1"
    if runs:
        due = (
            "(u.created_at <= b.at AND (u.done_at IS NULL OR u.done_at >= b.at) "
            f"AND u.due_at < {_day_end(runs, 'b.at')})"
        )
    epoch = datetime.fromtimestamp(0, UTC)

    def span_of(days: int) -> int:  # a limit's days and a margin for the zones, in seconds
        return int((epoch - frequency_since(epoch, days)).total_seconds())

    span = span_of(max(limit.days for limit in limits))
    # A dial is suspect when, for some limit, its earlier phone dials within that limit's
    # span reach the limit's count (3 in 14 days, 4 in 30: a dial after 3 in 30 days breaks
    # neither when the 3 are spread over the month).
    reaches = " OR ".join(
        f"SUM(CASE WHEN p.at > d.at - {span_of(days)} THEN 1 ELSE 0 END) >= {most}"
        for most, days in sorted({(limit.most, limit.days) for limit in limits})
    )
    # First the suspect leads, in one grouped pass over the (at, …) index alone: of the leads
    # with a phone dial in the periods, those with more touches than the smallest limit
    # allows over the periods and the longest limit's days before them (no dial of any other
    # lead can have more in its own window). Judging each of the periods' dials by a look-up
    # of its own took 2.6 s of a team's week on PostgreSQL (191,000 dials); counting every
    # lead of those days, not only the periods' (a million touches), spilled PostgreSQL's
    # count to disk. Then the suspects' dials, in lead order, so the look-ups that follow
    # walk the (lead_id, at) index from one lead to the next: first the touches in the span
    # before each dial (the index alone), then, only for the dials still suspect, their
    # earlier dials counted exactly, phone only, which reads the rows (0 when no limit is
    # reached). MATERIALIZED keeps the database from copying those counts into every place
    # the outer query names them (which would run them again). The breaching leads' names
    # are looked up one by one: a join let PostgreSQL, which cannot tell how few dials
    # breach, hash the whole leads table (a second on a million leads) for a few hundred
    # names.
    sql = (
        "WITH s AS MATERIALIZED (SELECT t.lead_id FROM calls t "
        "  WHERE t.at > :since AND t.at < :hi1 AND t.lead_id IN (SELECT c.lead_id FROM calls c "
        f"  WHERE c.channel = 'phone' AND {IN_SPANS}) GROUP BY t.lead_id HAVING COUNT(*) > :max), "
        "d AS MATERIALIZED (SELECT c.id, c.lead_id, c.at FROM s JOIN calls c "
        f"  ON c.lead_id = s.lead_id WHERE c.channel = 'phone' AND {IN_SPANS} "
        "  ORDER BY c.lead_id, c.at), "
        "b AS MATERIALIZED (SELECT d.id, d.lead_id, d.at, "
        "  CASE WHEN (SELECT COUNT(*) FROM calls t WHERE t.lead_id = d.lead_id "
        "             AND t.at > d.at - :span AND t.at <= d.at) > :max "
        f"  THEN (SELECT CASE WHEN {reaches} THEN COUNT(*) ELSE 0 END FROM calls p "
        "        WHERE p.lead_id = d.lead_id AND p.channel = 'phone' AND p.at > d.at - :span "
        "        AND (p.at < d.at OR (p.at = d.at AND p.id < d.id))) "
        "  ELSE 0 END AS earlier FROM d) "
        "SELECT b.id, b.lead_id, b.at, CASE WHEN b.at >= :lo1 THEN 1 ELSE 0 END, b.earlier, "
        + (
            "  (SELECT COUNT(*) FROM calls s WHERE s.lead_id = b.lead_id AND s.channel = 'phone' "
            "   AND s.at >= b.at - :sure AND (s.at < b.at OR (s.at = b.at AND s.id < b.id))), "
            if single
            else "0, "  # only a single limit settles a dial here
        )
        + "  (SELECT l.name FROM leads l WHERE l.id = b.lead_id), "
        "  (SELECT l.company FROM leads l WHERE l.id = b.lead_id) "
        "FROM b WHERE b.earlier >= :max AND NOT EXISTS (SELECT 1 FROM followups u "
        "  WHERE u.lead_id = b.lead_id AND ((u.done_call_id = b.id "
        "  AND u.status IN ('kept', 'late')) OR " + due + ")) "
        "ORDER BY b.lead_id, b.at, b.id"
    )
    # With one limit for all, a dial with as many earlier dials surely in its window as
    # possibly in it is settled without its lead's zone; the others are judged one by one.
    sure_span = single and epoch - frequency_surely_since(epoch, single.days)
    params = {
        **_span_params(spans),
        "since": spans[0][0] - span,
        "span": span,
        "max": min(lim.most for lim in limits),
        "sure": int(sure_span.total_seconds()) if sure_span else 0,
    }
    verdicts: list[tuple[int, LeadRef, Frequency, int, int, int]] = []
    suspects: dict[int, list[tuple[int, int, int]]] = {}
    for call_id, lead_id, at, which, earlier, surely, name, company in db.rows(sql, params):
        if single is not None and surely == earlier:
            verdicts.append(
                (lead_id, LeadRef(lead_id, name, company), single, which, earlier + 1, at)
            )
        else:
            suspects.setdefault(lead_id, []).append((call_id, at, which))
    calendar = Calendar(config)
    ids = list(suspects)
    for start in range(0, len(ids), JUDGED_BATCH):
        batch = ids[start : start + JUDGED_BATCH]
        verdicts += _judged(db, {i: suspects[i] for i in batch}, span, calendar, single)
    _listed(verdicts, reports)


def _listed(verdicts: list[tuple[int, LeadRef, Frequency, int, int, int]], reports: Pair) -> None:
    """The breaching dials (lead id, lead, its limit, current period or not, dials in the
    window with it, its time) as one breach per lead of the current period, and the number of
    leads that breached in the period before."""
    before, current = reports
    leads: dict[int, Breach] = {}
    earlier: set[int] = set()
    for lead_id, lead, limit, which, count, at in verdicts:
        if not which:
            earlier.add(lead_id)
            continue
        moment = _moment(at, current.zone)
        found = leads.get(lead_id)
        if found is None:
            leads[lead_id] = Breach(lead, count, 1, moment, limit.days, limit.most, limit.profile)
            continue
        found.dials, found.breaching_dials = max(found.dials, count), found.breaching_dials + 1
        found.last_at = max(found.last_at, moment)
    before.breaches_count += len(earlier)
    current.breaches = sorted(leads.values(), key=lambda b: (-b.dials, -b.last_at.timestamp()))
    current.breaches_count = len(current.breaches)


# The dials of both periods kept with a broken check (``calls.broken``, by its index).
_BROKEN = (
    "SELECT c.lead_id, c.at, c.checks, l.name, l.company FROM calls c "
    f"JOIN leads l ON l.id = c.lead_id WHERE c.broken IS NOT NULL AND {IN_SPANS} "
    "ORDER BY c.at, c.id"
)


def _judged_breaches(db: Database, spans: Spans, reports: Pair) -> None:
    """The other rules' breaches (hours, day, holiday, consent, rest, and any check a room
    adds): the dials of the period whose verdict, kept when they were logged under the lead's
    profile in force then (``compliance.checks``), broke them — one breach per lead and
    check, after the frequency ones. Frequency is judged for every dial above, older and
    imported ones included, so its kept verdict is not counted twice."""
    from warmcall.compliance.checks import check_of, loads

    before, current = reports
    lo1 = spans[1][0]
    found: dict[tuple[int, str], Breach] = {}
    earlier: set[tuple[int, str]] = set()
    for lead_id, at, checks, name, company in db.rows(_BROKEN, _span_params(spans)):
        verdict = loads(checks)
        if verdict is None:
            continue
        for problem in verdict.broken:
            check = check_of(problem.code)
            if check == "frequency":
                continue
            key = (lead_id, check)
            if at < lo1:
                earlier.add(key)
                continue
            moment = _moment(at, current.zone)
            item = found.get(key)
            if item is None:
                lead = LeadRef(lead_id, name, company)
                found[key] = Breach(lead, 1, 1, moment, profile=verdict.profile, check=check,
                                    problem=problem)  # fmt: skip
                continue
            if item.last_at != moment:  # one dial may break a check twice (two zones)
                item.dials = item.breaching_dials = item.dials + 1
            item.last_at, item.problem, item.profile = moment, problem, verdict.profile
    before.breaches_count += len(earlier)
    current.breaches += sorted(found.values(), key=lambda b: (-b.last_at.timestamp(), b.check))
    current.breaches_count = len(current.breaches)


JUDGED_BATCH = 500  # suspect leads read at once (their fields, then their dials)
_JUDGED_LEADS = (
    "SELECT id, name, company, country, phone_e164, timezone, email, segment, region "
    "FROM leads WHERE id IN ({ids})"
)
_JUDGED_DIALS = (
    "SELECT lead_id, id, at FROM calls WHERE lead_id IN ({ids}) AND channel = 'phone' "
    "AND at > :since AND at <= :until ORDER BY lead_id, at, id"
)


def _judged(
    db: Database,
    suspects: dict[int, list[tuple[int, int, int]]],
    span: int,
    calendar: Calendar,
    single: Frequency | None,
) -> Iterator[tuple[int, LeadRef, Frequency, int, int, int]]:
    """Suspect dials (id, time, current period or not) of a batch of leads, judged by
    ``over_frequency`` under each lead's own limit in its zone: each breaching dial as
    ``_listed`` reads it."""
    names = {f"i{n}": lead_id for n, lead_id in enumerate(suspects)}
    marks = placeholders(list(names))
    rows = {r[0]: r for r in db.rows(_JUDGED_LEADS.format(ids=marks), names)}
    first = min(d[1] for dials in suspects.values() for d in dials) - span
    last = max(d[1] for dials in suspects.values() for d in dials)
    dials: dict[int, list[tuple[int, int]]] = {}
    for lead_id, call_id, at in db.rows(
        _JUDGED_DIALS.format(ids=marks), {**names, "since": first, "until": last}
    ):
        dials.setdefault(lead_id, []).append((at, call_id))
    for lead_id, judged in suspects.items():
        row = rows.get(lead_id)
        if row is None:  # removed meanwhile
            continue
        lead_id, name, company, country, phone_e164, timezone, email, segment, region = row
        lead = SimpleNamespace(
            country=country, phone_e164=phone_e164, timezone=timezone, email=email,
            segment=segment, region=region,
        )  # fmt: skip
        zone = calendar.zone(lead)
        mine = dials.get(lead_id, [])  # (at, id), in order
        ref = LeadRef(lead_id, name, company)
        for call_id, at, which in judged:
            moment = datetime.fromtimestamp(at, UTC)
            # The profile as in force at the dial: a dated rule judges the dials of its time.
            profile = None if single else calendar.profile(lead, moment)
            limits = [single] if single else [frequency_limit(profile, calendar.config.rules)]
            if profile is not None:  # a region's limit beside it (us-fl: 3 in 2 days)
                limits += [Frequency(most, days, profile.name) for most, days in profile.also]
            low, high = bisect_right(mine, (at - span, 1 << 62)), bisect_left(mine, (at, call_id))
            earlier = [datetime.fromtimestamp(t, UTC) for t, _ in mine[low:high]]
            for limit in limits:
                over = None if limit is None else over_frequency(earlier, moment, limit, zone)
                if limit is not None and over is not None:
                    yield lead_id, ref, limit, which, over.dials + 1, at
                    break


# The follow-ups overdue at ``:as_of``: open then and past their time (a follow-up for a day
# without a time is overdue once that day, starting at ``:day_start``, is over).
OVERDUE = (
    "FROM followups f JOIN leads l ON l.id = f.lead_id "
    "WHERE l.status = 'active' AND f.created_at <= :as_of "
    "AND (f.done_at IS NULL OR f.done_at > :as_of) "
    "AND f.due_at < CASE WHEN f.has_time THEN :as_of ELSE :day_start END"
)
# The stale leads at ``:as_of``: active, warm or hot, not touched from ``:before`` (local
# midnight ``stale_days`` days before) on, and touched before it or added before it. NOT
# EXISTS is one seek of the (lead_id, at) index per lead, in lead order.
STALE = (
    "FROM leads l WHERE l.status = 'active' AND l.temperature IN ('warm', 'hot') "
    "AND l.created_at <= :as_of AND NOT EXISTS (SELECT 1 FROM calls c "
    " WHERE c.lead_id = l.id AND c.at >= :before AND c.at <= :as_of) "
    "AND (l.created_at < :before OR EXISTS (SELECT 1 FROM calls c "
    " WHERE c.lead_id = l.id AND c.at < :before)) "
    # a step agreed for later (open then, not yet due) is not neglect: it is the plan
    "AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.lead_id = l.id "
    " AND f.created_at <= :as_of AND (f.done_at IS NULL OR f.done_at > :as_of) "
    " AND f.due_at >= CASE WHEN f.has_time THEN :as_of ELSE :day_start END)"
)


def _overdue_params(as_of: datetime, zone: ZoneInfo) -> dict[str, int]:
    return {"as_of": to_epoch(as_of), "day_start": midnight(as_of.astimezone(zone).date(), zone)}


def _stale_params(as_of: datetime, zone: ZoneInfo, stale_days: int) -> dict[str, int]:
    day = as_of.astimezone(zone).date()
    return {
        "as_of": to_epoch(as_of),
        "before": midnight(day - timedelta(stale_days), zone),
        "day_start": midnight(day, zone),
    }


def _count(db: Database, rows: str, params: dict[str, int]) -> int:
    """How many rows ``rows`` (a ``FROM … WHERE …``) holds, counted by the database."""
    return int(next(db.rows(f"SELECT COUNT(*) {rows}", params))[0])


def _overdue(db: Database, as_of: datetime, zone: ZoneInfo) -> list[Overdue]:
    """Follow-ups of active leads that were open at ``as_of`` and past their time."""
    day = as_of.astimezone(zone).date()
    sql = (
        "SELECT f.lead_id, l.name, l.company, f.due_at, f.has_time, f.action "
        f"{OVERDUE} ORDER BY f.due_at, f.id"
    )
    found = []
    for lead_id, name, company, due_at, has_time, action in db.rows(
        sql, _overdue_params(as_of, zone)
    ):
        due = _moment(due_at, zone)
        late = (day - due.date()).days
        found.append(Overdue(LeadRef(lead_id, name, company), due, bool(has_time), action, late))
    return found


def _stale(
    db: Database, as_of: datetime, zone: ZoneInfo, stale_days: int, limit: int | None = None
) -> tuple[list[Stale], int]:
    """Active warm and hot leads with no touch for more than ``stale_days`` days at ``as_of``,
    longest first, then by lead (tens of thousands on a big store: kept lean), and how many
    there are; only the first ``limit`` are listed when it is given."""
    today = as_of.astimezone(zone).toordinal()
    sql = (
        "SELECT l.id, l.name, l.company, l.temperature, l.created_at, "
        f"(SELECT MAX(c.at) FROM calls c WHERE c.lead_id = l.id AND c.at < :before) AS last_at "
        f"{STALE}"
    )
    if limit is None:
        sql += " ORDER BY l.id"
    else:  # oldest touch first (stale longest first, up to ties within a day), all counted
        sql = (
            f"SELECT s.*, COUNT(*) OVER () FROM ({sql}) s "
            "ORDER BY COALESCE(s.last_at, s.created_at), s.id"
        )
    moment = datetime.fromtimestamp
    found: list[Stale] = []
    total = 0
    for lead_id, name, company, temperature, created_at, last_at, *count in db.rows(
        sql, _stale_params(as_of, zone, stale_days)
    ):
        if last_at is None:  # never touched: stale since it was added
            last, since = None, moment(created_at, zone)
        else:
            last = since = moment(last_at, zone)
        days = today - since.toordinal()
        if limit is not None:
            total = count[0]
            if len(found) >= limit and (not found or days < found[-1].days):
                break  # every lead stale as long as the last one kept is in
        lead = LeadRef(lead_id, name, company)
        found.append(Stale(lead, temperature, last, days))
    if limit is None:
        found.sort(key=attrgetter("days"), reverse=True)  # stable: by lead within a day count
        return found, len(found)
    found.sort(key=lambda s: (-s.days, s.lead.id))
    return found[:limit], total


def _span_params(spans: Spans) -> dict[str, int]:
    (lo0, hi0), (lo1, hi1) = spans
    return {"lo0": lo0, "hi0": hi0, "lo1": lo1, "hi1": hi1}


def _moment(seconds: int, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(seconds, zone)


# Plain data for scripts ---------------------------------------------------------------------


def as_json(report: Report) -> dict[str, Any]:
    """The report as one JSON-ready object (snake_case keys, ISO dates, timestamps with offset):
    the figures, the lists that ask for action, and ``previous`` with the figures alone."""
    # The lists' moments were made from whole epoch seconds in the report's zone (``_moment``):
    # their ``isoformat()`` is the text ``iso()`` would give, without its conversion and
    # argument parsing, which count when a big store lists tens of thousands of them.
    data = _figures_json(report)
    data["warmed"] = [
        {"lead_id": c.lead.id, "name": c.lead.name, "company": c.lead.company,
         "before": c.before, "after": c.after}
        for c in report.warmed
    ]  # fmt: skip
    data["cooled"] = [
        {"lead_id": c.lead.id, "name": c.lead.name, "company": c.lead.company,
         "before": c.before, "after": c.after}
        for c in report.cooled
    ]  # fmt: skip
    data["overdue"] = [
        {"lead_id": o.lead.id, "name": o.lead.name, "company": o.lead.company,
         "due_at": o.due_at.isoformat(), "has_time": o.has_time,
         "action": o.action, "days_late": o.days_late}
        for o in report.overdue
    ]  # fmt: skip
    data["stale"] = [
        {"lead_id": s.lead.id, "name": s.lead.name, "company": s.lead.company,
         "temperature": s.temperature,
         "last_touch_at": s.last_touch.isoformat() if s.last_touch else None,
         "days": s.days}
        for s in report.stale
    ]  # fmt: skip
    data["breaches"] = [_breach_json(b) for b in report.breaches]
    if report.previous is not None:
        data["previous"] = _figures_json(report.previous)
    return data


def _breach_json(breach: Breach) -> dict[str, Any]:
    """A breach: the lead, the ``check`` it broke, its dials and the rule: the frequency
    limit, or the last breaking dial's ``code`` and facts (``compliance.checks``)."""
    from warmcall.compliance.checks import problem_record

    rule: dict[str, Any]
    if breach.problem is None:
        rule = {"max_attempts": breach.most, "attempts_days": breach.days,
                "profile": breach.profile}  # fmt: skip
    else:
        rule = {"profile": breach.profile, **problem_record(breach.problem)}
        del rule["check"]
    return {
        "lead_id": breach.lead.id, "name": breach.lead.name, "company": breach.lead.company,
        "check": breach.check, "dials": breach.dials, "breaching_dials": breach.breaching_dials,
        "last_at": breach.last_at.isoformat(), "rule": rule,
    }  # fmt: skip


def _figures_json(report: Report) -> dict[str, Any]:
    zone = report.zone

    def results(r: Results) -> dict[str, int]:
        return {"dials": r.dials, "conversations": r.conversations, "meetings": r.meetings}

    return {
        "period": {
            "start": report.period.start.isoformat(),
            "end": report.period.end.isoformat(),
            "week": report.period.week,
            "timezone": zone.key,
            "as_of": iso(report.as_of, zone),
        },
        "dials": report.dials,
        "conversations": report.conversations,
        "connect_rate": None if report.connect_rate is None else round(report.connect_rate, 4),
        "meetings": report.meetings,
        "touches": report.touches,
        "followups_set": report.followups_set,
        "followups_kept": report.followups_kept,
        "followups_late": report.followups_late,
        "overdue_count": report.overdue_count,
        "stale_count": report.stale_count,
        "breaches_count": report.breaches_count,
        "warmed_count": report.warmed_count,
        "cooled_count": report.cooled_count,
        "by_day": {d.isoformat(): n for d, n in report.by_day.items()},
        "by_outcome": report.by_outcome,
        "by_source": {k: results(v) for k, v in report.by_source.items()},
        "by_temperature": {k: results(v) for k, v in report.by_temperature.items()},
        "objections": [{"objection": name, "count": n} for name, n in report.objections],
        "rules": {
            "max_attempts": report.rules.max_attempts,
            "attempts_days": report.rules.attempts_days,
            "stale_days": report.rules.stale_days,
        },
    }


# The team's week (SPEC §8) ------------------------------------------------------------------


@dataclass(slots=True)
class RepWeek:
    """One rep's figures in a period: their own dials and the steps they agreed."""

    rep: str  # '' : the implicit rep (calls logged before the store knew its reps)
    dials: int = 0
    conversations: int = 0
    meetings: int = 0
    followups_set: int = 0
    followups_kept: int = 0
    breaches: int = 0  # leads over the frequency rule whose last breaching dial was theirs

    @property
    def connect_rate(self) -> float | None:
        return self.conversations / self.dials if self.dials else None


@dataclass
class TeamWeek:
    period: Period
    reps: list[RepWeek]


# Each rep's calls and steps in [lo, hi): one grouped pass over each table (calls by the
# (at, …) index; ``rep`` read from the row).
_TEAM_CALLS = (
    "SELECT c.rep, c.channel, c.outcome, COUNT(*) FROM calls c "
    "WHERE c.at >= :lo AND c.at < :hi GROUP BY 1, 2, 3"
)
_TEAM_STEPS = (
    "SELECT rep, SUM(CASE WHEN created_at >= :lo AND created_at < :hi THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN status = 'kept' AND done_at >= :lo AND done_at < :hi THEN 1 ELSE 0 END) "
    "FROM followups WHERE (created_at >= :lo AND created_at < :hi) "
    "OR (done_at >= :lo AND done_at < :hi) GROUP BY rep"
)


def team(
    db: Database, period: Period, config: Config, now: datetime, rep: str | None = None
) -> TeamWeek:
    """Each rep's week (``report --team``), or one rep's (``rep``, ``report --rep``), by name.
    A breach counts for the rep who made the lead's last dial over the rule."""
    zone = config.zone
    span = {"lo": midnight(period.start, zone), "hi": midnight(period.end + timedelta(1), zone)}
    found: dict[str, RepWeek] = {}

    def of(name: str) -> RepWeek:
        return found.setdefault(name, RepWeek(name))

    conversations = {o.value for o in CONVERSATIONS}
    for name, channel, outcome, n in db.rows(_TEAM_CALLS, span):
        week = of(name)
        if outcome == Outcome.MEETING:
            week.meetings += n
        if channel == "phone":
            week.dials += n
            week.conversations += n if outcome in conversations else 0
    for name, set_, kept in db.rows(_TEAM_STEPS, span):
        week = of(name)
        week.followups_set, week.followups_kept = int(set_ or 0), int(kept or 0)
    for name in _breachers(db, breaches(db, period, config, now)):
        of(name).breaches += 1
    weeks = sorted(found.values(), key=lambda w: w.rep)
    if rep is not None:
        weeks = [w for w in weeks if w.rep == rep] or [RepWeek(rep)]
    return TeamWeek(period, weeks)


def _breachers(db: Database, found: list[Breach]) -> list[str]:
    """The rep who made each breach's last dial over the rule (its lead's phone dial at that
    moment, the last logged of them): the dials of a chunk of leads at once, not a query a
    breach (hundreds on a team's busy week)."""
    wanted = [(b.lead.id, to_epoch(b.last_at)) for b in found]
    if not wanted:
        return []
    # only the dials at those moments' span: not each lead's whole history (0.1 s a week)
    span = {"first": min(at for _, at in wanted), "last": max(at for _, at in wanted)}
    last: dict[tuple[int, int], tuple[int, str]] = {}
    for chunk in padded_chunks(sorted({lead_id for lead_id, _ in wanted})):
        names = {f"i{n}": lead_id for n, lead_id in enumerate(chunk)}
        sql = (
            "SELECT lead_id, at, id, rep FROM calls "
            f"WHERE lead_id IN ({placeholders(list(names))}) AND channel = 'phone' "
            "AND at >= :first AND at <= :last"
        )
        for lead_id, at, call_id, rep in db.rows(sql, {**names, **span}):
            if last.get((lead_id, at), (-1, ""))[0] < call_id:
                last[(lead_id, at)] = (call_id, rep)
    return [last[key][1] for key in wanted if key in last]


def team_json(week: TeamWeek) -> dict[str, Any]:
    return {
        "start": week.period.start.isoformat(),
        "end": week.period.end.isoformat(),
        "reps": [
            {"rep": w.rep, "dials": w.dials, "conversations": w.conversations,
             "connect_rate": None if w.connect_rate is None else round(w.connect_rate, 4),
             "meetings": w.meetings, "followups_set": w.followups_set,
             "followups_kept": w.followups_kept, "breaches": w.breaches}
            for w in week.reps
        ],
    }  # fmt: skip
