"""The pickup estimate (``pickup.estimate``) and how the pure planner uses it.

``NOW`` is Wednesday 25 November 2026, 07:50 in Madrid (conftest).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import MADRID, NOW
from tests.test_planner import CONFIG, lead
from warmcall.localtime.windows import parse_window
from warmcall.pickup import estimate as pickup
from warmcall.pickup.estimate import Book, estimate
from warmcall.plan.planner import plan

HOURS = range(8, 19)
SEEDS = pickup.seed_hours(
    (r.start, r.end) for n in ("early", "midday") for r in parse_window(n, CONFIG.windows)
)


def simulate(truth: dict[int, float], dials: int, rng: random.Random) -> dict:
    """A lead's record: ``dials`` dials spread over the hours, each answered with the hidden
    chance of its hour."""
    counts: dict[tuple[int, bool], tuple[int, int]] = {}
    for _ in range(dials):
        hour = rng.choice(list(truth))
        n, a = counts.get((hour, False), (0, 0))
        counts[(hour, False)] = (n + 1, a + (rng.random() < truth[hour]))
    return counts


def test_the_estimate_converges_on_each_leads_hidden_hours() -> None:
    """Leads of several kinds (early risers, lunch, late afternoon, flat, rarely answering):
    with many dials the estimate finds each one's hours; the error shrinks with the dials."""
    rng = random.Random(22)
    kinds = {
        "early": {h: 0.8 if h < 9 else 0.1 for h in HOURS},
        "lunch": {h: 0.75 if 12 <= h < 14 else 0.15 for h in HOURS},
        "late": {h: 0.7 if h >= 16 else 0.1 for h in HOURS},
        "flat": dict.fromkeys(HOURS, 0.4),
        "rare": dict.fromkeys(HOURS, 0.05),
    }
    book = Book(mean=0.3, kappa=6.0, dials=1, seed_hours=SEEDS)
    errors: dict[int, float] = {}
    for dials in (20, 200, 2000):
        total = 0.0
        for truth in kinds.values():
            own = simulate(truth, dials, rng)
            found = {h: estimate(own, {}, book, h, False) for h in HOURS}
            total += sum(abs(found[h].p - truth[h]) for h in HOURS) / len(HOURS)
            if dials == 2000 and max(truth.values()) - min(truth.values()) > 0.3:
                best = max(found.values(), key=lambda c: c.p)
                assert truth[best.hour] == max(truth.values())
            if dials == 2000:
                assert all(found[h].low <= truth[h] + 0.1 and truth[h] - 0.1 <= found[h].high
                           for h in HOURS)  # fmt: skip
        errors[dials] = total / len(kinds)
    assert errors[2000] < errors[200] < errors[20]
    assert errors[2000] < 0.05


def test_few_dials_lean_on_similar_leads_many_on_the_lead() -> None:
    book = Book(mean=0.3, kappa=6.0, dials=100, seed_hours=SEEDS)
    pool = {(16, False): (100, 80)}  # similar leads answer at 16:00
    one_miss = estimate({(16, False): (1, 0)}, pool, book, 16, False)
    assert one_miss.p > 0.6  # one miss does not undo what a hundred dials of the pool say
    many = estimate({(16, False): (40, 4)}, pool, book, 16, False)
    assert many.p < 0.25  # forty of the lead's own dials do
    assert many.high - many.low < one_miss.high - one_miss.low


def test_a_small_pool_leans_on_what_the_whole_book_does_in_the_band() -> None:
    """A pool of a few leads: one unanswered dial at 17:00 does not undo what a hundred dials
    of the book say of that hour; the book's own bands stand where the pool has no dial."""
    bands = {(17, False): (100, 70), (10, False): (100, 10)}
    book = Book(mean=0.4, kappa=6.0, dials=200, seed_hours=SEEDS, bands=bands)
    one_miss = {(17, False): (1, 0)}
    assert estimate({}, one_miss, book, 17, False).p > 0.5
    assert estimate({}, {}, book, 10, False).p < 0.2
    seeds_only = Book(mean=0.4, kappa=6.0, dials=200, seed_hours=SEEDS)
    assert estimate({}, one_miss, seeds_only, 17, False).p < 0.4


