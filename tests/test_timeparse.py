"""WHEN parsing, always relative to a fixed base moment."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warmcall.errors import InvalidData
from warmcall.timeparse import parse_when

MADRID = ZoneInfo("Europe/Madrid")
MONDAY = datetime(2026, 11, 23, 16, 40, tzinfo=MADRID)  # a call on Monday 23 November 2026


@pytest.mark.parametrize(
    "text, expected, has_time",
    [
        ("fri 10:00", datetime(2026, 11, 27, 10, 0), True),
        ("friday", datetime(2026, 11, 27, 0, 0), False),
        ("mon 9am", datetime(2026, 11, 30, 9, 0), True),  # the next Monday, not today
        ("tomorrow 12:30", datetime(2026, 11, 24, 12, 30), True),
        ("mañana 9:00", datetime(2026, 11, 24, 9, 0), True),
        ("+3d", datetime(2026, 11, 26, 16, 40), True),
        ("in 2 hours", datetime(2026, 11, 23, 18, 40), True),
        ("-2h", datetime(2026, 11, 23, 14, 40), True),
        ("2026-12-01 08:15", datetime(2026, 12, 1, 8, 15), True),
        ("2026-12-01", datetime(2026, 12, 1, 0, 0), False),
        ("next week", datetime(2026, 11, 30, 0, 0), False),
        ("last fri", datetime(2026, 11, 20, 0, 0), False),
        ("dec 3 2pm", datetime(2026, 12, 3, 14, 0), True),
        ("viernes 12:30", datetime(2026, 11, 27, 12, 30), True),
    ],
)
def test_reads_relative_to_the_base(text: str, expected: datetime, has_time: bool):
    when = parse_when(text, MONDAY, MADRID, dayfirst=True)
    assert when.at == expected.replace(tzinfo=MADRID)
    assert when.has_time is has_time


def test_ambiguous_dates_follow_the_locale():
    assert parse_when("03/04/2026", MONDAY, MADRID, dayfirst=True).at.month == 4
    assert parse_when("03/04/2026", MONDAY, MADRID, dayfirst=False).at.month == 3


def test_explicit_offset_is_kept_as_the_same_instant():
    when = parse_when("2026-12-01T08:00:00-05:00", MONDAY, MADRID)
    assert when.at == datetime(2026, 12, 1, 14, 0, tzinfo=MADRID)


def test_days_keep_the_wall_clock_across_dst():
    base = datetime(2026, 3, 27, 10, 0, tzinfo=MADRID)  # Friday before the spring change
    assert parse_when("+3d", base, MADRID).at == datetime(2026, 3, 30, 10, 0, tzinfo=MADRID)


@pytest.mark.parametrize("text", ["", "soonish", "fri 25:00", "31/31/2026"])
def test_unreadable_text_is_one_clear_error(text: str):
    with pytest.raises(InvalidData, match="Cannot read"):
        parse_when(text, MONDAY, MADRID)


@given(st.integers(min_value=-400, max_value=400), st.sampled_from(["d", "h", "w", "m"]))
def test_relative_offsets_move_by_exactly_that_much(n: int, unit: str):
    text = f"{'+' if n >= 0 else '-'}{abs(n)}{unit}"
    result = parse_when(text, MONDAY, MADRID).at
    if unit in ("h", "m"):
        minutes = abs(n) * (60 if unit == "h" else 1)
        assert abs(result - MONDAY) == timedelta(minutes=minutes)
    else:
        days = abs(n) * (7 if unit == "w" else 1)
        assert abs((result.date() - MONDAY.date()).days) == days
        assert (result.hour, result.minute) == (16, 40)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)))
def test_iso_text_round_trips(moment: datetime):
    moment = moment.replace(second=0, microsecond=0, fold=0)
    result = parse_when(moment.strftime("%Y-%m-%d %H:%M"), MONDAY, MADRID).at
    utc = ZoneInfo("UTC")
    skipped = moment.replace(tzinfo=MADRID).astimezone(utc).astimezone(MADRID).replace(tzinfo=None)
    if skipped != moment:  # a wall time the spring change skips: the hour after the gap
        assert result.replace(tzinfo=None) - moment == timedelta(hours=1)
    else:
        assert result.replace(tzinfo=None) == moment


# --- bounded and honest ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["9999-12-31 23:59", "0001-01-01", "1969-12-31 23:00", "2101-01-01", "+99999999999999999999d",
     "-3000000d", "in 99999 weeks"],
)  # fmt: skip
def test_moments_outside_1970_2100_are_refused_in_one_sentence(text):
    with pytest.raises(InvalidData, match="between 1970 and 2100"):
        parse_when(text, MONDAY, MADRID)


def test_the_edges_of_the_kept_years_are_accepted():
    assert parse_when("1970-01-01", MONDAY, MADRID).at.year == 1970
    assert parse_when("2100-12-31 23:59", MONDAY, MADRID).at.year == 2100


@pytest.mark.parametrize(
    "text, utc_hour",
    [
        ("fri 10:00 PST", 18),
        ("fri 10:00 EST", 15),
        ("fri 10:00 CET", 9),
        ("fri 10:00 UTC", 10),
        ("fri 10:00 +05:00", 5),
        ("fri 10:00 Europe/London", 10),
        ("2026-11-27 10:00 EST", 15),
    ],
)
def test_a_zone_after_the_time_is_converted_not_dropped(text, utc_hour):
    found = parse_when(text, MONDAY, MADRID)
    assert found.at.astimezone(ZoneInfo("UTC")) == datetime(
        2026, 11, 27, utc_hour, 0, tzinfo=ZoneInfo("UTC")
    )
    assert found.at.tzinfo == MADRID  # shown in the user's zone


@pytest.mark.parametrize(
    "text", ["fri 10:00 XYZ", "fri 10:00 IST", "fri 10:00 Mars/Olympus", "10:00 PST fri"]
)
def test_an_unknown_zone_is_refused_without_a_library_warning(text, recwarn):
    with pytest.raises(InvalidData, match="time zone"):
        parse_when(text, MONDAY, MADRID)
    assert not recwarn.list  # dateutil's UnknownTimezoneWarning never reaches the user


@pytest.mark.parametrize("text", ["32nd", "10:00 am pm", "fri fri fri", "yesterday-ish", "32"])
def test_nonsense_is_refused_not_guessed(text):
    with pytest.raises(InvalidData, match="Cannot read"):
        parse_when(text, MONDAY, MADRID)


def test_day_first_follows_the_region():
    from warmcall.config import Config

    spain, usa = Config(region="ES"), Config(region="US")
    assert parse_when("03/04", MONDAY, MADRID, spain.day_first).at.month == 4
    assert parse_when("03/04", MONDAY, MADRID, usa.day_first).at.month == 3
    # A year first is read year-month-day whatever the region.
    assert parse_when("2026-12-01 10:00 UTC", MONDAY, MADRID, spain.day_first).at.month == 12


@given(st.text(max_size=30))
def test_any_text_gives_a_moment_within_the_kept_years_or_our_error(text):
    try:
        found = parse_when(text, MONDAY, MADRID, dayfirst=True)
    except InvalidData:
        return
    assert 1970 <= found.at.year <= 2100
    assert found.at.tzinfo is not None


WORDS = st.sampled_from(
    ["fri", "tomorrow", "next", "10:00", "9am", "pm", "+3d", "2026-12-01", "12/01", "PST",
     "UTC", "+05:00", "in", "2", "days", "ago", "31st", "dec", "9999", "0001", "99999999999d"]
)  # fmt: skip


@given(st.lists(WORDS, min_size=1, max_size=4).map(" ".join), st.booleans())
def test_any_mix_of_date_words_gives_a_bounded_moment_or_our_error(text, dayfirst):
    try:
        found = parse_when(text, MONDAY, MADRID, dayfirst=dayfirst)
    except InvalidData:
        return
    assert 1970 <= found.at.year <= 2100


# --- today's own weekday ---------------------------------------------------------------------

WEDNESDAY_6 = datetime(2026, 12, 9, 6, 0, tzinfo=MADRID)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wed 10:00", datetime(2026, 12, 9, 10, 0)),  # still ahead: today
        ("miércoles 10:00", datetime(2026, 12, 9, 10, 0)),
        ("this wed 10:00", datetime(2026, 12, 9, 10, 0)),
        ("wed 05:00", datetime(2026, 12, 16, 5, 0)),  # already past: next week
        ("next wed 10:00", datetime(2026, 12, 16, 10, 0)),  # "next" is never today
        ("el próximo miércoles 10:00", datetime(2026, 12, 16, 10, 0)),
        ("wed", datetime(2026, 12, 16, 0, 0)),  # no time to be ahead: next week
    ],
)
def test_todays_weekday_means_today_when_its_time_is_still_ahead(text: str, expected: datetime):
    assert parse_when(text, WEDNESDAY_6, MADRID).at == expected.replace(tzinfo=MADRID)


def test_at_reads_todays_weekday_as_today_whatever_the_time():
    monday_9 = datetime(2026, 12, 7, 9, 0, tzinfo=MADRID)
    found = parse_when("mon 07:50", monday_9, MADRID, weekday_today="always").at
    assert found == datetime(2026, 12, 7, 7, 50, tzinfo=MADRID)


ZONES = st.sampled_from(
    [ZoneInfo(z) for z in ("Europe/Madrid", "America/New_York", "Pacific/Auckland",
                           "Asia/Kolkata", "America/Mexico_City", "UTC", "Atlantic/Canary")]
)  # fmt: skip
DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@given(
    base=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)),
    zone=ZONES,
    hour=st.sampled_from([0, 1, 6, 10, 12, 22, 23]),
    minute=st.sampled_from([0, 1, 30, 59]),
    near_midnight=st.booleans(),
)
def test_a_weekday_with_a_time_is_the_first_such_moment_ahead(
    base: datetime, zone: ZoneInfo, hour: int, minute: int, near_midnight: bool
):
    if near_midnight:  # the minutes around midnight, where "today" turns over
        base = base.replace(hour=23, minute=59) if base.second % 2 else base.replace(hour=0)
    local = base.replace(tzinfo=zone)
    local = local.astimezone(zone)
    for name in DAY_NAMES:
        found = parse_when(f"{name} {hour:02d}:{minute:02d}", local, zone).at
        assert found.astimezone(zone).strftime("%a").lower() == name
        # Ahead of now, and the first such: a week earlier is not ahead.
        assert local < found <= local + timedelta(days=7, hours=2)
        earlier = (found.replace(tzinfo=None) - timedelta(days=7)).replace(tzinfo=zone)
        assert earlier.astimezone(zone).date() < local.date() or earlier <= local


# --- "now" and units ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["now", "+0d", "-0m", "+0h"])
def test_zero_moves_are_the_base_itself(text: str):
    assert parse_when(text, MONDAY, MADRID).at == MONDAY


@pytest.mark.parametrize("text", ["-1", "+2", "- 3"])
def test_a_number_without_its_unit_is_refused_not_read_as_a_day(text: str):
    with pytest.raises(InvalidData, match="needs a unit"):
        parse_when(text, MONDAY, MADRID)
