"""Issue 22's measure: one caller works a book for some weeks; how many dials connect?

A seeded simulation. Each book holds 60 leads in Spain, the UK, the US and Mexico, each with
hidden pickup hours in its own local time, of one of five kinds: early risers (07:30–09:00),
lunch (12:00–14:00), late afternoon (16:30–19:00), flat, and rarely answering. A third of the
leads stated the window that matches their hours, a third a wrong one, a third none (``any``).

One caller in Madrid dials at most 20 times a working day between 07:30 and 20:00; a
conversation takes 6 minutes, an unanswered dial 1. Whether a dial is answered is drawn from
the lead's hidden chance at that local hour; a conversation is ``connected``, a ``callback``
(agreed two working days later, at a time the lead picks up, ``--next … --their-time``) or
``not-interested``. Three policies work the same book, each in its own store:

* **warmcall**: at every free moment the caller runs ``next --at T --json`` and dials the
  first row whose slot is open now; when none is, waits for the next slot that opens. When
  the row says to ask the person when they are easiest to reach (``ask_hours``, as the
  script's close does) and they answer, the caller asks; the person names their hours and
  the caller keeps them with ``lead edit --window``. The baselines never ask.
* **spreadsheet**: from 09:00, down the list, each lead only when it is 09:00–18:00 in its
  own time and the cadence's rests allow (48 h after an unanswered dial, 3 dials in 14 days,
  one conversation a day); an agreed call at its time.
* **told** (``--told``): warmcall, its capacity pass told each lead's hidden chance in each
  hour, as a perfect pickup estimate would be; what ``plan.capacity`` can reach once one is
  wired in (the slots themselves stay the lead's window).
* **windowed** (``--policies …,windowed``): the oracle, held to the windows the leads
  stated (as warmcall is: a window asked for is a hard limit; ``any`` is the lawful day).
* **asking** (``--policies …,asking``): the windowed oracle that also asks the person's hours
  at the moments warmcall's plan says to (its ``_unplaced``), as warmcall's caller does;
  **asking-first** asks every person at their first conversation.
* **oracle**: knows each lead's hidden hours; at every free moment dials the lead the rests
  allow with the best chance now, among those for whom now is within 80 % of their best
  chance left today; an agreed call at its time.

Every dial of every policy is recorded with the real CLI (Typer's ``CliRunner`` in-process,
on a real SQLite file), and ``call log --json`` says whether it broke a rule in force (hours,
days, holidays, rests, frequency): the table counts those dials, which must be 0 for
warmcall. A follow-up is *late* when the conversation that closes it falls after the agreed
day (or never comes within the run while the agreed day passed).

    python -m benchmarks.sim_connect                 # 3 books × 4 weeks (a few minutes)
    python -m benchmarks.sim_connect --books 1 --weeks 1   # a quick look (under a minute)
    python -m benchmarks.sim_connect --policies warmcall,oracle
    python -m benchmarks.sim_connect --config "[user]" --config "dials_per_hour = 4"
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import json
import os
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MADRID = ZoneInfo("Europe/Madrid")
FIRST_DAY = date(2026, 9, 28)  # a Monday; four weeks on hold Spain's and the US's 12 October
DAY_START, DAY_END = time(7, 30), time(20, 0)
DIALS_PER_DAY = 20
TALK, RING = timedelta(minutes=6), timedelta(minutes=1)
CALLER_REGION = "ES"

# Where the leads are: (country, zone, a landline prefix of that zone).
PLACES = [
    ("ES", "Europe/Madrid", "+3491"),
    ("ES", "Europe/Madrid", "+3493"),
    ("GB", "Europe/London", "+4420"),
    ("US", "America/New_York", "+1212"),
    ("US", "America/Chicago", "+1312"),
    ("US", "America/Los_Angeles", "+1213"),
    ("MX", "America/Mexico_City", "+5255"),
]
# The hidden hours: local ranges with their chance of an answer, and the chance elsewhere.
KINDS: dict[str, tuple[list[tuple[time, time, float]], float]] = {
    "early": ([(time(7, 30), time(9, 0), 0.7)], 0.12),
    "lunch": ([(time(12, 0), time(14, 0), 0.65)], 0.1),
    "late": ([(time(16, 30), time(19, 0), 0.7)], 0.1),
    "flat": ([], 0.35),
    "rare": ([], 0.07),
}
RIGHT = {"early": "early", "lunch": "midday", "late": "16:30-19:00", "flat": "any", "rare": "any"}
WRONG = {"early": "midday", "lunch": "early", "late": "early", "flat": "early", "rare": "midday"}
LAWFUL = (time(7, 0), time(21, 0))  # the b2b profile's calling hours, in the lead's time
REST_UNANSWERED = timedelta(hours=48)
MOST_DIALS, DIALS_DAYS = 3, 14
CALLBACK_ANSWER = 0.85  # the person asked to be called then


@dataclass
class Lead:
    id: int
    name: str
    country: str
    zone: ZoneInfo
    phone: str
    kind: str
    window: str
    temperature: str

    def chance(self, at: datetime) -> float:
        local = at.astimezone(self.zone).time()
        ranges, elsewhere = KINDS[self.kind]
        return next((p for a, b, p in ranges if a <= local < b), elsewhere)

    def best_time(self, day: date, rng: random.Random) -> datetime:
        """A time on ``day`` both sides can keep, for an agreed callback: within the hours
        the lead picks up (10:00–13:00 for one who answers all day alike), lawful, and
        within the caller's own working day (a caller who stops at 20:00 does not agree to
        20:15); when those never meet, a lawful time of the caller's day."""
        ranges, _ = KINDS[self.kind]
        good = [(a, b) for a, b, _p in ranges] or [(time(10, 0), time(13, 0))]
        for spans in (good, [LAWFUL]):
            times = [t for a, b in spans for t in _quarters(day, a, b, self.zone)
                     if _lawful(self, t) and _callers_day(t)]  # fmt: skip
            if times:
                return rng.choice(times)
        return datetime.combine(day, time(10, 0), self.zone)


