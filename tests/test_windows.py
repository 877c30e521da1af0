"""Call windows in the lead's own zone."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from warmcall.config import Windows
from warmcall.errors import InvalidData
from warmcall.localtime.windows import Range, canonical, local_datetime, parse_window

HOURS = Windows()
MADRID = ZoneInfo("Europe/Madrid")


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


def test_a_time_skipped_by_dst_moves_past_the_gap():
    # Sunday 29 March 2026 Madrid springs forward at 02:00: 02:30 does not exist, 03:30 does;
    # Monday 07:30 is still 07:30 local, two hours ahead of UTC.
    sunday, monday = datetime(2026, 3, 29).date(), datetime(2026, 3, 30).date()
    assert local_datetime(sunday, time(2, 30), MADRID).hour == 3
    start = local_datetime(monday, time(7, 30), MADRID)
    assert (start.hour, start.minute, start.utcoffset().total_seconds()) == (7, 30, 7200)
