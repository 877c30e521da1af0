"""Importing call history from other tools: lead matching, dates, outcomes, atomicity."""

import csv
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import MADRID, NOW
from warmcall import calls, leads
from warmcall.calls import CallEntry, log_call
from warmcall.errors import InvalidData, UsageError
from warmcall.imports.calls import (
    ImportRejected,
    import_calls,
    map_columns,
    open_source,
    parse_map,
)
from warmcall.models import FollowUpStatus, Outcome, Status


@pytest.fixture
def people(store, config):
    """Ana (#1, a Spanish mobile) and Bob (#2, New York)."""
    build = leads.LeadBuilder(config).build
    ana = leads.add(store, build({"name": "Ana Martínez", "phone": "612 345 678",
                                  "email": "ana@innova.es"}), NOW)  # fmt: skip
    bob = leads.add(store, build({"name": "Bob Smith", "phone": "+1 212 555 0100",
                                  "email": "bob@globex.com"}), NOW)  # fmt: skip
    return ana, bob


def write(tmp_path: Path, text: str, name: str = "calls.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(db, path, config, now, **options):
    with open_source(str(path)) as (source, size):
        return import_calls(db, source, config, now, size=size, **options)


def stored(store):
    return store.query(
        "SELECT lead_id, at, outcome, channel, duration, notes FROM calls ORDER BY at"
    )


def epoch(*args):
    return int(datetime(*args, tzinfo=MADRID).timestamp())


def test_a_crm_export_imports_with_its_own_spellings(store, config, people, tmp_path):
    path = write(
        tmp_path,
        "Email,Activity Date,Call Outcome,Call Notes,Call Duration\n"
        "ANA@innova.es,2026-11-23 16:40,Left Voicemail,,\n"
        'bob@globex.com,2026-11-24T15:00:00Z,Connected,"asked for a demo,\nnext week",272\n'
        "ana@innova.es,2026-11-24 10:00,Meeting Scheduled,demo on Friday,4:30\n",
    )
    result = run(store, path, config, NOW)
    assert (result.rows, result.imported, result.rejected) == (3, 3, 0)
    assert result.columns == {"Email": "email", "Activity Date": "at", "Call Outcome": "outcome",
                              "Call Notes": "notes", "Call Duration": "duration"}  # fmt: skip
    assert stored(store) == [
        {"lead_id": 1, "at": epoch(2026, 11, 23, 16, 40), "outcome": "voicemail",
         "channel": "phone", "duration": None, "notes": None},
        {"lead_id": 1, "at": epoch(2026, 11, 24, 10, 0), "outcome": "meeting",
         "channel": "phone", "duration": 270, "notes": "demo on Friday"},
        {"lead_id": 2, "at": epoch(2026, 11, 24, 16, 0), "outcome": "connected",
         "channel": "phone", "duration": 272, "notes": "asked for a demo,\nnext week"},
    ]  # fmt: skip


@pytest.mark.parametrize(
    "header, value",
    [
        ("Phone", "+34 612 34 56 78"),  # another format of the same number
        ("Phone", "612345678"),
        ("Lead ID", "1"),
        ("Associated Contact", "Ana Martínez (ana@innova.es)"),  # HubSpot
        ("Contact", "ana@innova.es"),
    ],
)
def test_the_lead_is_found_by_phone_id_or_e_mail(store, config, people, tmp_path, header, value):
    path = write(tmp_path, f'"{header}",Date,Disposition\n"{value}",2026-11-23 16:40,No answer\n')
    assert run(store, path, config, NOW).imported == 1
    assert stored(store)[0]["lead_id"] == 1


@pytest.mark.parametrize(
    "text, expected",
    [
        ("23/11/2026 16:40", (2026, 11, 23, 16, 40)),  # day first: the configured region is ES
        ("23.11.2026 16:40:00", (2026, 11, 23, 16, 40)),
        ("Nov 23, 2026 4:40 PM", (2026, 11, 23, 16, 40)),
        ("2026-11-23", (2026, 11, 23, 0, 0)),
        ("2026-11-23T16:40:00+01:00", (2026, 11, 23, 16, 40)),
        ("1795448400", (2026, 11, 23, 16, 40)),  # Unix seconds
    ],
)
def test_dates_in_reasonable_formats_naive_ones_in_the_users_zone(
    store, config, people, tmp_path, text, expected
):
    path = write(tmp_path, f'email,date,outcome\nana@innova.es,"{text}",vm\n')
    run(store, path, config, NOW)
    assert stored(store)[0]["at"] == epoch(*expected)


def test_month_first_when_the_locale_says_so(store, config, people, tmp_path):
    config.dayfirst = False
    path = write(tmp_path, "email,date,outcome\nana@innova.es,11/23/2026 16:40,vm\n")
    run(store, path, config, NOW)
    assert stored(store)[0]["at"] == epoch(2026, 11, 23, 16, 40)


def test_separate_date_and_time_columns(store, config, people, tmp_path):
    path = write(
        tmp_path, "email,Call Date,Call Time,Result\nana@innova.es,23/11/2026,16:40,Busy\n"
    )
    run(store, path, config, NOW)
    assert stored(store)[0]["at"] == epoch(2026, 11, 23, 16, 40)


def test_atomic_by_default_every_bad_line_listed_nothing_written(store, config, people, tmp_path):
    path = write(
        tmp_path,
        "email,date,outcome,notes\n"
        "ana@innova.es,2026-11-23 16:40,vm,fine\n"
        'nobody@nowhere.com,2026-11-23 16:41,vm,"two\nlines"\n'
        "bob@globex.com,yesterday-ish,vm,\n"
        "\n"
        "bob@globex.com,2026-11-23 16:42,maybe,\n"
        "ana@innova.es,2026-11-23 16:43,Do Not Call,\n",
    )
    with pytest.raises(ImportRejected) as err:
        run(store, path, config, NOW)
    message = str(err.value)
    assert message.splitlines()[0].startswith("3 of 5 rows cannot be imported, so nothing")
    assert "  line 3: no lead has the e-mail nobody@nowhere.com" in message
    assert "  line 5: cannot read the date 'yesterday-ish'" in message  # after the 2-line row
    assert "  line 7: unknown outcome 'maybe'" in message  # after a blank line
    assert stored(store) == []
    assert leads.get(store, 1).status == Status.ACTIVE  # the do-not-call row was not applied


def test_skip_invalid_imports_the_rest_and_writes_the_rejects(store, config, people, tmp_path):
    path = write(
        tmp_path,
        "email,date,outcome\n"
        "ana@innova.es,2026-11-23 16:40,vm\n"
        "nobody@nowhere.com,2026-11-23 16:41,vm\n"
        "bob@globex.com,2026-11-23 16:42,\n",
    )
    rejects = tmp_path / "rejects.csv"
    result = run(store, path, config, NOW, skip_invalid=True, rejects=rejects)
    assert (result.imported, result.rejected) == (1, 2)
    assert len(stored(store)) == 1
    with rejects.open(newline="", encoding="utf-8") as fh:
        assert list(csv.reader(fh)) == [
            ["line", "reason", "email", "date", "outcome"],
            ["3", "no lead has the e-mail nobody@nowhere.com", "nobody@nowhere.com",
             "2026-11-23 16:41", "vm"],
            ["4", "no outcome", "bob@globex.com", "2026-11-23 16:42", ""],
        ]  # fmt: skip


def test_dry_run_checks_everything_and_writes_nothing(store, config, people, tmp_path):
    path = write(tmp_path, "email,date,outcome\nana@innova.es,2026-11-23 16:40,dnc\n")
    result = run(store, path, config, NOW, dry_run=True)
    assert (result.imported, result.marked_dnc, result.dry_run) == (1, 1, True)
    assert stored(store) == [] and leads.get(store, 1).status == Status.ACTIVE


def test_history_is_a_record_except_do_not_call(store, config, people, tmp_path):
    ana, bob = people
    due = datetime(2026, 11, 27, 10, 0, tzinfo=MADRID)
    entry = CallEntry(Outcome.CONNECTED, NOW, next_at=due, next_action="send the offer")
    log_call(store, ana, entry, NOW, config)
    path = write(
        tmp_path,
        "email,date,outcome,notes\n"
        "ana@innova.es,2026-11-26 10:00,connected,\n"
        "bob@globex.com,2026-11-20 10:00,wrong number,\n"
        "bob@globex.com,2026-11-19 09:00,Do Not Contact,remove me\n"
        "bob@globex.com,2026-11-21 09:00,dnc,again\n",
    )
    result = run(store, path, config, NOW)
    assert result.marked_dnc == 1
    assert [f.status for f in calls.history(store, ana.id)[1]] == [FollowUpStatus.OPEN]
    bob_now = leads.get(store, bob.id)
    assert bob_now.phone_flag is None  # a record, not a new event
    assert bob_now.status == Status.DNC
    assert (bob_now.dnc_at, bob_now.dnc_reason) == (
        datetime(2026, 11, 19, 9, 0, tzinfo=MADRID),
        "remove me",
    )


def test_a_file_without_the_needed_columns_names_them(store, config, people, tmp_path):
    path = write(tmp_path, "Name,Company\nAna,Innova\n")
    with pytest.raises(InvalidData) as err:
        run(store, path, config, NOW)
    assert "no column for the lead" in str(err.value) and "the outcome" in str(err.value)
    assert "'Name', 'Company'" in str(err.value)


def test_map_names_an_unknown_column(store, config, people, tmp_path):
    path = write(tmp_path, "Who,Cuándo,Qué pasó\nana@innova.es,2026-11-23 16:40,buzón\n")
    mapping = parse_map(["Who=email", "cuando=at", "Qué pasó=outcome"])
    assert run(store, path, config, NOW, mapping=mapping).imported == 1
    # The same --map as the lead import's: a usage error naming the call's fields.
    with pytest.raises(UsageError, match="'person' is not a call field .*lead_id, email"):
        parse_map(["Who=person"])
    with pytest.raises(UsageError, match="COLUMN=FIELD"):
        parse_map(["outcome"])
    assert parse_map(["Result = 1=outcome"]) == {"Result = 1": "outcome"}  # the last = splits


def test_status_is_the_outcome_only_when_nothing_better_exists():
    columns = map_columns(["Status", "Email", "Date", "Disposition"])
    assert columns["outcome"] == 3


def test_call_headers_are_recognised_as_lead_headers_are():
    """One matcher for both imports: camelCase, a qualifier ("Customer e-mail"), a numbered
    column ("Phone 2" after "Phone"), and a bracket that tells two durations apart."""
    columns = map_columns(
        ["Customer E-mail", "callDate", "CallOutcome", "Phone 2", "Phone", "Duration (ms)"]
    )
    assert columns == {"email": 0, "at": 1, "outcome": 2, "phone": 4, "duration_ms": 5}
    assert map_columns(["Email", "Date", "Outcome", "Notes (internal)"])["notes"] == 3
    assert map_columns(["Email", "Date", "Outcome", "Phone 2"])["phone"] == 3


def test_the_result_says_whether_it_was_written(store, config, people, tmp_path):
    path = write(tmp_path, "email,date,outcome\nana@innova.es,2026-11-23 16:40,vm\n")
    assert not run(store, path, config, NOW, dry_run=True).written
    assert stored(store) == []
    assert run(store, path, config, NOW).written and len(stored(store)) == 1


def test_an_empty_file_and_a_missing_file(store, config, tmp_path):
    with pytest.raises(InvalidData, match="no header"):
        run(store, write(tmp_path, ""), config, NOW)
    with pytest.raises(Exception, match="Cannot read"):
        run(store, tmp_path / "nope.csv", config, NOW)


@given(
    st.lists(
        st.tuples(st.sampled_from(["ana@innova.es", "bob@globex.com", "eve@nowhere.org"]),
                  st.integers(0, 60 * 24 * 30), st.sampled_from(["vm", "Connected", "??"])),
        max_size=15,
    )
)  # fmt: skip
@settings(deadline=None)  # each example opens a store: slow on a busy machine
def test_import_is_all_or_nothing(tmp_path_factory, rows):
    from warmcall.config import Config
    from warmcall.store.db import open_db

    tmp = tmp_path_factory.mktemp("prop")
    config = Config(timezone="Europe/Madrid", region="ES")
    with open_db(tmp / "w.db") as db:
        for name, email in (("Ana", "ana@innova.es"), ("Bob", "bob@globex.com")):
            leads.add(db, leads.LeadBuilder(config).build({"name": name, "email": email}), NOW)
        lines = ["email,date,outcome"] + [
            f"{e},{(NOW - timedelta(minutes=m)).isoformat()},{o}" for e, m, o in rows
        ]
        path = write(tmp, "\n".join(lines) + "\n")
        bad = sum(1 for e, _, o in rows if e.startswith("eve") or o == "??")
        try:
            result = run(db, path, config, NOW)
        except ImportRejected:
            assert bad > 0
            assert stored(db) == []
        else:
            assert bad == 0 and result.imported == len(rows) == len(stored(db))


def test_a_spanish_spreadsheet_in_cp1252_with_semicolons(store, config, people, tmp_path):
    path = tmp_path / "llamadas.csv"
    text = (
        "Correo;Fecha;Resultado;Notas\r\nana@innova.es;23/11/2026 16:40;Buzón;volver el jueves\r\n"
    )
    path.write_bytes(text.encode("cp1252"))
    assert run(store, path, config, NOW).imported == 1
    assert stored(store)[0]["outcome"] == "voicemail"


def test_a_big_file_rebuilds_the_index_and_a_failed_one_keeps_it(
    store, config, people, tmp_path, monkeypatch
):
    from warmcall.imports import calls as call_import

    if store.dialect != "sqlite":
        pytest.skip("dropping the index during a bulk load is done on SQLite only")
    monkeypatch.setattr(call_import, "REBUILD_INDEX_BYTES", 0)  # every file counts as big

    def indexes():
        found = store.query("SELECT name FROM sqlite_master WHERE type = 'index' "
                            "AND tbl_name = 'calls'")  # fmt: skip
        return sorted(r["name"] for r in found)

    bad = write(tmp_path, "email,date,outcome\nana@innova.es,2026-11-23 16:40,??\n", "bad.csv")
    with pytest.raises(ImportRejected):
        run(store, bad, config, NOW)
    assert indexes() == ["ix_calls_at", "ix_calls_broken", "ix_calls_lead_at", "ix_calls_rep_at"]
    good = write(tmp_path, "email,date,outcome\nana@innova.es,2026-11-23 16:40,vm\n")
    assert run(store, good, config, NOW).imported == 1
    assert indexes() == ["ix_calls_at", "ix_calls_broken", "ix_calls_lead_at", "ix_calls_rep_at"]
    for sql, index in (
        ("SELECT MAX(at) FROM calls WHERE lead_id = 1", "ix_calls_lead_at"),
        ("SELECT outcome, COUNT(*) FROM calls WHERE at >= 0 AND at < 9 GROUP BY 1", "ix_calls_at"),
    ):  # the rebuilt indexes serve their look-ups
        plan = store.query(f"EXPLAIN QUERY PLAN {sql}")
        assert index in " ".join(str(r["detail"]) for r in plan)


def test_a_duration_longer_than_a_call_may_last_is_refused_as_call_log_refuses_it(
    store, config, people, tmp_path
):
    """One limit on the length of a call, whatever wrote it and whatever the engine."""
    path = write(
        tmp_path,
        "email,date,outcome,duration\n"
        "ana@innova.es,2026-11-23 16:40,connected,86400\n"  # 24 h: the longest there is
        "bob@globex.com,2026-11-23 16:41,connected,99999999h\n",
    )
    with pytest.raises(ImportRejected) as err:
        run(store, path, config, NOW)
    assert "  line 3: a duration over 24 hours (99999999h)" in str(err.value)
    assert stored(store) == []
