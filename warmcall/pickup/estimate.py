"""When a lead picks up: a chance per hour of its local day, learned from the record.

The model is a **Beta-Binomial with empirical-Bayes pooling**, in four levels:

1. *The seeds' windows* are the prior of a book with no history: a band inside ``early``
   or ``midday`` (before 9:00, 12:00–14:00) starts a little above the book's average, any
   other band at it (``seed_mean``).
2. *The book*: every lead of the book answers in each band; their counts move the seed
   prior with a weight of ``BOOK_PRIOR`` dials (``band_mean``).
3. *The pool*: the book's leads of the same country, window and source (the SPEC's
   "similar leads"; leads have no segment column yet, so it is left out) answer in each
   band; their counts move the book's chance in that band with a weight of ``POOL_PRIOR``
   dials. A pool is a handful of leads on a small book: centred on the seeds' guess alone,
   one unanswered dial moved a whole pool's hour; centred on what the whole book does in
   the band, a pool departs from it only as far as its own dials show.
4. *The lead's own dials* update a Beta prior centred on the pool's chance whose strength
   ``kappa`` (in dials) is estimated from the book itself, by the method of moments over
   the leads' answer rates band by band (``kappa_from_moments``): a book whose leads differ
   a lot in the same hour trusts each lead's own record sooner.

Why this model: each dial is a Bernoulli trial, so the Beta is the conjugate prior and the
posterior of a band is two numbers a table can keep and a reader can check ("answered 3 of
4"); empirical Bayes gives the shrinkage toward similar leads the SPEC asks for while a lead
has few dials without a hand-tuned constant, and it needs no iterative fit (a hierarchical
logistic model would need scipy or numpy at every ``next``, for a gain that 1-hour bands
and a few dozen dials per lead cannot show). Bands are one hour of the lead's local day:
half-hours would halve the little evidence a lead has. A dial on a weekend day counts half
toward a working day's band and the other way round (``OTHER_DAYS``): people keep their
hours loosely across the week, and the record of a weekend is thin.

Everything here is pure: counts in, chances out. The interval is the central 80 % of the
Beta posterior by the normal approximation, clipped to [0, 1]. Exploration
(``best``) is a little Thompson sampling: on about one day in ten per lead, the band of the
best draw among the hours the lead was never dialled in, from a generator seeded by the
day and the lead, so the plan is the same all day for the same record.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from warmcall.models import CONVERSATIONS

HOURS = range(24)
BOOK_PRIOR = 4.0  # the seed prior's weight in the book's band, in dials
POOL_PRIOR = 4.0  # the book's band's weight in the pool, in dials
DEFAULT_KAPPA = 6.0  # the lead prior's weight when the book cannot tell, in dials
KAPPA_RANGE = (2.0, 40.0)
DEFAULT_MEAN = 0.3  # the chance to pick up when the book has no dial at all
SEED_LIFT = 1.3  # how much more likely a band of the seeds' windows starts
EXPLORE = 0.1  # the share of days a lead's plan tries an hour it was never dialled in
OTHER_DAYS = 0.5  # the weight of a dial of the other kind of day (working or weekend)
Z80 = 1.2816  # the central 80 % of a normal
ANSWERED = frozenset(str(o) for o in CONVERSATIONS)  # a conversation is an answered dial

# (hour, weekend) -> (dials, answered)
Counts = Mapping[tuple[int, bool], tuple[int, int]]
PoolKey = tuple[str | None, str, str | None]  # country, window, source


def answered(outcome: str) -> bool:
    """Whether a dial with this outcome was picked up (a conversation, ``models``)."""
    return outcome in ANSWERED


def band_of(moment: datetime) -> tuple[int, bool]:
    """The band of an aware moment already in the lead's zone: its hour and whether its day
    is a weekend."""
    return moment.hour, moment.isoweekday() >= 6


@dataclass(frozen=True, slots=True)
class Chance:
    """The chance that a lead picks up in one band (an hour of its local day)."""

    hour: int
    p: float  # the posterior mean
    low: float  # the central 80 % of the posterior
    high: float
    dials: int  # the lead's own dials in this band (both kinds of day)
    answered: int
    pool_p: float  # what similar leads of the book do in this band
    pool_dials: int

    @property
    def start(self) -> time:
        return time(self.hour)

    @property
    def end(self) -> time:
        return time(self.hour + 1) if self.hour < 23 else time(23, 59)


@dataclass(frozen=True, slots=True)
class Book:
    """What the whole book says: its average, the prior strength, its counts per band and
    each pool's."""

    mean: float = DEFAULT_MEAN
    kappa: float = DEFAULT_KAPPA
    dials: int = 0  # every dial the book holds in its pickup record
    seed_hours: frozenset[int] = frozenset()
    pools: Mapping[PoolKey, Counts] = field(default_factory=dict)
    bands: Counts = field(default_factory=dict)  # the whole book's dials and answers per band
    # The most any pool gives a lead in a band the plan may offer (``pool_ceiling``), when the
    # plan read it: where the score's steps of chance are laid (``plan.score.stepped``).
    top: float | None = None