def test_the_seeds_windows_are_the_prior_of_an_empty_record() -> None:
    book = Book(seed_hours=SEEDS)
    assert estimate({}, {}, book, 8, False).p > estimate({}, {}, book, 10, False).p
    assert estimate({}, {}, book, 12, False).p == estimate({}, {}, book, 8, False).p


@given(
    n=st.integers(0, 50),
    a=st.integers(0, 50),
    pn=st.integers(0, 500),
    pa=st.integers(0, 500),
    mean=st.floats(0.01, 0.99),
    kappa=st.floats(2, 40),
    hour=st.integers(0, 23),
)
def test_a_chance_is_a_probability_inside_its_interval(n, a, pn, pa, mean, kappa, hour) -> None:
    a, pa = min(a, n), min(pa, pn)
    found = estimate(
        {(hour, False): (n, a)}, {(hour, True): (pn, pa)}, Book(mean, kappa), hour, False
    )
    assert 0 <= found.low <= found.p <= found.high <= 1
    assert found.dials == n and found.answered == a


def test_the_spread_between_leads_within_a_band_sets_the_prior_strength() -> None:
    """Leads that answer alike in each band: the book is trusted; leads that differ band by
    band (an early riser and a late one, alike over a whole day): their own record is."""
    rng = random.Random(7)

    def spread(chances: list[float]) -> pickup.Spread:
        rates = []
        for chance in chances:
            dials = 4
            rates.append((sum(rng.random() < chance for _ in range(dials)) / dials, dials))
        return pickup.Spread(
            len(rates), sum(r for r, _ in rates), sum(r * r for r, _ in rates),
            sum(1 / n for _, n in rates),
        )  # fmt: skip

    alike = pickup.kappa_from_moments([spread([0.3] * 60), spread([0.3] * 60)])
    # Half the leads answer at 08:00 and not at 17:00, half the other way round: every lead
    # answers as often in a day, yet each band splits them.
    apart = pickup.kappa_from_moments(
        [spread([0.7] * 30 + [0.1] * 30), spread([0.1] * 30 + [0.7] * 30)]
    )
    assert alike > 10 and apart < 4
    assert pickup.kappa_from_moments([spread([0.3] * 3)]) == pickup.DEFAULT_KAPPA  # too few


# --- the planner --------------------------------------------------------------------------


def learned_book(**pools: dict) -> Book:
    return Book(mean=0.3, kappa=6.0, dials=100, seed_hours=SEEDS, pools=pools)


@settings(max_examples=60, deadline=None)
@given(
    record=st.dictionaries(
        st.tuples(st.integers(0, 23), st.booleans()),
        st.tuples(st.integers(1, 30), st.integers(0, 30)).map(lambda t: (t[0], min(t))),
        max_size=12,
    ),
    window=st.sampled_from(["early", "midday", "early,midday", "10:00-11:30", "16:30-19:00"]),
    day=st.integers(0, 6),
)
def test_a_window_asked_for_is_never_left(record, window, day) -> None:
    """Whatever the record says, a lead's own window bounds its slot (a suggestion may say
    better hours; the slot stays)."""
    now = NOW + timedelta(days=day)
    candidate = lead(window=window, pickup_own=record, pool_key=("ES", window, None))
    result = plan([candidate], now, CONFIG, book=learned_book())
    ranges = parse_window(window, CONFIG.windows)
    for row in result.rows:
        start, end = row.slot_start.astimezone(MADRID), row.slot_end.astimezone(MADRID)
        assert any(r.start <= start.time() and end.time() <= r.end for r in ranges), (start, end)


def test_an_any_lead_takes_its_best_lawful_hour() -> None:
    record = {(16, False): (6, 5), (9, False): (6, 0), (10, False): (6, 1)}
    row = plan([lead(pickup_own=record)], NOW, CONFIG, book=learned_book()).rows[0]
    assert (row.slot_start, row.slot_end) == (
        datetime(2026, 11, 25, 16, tzinfo=MADRID),
        datetime(2026, 11, 25, 17, tzinfo=MADRID),
    )
    assert row.pickup is not None and row.pickup.hour == 16 and row.pickup.answered == 5
    assert any(p.part == "pickup" for p in row.parts)