def _quarters(day: date, start: time, end: time, zone: ZoneInfo) -> list[datetime]:
    """Every quarter hour from ``start`` to half an hour before ``end`` on ``day``."""
    first = datetime.combine(day, start, zone)
    last = datetime.combine(day, end, zone) - timedelta(minutes=30)
    return [first + timedelta(minutes=m) for m in range(0, int((last - first).seconds / 60) + 1, 15)
            if first + timedelta(minutes=m) <= last]  # fmt: skip


def _callers_day(at: datetime) -> bool:
    """Whether a half-hour call at ``at`` falls within the caller's working day."""
    from warmcall.compliance.rules import holiday

    local = at.astimezone(MADRID)
    return (
        local.isoweekday() <= 5
        and not holiday(CALLER_REGION, local.date(), "en")
        and local.time() >= DAY_START
        and (local + timedelta(minutes=30)).time() <= DAY_END
        and (local + timedelta(minutes=30)).date() == local.date()
    )


@dataclass
class State:
    """What a baseline policy remembers of a lead (warmcall keeps its own, in its store)."""

    dials: list[datetime] = field(default_factory=list)
    answered: list[bool] = field(default_factory=list)  # each dial's, in step with ``dials``
    last_unanswered: datetime | None = None
    talked_on: date | None = None
    refused: bool = False
    agreed: datetime | None = None  # the callback agreed, until a conversation closes it
    due: datetime | None = None  # when a baseline tries it next (a day later when unanswered)


@dataclass
class Tally:
    dials: int = 0
    conversations: int = 0
    broke: int = 0
    late: int = 0
    by_hour: Counter[int] = field(default_factory=Counter)
    possible: int = 0
    asked: int = 0  # people asked when they are easiest to reach (warmcall's script says when)


def make_book(seed: int, n: int = 60) -> list[Lead]:
    rng = random.Random(seed)
    kinds = ["early", "lunch", "late", "flat", "rare"]
    leads = []
    for i in range(1, n + 1):
        country, zone, prefix = PLACES[rng.randrange(len(PLACES))]
        kind = kinds[rng.randrange(len(kinds))]
        stated = rng.choice(["right", "wrong", "none"])
        window = {"right": RIGHT[kind], "wrong": WRONG[kind], "none": "any"}[stated]
        if country == "US":  # 555-01XX: the numbers set aside for fiction
            phone = prefix + "555" + f"{100 + i:04d}"
        else:  # unique by the lead's number: an import merges two leads with one phone
            digits = {"ES": 4, "GB": 5, "MX": 5}[country]
            phone = prefix + "".join(str(rng.randrange(10)) for _ in range(digits)) + f"{i:03d}"
        leads.append(
            Lead(i, f"Lead {i:02d}", country, ZoneInfo(zone), phone, kind, window,
                 rng.choice(["warm", "warm", "hot"]))
        )  # fmt: skip
    return leads


