"""The plan's reasons worded at the edge: English as the planner says it, Spanish from the facts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import NOW
from tests.test_activity import add_call, add_followup, add_lead, day
from warmcall.activity import plan_today
from warmcall.compliance.rules import Calendar
from warmcall.config import Config
from warmcall.models import Consent, Temperature
from warmcall.plan.planner import Plan
from warmcall.render import i18n
from warmcall.render.reasons import excluded_reason, part_detail, part_label, problem_text

history = st.lists(
    st.tuples(
        st.integers(0, 20),  # days before NOW
        st.integers(6, 21),  # hour
        st.sampled_from(["connected", "voicemail", "no-answer", "callback", "not-interested"]),
        st.sampled_from(["phone", "phone", "phone", "email"]),
    ),
    max_size=6,
)
a_lead = st.tuples(
    st.sampled_from(list(Temperature)),
    st.sampled_from(["lead", "sql", "mql"]),
    st.sampled_from(list(Consent)),
    st.sampled_from(["early", "midday", "any", "18:00-20:00"]),
    st.sampled_from([None, "America/New_York", "Asia/Tokyo"]),
    st.integers(0, 60),
    history,
    st.one_of(st.none(), st.integers(-8, 6)),
    st.sampled_from(["active", "active", "active", "won", "lost"]),
)


def _plan(tmp: Any, people: list[Any], hours: int) -> Plan:
    from warmcall.store.db import open_db

    config = Config(timezone="Europe/Madrid", region="ES")
    db = open_db(tmp / "w.db")
    with db:
        for n, (temp, stage, consent, window, zone, added, calls, due, status) in enumerate(people):
            lead_id = add_lead(
                db,
                f"L{n}",
                day(added),
                temperature=temp,
                stage=stage,
                consent=consent,
                window=window,
                timezone=zone,
                status=status,
            )
            for days, hour, outcome, channel in calls:
                add_call(db, lead_id, day(days, hour), outcome, channel)
            if due is not None:
                add_followup(db, lead_id, day(due), "call back")
        return plan_today(db, NOW + timedelta(hours=hours), config, limit=None, everything=True)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(a_lead, min_size=1, max_size=8), st.integers(0, 6 * 24 - 1))
def test_in_english_every_reason_reads_as_the_planner_wrote_it(
    tmp_path_factory: pytest.TempPathFactory, people: list[Any], hours: int
) -> None:
    result = _plan(tmp_path_factory.mktemp("en"), people, hours)
    i18n.use("en")
    calendar = Calendar(Config(timezone="Europe/Madrid", region="ES"))
    for row in result.rows:
        for part in row.parts:
            assert part_detail(part, result.now, result.zone, row.lead) == part.detail
            assert part_label(part.part) == part.part
        for problem in calendar.may_call(row.lead, result.now + timedelta(hours=7)):
            assert problem_text(problem, result.now, result.zone) == problem.detail
    for item in result.excluded:
        assert excluded_reason(item, result.now, result.zone) == item.reason


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(a_lead, min_size=1, max_size=8), st.integers(0, 6 * 24 - 1))
def test_in_spanish_every_reason_is_worded_from_its_facts(
    tmp_path_factory: pytest.TempPathFactory, people: list[Any], hours: int
) -> None:
    result = _plan(tmp_path_factory.mktemp("es"), people, hours)
    try:
        i18n.use("es")
        for row in result.rows:
            for part in row.parts:
                said = part_detail(part, result.now, result.zone, row.lead)
                assert said != part.detail or "moved" in part.facts, (part, said)
            for problem in Calendar(Config(timezone="Europe/Madrid", region="ES")).may_call(
                row.lead, result.now + timedelta(hours=7)
            ):
                said = problem_text(problem, result.now, result.zone)
                assert said != problem.detail or problem.code == "resting", (problem, said)
        for item in result.excluded:
            said = excluded_reason(item, result.now, result.zone)
            # An agreed time the rules forbid quotes the rule's English sentence.
            quoted = item.code == "closed" and "problems" in item.facts
            assert said != item.reason or quoted, (item.code, said)
    finally:
        i18n.use("en")
