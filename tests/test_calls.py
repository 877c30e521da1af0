"""Logging calls in the core: outcomes and their effects, follow-ups kept, late and overdue."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import MADRID, NOW
from warmcall import calls, leads, phones
from warmcall.calls import CallEntry, log_call, parse_duration, parse_outcome
from warmcall.errors import InvalidData, Refused, UsageError
from warmcall.models import (
    Channel,
    FollowUp,
    FollowUpStatus,
    Objection,
    Outcome,
    Status,
    Temperature,
)

MON = datetime(2026, 11, 23, 16, 40, tzinfo=MADRID)  # Monday 23 November 2026
# A clock after every call these tests log: a call cannot be logged in the future.
LATER = datetime(2026, 12, 31, 12, 0, tzinfo=MADRID)
FRI_10 = datetime(2026, 11, 27, 10, 0, tzinfo=MADRID)


def lead(store, config, **values):
    values = {"name": "Ana Martínez", "company": "Innova", "phone": "612 345 678", **values}
    return leads.add(store, leads.LeadBuilder(config).build(values), NOW - timedelta(days=30))


def counts(store):
    return tuple(store.one(f"SELECT COUNT(*) AS n FROM {t}")["n"] for t in ("calls", "followups"))


# --- vocabulary ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, outcome",
    [
        ("vm", Outcome.VOICEMAIL),
        ("na", Outcome.NO_ANSWER),
        ("no answer", Outcome.NO_ANSWER),
        ("noanswer", Outcome.NO_ANSWER),
        ("NI", Outcome.NOT_INTERESTED),
        ("dnc", Outcome.DO_NOT_CALL),
        ("bz", Outcome.BUSY),
        ("wrong", Outcome.WRONG_NUMBER),
        ("Left Voicemail", Outcome.VOICEMAIL),
        ("Meeting Booked", Outcome.MEETING),
        ("Meeting Scheduled", Outcome.MEETING),
        ("call back", Outcome.CALLBACK),
        ("Connected", Outcome.CONNECTED),
        ("Left live message", Outcome.CONNECTED),  # HubSpot disposition
        ("Not Interested", Outcome.NOT_INTERESTED),
        ("Wrong Number", Outcome.WRONG_NUMBER),
        ("Bad Number", Outcome.WRONG_NUMBER),
        ("Busy", Outcome.BUSY),
        ("Do Not Call", Outcome.DO_NOT_CALL),
        ("do_not_call", Outcome.DO_NOT_CALL),
        ("buzón de voz", Outcome.VOICEMAIL),
    ],
)
def test_outcome_spellings_from_people_and_other_tools(text, outcome):
    assert parse_outcome(text) is outcome


@given(st.sampled_from(list(Outcome)), st.sampled_from(["-", " ", "_"]), st.booleans())
def test_every_outcome_reads_in_any_case_and_separator(outcome, sep, upper):
    text = outcome.value.replace("-", sep)
    assert parse_outcome(text.upper() if upper else text) is outcome


def test_unknown_outcome_lists_the_outcomes():
    with pytest.raises(InvalidData) as err:
        parse_outcome("maybe later")
    assert "'maybe later'" in str(err.value)
    assert all(o.value in str(err.value) for o in Outcome)


@pytest.mark.parametrize(
    "text, seconds",
    [("5m", 300), ("90s", 90), ("1h5m", 3900), ("1h 5m", 3900), ("4:30", 270),
     ("1:04:30", 3870), ("12", 720), ("5 min", 300), ("2 mins 10 secs", 130)],
)  # fmt: skip
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "five", "4:75", "5q", "-3m", "1.5.2"])
def test_unreadable_durations(text):
    with pytest.raises(InvalidData, match="duration"):
        parse_duration(text)


@given(st.integers(0, 30), st.integers(0, 59), st.integers(0, 59))
def test_duration_parts_add_up(h, m, s):
    assert parse_duration(f"{h}h{m}m{s}s") == h * 3600 + m * 60 + s
    assert parse_duration(f"{h}:{m:02d}:{s:02d}") == h * 3600 + m * 60 + s


# --- effects of each outcome ----------------------------------------------------------------


@pytest.mark.parametrize(
    "outcome",
    [Outcome.CONNECTED, Outcome.VOICEMAIL, Outcome.NO_ANSWER, Outcome.BUSY],
)
def test_plain_outcomes_record_the_call_and_leave_the_lead(store, config, outcome):
    ana = lead(store, config)
    result = log_call(store, ana, CallEntry(outcome, MON, notes=" left word "), LATER, config)
    stored = leads.get(store, ana.id)
    assert (stored.status, stored.phone_flag, stored.temperature) == (
        Status.ACTIVE,
        None,
        Temperature.WARM,
    )
    history, _ = calls.history(store, ana.id)
    assert [(c.outcome, c.at, c.notes) for c in history] == [(outcome, MON, "left word")]
    assert result.call.id == history[0].id


def test_do_not_call_marks_the_lead_at_once_with_the_call_time(store, config):
    ana = lead(store, config)
    entry = CallEntry(Outcome.DO_NOT_CALL, MON, notes="asked to be removed from our list")
    result = log_call(store, ana, entry, LATER, config)
    stored = leads.get(store, ana.id)
    assert stored.status == Status.DNC and result.lead.status == Status.DNC
    assert stored.dnc_at == MON
    assert stored.dnc_reason == "asked to be removed from our list"


def test_a_call_to_a_dnc_lead_is_refused_with_the_date_and_nothing_written(store, config):
    ana = lead(store, config)
    leads.mark_dnc(store, ana, "said never again", MON)
    before = counts(store)
    with pytest.raises(Refused) as err:
        log_call(store, ana, CallEntry(Outcome.CONNECTED, NOW), LATER, config)
    assert "23 Nov 2026" in str(err.value) and "said never again" in str(err.value)
    assert counts(store) == before


def test_a_call_from_before_the_objection_is_still_a_record(store, config):
    ana = lead(store, config)
    leads.mark_dnc(store, ana, "said never again", NOW)
    log_call(store, ana, CallEntry(Outcome.VOICEMAIL, MON), LATER, config)
    assert counts(store) == (1, 0)


def test_wrong_number_flags_the_phone(store, config):
    ana = lead(store, config)
    log_call(store, ana, CallEntry(Outcome.WRONG_NUMBER, MON), LATER, config)
    assert leads.get(store, ana.id).phone_flag == phones.WRONG_NUMBER


def test_not_interested_keeps_the_status_unless_told(store, config):
    ana, bob = lead(store, config), lead(store, config, name="Bob", phone="699 000 111")
    log_call(store, ana, CallEntry(Outcome.NOT_INTERESTED, MON), LATER, config)
    log_call(store, bob, CallEntry(Outcome.NOT_INTERESTED, MON, lost=True), LATER, config)
    assert leads.get(store, ana.id).status == Status.ACTIVE
    assert leads.get(store, bob.id).status == Status.LOST


def test_temperature_after_the_call_becomes_the_leads(store, config):
    ana = lead(store, config)
    entry = CallEntry(
        Outcome.CONNECTED, MON, objections=[Objection.PRICE, Objection.PRICE],
        temperature=Temperature.HOT, duration=270, channel=Channel.VISIT,
    )  # fmt: skip
    log_call(store, ana, entry, LATER, config)
    assert leads.get(store, ana.id).temperature == Temperature.HOT
    call = calls.history(store, ana.id)[0][0]
    assert (call.objections, call.temperature, call.duration, call.channel) == (
        [Objection.PRICE],
        Temperature.HOT,
        270,
        Channel.VISIT,
    )


def test_callback_needs_a_next_step_and_writes_nothing_without(store, config):
    ana = lead(store, config)
    with pytest.raises(UsageError, match="callback needs"):
        log_call(store, ana, CallEntry(Outcome.CALLBACK, MON), LATER, config)
    assert counts(store) == (0, 0)
    entry = CallEntry(Outcome.CALLBACK, MON, next_at=FRI_10, next_action="call back")
    result = log_call(store, ana, entry, LATER, config)
    assert result.opened is not None and result.opened.due_at == FRI_10


@pytest.mark.parametrize(
    "entry, error",
    [
        (CallEntry(Outcome.CONNECTED, MON, next_at=FRI_10), UsageError),  # no action
        (CallEntry(Outcome.CONNECTED, MON, next_action="send offer"), UsageError),  # no when
        (CallEntry(Outcome.CONNECTED, MON, next_at=MON - timedelta(hours=1), next_action="x"),
         InvalidData),  # before the call
        (CallEntry(Outcome.DO_NOT_CALL, MON, next_at=FRI_10, next_action="x"), UsageError),
    ],
)  # fmt: skip
def test_bad_next_steps_write_nothing(store, config, entry, error):
    ana = lead(store, config)
    with pytest.raises(error):
        log_call(store, ana, entry, LATER, config)
    assert counts(store) == (0, 0)
    assert leads.get(store, ana.id).status == Status.ACTIVE


def test_a_failure_inside_the_transaction_rolls_back_the_call(store, config, monkeypatch):
    ana = lead(store, config)

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(calls, "_apply_effects", broken)
    entry = CallEntry(Outcome.CONNECTED, MON, next_at=FRI_10, next_action="send offer")
    with pytest.raises(RuntimeError):
        log_call(store, ana, entry, LATER, config)
    assert counts(store) == (0, 0)


# --- follow-ups: kept, late, overdue -----------------------------------------------------------


def agreed(store, config, ana, due=FRI_10, has_time=True):
    entry = CallEntry(
        Outcome.CONNECTED, MON, next_at=due, next_has_time=has_time,
        next_action="send revised offer", next_goal="agree on a pilot",
    )  # fmt: skip
    return log_call(store, ana, entry, LATER, config).opened


@pytest.mark.parametrize(
    "call_at, status",
    [
        (datetime(2026, 11, 27, 9, 0, tzinfo=MADRID), FollowUpStatus.KEPT),  # before the time
        (datetime(2026, 11, 27, 23, 30, tzinfo=MADRID), FollowUpStatus.KEPT),  # same day, late
        # 00:10 on Saturday in Madrid is still Friday in UTC: the user's calendar decides.
        (datetime(2026, 11, 28, 0, 10, tzinfo=MADRID), FollowUpStatus.LATE),
        (datetime(2026, 11, 30, 10, 0, tzinfo=MADRID), FollowUpStatus.LATE),
    ],
)
def test_the_next_call_keeps_or_is_late_by_the_users_calendar_day(store, config, call_at, status):
    ana = lead(store, config)
    opened = agreed(store, config, ana)
    result = log_call(store, ana, CallEntry(Outcome.CONNECTED, call_at), LATER, config)
    assert result.closed is not None and result.closed.id == opened.id
    assert result.closed.status == status
    _, followups = calls.history(store, ana.id)
    assert [(f.status, f.done_at, f.done_call_id) for f in followups] == [
        (status, call_at, result.call.id)
    ]


def test_kept_follows_the_configured_zone_not_utc(store, config):
    config.timezone = "America/New_York"
    ana = lead(store, config)
    ny = ZoneInfo("America/New_York")
    agreed(store, config, ana, due=datetime(2026, 11, 27, 10, 0, tzinfo=ny))
    # 23:00 in New York on Friday is Saturday in UTC and in Madrid: still Friday for the user.
    late_friday = datetime(2026, 11, 27, 23, 0, tzinfo=ny)
    result = log_call(store, ana, CallEntry(Outcome.CONNECTED, late_friday), LATER, config)
    assert result.closed.status == FollowUpStatus.KEPT


def test_a_new_next_step_opens_after_the_old_one_closes(store, config):
    ana = lead(store, config)
    agreed(store, config, ana)
    entry = CallEntry(
        Outcome.CONNECTED, FRI_10, next_at=FRI_10 + timedelta(days=4), next_action="demo"
    )
    result = log_call(store, ana, entry, LATER, config)
    assert result.closed.status == FollowUpStatus.KEPT
    assert result.opened.status == FollowUpStatus.OPEN and result.opened.call_id == result.call.id
    _, followups = calls.history(store, ana.id)
    assert [f.status for f in followups] == [FollowUpStatus.OPEN, FollowUpStatus.KEPT]


def test_a_call_dated_before_the_follow_up_was_agreed_does_not_close_it(store, config):
    ana = lead(store, config)
    agreed(store, config, ana)  # agreed in Monday's call
    earlier = MON - timedelta(days=3)
    result = log_call(store, ana, CallEntry(Outcome.VOICEMAIL, earlier), LATER, config)
    assert result.closed is None
    assert [f.status for f in calls.history(store, ana.id)[1]] == [FollowUpStatus.OPEN]


@pytest.mark.parametrize(
    "now, status",
    [
        (FRI_10 - timedelta(minutes=1), FollowUpStatus.OPEN),
        (FRI_10 + timedelta(minutes=1), FollowUpStatus.OVERDUE),
    ],
)
def test_an_open_follow_up_past_its_time_is_overdue(store, config, now, status):
    ana = lead(store, config)
    opened = agreed(store, config, ana)
    assert calls.followup_status(opened, now) == status
    assert calls.followup_json(opened, MADRID, now)["status"] == status.value


def test_a_follow_up_for_a_day_is_due_all_that_day(store, config):
    ana = lead(store, config)
    thursday = datetime(2026, 11, 26, 0, 0, tzinfo=MADRID)
    opened = agreed(store, config, ana, due=thursday, has_time=False)
    assert calls.followup_status(opened, thursday + timedelta(hours=23, minutes=59)) == "open"
    assert calls.followup_status(opened, thursday + timedelta(days=1)) == "overdue"


def test_kept_and_late_stay_as_stored_whatever_the_clock(config):
    done = FollowUp(lead_id=1, due_at=FRI_10, action="x", status=FollowUpStatus.LATE)
    assert calls.followup_status(done, FRI_10 + timedelta(days=90)) == FollowUpStatus.LATE


# --- listing ----------------------------------------------------------------------------------


def test_find_calls_filters_in_sql_newest_first(store, config):
    ana, bob = lead(store, config), lead(store, config, name="Bob", phone="699 000 111")
    for days, who, outcome in [(5, ana, "vm"), (3, bob, "connected"), (1, ana, "ni")]:
        log_call(store, who, CallEntry(parse_outcome(outcome), NOW - timedelta(days=days)), LATER,
                 config)  # fmt: skip
    everything = calls.find_calls(store, calls.CallFilter())
    assert [c.call.outcome for c in everything] == ["not-interested", "connected", "voicemail"]
    assert everything[1].lead_name == "Bob"
    only_ana = calls.find_calls(store, calls.CallFilter(lead_id=ana.id))
    assert [c.call.outcome for c in only_ana] == ["not-interested", "voicemail"]
    window = calls.CallFilter(since=NOW - timedelta(days=4), until=NOW - timedelta(days=2))
    assert [c.call.outcome for c in calls.find_calls(store, window)] == ["connected"]
    picked = calls.CallFilter(outcomes=[Outcome.VOICEMAIL, Outcome.NOT_INTERESTED], limit=1)
    assert [c.call.outcome for c in calls.find_calls(store, picked)] == ["not-interested"]


# --- the follow-up lifecycle (SPEC §1): closed by a conversation, moved by a new step -----


@pytest.mark.parametrize(
    "outcome", [Outcome.VOICEMAIL, Outcome.NO_ANSWER, Outcome.BUSY, Outcome.WRONG_NUMBER]
)
def test_an_unanswered_dial_never_closes_the_agreed_step(store, config, outcome):
    ana = lead(store, config)
    opened = agreed(store, config, ana)
    result = log_call(store, ana, CallEntry(outcome, FRI_10), LATER, config)
    assert result.closed is None
    assert result.still_open is not None and result.still_open.id == opened.id
    _, followups = calls.history(store, ana.id)
    assert [(f.status, f.done_at) for f in followups] == [(FollowUpStatus.OPEN, None)]


def test_a_new_next_step_without_a_conversation_moves_the_old_one(store, config):
    ana = lead(store, config)
    old = agreed(store, config, ana)
    entry = CallEntry(
        Outcome.VOICEMAIL, FRI_10, next_at=FRI_10 + timedelta(days=3), next_action="try again"
    )
    result = log_call(store, ana, entry, LATER, config)
    assert result.closed is None and result.moved is not None and result.moved.id == old.id
    _, followups = calls.history(store, ana.id)
    assert [(f.action, f.status) for f in followups] == [
        ("try again", FollowUpStatus.OPEN),
        ("send revised offer", FollowUpStatus.MOVED),
    ]
    # a moved step is neither kept nor late, and no longer open for the plan
    assert followups[1].done_call_id == result.call.id


def test_a_meeting_needs_its_date_and_writes_nothing_without(store, config):
    ana = lead(store, config)
    with pytest.raises(UsageError, match="meeting needs"):
        log_call(store, ana, CallEntry(Outcome.MEETING, MON), LATER, config)
    assert counts(store) == (0, 0)


def test_a_not_interested_lead_rests_on_the_call_itself(store, config):
    from warmcall.plan.candidates import LAST_NOT_INTERESTED

    ana = lead(store, config)
    log_call(store, ana, CallEntry(Outcome.NOT_INTERESTED, MON), LATER, config)
    log_call(store, ana, CallEntry(Outcome.VOICEMAIL, MON + timedelta(days=1)), LATER, config)
    row = store.one(f"SELECT {LAST_NOT_INTERESTED} AS at FROM leads l WHERE l.id = :id",
                    {"id": ana.id})  # fmt: skip
    assert row["at"] == int(MON.timestamp())
    assert leads.get(store, ana.id).status == Status.ACTIVE


def test_the_week_of_the_issue_a_no_answer_before_the_agreed_monday(store, config):
    """Follow-up agreed for Mon 7 Dec; a no-answer on Fri 4 Dec: the step stays agreed,
    and the week's report does not count it as kept."""
    from warmcall import reports

    oliver = lead(store, config, name="Oliver Grant", phone="+44 7700 900123")
    tue = datetime(2026, 12, 1, 11, 0, tzinfo=MADRID)
    monday_7 = datetime(2026, 12, 7, 10, 0, tzinfo=MADRID)
    entry = CallEntry(
        Outcome.CONNECTED, tue, next_at=monday_7,
        next_action="compare against Vend", next_goal="book a trial",
    )  # fmt: skip
    log_call(store, oliver, entry, LATER, config)
    friday = datetime(2026, 12, 4, 16, 0, tzinfo=MADRID)
    result = log_call(store, oliver, CallEntry(Outcome.NO_ANSWER, friday), friday, config)
    assert result.closed is None and result.still_open.due_at == monday_7
    _, followups = calls.history(store, oliver.id)
    assert [f.status for f in followups] == [FollowUpStatus.OPEN]
    week = reports.Period(datetime(2026, 11, 30).date(), datetime(2026, 12, 6).date(), "2026-W49")
    report = reports.weekly(store, week, config, datetime(2026, 12, 7, 8, 0, tzinfo=MADRID))
    assert (report.followups_set, report.followups_kept, report.followups_late) == (1, 0, 0)
    assert report.overdue == []  # agreed for Monday: not overdue on Monday morning
    # Monday's conversation keeps it
    kept = log_call(store, oliver, CallEntry(Outcome.CONNECTED, monday_7), monday_7, config)
    assert kept.closed.status == FollowUpStatus.KEPT


