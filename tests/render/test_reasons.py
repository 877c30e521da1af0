"""The plan's reasons worded at the edge: English as the planner says it, Spanish from the facts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.books import Person, books, write_book
from tests.conftest import MADRID, NOW
from warmcall.compliance.rules import Calendar, Problem
from warmcall.config import Config
from warmcall.plan.candidates import plan_today
from warmcall.plan.planner import Plan
from warmcall.plan.score import Part
from warmcall.render import i18n
from warmcall.render.reasons import (
    english_problem,
    excluded_reason,
    part_detail,
    part_label,
    problem_text,
)


def _plan(tmp: Any, people: list[Person], hours: int) -> Plan:
    from warmcall.store.db import open_db

    config = Config(timezone="Europe/Madrid", region="ES")
    db = open_db(tmp / "w.db")
    with db:
        write_book(db, people)
        return plan_today(db, NOW + timedelta(hours=hours), config, limit=None, everything=True)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(books(max_size=8), st.integers(0, 6 * 24 - 1))
def test_in_english_every_code_has_its_words(
    tmp_path_factory: pytest.TempPathFactory, people: list[Person], hours: int
) -> None:
    """The core says no sentence: every part, rule and exclusion it returns is worded here,
    and an unknown code raises rather than printing nothing."""
    result = _plan(tmp_path_factory.mktemp("en"), people, hours)
    i18n.use("en")
    calendar = Calendar(Config(timezone="Europe/Madrid", region="ES"))
    for row in result.rows:
        for part in row.parts:
            assert part_label(part.part) == part.part
            assert part_detail(part, result.now, result.zone).strip()
        for problem in calendar.may_call(row.lead, result.now + timedelta(hours=7)):
            assert problem_text(problem, result.now, result.zone).strip()
    for item in result.excluded:
        assert excluded_reason(item, result.now, result.zone).strip()
    if result.day_off is not None:  # the user's weekend or holiday
        assert problem_text(result.day_off, result.now, result.zone).strip()


def test_a_code_without_words_is_an_error_not_a_silent_english() -> None:
    with pytest.raises(LookupError):
        problem_text(Problem("a-new-rule"), NOW, MADRID)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(books(max_size=8), st.integers(0, 6 * 24 - 1))
def test_in_spanish_every_reason_is_worded_from_its_facts(
    tmp_path_factory: pytest.TempPathFactory, people: list[Person], hours: int
) -> None:
    result = _plan(tmp_path_factory.mktemp("es"), people, hours)
    try:
        i18n.use("es")
        for row in result.rows:
            for part in row.parts:
                said = part_detail(part, result.now, result.zone)
                with i18n.speaking("en"):
                    english = part_detail(part, result.now, result.zone)
                assert said != english, (part, said)
            for problem in Calendar(Config(timezone="Europe/Madrid", region="ES")).may_call(
                row.lead, result.now + timedelta(hours=7)
            ):
                said = problem_text(problem, result.now, result.zone)
                english = english_problem(result.now, result.zone)(problem)
                assert said != english, (problem, said)
        for item in result.excluded:
            said = excluded_reason(item, result.now, result.zone)
            with i18n.speaking("en"):
                english = excluded_reason(item, result.now, result.zone)
            assert said != english, (item.code, said)
        if result.day_off is not None:  # the user's weekend or holiday
            said = problem_text(result.day_off, result.now, result.zone)
            english = english_problem(result.now, result.zone)(result.day_off)
            assert said != english, (result.day_off, said)
    finally:
        i18n.use("en")


def test_a_new_score_part_is_one_entry_in_score_py(monkeypatch: pytest.MonkeyPatch) -> None:
    """A part's words come with its ``Term`` (``plan.score.WORDS``): render/ says a new part,
    its name and its facts, with no branch of its own; a way of saying a fact that does not
    fit it is an error."""
    from warmcall.errors import Word
    from warmcall.plan import score

    said = score.Words(
        Word("referral"), {"": Word("referred by {who}, {at:ago}")}, Word("referred")
    )
    monkeypatch.setitem(score.WORDS, "referral", said)
    part = Part("referral", 4.0, {"who": "Eva Ruiz", "at": NOW - timedelta(days=1)})
    assert part_label("referral") == "referral"
    assert part_detail(part, NOW, MADRID) == "referred by Eva Ruiz, yesterday"
    with pytest.raises(LookupError):  # no words for that way of saying it
        part_detail(Part("referral", 4.0, {"who": "Eva", "at": NOW}, "other"), NOW, MADRID)
    monkeypatch.setitem(score.WORDS, "referral", score.Words("referral", {"": "{at:weekday}"}))
    with pytest.raises(LookupError):  # a moment has no "weekday" way of being said
        part_detail(Part("referral", 4.0, {"at": NOW}), NOW, MADRID)
