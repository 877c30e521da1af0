"""The audit over the store (both engines): a store an older warmcall left is upgraded by
migration 0017 without losing a call, and its calls, never judged when logged, are exported
as such — no verdict made up — with the number each lead had at the dial."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import MADRID, older_store
from warmcall import audit
from warmcall.compliance.checks import Verdict, dumps, loads
from warmcall.compliance.rules import Problem
from warmcall.config import Config
from warmcall.store.db import SCHEMA_HEAD, Database, open_db, schema_version

START = datetime(2026, 11, 1, tzinfo=MADRID)
END = datetime(2026, 12, 1, tzinfo=MADRID)


def epoch(day: int, hour: int) -> int:
    return int(datetime(2026, 11, day, hour, tzinfo=MADRID).timestamp())


def test_an_0011_store_keeps_every_call_and_its_dials_are_audited_unjudged(
    store: Database, tmp_path: Path
) -> None:
    old, target = older_store(store.dialect, tmp_path, "0011")
    old.execute(
        "INSERT INTO leads (name, name_key, phone, phone_e164, temperature, stage, status, "
        "consent, \"window\", timezone, created_at, updated_at) VALUES ('Pablo', 'pablo', "
        "'+34 612 000 002', '+34612000002', 'warm', 'lead', 'active', 'b2b', 'any', "
        "'Europe/Madrid', 1, 1)"
    )
    for day in (16, 17, 20):
        old.execute(
            "INSERT INTO calls (lead_id, at, outcome, channel, created_at) "
            "VALUES (1, :at, 'no-answer', 'phone', 1)",
            {"at": epoch(day, 10)},
        )
    old.execute(  # the number was changed between the second and the third dial
        "INSERT INTO lead_identities (lead_id, at, kind, value, replaced_by, created_at) "
        "VALUES (1, :at, 'phone', '+34612000001', '+34612000002', :at)",
        {"at": epoch(18, 9)},
    )
    old.close()
    db = open_db(target)
    try:
        assert schema_version(db) == SCHEMA_HEAD
        kept = db.query("SELECT id, dialled, checks, broken FROM calls ORDER BY id")
        assert [(r["id"], r["dialled"], r["checks"], r["broken"]) for r in kept] == [
            (1, None, None, None), (2, None, None, None), (3, None, None, None)
        ]  # fmt: skip
        config = Config(timezone="Europe/Madrid", region="ES")
        rows = list(audit.dials(db, START, END, config))
    finally:
        db.close()
    assert [r.call_id for r in rows] == [1, 2, 3]
    assert [r.verdict for r in rows] == [None, None, None]  # not judged when logged
    assert [(r.number, r.number_recorded) for r in rows] == [
        ("+34612000001", False), ("+34612000001", False), ("+34612000002", False)
    ]  # fmt: skip
    assert {r.profile for r in rows} == {"b2b"}
    assert [c.old for c in rows[0].identities] == ["+34612000001"]
    record = audit.as_json(rows[0], MADRID)
    assert record["checks"] is None and record["local_time"] == "2026-11-16T10:00:00+01:00"


MOMENTS = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
)
PROBLEMS = st.one_of(
    st.builds(lambda m: Problem("outside-hours", {"local": m.astimezone(MADRID),
                                                  "hours": "09:00-21:00", "profile": "b2b"}),
              MOMENTS),
    st.builds(lambda d: Problem("holiday", {"name": "Día", "country": "ES", "date": d.date()}),
              MOMENTS),
    st.builds(lambda m, n: Problem("resting", {"why": "refusal", "days": n, "profile": "x"}, m),
              MOMENTS, st.integers(1, 400)),
    st.builds(lambda d: Problem("registry-listed", {"registry": "robinson", "as_of": d.date()}),
              MOMENTS),
    st.just(Problem("a-rule-to-come", {"n": 1})),
)  # fmt: skip


@given(st.lists(PROBLEMS, max_size=4), st.sampled_from([None, datetime(2026, 8, 11).date()]))
def test_a_verdict_kept_with_a_call_reads_back_as_it_was_judged(problems, since) -> None:
    """Moments, days and a check no one here knows (a registry's) survive the store's JSON."""
    verdict = Verdict("fr-b2c", since, "loi" if since else None,
                      ("hours", "day", "holiday", "consent", "rest", "frequency"),
                      tuple(problems))  # fmt: skip
    back = loads(dumps(verdict))
    assert back == verdict
    assert "registry" not in back.passed
    assert set(back.broken_checks) == {
        {"outside-hours": "hours", "holiday": "holiday", "resting": "rest",
         "registry-listed": "registry"}.get(p.code, p.code)
        for p in problems
    }  # fmt: skip