def test_an_empty_book_plans_exactly_as_the_seeds_windows_say() -> None:
    leads = [lead(1), lead(2, window="early"), lead(3, window="midday")]
    bare = plan([lead(1), lead(2, window="early"), lead(3, window="midday")], NOW, CONFIG)
    empty = plan(leads, NOW, CONFIG, book=Book(seed_hours=SEEDS))
    shape = [(r.lead.lead_id, r.slot_start, r.slot_end, r.score, r.parts) for r in bare.rows]
    assert shape == [
        (r.lead.lead_id, r.slot_start, r.slot_end, r.score, r.parts) for r in empty.rows
    ]
    assert [r.slot_start.time() for r in bare.rows] == [time(7, 30), time(9), time(12)]
    assert all(r.pickup is None for r in empty.rows)


def test_the_plan_is_the_same_all_day_and_explores_a_little() -> None:
    """Untried hours are explored on some days for some leads, the same draw all day."""
    leads = [lead(n, pickup_own={(11, False): (3, 3)}, pool_key=("ES", "any", None))
             for n in range(1, 41)]  # fmt: skip
    book = learned_book(**{})
    # Two minutes before the lawful day opens (07:00): every hour of it is still ahead (a
    # learned lead may be planned in any lawful hour, so at 07:50 the 07:00 hour is current).
    morning = plan([*leads], NOW - timedelta(minutes=100), CONFIG, book=book, limit=None)
    later = plan([*leads], NOW - timedelta(minutes=60), CONFIG, book=book, limit=None)
    assert [(r.lead.lead_id, r.slot_start) for r in morning.rows] == [
        (r.lead.lead_id, r.slot_start) for r in later.rows
    ]
    hours = {r.slot_start.astimezone(MADRID).hour for r in morning.rows}
    assert len(hours) > 1  # some leads try another hour today …
    explored = [r for r in morning.rows if r.slot_start.astimezone(MADRID).hour != 11]
    assert len(explored) < len(leads) / 3  # … only a few
    assert all(r.pickup is not None and r.pickup.dials == 0 for r in explored)
    tomorrow = plan([*leads], NOW + timedelta(days=1), CONFIG, book=book, limit=None)
    assert {
        r.lead.lead_id for r in tomorrow.rows if r.slot_start.astimezone(MADRID).hour != 11
    } != {r.lead.lead_id for r in explored}  # another day, other draws


def test_exploration_never_leaves_the_lawful_day() -> None:
    for n in range(1, 200):
        chosen = pickup.best(
            [estimate({}, {}, learned_book(), h, False) for h in HOURS], date(2026, 11, 25), n, 6.0
        )
        assert chosen is not None and chosen.hour in HOURS


def test_a_pass_over_the_plan_reads_each_rows_chance_per_hour() -> None:
    """``bands_today``: what the capacity pass weighs slots by, from the plan's own book."""
    from warmcall.plan.planner import bands_today

    record = {(16, False): (6, 5), (9, False): (6, 0)}
    result = plan([lead(pickup_own=record)], NOW, CONFIG, book=learned_book())
    bands = bands_today(result.rows[0].lead, NOW, CONFIG, result.book)
    hours = [slot[0].astimezone(MADRID).hour for slot, _ in bands]
    # A learned ``any`` lead: its whole lawful day (b2b: 07:00-21:00), not only the seeds'
    # 09:00-18:00, hour by hour.
    assert hours == list(range(7, 21))
    by_hour = {c.hour: c for _, c in bands}
    assert by_hour[16].p > by_hour[12].p > by_hour[9].p
    assert all(end - start == timedelta(hours=1) for (start, end), _ in bands)


# --- the bound the plan's ranking reads (issue 19: ``next`` on a big book) ---------------------