def working_days(weeks: int) -> list[date]:
    from warmcall.compliance.rules import holiday

    days = [FIRST_DAY + timedelta(days=d) for d in range(weeks * 7)]
    return [d for d in days if d.isoweekday() <= 5 and not holiday(CALLER_REGION, d, "en")]


class Cli:
    """The real CLI, in-process, on its own store file."""

    def __init__(self, folder: Path, extra_config: str = "") -> None:
        from typer.testing import CliRunner

        from warmcall.cli.app import app

        self.app, self.runner = app, CliRunner()
        self.db = str(folder / "warmcall.db")
        # The caller's own hours, as ``[user] hours`` tells warmcall (the baselines know them).
        hours = f'hours = "{DAY_START:%H:%M}-{DAY_END:%H:%M}"'
        if "[user]" in extra_config:
            extra_config = extra_config.replace("[user]", "[user]\n" + hours, 1)
        else:
            extra_config += "\n[user]\n" + hours
        (folder / "config.toml").write_text(
            f'timezone = "Europe/Madrid"\nregion = "ES"\n{extra_config}\n'
        )
        self.env = {"WARMCALL_HOME": str(folder), "WARMCALL_DB": self.db, "NO_COLOR": "1"}

    def run(self, *args: str) -> str:
        result = self.runner.invoke(self.app, list(args), env=self.env)
        if result.exit_code != 0:
            raise RuntimeError(f"warmcall {' '.join(args)}: {result.output}")
        return result.stdout

    def load(self, leads: list[Lead], at: datetime) -> None:
        path = Path(self.db).with_suffix(".csv")
        with path.open("w", newline="") as f:
            out = csv.writer(f)
            out.writerow(["name", "phone", "country", "timezone", "window", "temperature"])
            for lead in leads:
                out.writerow([lead.name, lead.phone, lead.country, lead.zone.key, lead.window,
                              lead.temperature])  # fmt: skip
        self.run("lead", "import", str(path), "--at", _at(at))
        rows = json.loads(self.run("lead", "list", "--json"))
        ids = {r["name"]: r["id"] for r in rows}
        assert all(lead.name in ids for lead in leads), "the import lost a lead"
        for lead in leads:
            lead.id = ids[lead.name]

    def log(self, lead: Lead, at: datetime, outcome: str, agreed: datetime | None) -> bool:
        """Record the dial; whether ``call log`` says it broke a rule in force."""
        args = ["call", "log", str(lead.id), "-o", outcome, "--at", _at(at), "--json"]
        if agreed is not None:
            local = agreed.astimezone(lead.zone)
            args += ["--next", f"{local:%Y-%m-%d %H:%M}", "--their-time",
                     "--next-action", "call back"]  # fmt: skip
        data = json.loads(self.run(*args))
        return bool(data["clock_problems"] or data["warnings"])

    def plan(self, at: datetime) -> list[dict[str, object]]:
        return json.loads(self.run("next", "--at", _at(at), "--json"))  # type: ignore[no-any-return]


def _at(moment: datetime) -> str:
    return moment.astimezone(MADRID).strftime("%Y-%m-%d %H:%M")