def seed_mean(book: Book, hour: int) -> float:
    """The prior of a band before any dial of its pool: the book's average, lifted in the
    seeds' windows."""
    lift = SEED_LIFT if hour in book.seed_hours else 1.0
    return min(book.mean * lift, 0.95)


def band_mean(book: Book, hour: int, weekend: bool) -> float:
    """What the whole book does in a band: the seed prior moved by the book's counts there.
    The same for every lead (its own dials are among the book's, a share too small to
    matter past a handful of leads), so a pool's chance depends on the pool alone, as a
    bound of it computed once for every lead of the pool assumes."""
    n, a, _, _ = _weighted(book.bands, hour, weekend)
    return (BOOK_PRIOR * seed_mean(book, hour) + a) / (BOOK_PRIOR + n)


def seed_hours(spans: Iterable[tuple[time, time]]) -> frozenset[int]:
    """The hours that overlap the seeds' windows (``early``, ``midday``)."""
    found: set[int] = set()
    for start, end in spans:
        for hour in HOURS:
            if time(hour) < end and (hour == 23 or time(hour + 1) > start):
                found.add(hour)
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class Spread:
    """The answer rates of the (lead, band) cells of one band that hold at least two dials:
    how many cells, the sum of their rates, of their squared rates and of 1/dials."""

    cells: int
    rates: float
    squares: float
    inverse: float


MIN_CELLS = 10  # (lead, band) cells of two dials or more before the spread is read


def kappa_from_moments(bands: Iterable[Spread]) -> float:
    """The strength of the lead prior (in dials) from how far leads' answer rates in one band
    lie from each other, band by band (the method of moments of a Beta-Binomial).

    The prior a lead's dials update is centred on its band's chance, so what sets its
    strength is the spread of leads *within a band* (Ana answers at 08:00, Luis not), not the
    spread of their answer rates over the whole day, which averages each person's hours away
    (an early riser and a late one answer as often in a day) and so made leads look alike
    and the book's prior worth 40 dials: a lead's own record barely moved its estimate. A
    cell of ``n`` dials has a rate ``r`` with E[(r - m)²] = V(1 - 1/n) + m(1 - m)/n, where V
    = m(1 - m)/(k + 1) is the spread of a Beta of mean m and strength k: summed over the
    bands' cells (each band about its own mean, unbiased by c/(c - 1)), 1/(k + 1) is the
    observed spread less its binomial part over what a Beta of strength 0 would spread.
    Cells of one dial say nothing of V (their weight 1 - 1/n is 0) and are left out."""
    excess = scale = 0.0
    cells = 0
    for band in bands:
        if band.cells < 2:
            continue
        m = band.rates / band.cells
        if not 0 < m < 1:
            continue
        cells += band.cells
        squares = (band.squares - band.cells * m * m) * band.cells / (band.cells - 1)
        excess += squares - m * (1 - m) * band.inverse
        scale += m * (1 - m) * (band.cells - band.inverse)
    if cells < MIN_CELLS or scale <= 0:
        return DEFAULT_KAPPA
    if excess <= 1e-6 * scale:
        return KAPPA_RANGE[1]  # leads alike in every band: trust the book
    kappa = scale / excess - 1
    return min(max(kappa, KAPPA_RANGE[0]), KAPPA_RANGE[1])


