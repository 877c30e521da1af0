"""The score (SPEC §2), each part declared once: its points, its reason, its SQL upper bound.

A ``Term`` says how many points a part gives a lead today (a ``Part``: its code, its points
and the facts behind them), an SQL expression that is never below those points, which the
store sums into a lead's *ceiling* so the planner can stop reading leads once no later one can
enter the top of the plan, and the ``Words`` the edge says it with: English templates over the
part's facts, which the catalogue translates and ``render.reasons`` fills in each language (no
sentence is made here). Adding a part is adding one ``Term`` to ``TERMS``, then the Spanish of
its words to the catalogue; ``tests/plan/test_score.py`` checks every bound against the points,
``tests/render/test_reasons.py`` that every part is worded.

A template names a fact with how it is said: ``{due_at:day}`` (Thu 3 Dec), ``{due_at:time}``
(14:00), ``{due_at:day-time}``, ``{due_at:weekday-time}`` (Thu 14:00), ``{at:ago}`` (yesterday)
for a moment; ``{days:days}`` (3 days) and ``{days:ago}`` for a count of days;
``{outcome:outcome}`` (as ``call log`` takes it in English, in words in another language),
``{outcome:said}`` (in words), ``{stage:upper}``; any other fact as it is.

The SQL of a bound reads the columns of ``leads`` as ``l.<column>`` plus:

* ``l.last_at`` — the moment of the lead's last touch (NULL when never touched);
* ``l.followup`` — true when the lead has an open follow-up;
* ``{d}`` — the calendar days since the last touch (or since added), counted high;
* ``:open_pairs`` cannot be bound as a list, so ``{window_open}`` is an expression that is
  true when the lead's window may be open now (always true when the store does not know);
* ``{pickup}`` — the pickup part's bound (``pickup_bound``), by ``l.pickup_most``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from warmcall.compliance.consent import in_force
from warmcall.config import Config
from warmcall.errors import Plural, Word
from warmcall.models import POSITIVE

if TYPE_CHECKING:
    from warmcall.plan.planner import Candidate, _Day

_POSITIVE = frozenset(str(o) for o in POSITIVE)


@dataclass(frozen=True, slots=True)
class Part:
    """One line of a score: ``temperature +6.0`` and its facts (``{"temperature": "hot"}``),
    which the edge words (``hot lead``)."""

    part: str
    points: float
    facts: dict[str, Any] = field(default_factory=dict, compare=False)
    says: str = ""  # which of its ``Words.detail`` templates says it ("": the first)


@dataclass(frozen=True, slots=True)
class Words:
    """How the edge says a part (see the module's words): its name in ``--explain`` (its code
    in English), its detail by ``Part.says`` (a ``Plural`` is chosen by the ``count`` fact),
    and its few words in the plan's "why" column (none: the other columns say it already)."""

    label: str
    detail: dict[str, str | Plural]
    short: str | None = None


@dataclass(frozen=True, slots=True)
class Term:
    name: str
    points: Callable[[Candidate, _Day], Part | None]
    bound: Callable[[Config], str]  # an SQL expression ≥ the points, for any lead
    words: dict[str, Words]  # by the code of each ``Part`` the term gives
    shown_at_zero: bool = False  # a reason worth showing even when it adds nothing


def _num(value: float) -> str:
    """A coefficient as an SQL literal (our own numbers, never user text)."""
    return repr(float(value))


# --- the parts ------------------------------------------------------------------------------


def _followup(lead: Candidate, day: _Day) -> Part | None:
    s = day.config.score
    agreed = lead.followup
    if agreed is None:
        return None
    facts: dict[str, Any] = {
        "action": agreed.action,
        "due_at": agreed.due_at,
        "has_time": agreed.has_time,
    }
    if day.is_overdue(agreed):
        late = day.days_since(agreed.due_at)
        extra = min(s.overdue_per_day * late, s.overdue_max_extra)
        says = "date" if not agreed.has_time else "" if late else "time-passed"
        points = s.followup_overdue + extra
        return Part("followup-overdue", points, {**facts, "days_late": late}, says)
    return Part("followup-due", s.followup_due, facts, "" if agreed.has_time else "today")


def _followup_bound(c: Config) -> str:
    s = c.score
    most = max(s.followup_due, s.followup_overdue + max(s.overdue_max_extra, 0), 0)
    return f"CASE WHEN l.followup THEN {_num(most)} ELSE 0 END"


def _temperature(lead: Candidate, day: _Day) -> Part | None:
    s = day.config.score
    points = {"hot": s.hot, "warm": s.warm}.get(lead.temperature)
    if points is None:
        return None
    return Part("temperature", points, {"temperature": lead.temperature}, lead.temperature)