# --- correcting the record (SPEC §1) ----------------------------------------------------------


def test_a_call_in_the_future_is_refused_and_nothing_written(store, config):
    ana = lead(store, config)
    with pytest.raises(InvalidData, match="future"):
        log_call(store, ana, CallEntry(Outcome.CONNECTED, NOW + timedelta(hours=4)), NOW, config)
    assert counts(store) == (0, 0)


def test_undo_reopens_the_step_the_call_kept_and_removes_the_one_it_agreed(store, config):
    ana = lead(store, config)
    first = agreed(store, config, ana)
    entry = CallEntry(
        Outcome.CONNECTED, FRI_10, temperature=Temperature.HOT,
        next_at=FRI_10 + timedelta(days=4), next_action="demo",
    )  # fmt: skip
    done = log_call(store, ana, entry, LATER, config)
    assert leads.get(store, ana.id).temperature == Temperature.HOT
    undone = calls.undo_call(store, calls.last_logged(store), LATER, config)
    assert undone.call.id == done.call.id
    assert [f.id for f in undone.reopened] == [first.id]
    assert [f.action for f in undone.removed] == ["demo"]
    assert "temperature" in undone.restored
    stored = leads.get(store, ana.id)
    assert stored.temperature == Temperature.WARM
    history, followups = calls.history(store, ana.id)
    assert [c.id for c in history] == [first.call_id]
    assert [(f.id, f.status, f.done_at) for f in followups] == [(first.id, "open", None)]


