"""Each score part declared once: its points, its reason, and an SQL bound never below them."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.books import Person, books, write_book
from tests.conftest import MADRID, NOW
from warmcall.config import Config, Score
from warmcall.pickup import record as pickup_record
from warmcall.plan.candidates import candidates, plan_today
from warmcall.plan.planner import Candidate, plan
from warmcall.plan.score import TERMS
from warmcall.render.reasons import part_detail

CONFIG = Config(timezone="Europe/Madrid", region="ES")


def row_parts(config: Config = CONFIG, **kw: Any) -> dict[str, tuple[float, str]]:
    values: dict[str, Any] = {
        "name": "Ana",
        "created_at": NOW - timedelta(days=30),
        "last_touch_at": NOW - timedelta(days=6),
        "last_touch_outcome": "connected",
        "last_conversation_at": NOW - timedelta(days=6),
        "last_conversation_outcome": "connected",
        "consent": "b2b",
    }
    values.update(kw)
    result = plan([Candidate(lead_id=1, **values)], NOW, config)
    assert result.rows, result.excluded
    return {
        p.part: (p.points, part_detail(p, result.now, result.zone)) for p in result.rows[0].parts
    }


def test_every_part_is_one_declaration_with_points_and_a_bound() -> None:
    names = [t.name for t in TERMS]
    assert len(names) == len(set(names))
    assert {"followup", "temperature", "stage", "consent", "window-open"} <= set(names)
    for term in TERMS:
        assert term.bound(CONFIG).strip(), term.name


@pytest.mark.parametrize(("stage", "points"), [("sql", 2), ("pql", 1.5), ("mql", 1)])
def test_an_sql_ranks_above_an_mql(stage: str, points: float) -> None:
    assert row_parts(stage=stage)["stage"] == (points, f"{stage.upper()} (qualified)")
    assert "stage" not in row_parts(stage="lead")


def test_no_consent_on_record_is_a_reason_under_b2b_worth_what_the_config_says() -> None:
    assert row_parts(consent="none")["consent"] == (0, "no consent on record")
    assert "consent" not in row_parts(consent="opt-in")
    worth = replace(CONFIG, score=replace(CONFIG.score, consent_none=-1.5))
    assert row_parts(consent="none", config=worth)["consent"] == (-1.5, "no consent on record")


def test_stage_points_come_from_the_configuration() -> None:
    custom = replace(CONFIG, score=replace(CONFIG.score, stage_sql=5.0))
    assert row_parts(stage="sql", config=custom)["stage"][0] == 5.0


# --- the SQL bound is never below the score, whatever the coefficients ------------------------

coefficients = st.builds(
    Score,
    unanswered_each=st.sampled_from([-0.5, 0.0, 0.7]),
    never_contacted_fade=st.sampled_from([0.5, 0.0, -0.2]),
    stale=st.sampled_from([2.0, -1.0]),
    consent_none=st.sampled_from([0.0, 0.5, -1.0]),
    stage_pql=st.sampled_from([1.5, 4.0]),
    positive_last=st.sampled_from([1.0, 3.0]),
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    books(max_size=10),
    coefficients,
    st.integers(0, 6 * 24 - 1),  # hours after NOW: any moment of the week
)
def test_the_sql_bound_is_never_below_the_python_score(
    tmp_path_factory: pytest.TempPathFactory, people: list[Person], score: Score, hours: int
) -> None:
    from warmcall.store.db import open_db

    config = Config(timezone="Europe/Madrid", region="ES", score=score)
    now = NOW + timedelta(hours=hours)
    db = open_db(tmp_path_factory.mktemp("bound") / "w.db")
    with db:
        write_book(db, people)
        complete = plan_today(db, now, config, include_cold=True, limit=None, everything=True)
        exact = {r.lead.lead_id: r.score for r in complete.rows}
        book = pickup_record.book(db, config, now)  # each lead's pickup part bounded by its record
        bounds = {
            c.lead_id: c.ceiling for c in candidates(db, now, config, include_cold=True, book=book)
        }
    for lead_id, points in exact.items():
        assert bounds[lead_id] is not None and bounds[lead_id] >= points - 1e-9, lead_id


def test_a_day_in_madrid_counts_whole_days_across_the_change_of_time() -> None:
    # The bound counts days high by at most one; a touch just before midnight still bounds.
    late = datetime(2026, 10, 24, 23, 59, tzinfo=MADRID)
    parts = row_parts(last_touch_at=late, last_conversation_at=late, created_at=late)
    assert parts["days-since-touch"][1] == "32 days since the last touch"