a_band = st.tuples(st.integers(0, 23), st.booleans())
counts = st.dictionaries(
    a_band,
    st.tuples(st.integers(0, 30), st.integers(0, 30)).map(lambda d: (d[0], min(d))),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(
    own=counts,
    pools=st.lists(counts, min_size=1, max_size=3),
    mean=st.floats(0.01, 0.99),
    kappa=st.floats(*pickup.KAPPA_RANGE),
    seeds=st.frozensets(st.integers(0, 23), max_size=6),
    band=a_band,
)
def test_no_lead_picks_up_above_its_ceiling(own, pools, mean, kappa, seeds, band) -> None:
    """A lead's chance in any band, taken out of whichever pool it is in, is never above
    what the ranking's bound says from the pools, the most dials of a band and the lead's
    most answers in one hour: else ``next`` would stop before a lead that belongs on top."""
    book = Book(mean, kappa, seed_hours=seeds)
    pool = pools[0]
    most_dials = {key: (n, 0) for key, (n, _) in own.items()}
    top = pickup.pool_ceiling(book, [(p, range(24)) for p in pools], most_dials)
    by_hour: dict[int, int] = {}
    for (hour, _), (_, a) in own.items():
        by_hour[hour] = by_hour.get(hour, 0) + a
    most_answered = max(by_hour.values(), default=0)
    hour, weekend = band
    found = estimate(own, pickup.without(pool, own), book, hour, weekend)
    assert found.p <= pickup.ceiling(book.kappa, top, most_answered) + 1e-12


def test_a_ceiling_is_reached_by_a_lead_of_the_best_pool() -> None:
    """The bound is tight where it matters: a lead never dialled, in the band where its
    pool answers best, has exactly the ceiling of a lead without answers."""
    pool = {(11, False): (400, 180), (9, False): (400, 100)}
    book = Book(0.3, 40.0)
    top = pickup.pool_ceiling(book, [(pool, range(24))], {})
    assert top == estimate({}, pool, book, 11, False).pool_p
    assert pickup.ceiling(book.kappa, top, 0) == estimate({}, pool, book, 11, False).p
    # one answered dial lifts the ceiling, as it lifts the chance
    assert pickup.ceiling(book.kappa, top, 1) > top


# --- asking the person when they are easiest to reach -----------------------------------------

EARLY = frozenset({7, 8})


def test_a_lead_without_a_window_is_asked_until_it_first_answers() -> None:
    assert pickup.hours_question({}, None) == pickup.HoursQuestion(False, 0)
    missed = {(8, False): (2, 0), (12, False): (1, 0)}
    assert pickup.hours_question(missed, None) == pickup.HoursQuestion(False, 3)
    answered = {**missed, (16, False): (1, 1)}
    assert pickup.hours_question(answered, None) is None


def test_a_window_given_is_questioned_only_by_unanswered_dials_inside_it() -> None:
    assert pickup.hours_question({(8, False): (1, 0)}, EARLY) is None  # one miss says little
    assert pickup.hours_question({(7, False): (1, 0), (8, True): (1, 0)}, EARLY) == (
        pickup.HoursQuestion(True, 2)
    )
    # misses outside it (a callback they agreed elsewhere) say nothing of the window
    assert pickup.hours_question({(16, False): (3, 0)}, EARLY) is None
    # one answer in it: the window works for them
    assert pickup.hours_question({(7, False): (3, 0), (8, False): (2, 1)}, EARLY) is None


@given(
    st.dictionaries(
        st.tuples(st.integers(0, 23), st.booleans()),
        st.integers(0, 6).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))),
        max_size=10,
    ),
    st.one_of(st.none(), st.frozensets(st.integers(0, 23), min_size=1, max_size=6)),
)
def test_the_question_counts_only_the_dials_it_names(own, hours) -> None:
    """Asked means no answer where it looks, and the dials it names are exactly those."""
    found = pickup.hours_question(own, hours)
    where = [c for (h, _), c in own.items() if hours is None or h in hours]
    if found is None:
        assert any(a for _, a in where) or (hours is not None and sum(n for n, _ in where) < 2)
    else:
        assert found.in_window == (hours is not None)
        assert found.dials == sum(n for n, _ in where) and not any(a for _, a in where)