def test_undo_brings_back_a_moved_step_and_a_lost_lead(store, config):
    ana = lead(store, config)
    first = agreed(store, config, ana)
    entry = CallEntry(
        Outcome.NOT_INTERESTED, FRI_10, lost=True,
        next_at=FRI_10 + timedelta(days=60), next_action="ask again next quarter",
    )  # fmt: skip
    log_call(store, ana, entry, LATER, config)
    assert leads.get(store, ana.id).status == Status.LOST
    calls.undo_call(store, calls.last_logged(store), LATER, config)
    assert leads.get(store, ana.id).status == Status.ACTIVE
    assert [(f.id, f.status) for f in calls.history(store, ana.id)[1]] == [(first.id, "open")]


def test_undoing_a_do_not_call_needs_a_reason_and_keeps_both_acts(store, config):
    ana = lead(store, config)
    log_call(store, ana, CallEntry(Outcome.DO_NOT_CALL, MON, notes="typo: meant vm"), LATER,
             config)  # fmt: skip
    with pytest.raises(UsageError, match="--reason"):  # never lifted without a word
        calls.undo_call(store, calls.last_logged(store), LATER, config)
    assert leads.get(store, ana.id).status == Status.DNC and counts(store) == (1, 0)
    calls.undo_call(store, calls.last_logged(store), LATER, config, reason="meant voicemail")
    stored = leads.get(store, ana.id)
    assert stored.status == Status.ACTIVE and stored.dnc_at is None
    events = leads.events(store, stored)
    assert [(e.kind, e.at) for e in events] == [("dnc", MON), ("lift", LATER)]
    assert events[1].reason.startswith("meant voicemail")