def without(pool: Counts, own: Counts) -> Counts:
    """A pool less the lead's own rows: the lead is not its own evidence twice. A big pool is
    read from its newest leads (``pickup.record.POOL_SAMPLE``), which may not hold this one:
    what is left never has more answers than dials (a chance above 1 broke the estimate)."""
    if not own:
        return pool
    out = dict(pool)
    for key, (n, a) in own.items():
        pn, pa = out.get(key, (0, 0))
        left = max(pn - n, 0)
        out[key] = (left, min(max(pa - a, 0), left))
    return out


def _weighted(counts: Counts, hour: int, weekend: bool) -> tuple[float, float, int, int]:
    """A band's dials and answers, the other kind of day counting ``OTHER_DAYS``; with the
    raw totals."""
    n_same, a_same = counts.get((hour, weekend), (0, 0))
    n_other, a_other = counts.get((hour, not weekend), (0, 0))
    return (
        n_same + OTHER_DAYS * n_other,
        a_same + OTHER_DAYS * a_other,
        n_same + n_other,
        a_same + a_other,
    )


def estimate(own: Counts, pool: Counts, book: Book, hour: int, weekend: bool) -> Chance:
    """The posterior chance that the lead picks up in ``hour`` on a working day (``weekend``
    False) or a weekend day."""
    pool_n, pool_a, pool_dials, _ = _weighted(pool, hour, weekend)
    prior = band_mean(book, hour, weekend)
    pool_p = (POOL_PRIOR * prior + pool_a) / (POOL_PRIOR + pool_n)
    n, a, dials, picked = _weighted(own, hour, weekend)
    alpha = book.kappa * pool_p + a
    beta = book.kappa * (1 - pool_p) + (n - a)
    p = alpha / (alpha + beta)
    sd = math.sqrt(alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1)))
    return Chance(
        hour=hour,
        p=p,
        low=max(0.0, p - Z80 * sd),
        high=min(1.0, p + Z80 * sd),
        dials=dials,
        answered=picked,
        pool_p=pool_p,
        pool_dials=pool_dials,
    )


def pool_ceiling(
    book: Book,
    pools: Iterable[tuple[Counts, Iterable[int]]],
    most_dials: Counts,
    kinds: Iterable[bool] = (False, True),
) -> float:
    """The most ``estimate`` may give as a pool's chance (``Chance.pool_p``) to any lead of
    one of ``pools``, each with the hours its leads may be planned in, on the ``kinds`` of
    day (weekend or not) the plan may meet; ``most_dials`` holds, per band, the most dials
    one lead has there (as ``(dials, 0)``). Taking the lead out of its pool (``without``)
    removes at most that many dials from the band, and removing unanswered ones lifts the
    pool's chance the most. With no pool, the book's own."""
    kinds = tuple(kinds)
    top = None
    for pool, hours in pools:
        worst = {
            key: (max(n - most_dials.get(key, (0, 0))[0], 0), a) for key, (n, a) in pool.items()
        }
        for hour in hours:
            for weekend in kinds:
                n, a, _, _ = _weighted(worst, hour, weekend)
                if n < a:
                    return 1.0  # a band whose answers outnumber what is left of its dials
                p = estimate({}, worst, book, hour, weekend).pool_p
                top = p if top is None else max(top, p)
    if top is None:  # no pool: what the whole book does in any band
        return min(max(band_mean(book, h, w) for h in HOURS for w in (False, True)), 1.0)
    return min(top, 1.0)


def ceiling(kappa: float, pool_p: float, most_answered: int) -> float:
    """An upper bound of a lead's chance in any band (``estimate(...).p``), from the prior
    strength, the most any pool's chance may be (``pool_ceiling``) and the most dials the
    lead answered in one hour (both kinds of day): a band's chance (K·pool + a) / (K + n)
    grows with its answers ``a`` and shrinks with its dials ``n`` ≥ ``a``, and its weighted
    answers are at most the hour's."""
    a = max(most_answered, 0)
    if kappa + a <= 0:
        return 1.0
    return min((kappa * pool_p + a) / (kappa + a), 1.0)


def _beta(chance: Chance, kappa: float) -> tuple[float, float]:
    """The posterior's two parameters, back from its mean and spread."""
    p = min(max(chance.p, 1e-6), 1 - 1e-6)
    sd = max((chance.high - chance.low) / (2 * Z80), 1e-6)
    total = max(p * (1 - p) / (sd * sd) - 1, kappa)
    return p * total, (1 - p) * total