def _temperature_bound(c: Config) -> str:
    s = c.score
    return (
        f"CASE l.temperature WHEN 'hot' THEN {_num(max(s.hot, 0))} "
        f"WHEN 'warm' THEN {_num(max(s.warm, 0))} ELSE 0 END"
    )


def _since_touch(lead: Candidate, day: _Day) -> int:
    return day.days_since(lead.last_touch_at or lead.created_at)


def _days_since(lead: Candidate, day: _Day) -> Part | None:
    s = day.config.score
    days = _since_touch(lead, day)
    if not days:
        return None
    never = lead.last_touch_at is None
    return Part(
        "days-since-touch",
        s.per_day_since_touch * min(days, s.days_cap),
        {"days": days, "never_contacted": never},
        "never" if never else "",
    )


def _days_since_bound(c: Config) -> str:
    s = c.score
    per_day, cap = max(s.per_day_since_touch, 0), max(s.days_cap, 0)
    return (
        f"{_num(per_day)} * CASE WHEN {{d}} > {cap} THEN {cap} WHEN {{d}} > 0 THEN {{d}} ELSE 0 END"
    )


def _stale(lead: Candidate, day: _Day) -> Part | None:
    days = _since_touch(lead, day)
    if days <= day.config.rules.stale_days:
        return None
    return Part("stale", day.config.score.stale, {"days": days})


def _stale_bound(c: Config) -> str:
    return f"CASE WHEN {{d}} > {c.rules.stale_days} THEN {_num(max(c.score.stale, 0))} ELSE 0 END"


def _never(lead: Candidate, day: _Day) -> Part | None:
    if lead.last_touch_at is not None:
        return None
    s = day.config.score
    days = day.days_since(lead.created_at)
    fading = s.never_contacted - s.never_contacted_fade * days
    if fading <= 0:
        return None
    return Part("never-contacted", fading, {"days": days})


def _never_bound(c: Config) -> str:
    s = c.score
    if s.never_contacted_fade < 0:  # growing with the days: no cheap bound below the cap
        return (
            f"CASE WHEN l.last_at IS NULL THEN {_num(max(s.never_contacted, 0) + 1e6)} ELSE 0 END"
        )
    # {d} counts at most one day high, so the fading points are at most one fade higher.
    most, fade = _num(s.never_contacted + s.never_contacted_fade), _num(s.never_contacted_fade)
    fading = f"({most} - {fade} * {{d}})"
    return f"CASE WHEN l.last_at IS NULL AND {fading} > 0 THEN {fading} ELSE 0 END"


def _positive(lead: Candidate, day: _Day) -> Part | None:
    outcome = lead.last_conversation_outcome
    if outcome not in _POSITIVE or lead.last_conversation_at is None:
        return None
    return Part(
        "positive-last",
        day.config.score.positive_last,
        {"outcome": outcome, "at": lead.last_conversation_at},
    )


def _positive_bound(c: Config) -> str:
    return f"CASE WHEN l.last_at IS NULL THEN 0 ELSE {_num(max(c.score.positive_last, 0))} END"


def _unanswered(lead: Candidate, day: _Day) -> Part | None:
    if not lead.unanswered:
        return None
    n = lead.unanswered
    return Part(
        "unanswered",
        day.config.score.unanswered_each * n,
        {"count": n, "days": day.config.rules.attempts_days},
    )


def _unanswered_bound(c: Config) -> str:
    each = c.score.unanswered_each
    if each <= 0:
        return "0"
    return (
        f"{_num(each)} * (SELECT COUNT(*) FROM calls u WHERE u.lead_id = l.id "
        "AND u.at >= :since AND u.channel = 'phone')"
    )


def _window_open(lead: Candidate, day: _Day) -> Part | None:
    if not day.working:
        return None
    current = day.opening(lead, day.now)
    if current is None or not current[0] <= day.now < current[1]:
        return None
    return Part("window-open", day.config.score.window_open, {"until": current[1]})


def _window_open_bound(c: Config) -> str:
    return f"CASE WHEN {{window_open}} THEN {_num(max(c.score.window_open, 0))} ELSE 0 END"


STAGES = ("sql", "pql", "mql")


def _stage_points(c: Config) -> dict[str, float]:
    s = c.score
    return {"sql": s.stage_sql, "pql": s.stage_pql, "mql": s.stage_mql}