def test_undoing_a_wrong_number_unflags_the_phone(store, config):
    ana = lead(store, config)
    log_call(store, ana, CallEntry(Outcome.WRONG_NUMBER, MON), LATER, config)
    calls.undo_call(store, calls.last_logged(store), LATER, config)
    assert leads.get(store, ana.id).phone_flag is None


def test_editing_the_outcome_makes_what_the_call_did_follow(store, config):
    ana = lead(store, config)
    first = agreed(store, config, ana)
    kept = log_call(store, ana, CallEntry(Outcome.CONNECTED, FRI_10), LATER, config)
    assert kept.closed.id == first.id
    # it was a no-answer after all: the step is open again
    fixed = calls.edit_call(
        store, kept.call.id, calls.CallChanges(outcome=Outcome.NO_ANSWER), LATER, config
    )
    assert fixed.call.id == kept.call.id and fixed.closed is None
    assert [f.status for f in calls.history(store, ana.id)[1]] == [FollowUpStatus.OPEN]
    # and back: a conversation on Monday is late
    monday = FRI_10 + timedelta(days=3)
    again = calls.edit_call(
        store, kept.call.id, calls.CallChanges(outcome=Outcome.CONNECTED, at=monday), LATER,
        config,
    )  # fmt: skip
    assert again.closed.status == FollowUpStatus.LATE
    assert calls.get_call(store, kept.call.id).at == monday


