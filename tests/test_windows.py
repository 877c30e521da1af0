"""Call windows in the lead's own zone."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from warmcall.config import Windows
from warmcall.errors import InvalidData
from warmcall.localtime.windows import Range, canonical, is_open, next_opening, parse_window

HOURS = Windows()
WEEKDAYS = [1, 2, 3, 4, 5]
MADRID = ZoneInfo("Europe/Madrid")
NEW_YORK = ZoneInfo("America/New_York")


def test_named_windows_take_their_hours_from_the_configuration():
    assert parse_window("early", HOURS) == (Range(time(7, 30), time(9, 0)),)
    assert parse_window("midday", Windows(midday="13:00-15:00")) == (Range(time(13), time(15)),)
    assert parse_window(None, HOURS) == (Range(time(9), time(18)),)


def test_names_and_ranges_mix():
    assert parse_window("early, 16:00-17:30", HOURS) == (
        Range(time(7, 30), time(9)),
        Range(time(16), time(17, 30)),
    )
    assert canonical("Early,16-17:30", HOURS) == "early,16:00-17:30"


@pytest.mark.parametrize("spec", ["lunch", "9-8", "25:00-26:00", "early;midday"])
def test_bad_windows_are_refused(spec: str):
    with pytest.raises(InvalidData):
        parse_window(spec, HOURS)


def test_next_opening_is_in_the_leads_zone():
    now = datetime(2026, 11, 25, 7, 50, tzinfo=MADRID)  # 01:50 in New York
    start, end = next_opening(parse_window("midday", HOURS), NEW_YORK, now, WEEKDAYS)
    assert start.astimezone(MADRID) == datetime(2026, 11, 25, 18, 0, tzinfo=MADRID)
    assert end.astimezone(MADRID) == datetime(2026, 11, 25, 20, 0, tzinfo=MADRID)


def test_an_open_window_is_the_next_opening():
    now = datetime(2026, 11, 25, 8, 15, tzinfo=MADRID)
    ranges = parse_window("early", HOURS)
    assert is_open(ranges, MADRID, now, WEEKDAYS)
    assert next_opening(ranges, MADRID, now, WEEKDAYS)[0].hour == 7


def test_weekends_are_skipped():
    friday_evening = datetime(2026, 11, 27, 19, 0, tzinfo=MADRID)
    start, _ = next_opening(parse_window("early", HOURS), MADRID, friday_evening, WEEKDAYS)
    assert start.date().isoweekday() == 1 and start.day == 30


def test_dst_change_keeps_local_hours():
    # Sunday 29 March 2026 Madrid springs forward; Monday's early window is still 07:30 local.
    sunday = datetime(2026, 3, 29, 12, 0, tzinfo=MADRID)
    start, _ = next_opening(parse_window("early", HOURS), MADRID, sunday, WEEKDAYS)
    assert (start.hour, start.minute, start.utcoffset().total_seconds()) == (7, 30, 7200)