def _stage(lead: Candidate, day: _Day) -> Part | None:
    if lead.stage not in STAGES:
        return None
    points = getattr(day.config.score, f"stage_{lead.stage}")
    if not points:
        return None
    return Part("stage", points, {"stage": lead.stage})


def _stage_bound(c: Config) -> str:
    whens = " ".join(
        f"WHEN '{stage}' THEN {_num(max(points, 0))}" for stage, points in _stage_points(c).items()
    )
    return f"CASE l.stage {whens} ELSE 0 END"


def _consent(lead: Candidate, day: _Day) -> Part | None:
    profile = day.calendar.profile(lead, day.now)
    consent = in_force(lead, day.now, profile).consent  # a lapsed one is none: flagged so
    if consent not in profile.flagged:
        return None
    return Part(
        "consent",
        day.config.score.consent_none,
        {"consent": consent, "profile": profile.name},
        "none" if consent == "none" else "",
    )


def _consent_bound(c: Config) -> str:
    return f"{_num(max(c.score.consent_none, 0))}"


def _pickup(lead: Candidate, day: _Day) -> Part | None:
    chance = lead.chance
    if chance is None:
        return None
    return Part(
        "pickup",
        day.config.score.pickup * stepped(chance.p, day.book.top),
        {
            "hour": chance.hour,
            "p": chance.p,
            "answered": chance.answered,
            "dials": chance.dials,
            "count": chance.dials,
            "pool_p": chance.pool_p,
            "book_p": day.book.mean,
        },
        says="" if chance.dials else "pool",
    )


# The pickup part counts the chance in steps of a tenth (``stepped``): an estimate from a few
# dozen dials is not finer than that (its 80 % interval spans ten points or more either side),
# so finer steps would rank leads on noise. The steps are laid around the best chance any
# pool of the book gives (``Book.top``): the leads near the top of the book tie, so the
# plan's ranking stops at the first of them (ties are read in id order) instead of placing
# every lead whose other points tie at the top; a fixed grid would split them wherever a
# step happened to fall.
PICKUP_STEP = 0.1


def stepped(p: float, top: float | None) -> float:
    """A chance rounded up to its step: the steps end half a step above ``top`` (the book's
    best pool chance; 1 when unknown), at a whole per cent so that the points stay round
    numbers (a lead's score then equals its bound exactly, and the ranking can stop at it),
    and none is above 1. Never lower for a higher chance, so that bounds stay bounds."""
    end = round((1.0 if top is None else top) + PICKUP_STEP / 2, 2)
    return max(min(end + PICKUP_STEP * math.ceil((p - end) / PICKUP_STEP), 1.0), 0.0)


def _pickup_bound(c: Config) -> str:
    # ``{pickup}``: what the plan knows of the book's chances (``pickup_bound``), else a chance
    # of 1 wherever there is a dial on record.
    return "{pickup}"


def pickup_classes(
    c: Config, kappa: float, pool_p: float, top: float | None, most: int | None = None
) -> list[tuple[int, float]]:
    """The pickup part's bound by a lead's ``pickup_most`` (``pickup.estimate.ceiling``, from
    the prior strength and the most any pool gives, ``pool_p``), in the plan's steps (laid
    around ``top``, ``stepped``), as ranges of it: (the first ``pickup_most`` of the range,
    the points), best last. Past the last range's first value every lead is bounded by that
    range's points; the last range is the part's most (a chance of 1) unless the ceiling
    never reaches it. With ``most``, the most any lead holds now: the ranges past it are
    one, bounded by the part's most (no lead is in it unless written since)."""
    from warmcall.pickup.estimate import ceiling

    weight = max(c.score.pickup, 0)
    last = MOST_WALKED if most is None else min(max(most, 0) + 1, MOST_WALKED)
    classes: list[tuple[int, float]] = []
    for answers in range(last):
        points = weight * stepped(ceiling(kappa, pool_p, answers), top)
        if not classes or points > classes[-1][1]:
            classes.append((answers, points))
        if points >= weight:
            return classes
    classes.append((last, weight))
    return classes


MOST_WALKED = 2000  # answers in one hour past which a lead's chance is bounded by 1


def pickup_bound(c: Config, classes: list[tuple[int, float]] | None) -> str:
    """The SQL of the pickup part's bound: by ``classes`` (``pickup_classes``) when the plan
    read the book, else the part's most wherever the store holds a dial."""
    most = _num(max(c.score.pickup, 0))
    if classes is None:
        return f"CASE WHEN EXISTS (SELECT 1 FROM pickup_hours) THEN {most} ELSE 0 END"
    cases = " ".join(
        f"WHEN l.pickup_most < {upto} THEN {_num(points)}"
        for (_, points), (upto, _) in zip(classes, classes[1:], strict=False)
    )
    return f"CASE WHEN l.pickup_most IS NULL THEN {most} {cases} ELSE {_num(classes[-1][1])} END"