class World:
    """The hidden side: who answers, what they say, and the follow-ups' bookkeeping."""

    def __init__(self, leads: list[Lead], seed: int, cli: Cli, days: list[date]) -> None:
        self.leads = {lead.id: lead for lead in leads}
        self.rng = random.Random(seed)
        self.cli, self.days = cli, days
        self.tally = Tally()
        self.state = {lead.id: State() for lead in leads}

    def dial(self, lead: Lead, at: datetime) -> timedelta:
        st = self.state[lead.id]
        agreed_now = st.agreed is not None and abs(at - st.agreed) <= timedelta(minutes=30)
        p = CALLBACK_ANSWER if agreed_now else lead.chance(at)
        answered = self.rng.random() < p
        agreed: datetime | None = None
        if answered:
            draw = self.rng.random()
            outcome = "connected" if draw < 0.8 else "callback" if draw < 0.95 else "not-interested"
            if st.agreed is not None:
                if at.astimezone(lead.zone).date() > st.agreed.astimezone(lead.zone).date():
                    self.tally.late += 1
                st.agreed = None
            if outcome == "callback":
                day = self._working_after(at.astimezone(lead.zone).date(), 2)
                agreed = lead.best_time(day, self.rng)
                st.agreed = st.due = agreed
            else:
                st.due = None
            st.talked_on = at.astimezone(MADRID).date()
            st.refused = outcome == "not-interested"
            self.tally.conversations += 1
        else:
            outcome = self.rng.choice(["no-answer", "voicemail", "busy"])
            st.last_unanswered = at
            if st.due is not None and st.due <= at:  # tried again on its next working day
                day = self._working_after(at.astimezone(lead.zone).date(), 1)
                st.due = datetime.combine(day, st.due.astimezone(lead.zone).time(), lead.zone)
        st.dials.append(at)
        st.answered.append(answered)
        self.tally.dials += 1
        self.tally.by_hour[at.astimezone(MADRID).hour] += 1
        if self.cli.log(lead, at, outcome, agreed):
            self.tally.broke += 1
        return TALK if answered else RING

    def ask_hours(self, lead: Lead, at: datetime) -> None:
        """The caller asked, as the script said, when the person is easiest to reach: they
        name the hours they pick up in (``any`` for one who answers as often all day) and the
        caller keeps them as their window (``lead edit --window``)."""
        said = RIGHT[lead.kind]
        self.tally.asked += 1
        if said != lead.window:
            lead.window = said
            self.cli.run("lead", "edit", str(lead.id), "--window", said, "--at", _at(at))

    def _working_after(self, day: date, n: int) -> date:
        while n:
            day += timedelta(days=1)
            n -= day.isoweekday() <= 5
        return day

    def finish(self, end: datetime) -> None:
        for st in self.state.values():
            if st.agreed is not None and st.agreed < end - timedelta(days=1):
                self.tally.late += 1

    # --- the rests a careful caller keeps by hand (the baselines) --------------------------

    def may_dial(self, lead: Lead, at: datetime) -> bool:
        from warmcall.compliance.rules import holiday

        st = self.state[lead.id]
        local = at.astimezone(lead.zone)
        if not _lawful(lead, at) or holiday(lead.country, local.date(), "en"):
            return False
        if st.due is not None and st.due <= at:
            return True  # an agreed call overrides the rests
        if st.refused or st.talked_on == at.astimezone(MADRID).date() or st.agreed is not None:
            return False
        if st.last_unanswered is not None and at - st.last_unanswered < REST_UNANSWERED:
            return False
        first = at.astimezone(MADRID).date() - timedelta(days=DIALS_DAYS - 1)
        recent = [d for d in st.dials if d.astimezone(MADRID).date() >= first]
        return len(recent) < MOST_DIALS


def _lawful(lead: Lead, at: datetime) -> bool:
    local = at.astimezone(lead.zone)
    return local.isoweekday() <= 5 and LAWFUL[0] <= local.time() < LAWFUL[1]


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    return datetime.combine(day, DAY_START, MADRID), datetime.combine(day, DAY_END, MADRID)


# --- the policies ---------------------------------------------------------------------------


def warmcall_day(world: World, day: date) -> None:
    t, end = _day_bounds(day)
    dials = 0
    while dials < DIALS_PER_DAY and t < end:
        rows = world.cli.plan(t)
        slots = [(datetime.fromisoformat(str(r["slot_start"])),
                  datetime.fromisoformat(str(r["slot_end"])), r) for r in rows]  # fmt: skip
        open_now = [r for s, e, r in slots if s <= t < e]
        if open_now:
            lead = world.leads[int(open_now[0]["lead_id"])]  # type: ignore[call-overload]
            took = world.dial(lead, t)
            t += took
            dials += 1
            if took == TALK and open_now[0].get("ask_hours"):
                world.ask_hours(lead, t)
            continue
        later = [s for s, _e, _r in slots if s > t]
        if not later:
            return
        t = min(later)


