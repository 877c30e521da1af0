"""What a dial was judged by (SPEC §7, "proof"): the checks every logged dial passes or breaks.

A dial that breaks a rule in force is still logged (it happened), with a warning; the
verdict is stored with the call (``calls.checks``), counted in the report's breaches and
exported by ``warmcall audit``. Every check is a question ``compliance.rules.Calendar``
already answers for the plan — one source of the rules:

- ``hours``, ``day``, ``holiday``: ``Calendar.timing`` (the profile's calling hours and days,
  the public holidays of the lead's country, in its zone);
- ``consent``: ``Calendar.standing`` (a consent the profile in force does not accept);
- ``rest``: ``Calendar.resting`` (a refusal's rest), and the rest after an unanswered dial;
- ``frequency``: ``compliance.rules.over_frequency`` under the lead's limit.

A new rule slots in as a new ``Problem`` code: ``CHECK_OF`` names the check it breaks (a code
it does not map is a check of its own name), and ``JUDGED`` lists the checks a verdict says
it passed: a room that judges a rule at every dial adds its check there (``registry``, once
``call log`` looks the dialled number up and hands ``judge`` what it found).
Only codes and facts here; the words are the edge's (``render.reasons.problem_text``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from warmcall.compliance.rules import Calendar, History, Problem

# Every check a dial is judged by, in the order they are shown.
JUDGED: list[str] = ["hours", "day", "holiday", "consent", "rest", "frequency", "registry"]
# The check a problem's code breaks; a code not here is a check of its own name.
CHECK_OF: dict[str, str] = {
    "outside-hours": "hours",
    "not-a-calling-day": "day",
    "holiday": "holiday",
    "consent-not-accepted": "consent",
    "consent-expired": "consent",
    "resting": "rest",
    "over-frequency": "frequency",
    "registry-listed": "registry",  # a do-not-call list (judged where the registries are kept)
}
# What the rules say of a dial that is no breach of the law: a do-not-call is refused before
# the call is logged, a wrong number is a fact about the phone, the window a preference.
NOT_JUDGED = frozenset({"do-not-call", "wrong-number", "outside-window"})
# Facts that are moments or days (kept in JSON as ISO 8601 text).
_MOMENTS = ("local", "until")
_DAYS = ("date", "since", "as_of")


def check_of(code: str) -> str:
    """The check a problem's ``code`` breaks."""
    return CHECK_OF.get(code, code)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one dial was judged by: the rule profile and its version in force at the dial
    (``rule_from``: the first day of the dated rule, None for the undated one; ``law``: the
    text that dated rule cites), the checks judged, and the problems it broke."""

    profile: str
    rule_from: date | None = None
    law: str | None = None
    judged: tuple[str, ...] = ()
    broken: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def broken_checks(self) -> list[str]:
        """The names of the checks broken, each once, in ``judged`` order."""
        names = list(dict.fromkeys(check_of(p.code) for p in self.broken))
        order = {name: i for i, name in enumerate(self.judged)}
        return sorted(names, key=lambda n: order.get(n, len(order)))

    @property
    def passed(self) -> list[str]:
        broken = set(self.broken_checks)
        return [name for name in self.judged if name not in broken]


def judge(
    calendar: Calendar,
    lead: Any,
    moment: datetime,
    history: History,
    more: list[Problem] | tuple[Problem, ...] = (),
) -> Verdict:
    """The verdict on a dial to ``lead`` at ``moment``: every rule in force then (the profile
    as dated at the dial), in the lead's zone, as ``Calendar`` answers it (``standing``,
    ``timing``, ``resting``). ``history`` holds what the calendar's rest reads (the last
    refusal); ``more`` the problems judged elsewhere: the frequency and the rest after an
    unanswered dial as the store counts them (``calls.frequency_warnings``), and any rule a
    room checks outside the calendar (a registry look-up)."""
    profile = calendar.profile(lead, moment)
    broken = [
        p
        for p in (
            *calendar.standing(lead, moment, profile),
            *calendar.timing(lead, moment, profile),
            *calendar.resting(lead, moment, history, profile, cadence=False),
            *more,
        )
        if p.code not in NOT_JUDGED
    ]
    judged = list(JUDGED) + [c for c in map(check_of, (p.code for p in broken)) if c not in JUDGED]
    return Verdict(
        profile.name, profile.since, profile.law, tuple(dict.fromkeys(judged)), tuple(broken)
    )


# --- kept with the call ---------------------------------------------------------------------


def problem_record(problem: Problem) -> dict[str, Any]:
    """A problem as plain JSON data: ``check``, ``code``, its facts (moments and days as ISO
    8601 text) and ``until``."""
    data: dict[str, Any] = {"check": check_of(problem.code), "code": problem.code}
    for key, value in problem.facts.items():
        data[key] = value.isoformat() if isinstance(value, date) else value
    data["until"] = problem.until.isoformat() if problem.until else None
    return data


def problem_from_record(data: dict[str, Any]) -> Problem:
    """The problem ``problem_record`` wrote, moments and days read back."""
    facts = {k: v for k, v in data.items() if k not in ("check", "code", "until")}
    for key in _MOMENTS:
        if isinstance(facts.get(key), str):
            facts[key] = datetime.fromisoformat(facts[key])
    for key in _DAYS:
        if isinstance(facts.get(key), str):
            facts[key] = date.fromisoformat(facts[key])
    until = data.get("until")
    return Problem(data["code"], facts, datetime.fromisoformat(until) if until else None)


def verdict_record(verdict: Verdict) -> dict[str, Any]:
    """A verdict as plain JSON data (what ``calls.checks`` keeps, and the audit exports)."""
    return {
        "profile": verdict.profile,
        "rule_from": verdict.rule_from.isoformat() if verdict.rule_from else None,
        "law": verdict.law,
        "judged": list(verdict.judged),
        "passed": verdict.passed,
        "broken": [problem_record(p) for p in verdict.broken],
    }


def dumps(verdict: Verdict) -> str:
    return json.dumps(verdict_record(verdict), ensure_ascii=False, separators=(",", ":"))


def loads(text: str | None) -> Verdict | None:
    """The verdict kept with a call; None for a call that was not judged (older, imported)."""
    if not text:
        return None
    data = json.loads(text)
    return Verdict(
        data["profile"],
        date.fromisoformat(data["rule_from"]) if data.get("rule_from") else None,
        data.get("law"),
        tuple(data.get("judged", ())),
        tuple(problem_from_record(p) for p in data.get("broken", ())),
    )