TERMS: tuple[Term, ...] = (
    Term("followup", _followup, _followup_bound, {
        "followup-overdue": Words(Word("followup-overdue"), {
            "": Word("agreed for {due_at:day-time}: {action} ({days_late} d late)"),
            "time-passed": Word("agreed for {due_at:day-time}: {action} (time passed)"),
            "date": Word("agreed for {due_at:day}: {action} ({days_late} d late)"),
        }, Word("overdue: {action}")),
        "followup-due": Words(Word("followup-due"), {
            "": Word("agreed: {due_at:weekday-time}, {action}"),
            "today": Word("agreed: today, {action}"),
        }, Word("agreed: {action}")),
    }),
    Term("temperature", _temperature, _temperature_bound, {
        "temperature": Words(Word("temperature"), {
            "hot": Word("hot lead"), "warm": Word("warm lead"),
        }),
    }),
    Term("days-since-touch", _days_since, _days_since_bound, {
        "days-since-touch": Words(Word("days-since-touch"), {
            "": Word("{days:days} since the last touch"),
            "never": Word("{days:days} since added, never contacted"),
        }),
    }),
    Term("stale", _stale, _stale_bound, {
        "stale": Words(Word("stale"), {"": Word("{days:days} without contact")},
                       Word("gone quiet")),
    }),
    Term("never-contacted", _never, _never_bound, {
        "never-contacted": Words(Word("never-contacted"), {"": Word("new lead, added {days:ago}")},
                                 Word("new lead")),
    }),
    Term("positive-last", _positive, _positive_bound, {
        "positive-last": Words(Word("positive-last"), {
            "": Word("last conversation: {outcome:outcome}, {at:ago}"),
        }, Word("last talk: {outcome:said}")),
    }),
    Term("unanswered", _unanswered, _unanswered_bound, {
        "unanswered": Words(Word("unanswered"), {
            "": Plural("{count} unanswered dial in {days} days",
                       "{count} unanswered dials in {days} days"),
        }, Word("{count} unanswered")),
    }),
    Term("window-open", _window_open, _window_open_bound, {
        "window-open": Words(Word("window-open"), {
            "": Word("window open now, until {until:time}"),
        }),
    }),
    Term("stage", _stage, _stage_bound, {
        "stage": Words(Word("stage"), {"": Word("{stage:upper} (qualified)")}),
    }),
    Term("consent", _consent, _consent_bound, {
        "consent": Words(Word("consent"), {
            "": Word("consent: {consent}"), "none": Word("no consent on record"),
        }),
    }, shown_at_zero=True),
    Term("pickup", _pickup, _pickup_bound, {
        "pickup": Words(Word("pickup"), {
            "": Plural("answered {answered} of {count} dial {hour:band} their time; "
                       "book average {book_p:percent}",
                       "answered {answered} of {count} dials {hour:band} their time; "
                       "book average {book_p:percent}"),
            "pool": Word("never dialled {hour:band} their time; similar leads "
                         "{pool_p:percent}; book average {book_p:percent}"),
        }),
    }),
)  # fmt: skip
# Every part's words, by its code: what the edge reads.
WORDS: dict[str, Words] = {code: words for term in TERMS for code, words in term.words.items()}


def parts(lead: Candidate, day: _Day) -> list[Part]:
    """The lead's score parts today, rounded, without the ones that add nothing."""
    out: list[Part] = []
    for term in TERMS:
        part = term.points(lead, day)
        if part is None:
            continue
        points = round(part.points, 2)
        if points or term.shown_at_zero:
            out.append(Part(part.part, points, part.facts, part.says))
    return out


# How many days a lead's ``{d}`` may count too high, in seconds: two hours of DST slack.
_D = "((:tomorrow + 7200 - COALESCE(l.last_at, l.created_at)) / 86400)"


def bound_sql(
    config: Config, window_open: str = "1 = 1", pickup: list[tuple[int, float]] | None = None
) -> str:
    """The sum of every part's bound, as one SQL expression over the names above; ``pickup``
    the classes of ``pickup_classes`` when the plan read the book."""
    terms = " + ".join(f"({t.bound(config)})" for t in TERMS)
    return (
        terms.replace("{d}", _D)
        .replace("{window_open}", f"({window_open})")
        .replace("{pickup}", f"({pickup_bound(config, pickup)})")
    )
