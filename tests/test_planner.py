"""The pure planner: every exclusion, every score part, slots across zones and DST, order.

``NOW`` is Wednesday 25 November 2026, 07:50 in Madrid (conftest): the early window
(07:30–09:00) is open, midday and the working day (``any``, 09:00–18:00) are still to come.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import MADRID, NOW
from warmcall.config import Config
from warmcall.plan.planner import Agreed, Candidate, Excluded, Plan, plan
from warmcall.render.plan import plan_json as render_plan_json
from warmcall.render.reasons import excluded_reason, part_detail

NEW_YORK = ZoneInfo("America/New_York")
CONFIG = Config(timezone="Europe/Madrid", region="ES")


def at(day: int, hour: int, minute: int = 0, month: int = 11, zone: ZoneInfo = MADRID) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=zone)


def lead(lead_id: int = 1, **kw: Any) -> Candidate:
    """A warm lead added a month ago, last touched by a call on the 19th (6 days ago)."""
    values: dict[str, Any] = {
        "name": f"Lead {lead_id}",
        "created_at": at(25, 9, month=10),
        "temperature": "warm",
        "window": "any",
        "last_touch_at": at(19, 11),
        "last_touch_outcome": "connected",
        "last_touch_channel": "phone",
        "last_conversation_at": at(19, 11),
        "last_conversation_outcome": "connected",
        "consent": "b2b",
        "timezone": "Europe/Madrid",  # a lead whose zone is known (see the tests of unknown zones)
    }
    values.update(kw)
    return Candidate(lead_id=lead_id, **values)


# No history: for plans made on other days than NOW.
QUIET = {"last_touch_at": None, "last_conversation_at": None, "created_at": at(1, 9, month=1)}


def one(candidate: Candidate, now: datetime = NOW, **kw: Any) -> Plan:
    return plan([candidate], now, CONFIG, **kw)


def excluded(candidate: Candidate, now: datetime = NOW, **kw: Any) -> Excluded:
    result = one(candidate, now, **kw)
    assert not result.rows, f"expected {candidate.name} to be left out"
    return result.excluded[0]


def parts(candidate: Candidate, now: datetime = NOW) -> dict[str, tuple[float, str]]:
    result = one(candidate, now)
    assert result.rows, result.excluded
    return {
        p.part: (p.points, part_detail(p, result.now, result.zone)) for p in result.rows[0].parts
    }


# --- exclusions --------------------------------------------------------------------------

EXCLUSIONS = [
    pytest.param(
        {"status": "dnc", "dnc_at": at(12, 16), "dnc_reason": "asked never to be called"},
        NOW,
        "dnc",
        "do not call: objected on 12 Nov: asked never to be called",
        id="dnc",
    ),
    pytest.param({"status": "won"}, NOW, "won", "won: a customer now", id="won"),
    pytest.param({"status": "lost"}, NOW, "lost", "lost", id="lost"),
    pytest.param(
        {"temperature": "cold"}, NOW, "cold", "cold lead (plan them with --include-cold)", id="cold"
    ),
    pytest.param(
        {"followup": Agreed(at(2, 10, month=12), "send revised offer")},
        NOW,
        "agreed",
        "agreed for Wed 2 Dec 10:00: send revised offer",
        id="agreed-later",
    ),
    pytest.param(
        {"followup": Agreed(at(26, 0), "call back", has_time=False)},
        NOW,
        "agreed",
        "agreed for Thu 26 Nov: call back",
        id="agreed-tomorrow-no-time",
    ),
    pytest.param(
        {
            "dials": 3,
            "dial_times": (at(20, 10), at(22, 10), at(24, 10)),
            "unanswered": 3,
            "last_touch_outcome": "busy",
        },
        NOW,
        "resting",
        "resting until Fri 4 Dec (3 dials in 14 days)",
        id="three-dials-in-14-days",
    ),
    pytest.param(
        {"last_touch_at": at(24, 10, 12), "last_touch_outcome": "no-answer", "dials": 1},
        NOW,
        "resting",
        "resting until Thu 10:12 (no-answer yesterday 10:12)",
        id="unanswered-less-than-48h-ago",
    ),
    pytest.param(
        {
            "last_touch_at": at(25, 7, 40),
            "last_conversation_at": at(25, 7, 40),
            "last_conversation_outcome": "connected",
        },
        NOW,
        "talked",
        "talked today at 07:40 (connected), nothing agreed",
        id="talked-today",
    ),
    pytest.param(
        {"window": "early"},
        at(25, 19),
        "closed",
        "window closed today, next Thu 07:30",
        id="window-closed",
    ),
    pytest.param(
        {"window": "early"},
        at(28, 10),
        "day-off",
        "your day off: Sat is not a working day, next Mon 07:30",
        id="weekend",
    ),
]


@pytest.mark.parametrize(("fields", "now", "code", "reason"), EXCLUSIONS)
def test_every_exclusion_has_a_reason_a_person_reads(
    fields: dict[str, Any], now: datetime, code: str, reason: str
) -> None:
    left_out = excluded(lead(**fields), now)
    assert (left_out.code, excluded_reason(left_out, now, MADRID)) == (code, reason)


def test_cold_leads_are_planned_when_asked() -> None:
    result = one(lead(temperature="cold"), include_cold=True)
    assert [r.lead.lead_id for r in result.rows] == [1]
    assert "temperature" not in {p.part for p in result.rows[0].parts}


def test_a_follow_up_due_today_overrides_resting_and_todays_talk() -> None:
    tired = lead(
        dials=4,
        dial_times=(at(20, 10), at(21, 10), at(23, 10), at(25, 7, 40)),
        last_touch_at=at(25, 7, 40),
        last_conversation_at=at(25, 7, 40),
        last_conversation_outcome="callback",
        followup=Agreed(at(25, 16), "send the contract"),
    )
    result = one(tired)
    assert len(result.rows) == 1
    assert result.rows[0].slot_start == at(25, 16)


def test_a_rest_that_ends_later_today_starts_the_slot_then() -> None:
    # No answer on Monday at 10:00: rests until Wednesday 10:00, inside the working day.
    result = one(lead(last_touch_at=at(23, 10), last_touch_outcome="no-answer", dials=1))
    row = result.rows[0]
    assert (row.slot_start, row.slot_end) == (at(25, 10), at(25, 18))


def test_rest_rules_come_from_the_configuration() -> None:
    lenient = replace(CONFIG, rules=replace(CONFIG.rules, max_attempts=5))
    busy = lead(dials=3, dial_times=(at(20, 10), at(22, 10), at(24, 10)), unanswered=3)
    assert plan([busy], NOW, lenient).rows
    short = replace(CONFIG, rules=replace(CONFIG.rules, rest_hours_after_unanswered=12))
    assert plan([lead(last_touch_at=at(24, 10), last_touch_outcome="busy")], NOW, short).rows


# --- score parts -------------------------------------------------------------------------

PARTS = [
    pytest.param(
        {"followup": Agreed(at(25, 10), "send revised offer")},
        "followup-due",
        10,
        "agreed: Wed 10:00, send revised offer",
        id="follow-up-due-today",
    ),
    pytest.param(
        {"followup": Agreed(at(23, 10), "send revised offer")},
        "followup-overdue",
        13,
        "agreed for Mon 23 Nov 10:00: send revised offer (2 d late)",
        id="overdue-2-days",
    ),
    pytest.param(
        {"followup": Agreed(at(1, 10), "send revised offer")},
        "followup-overdue",
        17,
        "agreed for Sun 1 Nov 10:00: send revised offer (24 d late)",
        id="overdue-capped",
    ),
    pytest.param({"temperature": "hot"}, "temperature", 6, "hot lead", id="hot"),
    pytest.param({}, "temperature", 3, "warm lead", id="warm"),
    pytest.param({}, "days-since-touch", 1.2, "6 days since the last touch", id="days-6"),
    pytest.param(
        {"last_touch_at": at(10, 9, month=9)},
        "days-since-touch",
        6,
        "76 days since the last touch",
        id="days-capped-at-30",
    ),
    pytest.param({}, "stale", 2, "6 days without contact", id="stale"),
    pytest.param(
        {"last_touch_at": None, "last_conversation_at": None, "created_at": at(23, 12)},
        "never-contacted",
        3,
        "new lead, added 2 days ago",
        id="never-contacted-fading",
    ),
    pytest.param({}, "positive-last", 1, "last conversation: connected, 6 days ago", id="positive"),
    pytest.param(
        {"unanswered": 2, "dials": 2},
        "unanswered",
        -1,
        "2 unanswered dials in 14 days",
        id="unanswered",
    ),
    pytest.param(
        {"window": "early"}, "window-open", 3, "window open now, until 09:00", id="window-open"
    ),
]


@pytest.mark.parametrize(("fields", "part", "points", "detail"), PARTS)
def test_every_score_part_carries_its_points_and_reason(
    fields: dict[str, Any], part: str, points: float, detail: str
) -> None:
    assert parts(lead(**fields))[part] == (points, detail)


@pytest.mark.parametrize(
    ("fields", "absent"),
    [
        ({"last_touch_at": at(20, 9)}, "stale"),  # 5 days: not yet stale
        ({"last_touch_at": None, "created_at": at(17, 9)}, "never-contacted"),  # faded to 0
        (  # a refusal long enough ago that its rest (90 days) is over
            {
                "last_conversation_outcome": "not-interested",
                "last_conversation_at": at(1, 9, month=8),
            },
            "positive-last",
        ),
        ({"window": "midday"}, "window-open"),
        ({"last_touch_at": at(25, 7, 45), "last_conversation_at": at(20, 9)}, "days-since-touch"),
    ],
)
def test_parts_that_do_not_apply_are_left_out(fields: dict[str, Any], absent: str) -> None:
    assert absent not in parts(lead(**fields))


def test_the_score_is_the_sum_of_its_parts_and_coefficients_are_configurable() -> None:
    hot = lead(temperature="hot", window="early")
    row = one(hot).rows[0]
    assert row.score == pytest.approx(sum(p.points for p in row.parts)) == 6 + 1.2 + 2 + 1 + 3
    louder = replace(CONFIG, score=replace(CONFIG.score, hot=20, window_open=0))
    row = plan([hot], NOW, louder).rows[0]
    assert row.score == pytest.approx(20 + 1.2 + 2 + 1)


def test_days_are_calendar_days_in_the_users_zone() -> None:
    # 23:30 on the 19th and 00:30 on the 20th in Madrid are 6 and 5 days before the 25th.
    late = parts(lead(last_touch_at=at(19, 23, 30)))
    early = parts(lead(last_touch_at=at(20, 0, 30)))
    assert late["days-since-touch"][0] == 1.2 and "stale" in late
    assert early["days-since-touch"][0] == 1.0 and "stale" not in early


def test_events_after_at_count_as_now_never_negative() -> None:
    # Planning as of a week ago over a touch recorded since: 0 days, no negative points.
    # It counts as a conversation today, so only a follow-up due then keeps the lead.
    talked = lead(last_touch_at=at(24, 12), last_conversation_at=at(24, 12))
    assert excluded(talked, at(18, 8)).code == "talked"
    due = replace(talked, followup=Agreed(at(18, 10), "send revised offer"))
    points = {p.part: p.points for p in one(due, at(18, 8)).rows[0].parts}
    assert "days-since-touch" not in points and all(v > 0 for v in points.values())


# --- slots ---------------------------------------------------------------------------------


def test_a_new_york_leads_midday_is_shown_in_madrid_time() -> None:
    row = one(lead(window="midday", timezone="America/New_York")).rows[0]
    assert (row.slot_start, row.slot_end) == (at(25, 18), at(25, 20))
    assert row.slot_start.astimezone(NEW_YORK).hour == 12


def test_a_lead_without_a_zone_is_called_when_lawful_in_all_of_spains_zones() -> None:
    # A Madrid user's lead of no known place may be in Madrid or the Canaries (an hour behind).
    row = one(lead(window="midday", timezone=None)).rows[0]
    assert (row.slot_start, row.slot_end) == (at(25, 13), at(25, 14))


def test_dst_weeks_when_madrid_and_new_york_differ_by_five_hours() -> None:
    # Europe left summer time on 25 October 2026, the US only on 1 November.
    now = at(28, 7, 50, month=10)
    row = one(lead(window="midday", timezone="America/New_York", **QUIET), now).rows[0]
    assert row.slot_start == at(28, 17, month=10)
    after = one(lead(window="midday", timezone="America/New_York", **QUIET), at(4, 7, 50)).rows[0]
    assert after.slot_start == at(4, 18)


def test_the_night_the_clocks_change_counts_as_one_day() -> None:
    # Sunday 25 Oct 2026 has 25 hours in Madrid; a touch late on Saturday is 2 days before Monday.
    touched = lead(last_touch_at=at(24, 23, 30, month=10), last_conversation_at=None)
    result = one(touched, at(26, 8, month=10))
    said = part_detail(result.rows[0].parts[1], result.now, result.zone)
    assert said == "2 days since the last touch"


def test_windows_keep_local_hours_after_spring_forward() -> None:
    # Madrid springs forward on Sunday 29 March 2026; Monday's early window is 07:30 local.
    monday = datetime(2026, 3, 30, 7, 0, tzinfo=MADRID)
    row = one(lead(window="early", **QUIET), monday).rows[0]
    assert row.slot_start == datetime(2026, 3, 30, 7, 30, tzinfo=MADRID)
    assert row.slot_start.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    ("agreed", "start", "end"),
    [
        (Agreed(at(25, 10, 15), "call back"), at(25, 10, 15), at(25, 10, 45)),  # its own time
        # Overdue, or its time passed: the next opening of the window (SPEC §2), not "now".
        (Agreed(at(24, 10), "call back"), at(25, 12), at(25, 14)),
        (Agreed(at(25, 7, 0), "call back"), at(25, 12), at(25, 14)),
        (Agreed(at(25, 0), "call back", has_time=False), at(25, 12), at(25, 14)),  # its window
    ],
)
def test_follow_up_slots(agreed: Agreed, start: datetime, end: datetime) -> None:
    row = one(lead(window="midday", followup=agreed)).rows[0]
    assert (row.slot_start, row.slot_end) == (start, end)


def test_on_a_weekend_nothing_is_planned_not_even_a_time_agreed_for_it() -> None:
    # b2b calls on working days only: a follow-up agreed for Saturday 11:00 waits for the
    # next lawful opening (Monday), and says so.
    saturday = at(28, 9)
    result = plan(
        [
            lead(1),
            lead(2, followup=Agreed(at(28, 11), "confirm the pilot")),
            lead(3, followup=Agreed(at(27, 11), "overdue since Friday")),
        ],
        saturday,
        CONFIG,
    )
    assert result.rows == []
    assert not result.working_day and result.next_working_day == at(30, 0).date()
    codes = {e.lead.lead_id: e.code for e in result.excluded}
    assert codes == {1: "day-off", 2: "closed", 3: "day-off"}
    (moved,) = [e for e in result.excluded if e.lead.lead_id == 2]
    said = excluded_reason(moved, saturday, MADRID)
    assert said.startswith("agreed for 11:00, but Sat is not a calling day")
    assert said.endswith("next lawful opening Mon 09:00")


# --- order and limit -------------------------------------------------------------------------


def test_rows_go_by_slot_open_now_first_then_by_score() -> None:
    candidates = [
        lead(1, window="midday", temperature="hot"),  # 12:00, high score
        lead(2, window="early"),  # open now
        lead(3, window="early", temperature="hot"),  # open now, higher score
        lead(4, followup=Agreed(at(24, 10), "overdue")),  # overdue: its window, 09:00
        lead(5, window="any"),  # 09:00
        lead(6, window="midday"),  # 12:00, lower score than 1
    ]
    result = plan(candidates, NOW, CONFIG)
    assert [r.lead.lead_id for r in result.rows] == [3, 2, 4, 5, 1, 6]
    assert [r.rank for r in result.rows] == [1, 2, 3, 4, 5, 6]
    assert result.open_now == 2


def test_limit_keeps_the_best_scores_before_ordering_by_slot() -> None:
    candidates = [
        lead(1, window="early", last_conversation_outcome="busy"),  # open now, score 9.2
        lead(2, window="midday", temperature="hot"),  # 12:00, score 10.2
        lead(3, window="any", temperature="hot"),  # 09:00, score 10.2
    ]
    result = plan(candidates, NOW, CONFIG, limit=2)
    assert [r.lead.lead_id for r in result.rows] == [3, 2]
    assert result.callable == 3


def _scored(n: int, seed_scores: list[int]) -> list[Candidate]:
    return [
        lead(i, temperature="hot" if s % 3 == 0 else "warm", last_touch_at=at(24 - s % 20, 9))
        for i, s in enumerate(seed_scores[:n], 1)
    ]


@given(st.lists(st.integers(0, 60), min_size=1, max_size=40), st.integers(0, 12))
def test_ranked_candidates_stop_early_with_the_same_rows(scores: list[int], limit: int) -> None:
    candidates = _scored(len(scores), scores)
    full = plan(candidates, NOW, CONFIG, limit=limit)
    exact = {r.lead.lead_id: r.score for r in plan(candidates, NOW, CONFIG, limit=None).rows}
    # A store hands them best bound first; here the bound is the exact score plus slack.
    ranked = sorted(
        (replace(c, ceiling=exact.get(c.lead_id, 0) + (c.lead_id % 3)) for c in candidates),
        key=lambda c: (-(c.ceiling or 0), c.lead_id),
    )
    early = plan(ranked, NOW, CONFIG, limit=limit)
    assert [r.lead.lead_id for r in early.rows] == [r.lead.lead_id for r in full.rows]


# --- JSON --------------------------------------------------------------------------------------


def test_json_rows_have_specs_shape() -> None:
    result = plan(
        [lead(1, followup=Agreed(at(25, 10), "send revised offer")), lead(2, status="dnc")],
        NOW,
        CONFIG,
    )
    rows = render_plan_json(result, include_excluded=True)
    assert list(rows[0]) == [
        "rank", "lead_id", "name", "company", "phone", "temperature", "window", "slot_start",
        "slot_end", "score", "reasons", "last_touch_at", "attempts_14d", "followup",
        "phone_e164", "zone_known", "zone", "zone_source", "zones", "pickup", "ask_hours",
    ]  # fmt: skip
    assert rows[0]["slot_start"] == "2026-11-25T10:00:00+01:00"
    assert rows[0]["followup"] == {
        "due_at": "2026-11-25T10:00:00+01:00",
        "action": "send revised offer",
    }
    assert rows[0]["reasons"][0] == {
        "part": "followup-due",
        "points": 10,
        "detail": "agreed: Wed 10:00, send revised offer",
    }
    assert rows[1]["rank"] is None and rows[1]["excluded"].startswith("do not call")


def test_window_open_is_said_only_of_a_row_whose_slot_is_open_now() -> None:
    # 10:30 Madrid: their window (any, 09:00-18:00) is open, but the call agreed for 12:00
    # takes the slot: the row is not open now, and no part may say it is.
    agreed = Agreed(at(25, 12), "send the offer", True)
    row = one(lead(followup=agreed), at(25, 10, 30)).rows[0]
    assert row.slot_start == at(25, 12) and not row.open_now
    assert "window-open" not in {p.part for p in row.parts}
    assert row.score == pytest.approx(sum(p.points for p in row.parts))
    row = one(lead(), at(25, 10, 30)).rows[0]  # the same lead with nothing agreed: open now
    assert row.open_now and "window-open" in {p.part for p in row.parts}


def test_rows_of_equal_slots_come_together_whatever_their_scores() -> None:
    # Three leads whose slots start at 12:00 Madrid: two in the midday window (12:00-14:00)
    # and, between them by score, one in a custom 12:00-13:00 window. The one that closes
    # sooner comes first, and the two equal slots stay together, by score.
    leads = [
        lead(1, window="midday", temperature="hot"),
        lead(2, window="12:00-13:00", temperature="warm"),
        lead(3, window="midday", temperature="warm"),
    ]
    rows = plan(leads, NOW, CONFIG).rows
    assert [(r.lead.lead_id, r.slot_end) for r in rows] == [
        (2, at(25, 13)), (1, at(25, 14)), (3, at(25, 14)),
    ]  # fmt: skip