def explore_seed(day: date, lead_id: int, hour: int) -> int:
    """A seed fixed by the day, the lead and the band: the same draw all day long."""
    digest = hashlib.blake2b(f"{day.isoformat()}:{lead_id}:{hour}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big")


def explores(day: date, lead_id: int) -> bool:
    """Whether the plan tries an untried hour of this lead today: about one day in
    ``1 / EXPLORE`` per lead, the same answer all day."""
    return random.Random(explore_seed(day, lead_id, -1)).random() < EXPLORE


def value(chance: Chance, day: date, lead_id: int, kappa: float) -> float:
    """One Thompson draw from a band's posterior, the same all day."""
    alpha, beta = _beta(chance, kappa)
    return random.Random(explore_seed(day, lead_id, chance.hour)).betavariate(alpha, beta)


def best(chances: Iterable[Chance], day: date, lead_id: int, kappa: float) -> Chance | None:
    """The band the plan offers: the best chance (the earlier band on a tie), except on the
    days this lead explores (``explores``): then the band of the best Thompson draw among
    the ones it was never dialled in, when that draw beats the best chance."""
    found = list(chances)
    if not found:
        return None
    top = max(found, key=lambda c: (c.p, -c.hour))
    untried = [c for c in found if not c.dials]
    if not untried or not explores(day, lead_id):
        return top
    draws = [(value(c, day, lead_id, kappa), -c.hour, c) for c in untried]
    draw, _, chosen = max(draws, key=lambda d: (d[0], d[1]))
    return chosen if draw > top.p else top


def evidence(own: Counts, pool: Counts) -> bool:
    """Whether the record says anything of this lead or its like: without a dial, the plan
    keeps the seeds' windows as they are."""
    return any(n for n, _ in own.values()) or any(n for n, _ in pool.values())


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The record says a lead with a window of its own answers better elsewhere."""

    hour: int  # the band, in the lead's local time
    answered: int
    dials: int
    p: float
    inside: float  # the best chance inside the window


@dataclass(frozen=True, slots=True)
class HoursQuestion:
    """The record cannot say when the person picks up, or says the window they gave fails
    them: the caller asks them in the call. A window is the person's to give, so the answer
    comes from them (``lead edit --window``), never from the record alone."""

    in_window: bool  # True: dials in the window they gave, none answered; False: no answer yet
    dials: int  # the lead's own dials it counts: in that window, or all of them


# Dials in a window the person gave, none answered, before the caller asks them again.
ASK_AFTER = 2


def hours_question(own: Counts, window_hours: frozenset[int] | None) -> HoursQuestion | None:
    """Whether to ask the person when they are best reached: for a lead without a window
    (``window_hours`` None) while none of its dials was answered, the first conversation is the
    moment; for a window they gave, once ``ASK_AFTER`` dials in it went unanswered. A lead
    that answered in its window, or ever when it gave none, is not asked."""
    if window_hours is None:
        if any(answered for _dials, answered in own.values()):
            return None
        return HoursQuestion(False, sum(dials for dials, _answered in own.values()))
    inside = [cell for (hour, _), cell in own.items() if hour in window_hours]
    dials = sum(n for n, _ in inside)
    if dials < ASK_AFTER or any(answered for _, answered in inside):
        return None
    return HoursQuestion(True, dials)


# A suggestion needs the lead's own answers (not the pool's) and a clear gap.
SUGGEST_ANSWERED = 2
SUGGEST_GAP = 0.2


def suggest(inside: Iterable[Chance], outside: Iterable[Chance]) -> Suggestion | None:
    """A band outside the lead's window that its own record clearly prefers to the hours
    of the window it was dialled in (to all of them when it never was), or None."""
    inside = list(inside)
    tried = [c for c in inside if c.dials] or inside
    best_inside = max((c.p for c in tried), default=0.0)
    found = [
        c for c in outside if c.answered >= SUGGEST_ANSWERED and c.p - best_inside >= SUGGEST_GAP
    ]
    if not found:
        return None
    top = max(found, key=lambda c: (c.p, -c.hour))
    return Suggestion(top.hour, top.answered, top.dials, top.p, best_inside)