def spreadsheet_day(world: World, day: date) -> None:
    start, end = _day_bounds(day)
    t, dials = max(start, datetime.combine(day, time(9, 0), MADRID)), 0
    order = sorted(world.leads.values(), key=lambda lead: lead.id)
    while dials < DIALS_PER_DAY and t < end:
        due = _agreed_due(world, t)
        pick = due or next(
            (lead for lead in order
             if time(9, 0) <= t.astimezone(lead.zone).time() < time(18, 0)
             and world.may_dial(lead, t)),
            None,
        )  # fmt: skip
        if pick is None:
            t += timedelta(minutes=15)
            continue
        t += world.dial(pick, t)
        dials += 1


Asks = Callable[[State, Lead], bool]  # whether the caller asks the person's hours, if they answer


def oracle_day(world: World, day: date, windows: bool = False, asks: Asks | None = None) -> None:
    t, end = _day_bounds(day)
    dials = 0

    def may(lead: Lead, at: datetime) -> bool:
        return _lawful(lead, at) and (not windows or _in_window(lead, at))

    while dials < DIALS_PER_DAY and t < end:
        pick = _agreed_due(world, t)
        if pick is None:
            best: tuple[float, int] | None = None
            for lead in world.leads.values():
                if not world.may_dial(lead, t) or not may(lead, t):
                    continue
                now_p = lead.chance(t)
                ahead = max(
                    (lead.chance(t + timedelta(minutes=m)) for m in range(0, 12 * 60, 15)
                     if t + timedelta(minutes=m) < end and may(lead, t + timedelta(minutes=m))),
                    default=now_p,
                )  # fmt: skip
                if now_p >= 0.8 * ahead and (best is None or now_p > best[0]):
                    best = (now_p, lead.id)
            pick = world.leads[best[1]] if best else None
        if pick is None:
            t += timedelta(minutes=5)
            continue
        asked = asks is not None and asks(world.state[pick.id], pick)
        took = world.dial(pick, t)
        t += took
        dials += 1
        if asked and took == TALK:
            world.ask_hours(pick, t)


def _unplaced(st: State, lead: Lead) -> bool:
    """warmcall's own rule for asking the person's hours (``pickup.estimate.hours_question``),
    over the dials so far, counted as its store counts them: by local hour and kind of day."""
    from warmcall.config import Config
    from warmcall.pickup.estimate import hours_question
    from warmcall.pickup.record import given_hours

    own: Counter[tuple[int, bool]] = Counter()
    heard: Counter[tuple[int, bool]] = Counter()
    for at, answered in zip(st.dials, st.answered, strict=True):
        local = at.astimezone(lead.zone)
        band = (local.hour, local.isoweekday() >= 6)
        own[band] += 1
        heard[band] += answered
    counts = {band: (n, heard[band]) for band, n in own.items()}
    hours = None if lead.window == "any" else given_hours(lead.window, Config())
    return hours_question(counts, hours) is not None


def asking_oracle_day(world: World, day: date) -> None:
    """The windowed oracle that also asks the person's hours when warmcall's plan would: the
    most a plan that keeps the stated windows and asks as warmcall asks can reach."""
    oracle_day(world, day, windows=True, asks=_unplaced)


def asking_first_oracle_day(world: World, day: date) -> None:
    """The windowed oracle that asks every person their hours at the first conversation,
    whatever the record says: the most asking could give a plan that keeps the windows."""
    oracle_day(world, day, windows=True, asks=lambda st, _lead: not any(st.answered))


def windowed_oracle_day(world: World, day: date) -> None:
    """The oracle held to warmcall's own limit: a window a lead stated is kept (an ``any``
    lead may be dialled in any lawful hour): the most any plan that keeps them can reach."""
    oracle_day(world, day, windows=True)


def _in_window(lead: Lead, at: datetime) -> bool:
    from warmcall.config import Windows
    from warmcall.localtime.windows import parse_window

    if lead.window == "any":
        return True
    clock = at.astimezone(lead.zone).time()
    return any(r.start <= clock < r.end for r in parse_window(lead.window, Windows()))


def _agreed_due(world: World, t: datetime) -> Lead | None:
    for lead_id, st in world.state.items():
        if st.due is not None and st.due <= t and _lawful(world.leads[lead_id], t):
            return world.leads[lead_id]
    return None