def test_editing_notes_and_temperature_keeps_the_effects(store, config):
    ana = lead(store, config)
    first = agreed(store, config, ana)
    fixed = calls.edit_call(
        store, first.call_id,
        calls.CallChanges(notes="wants a pilot", temperature=Temperature.HOT), LATER, config,
    )  # fmt: skip
    assert fixed.call.notes == "wants a pilot"
    assert leads.get(store, ana.id).temperature == Temperature.HOT
    assert [f.status for f in calls.history(store, ana.id)[1]] == [FollowUpStatus.OPEN]


def test_only_the_latest_call_changes_outcome_and_a_future_time_is_refused(store, config):
    ana = lead(store, config)
    first = agreed(store, config, ana)
    log_call(store, ana, CallEntry(Outcome.VOICEMAIL, FRI_10), LATER, config)
    with pytest.raises(Refused, match="later calls"):
        calls.edit_call(store, first.call_id, calls.CallChanges(outcome=Outcome.BUSY), LATER,
                        config)  # fmt: skip
    last = calls.last_logged(store)
    with pytest.raises(InvalidData, match="future"):
        calls.edit_call(store, last.id, calls.CallChanges(at=LATER + timedelta(days=1)), LATER,
                        config)  # fmt: skip
    assert calls.get_call(store, last.id).at == FRI_10  # nothing changed
    with pytest.raises(calls.NotFound):
        calls.edit_call(store, 999, calls.CallChanges(notes="x"), LATER, config)