POLICIES = {
    "warmcall": warmcall_day,
    "spreadsheet": spreadsheet_day,
    "oracle": oracle_day,
    "windowed": windowed_oracle_day,
    "asking": asking_oracle_day,
    "asking-first": asking_first_oracle_day,
}


def run_book(seed: int, weeks: int, policy: str, extra_config: str, told: bool = False) -> Tally:
    days = working_days(weeks)
    with tempfile.TemporaryDirectory(prefix="warmcall-sim-") as folder:
        cli = Cli(Path(folder), extra_config)
        leads = make_book(seed)
        cli.load(leads, datetime.combine(FIRST_DAY - timedelta(days=3), time(9), MADRID))
        world = World(leads, seed * 1000 + 7, cli, days)
        with _hidden_chance(world.leads if told else None):
            for day in days:
                POLICIES[policy](world, day)
        world.finish(_day_bounds(days[-1])[1])
        world.tally.possible = DIALS_PER_DAY * len(days)
        return world.tally


@contextlib.contextmanager
def _hidden_chance(leads: dict[int, Lead] | None) -> Iterator[None]:
    """With ``leads``: the planner's capacity pass is told each lead's hidden chance in a band
    (at its middle), as a perfect pickup estimate would: the ceiling of ``plan.capacity``'s
    ``chance`` once an estimate is wired in. The CLI runs in-process, so the store's
    ``capacity`` is wrapped for the run."""
    if leads is None:
        yield
        return
    from warmcall.plan import candidates as activity

    real = activity.capacity

    def told(db: Any, now: datetime, config: Any) -> Any:
        def chance(lead: Any, start: datetime, end: datetime) -> float:
            return leads[lead.lead_id].chance(start + (end - start) / 2)

        return dataclasses.replace(real(db, now, config), chance=chance)

    activity.capacity = told  # type: ignore[assignment]
    try:
        yield
    finally:
        activity.capacity = real


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=3)
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--policies", default="warmcall,spreadsheet,oracle")
    parser.add_argument("--config", action="append", default=[],
                        help="a line for warmcall's config.toml (repeat)")  # fmt: skip
    parser.add_argument("--hours", action="store_true", help="also print dials by hour")
    parser.add_argument(
        "--told",
        action="store_true",
        help="also run warmcall told each lead's hidden chance (a perfect pickup estimate)",
    )
    args = parser.parse_args(argv)
    os.environ.pop("WARMCALL_CONFIG", None)
    extra = "\n".join(args.config)
    policies = [p.strip() for p in args.policies.split(",") if p.strip()]
    if args.told:
        policies.insert(policies.index("warmcall") + 1 if "warmcall" in policies else 0, "told")
    totals: dict[str, Tally] = {}
    for policy in policies:
        total = Tally()
        for book in range(1, args.books + 1):
            told = policy == "told"
            t = run_book(book, args.weeks, "warmcall" if told else policy, extra, told)
            total.dials += t.dials
            total.conversations += t.conversations
            total.broke += t.broke
            total.late += t.late
            total.asked += t.asked
            total.possible += t.possible
            total.by_hour.update(t.by_hour)
        totals[policy] = total
    oracle, windowed = totals.get("oracle"), totals.get("windowed")

    def share(t: Tally, of: Tally | None) -> str:
        return f"{t.conversations / of.conversations:.0%}" if of and of.conversations else "–"

    print(f"{args.books} books × {args.weeks} weeks, 60 leads each, ≤ {DIALS_PER_DAY} dials a day")
    print()
    print("| policy | dials (of possible) | conversations | connect rate | share of the oracle's "
          "conversations | share of the windowed oracle's | dials outside the rules | "
          "follow-ups late | people asked their hours |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for policy, t in totals.items():
        rate = t.conversations / t.dials if t.dials else 0.0
        print(f"| {policy} | {t.dials} ({t.possible}) | {t.conversations} | {rate:.1%} | "
              f"{share(t, oracle)} | {share(t, windowed)} | {t.broke} | {t.late} | "
              f"{t.asked} |")  # fmt: skip
    if args.hours:
        for policy, t in totals.items():
            hours = " ".join(f"{h:02d}:{t.by_hour[h]}" for h in sorted(t.by_hour))
            print(f"{policy}: dials by hour (Madrid) {hours}")


if __name__ == "__main__":
    main()