# --- the frequency rule at log time (SPEC §7) --------------------------------------------------


def dial(store, config, who, outcome, at, **kw):
    return log_call(store, who, CallEntry(outcome, at, **kw), LATER, config)


def test_a_fourth_dial_in_three_days_is_logged_with_a_warning(store, config):
    ana = lead(store, config)
    days = [MON, MON + timedelta(days=1), MON + timedelta(days=2)]
    for at in days:
        assert dial(store, config, ana, Outcome.CONNECTED, at).warnings == []
    fourth = dial(store, config, ana, Outcome.CONNECTED, MON + timedelta(days=2, hours=2))
    assert [(w.rule, w.count, w.limit, w.days) for w in fourth.warnings] == [("attempts", 4, 3, 14)]
    assert counts(store) == (4, 0)  # it happened: it is kept


def test_a_dial_inside_the_rest_after_an_unanswered_one_warns(store, config):
    ana = lead(store, config)
    dial(store, config, ana, Outcome.NO_ANSWER, MON)
    soon = dial(store, config, ana, Outcome.VOICEMAIL, MON + timedelta(hours=47))
    assert [(w.rule, w.hours, w.since) for w in soon.warnings] == [
        ("rest-after-unanswered", 48, MON)
    ]
    later = dial(store, config, ana, Outcome.VOICEMAIL, MON + timedelta(hours=47 + 48))
    assert later.warnings == []


def test_an_agreed_step_due_that_day_and_other_channels_break_nothing(store, config):
    ana = lead(store, config)
    agreed(store, config, ana)  # Monday's call agreed Friday 10:00
    dial(store, config, ana, Outcome.NO_ANSWER, MON + timedelta(hours=1))
    dial(store, config, ana, Outcome.NO_ANSWER, MON + timedelta(hours=2))
    assert dial(store, config, ana, Outcome.CONNECTED, FRI_10).warnings == []  # asked for
    email = dial(store, config, ana, Outcome.CONNECTED, FRI_10 + timedelta(minutes=5),
                 channel=Channel.EMAIL)  # fmt: skip
    assert email.warnings == []


def test_the_rules_come_from_the_configuration(store, config):
    config.rules.max_attempts = 1
    config.rules.rest_hours_after_unanswered = 0
    ana = lead(store, config)
    dial(store, config, ana, Outcome.NO_ANSWER, MON)
    second = dial(store, config, ana, Outcome.NO_ANSWER, MON + timedelta(hours=1))
    assert [w.rule for w in second.warnings] == ["attempts"]


def test_editing_a_call_into_and_out_of_do_not_call_keeps_every_act(store, config):
    ana = lead(store, config)
    logged = log_call(store, ana, CallEntry(Outcome.CONNECTED, MON), LATER, config)
    calls.edit_call(store, logged.call.id, calls.CallChanges(outcome=Outcome.DO_NOT_CALL),
                    LATER, config)  # fmt: skip
    assert leads.get(store, ana.id).status == Status.DNC
    with pytest.raises(Refused):  # no call after the objection
        log_call(store, leads.get(store, ana.id), CallEntry(Outcome.CONNECTED, FRI_10), LATER,
                 config)  # fmt: skip
    with pytest.raises(UsageError, match="--reason"):
        calls.edit_call(store, logged.call.id, calls.CallChanges(outcome=Outcome.CONNECTED),
                        LATER, config)  # fmt: skip
    assert leads.get(store, ana.id).status == Status.DNC
    calls.edit_call(store, logged.call.id,
                    calls.CallChanges(outcome=Outcome.CONNECTED, reason="she never objected"),
                    LATER, config)  # fmt: skip
    stored = leads.get(store, ana.id)
    assert stored.status == Status.ACTIVE
    kinds = [(e.kind, e.at) for e in leads.events(store, stored)]
    assert kinds == [("dnc", MON), ("lift", LATER)]
    assert "corrected" in leads.events(store, stored)[1].reason


def test_the_frequency_warning_follows_the_leads_rule_profile(store, config) -> None:
    """fr-b2c allows 4 calls in 30 days: the 5th dial in a month is logged with a warning
    naming the profile, where the b2b cadence (3 in 14 days) would not see it."""
    from dataclasses import replace
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from warmcall import calls, leads
    from warmcall.calls import CallEntry
    from warmcall.config import Compliance
    from warmcall.models import Lead, Outcome

    paris = ZoneInfo("Europe/Paris")
    conf = replace(config, compliance=Compliance(countries={"FR": "fr-b2c"}))
    start = datetime(2026, 11, 2, 10, 0, tzinfo=paris)
    lead = leads.add(
        store,
        Lead(name="Claire Martin", phone="+33612345678", phone_e164="+33612345678", country="FR"),
        start,
    )
    warnings = []
    for week in range(5):
        at = start + timedelta(days=6 * week)
        logged = calls.log_call(store, lead, CallEntry(outcome=Outcome.CONNECTED, at=at), at, conf)
        warnings.append([(w.rule, w.profile) for w in logged.warnings])
    assert warnings == [[], [], [], [], [("attempts", "fr-b2c")]]
