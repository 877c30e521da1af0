"""The plan's reasons in the user's language, worded from the codes and facts the core returns.

The planner gives every score ``Part`` and every ``Excluded`` lead a stable code and the facts
behind it, and the compliance rules every ``Problem`` (ARCHITECTURE "Words at the edge"). Here
each code is worded once from its facts through the catalogue, never from the core's English:
English reads as the core's own English (its logs and ``--json``), another language reads its
own. Every code has its words here: an unknown code is a bug, and raises.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from warmcall.compliance.rules import Problem
from warmcall.errors import Plural
from warmcall.plan.planner import Excluded
from warmcall.plan.score import WORDS, Part
from warmcall.render.i18n import (
    N_,
    WEEKDAYS,
    _,
    language,
    long_day,
    n_,
    nf,
    outcome_label,
    outcome_word,
    speaking,
    strftime,
)
from warmcall.render.leads import given_reason, window_word

# The checks a dial is judged by (``compliance.checks``), as the report and the audit name
# them; a check a room adds without words here shows its code.
CHECK_LABELS = {
    "hours": N_("calling hours"),
    "day": N_("calling day"),
    "holiday": N_("public holiday"),
    "consent": N_("consent"),
    "rest": N_("rest"),
    "frequency": N_("frequency"),
    "registry": N_("do-not-call list"),
}


def check_label(check: str) -> str:
    """A check's name in the current language."""
    return _(CHECK_LABELS[check]) if check in CHECK_LABELS else check


class _Clock:
    """Moments in words, as the planner writes them, in the current language."""

    def __init__(self, now: datetime, zone: ZoneInfo) -> None:
        self.now, self.zone = now, zone
        self.today = now.astimezone(zone).date()

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def days_since(self, moment: datetime) -> int:
        return max(0, (self.today - self.local(moment).date()).days)

    def day(self, moment: date | datetime) -> str:
        """``Thu 3 Dec``."""
        return f"{strftime(moment, '%a')} {moment.day} {strftime(moment, '%b')}"

    def short(self, moment: datetime) -> str:
        """``14:00`` today, ``Thu 08:00`` within a week, ``Thu 3 Dec 08:00`` beyond."""
        local = self.local(moment)
        ahead = (local.date() - self.today).days
        if ahead == 0:
            return f"{local:%H:%M}"
        if 0 < ahead < 7:
            return f"{strftime(local, '%a')} {local:%H:%M}"
        return f"{self.day(local)} {local:%H:%M}"

    def ago_days(self, days: int) -> str:
        if days == 0:
            return _("today")
        if days == 1:
            return _("yesterday")
        return nf("{n} day ago", "{n} days ago", days)

    def past(self, moment: datetime) -> str:
        """``today 10:12``, ``yesterday 10:12``, ``Mon 10:12``."""
        local = self.local(moment)
        days = self.days_since(local)
        day = strftime(local, "%a") if days > 1 else self.ago_days(days)
        return f"{day} {local:%H:%M}"

    def next(self, facts: dict[str, Any]) -> str:
        following = facts.get("next")
        return _(", next {when}").format(when=self.short(following)) if following else ""


def _window(window: str) -> str:
    """A lead's window as the rules' English writes it (the code), else in the language."""
    return window if language() == "en" else window_word(window)


def _days(n: int) -> str:
    return nf("{n} day", "{n} days", n)


def part_detail(part: Part, now: datetime, zone: ZoneInfo) -> str:
    """A score part's detail in the current language."""
    clock = _Clock(now, zone)
    said = _part(part, clock)
    moved = part.facts.get("moved")
    if moved is None:
        return said
    note = _("{time} is not lawful ({problem}): moved to the next opening").format(
        time=f"{clock.local(part.facts['agreed_at']):%H:%M}", problem=_problem(moved, clock)
    )
    return f"{said} — {note}"


def _part(part: Part, clock: _Clock) -> str:
    """A part said by its words in ``plan.score`` (``Words.detail``), its facts filled in."""
    words = WORDS.get(part.part)
    if words is None or part.says not in words.detail:
        raise LookupError(f"no words for the score part {part.part!r} ({part.says!r})")
    return say(words.detail[part.says], part.facts, clock)


def say(template: str | Plural, facts: dict[str, Any], clock: _Clock) -> str:
    """One of the score's templates in the current language, each fact said as it asks
    (``{due_at:day}``; see ``plan.score``); a ``Plural`` by the ``count`` fact."""
    text = n_(*template, facts["count"]) if isinstance(template, Plural) else _(template)
    return text.format(**{name: _Fact(value, clock) for name, value in facts.items()})


class _Fact:
    """A fact as a template asks for it: ``format(fact, "day")``. A way of saying it that
    does not fit the fact is an error, not a silent English."""

    __slots__ = ("clock", "value")

    def __init__(self, value: Any, clock: _Clock) -> None:
        self.value, self.clock = value, clock

    def __format__(self, spec: str) -> str:
        value, clock = self.value, self.clock
        if isinstance(value, datetime):
            local = clock.local(value)
            moments = {
                "time": lambda: f"{local:%H:%M}",
                "day": lambda: clock.day(local),
                "day-time": lambda: f"{clock.day(local)} {local:%H:%M}",
                "weekday-time": lambda: f"{strftime(local, '%a')} {local:%H:%M}",
                "ago": lambda: clock.ago_days(clock.days_since(value)),
            }
            return moments[spec]()
        if spec == "days":
            return _days(value)
        if spec == "ago":
            return clock.ago_days(value)
        if spec == "outcome":
            return outcome_label(value)
        if spec == "said":
            return outcome_word(value)
        if spec == "upper":
            return str(value).upper()
        if spec == "band":
            return band(value)
        if spec == "percent":
            return _percent(value)
        return format(value, spec)


def band(hour: int) -> str:
    """An hour of the lead's day as a band: ``08:00–09:00``."""
    return f"{hour:02d}:00–{hour + 1:02d}:00" if hour < 23 else "23:00–23:59"


def _percent(p: float) -> str:
    """``31%``: the sign kept to its number, so that a wrapped line never starts with it
    (a terminal breaks at any space, a no-break one too)."""
    return f"{round(p * 100)}%"


def suggestion(hour: int, answered: int, dials: int) -> str:
    """Better hours outside a window the person asked for, and how to accept them."""
    return _("answered {a} of {n} at {band} — try: lead edit --window learned").format(
        a=answered, n=dials, band=band(hour)
    )


def ask_hours(dials: int) -> str:
    """The window the person gave has not reached them: the caller asks them again."""
    return nf(
        "{n} call in their window unanswered — ask when to call",
        "{n} calls in their window unanswered — ask when to call",
        dials,
    )


def excluded_reason(item: Excluded, now: datetime, zone: ZoneInfo) -> str:
    """Why a lead is not called today, in the current language."""
    return _excluded(item, _Clock(now, zone))


def _weekday(iso_weekday: int) -> str:
    """A weekday (1 = Monday) as its abbreviation in the current language."""
    return _(WEEKDAYS[iso_weekday - 1])


def _excluded(item: Excluded, clock: _Clock) -> str:
    lead, facts, code = item.lead, item.facts, item.code
    if code == "dnc":
        said = (
            _("objected on {day}").format(day=strftime(clock.local(lead.dnc_at).date(), "%d %b"))
            if lead.dnc_at
            else _("objected")
        )
        said = _("do not call: {said}").format(said=said)
        given = given_reason(lead.dnc_reason)
        return said + (f": {given}" if given else "")
    if code == "won":
        return _("won: a customer now")
    if code == "lost":
        return _("lost")
    if code == "registry":
        return registry_listed(facts)
    if "code" in facts and code in ("do-not-call", "wrong-number", "consent"):
        if facts["code"] == "do-not-call":
            return _("do not call: the person objected")
        if facts["code"] == "wrong-number":
            return _("the phone is flagged as a wrong number; change it")
        return consent_refused(facts, clock)
    if code == "cold":
        return _("cold lead (plan them with --include-cold)")
    if code == "agreed":
        agreed = lead.followup
        due = clock.local(facts["due_at"])
        when = clock.day(due) + (f" {due:%H:%M}" if agreed is None or agreed.has_time else "")
        return _("agreed for {when}: {action}").format(when=when, action=facts["action"])
    if code == "talked":
        talked = clock.local(lead.last_conversation_at)
        return _("talked today at {time} ({outcome}), nothing agreed").format(
            time=f"{talked:%H:%M}", outcome=outcome_label(lead.last_conversation_outcome)
        )
    if code == "resting":
        return _resting(facts, clock)
    if code == "holiday":
        said = _("{holiday}: a public holiday in {country}").format(
            holiday=facts["name"], country=facts["country"]
        )
        return said + clock.next(facts)
    if code == "day-off" and facts.get("yours"):
        if facts.get("holiday"):
            said = _("your day off: {holiday}, a public holiday in {country}").format(
                holiday=facts["holiday"], country=facts["country"]
            )
        else:
            said = _("your day off: {weekday} is not a working day").format(
                weekday=_weekday(facts["weekday"])
            )
        return said + clock.next(facts)
    if code == "day-off":
        said = _("{weekday} is not a calling day for them").format(
            weekday=_weekday(facts["weekday"])
        )
        return said + clock.next(facts)
    if code == "tried":
        said = _("{outcome} at {when}: not twice in the same window").format(
            outcome=outcome_label(facts["outcome"]), when=clock.past(facts["at"])
        )
        return said + clock.next(facts)
    if code == "never-open":
        return _(
            "their window ({window}) never falls within the calling hours of {profile} "
            "({hours}); change it with `lead edit --window`"
        ).format(window=_window(facts["window"]), profile=facts["profile"], hours=facts["hours"])
    if code == "zone-unknown":
        return _(
            "zone unknown: no time is lawful in all of its {n} possible zones; set it with "
            "`lead edit --timezone`"
        ).format(n=len(facts["zones"]))
    if code == "closed" and "problem" in facts:
        said = _("agreed for {time}, but {problem}").format(
            time=f"{clock.local(facts['agreed_at']):%H:%M}",
            problem=_problem(facts["problem"], clock),
        )
        following = facts.get("next")
        if following is None:
            return said
        return said + _("; next lawful opening {when}").format(when=clock.short(following))
    if code == "closed":
        return _("window closed today") + clock.next(facts)
    if code == "full":
        return _("no room left in your day within their window ({pace})").format(
            pace=_pace(facts["rate"], facts.get("source"))
        )
    raise LookupError(f"no words for the exclusion {code!r}")


def _pace(rate: int, source: str | None) -> str:
    """The caller's pace a full day was planned with, and where it comes from."""
    if source == "config":
        said = n_(
            "{n} call an hour, as [user] dials_per_hour says",
            "{n} calls an hour, as [user] dials_per_hour says",
            rate,
        )
    elif source == "learned":
        said = n_(
            "{n} call an hour, your pace of late", "{n} calls an hour, your pace of late", rate
        )
    else:
        said = n_(
            "{n} call an hour until you set [user] dials_per_hour",
            "{n} calls an hour until you set [user] dials_per_hour",
            rate,
        )
    return said.format(n=rate)


def _resting(facts: dict[str, Any], clock: _Clock) -> str:
    rest, until = facts.get("rest"), facts["until"]
    if rest == "cadence":
        when = clock.day(clock.local(until).date())
        why = _("{dials} dials in {days} days").format(dials=facts["dials"], days=facts["days"])
    elif rest == "unanswered":
        when = clock.short(until)
        why = f"{outcome_label(facts['outcome'])} {clock.past(facts['at'])}"
    elif rest == "rule" and facts["code"] == "over-frequency":
        when = clock.short(until)
        why = _("{dials} dials in {days} days: {profile} allows {max}").format(
            dials=facts["dials"], days=facts["days"], profile=facts["profile"], max=facts["max"]
        )
    elif rest == "rule" and facts.get("why") == "refusal":
        when = clock.short(until)
        why = _("not interested on {day}: resting {days} days, until {until}").format(
            day=clock.day(clock.local(facts["refused_at"])),
            days=facts["days"],
            until=clock.day(clock.local(until)),
        )
    elif rest == "rule" and facts.get("why") == "unanswered":
        when = clock.short(until)
        why = _("unanswered on {day}: {hours} h of rest").format(
            day=clock.day(clock.local(facts["unanswered_at"])), hours=facts["hours"]
        )
    else:
        raise LookupError(f"no words for the rest {facts!r}")
    return _("resting until {when} ({why})").format(when=when, why=why)


def part_label(code: str) -> str:
    """A score part's name for ``--explain``: its code in English, words in another language."""
    return _(WORDS[code].label) if code in WORDS else code


def part_short(part: Part, now: datetime, zone: ZoneInfo) -> str | None:
    """A part in the few words of the plan's "why" column, or None when the other columns
    already say it."""
    words = WORDS.get(part.part)
    if words is None or words.short is None:
        return None
    return say(words.short, part.facts, _Clock(now, zone))


def problem_text(problem: Problem, now: datetime, zone: ZoneInfo) -> str:
    """Why a call may not be made now (a compliance ``Problem``), in the current language."""
    return _problem(problem, _Clock(now, zone))


def english_problem(now: datetime, zone: ZoneInfo) -> Callable[[Problem], str]:
    """A problem in English, whatever the language (``--json``'s words)."""

    def said(problem: Problem) -> str:
        with speaking("en"):
            return problem_text(problem, now, zone)

    return said


def unknown_zone() -> str:
    """What every view says of a lead whose zone is unknown, and how to set it."""
    return _("zone unknown — set it with `lead edit --timezone`")


def _place(local: datetime) -> str:
    """A zone the lead may be in, as ``next`` lists them and ``lead edit --timezone`` takes
    it (``Atlantic/Canary``): a city's English name would be a foreign word in Spanish."""
    return str(local.tzinfo)


def _outside(facts: dict[str, Any], theirs: str, one_of: str, **words: str) -> str:
    """A time outside a limit, on the lead's clock; when its zone is unknown, on the clock
    of the zone it may be in where the limit is broken, after saying the zone is unknown."""
    time = f"{facts['local']:%H:%M}"
    if not facts.get("could_be"):
        return _(theirs).format(time=time, **words)
    said = _(one_of).format(time=time, place=_place(facts["local"]), **words)
    return f"{unknown_zone()}; {said}"


def _problem(problem: Problem, clock: _Clock) -> str:
    facts, code = problem.facts, problem.code
    if code == "holiday":
        return _("{holiday}: a public holiday in {country}").format(
            holiday=facts["name"], country=facts["country"]
        )
    if code == "not-a-calling-day":
        return _("{weekday} is not a calling day where they are").format(
            weekday=_weekday(facts["weekday"])
        )
    if code == "not-a-working-day":
        return _("{weekday} is not a working day").format(weekday=_weekday(facts["weekday"]))
    if code == "outside-hours":
        return _outside(
            facts,
            N_("{time} their time is outside the calling hours of {profile} ({hours})"),
            N_("{time} in {place} is outside the calling hours of {profile} ({hours})"),
            profile=facts["profile"],
            hours=facts["hours"],
        )
    if code == "outside-window":
        return _outside(
            facts,
            N_("{time} their time is outside their window ({window})"),
            N_("{time} in {place} is outside their window ({window})"),
            window=_window(facts["window"]),
        )
    if code == "over-frequency":
        return _("{dials} dials in {days} days: {profile} allows {max}").format(
            dials=facts["dials"], days=facts["days"], profile=facts["profile"], max=facts["max"]
        )
    if code == "resting" and facts.get("why") == "refusal":
        until = clock.local(problem.until)
        return _("not interested on {day}: resting {days} days, until {until}").format(
            day=clock.day(until - timedelta(days=facts["days"])),
            days=facts["days"],
            until=clock.day(until),
        )
    if code == "resting":
        since = clock.local(problem.until) - timedelta(hours=facts["hours"])
        return _("unanswered on {day}: {hours} h of rest").format(
            day=clock.day(since), hours=facts["hours"]
        )
    if code == "do-not-call":
        return _("do not call: the person objected")
    if code == "wrong-number":
        return _("the phone is flagged as a wrong number; change it")
    if code in ("consent-not-accepted", "consent-expired"):
        return consent_refused({"code": code, **facts}, clock)
    if code == "registry-listed":
        return registry_listed(facts)
    raise LookupError(f"no words for the rule {code!r}")


def registry_listed(facts: dict[str, Any]) -> str:
    """A number on a do-not-call registry: which list, as of when."""
    return _("the number is on the {registry} do-not-call list (as of {day})").format(
        registry=facts["registry"], day=long_day(facts["as_of"])
    )


def consent_refused(facts: dict[str, Any], clock: _Clock) -> str:
    """Why the lead's consent does not allow a call: revoked (when), expired (when, and by
    which setting), or not accepted under the profile, with the law that says so when a dated
    rule does (fr-b2c since 11 August 2026)."""
    given = facts.get("given")
    if facts.get("code") == "consent-expired":
        expired = long_day(clock.local(facts["expired"]).date())
        if facts.get("by") == "expires" or given is None:
            return _("consent '{consent}' expired on {day}, as recorded with it").format(
                consent=facts["consent"], day=expired
            )
        return _(
            "consent '{consent}' given on {given} expired on {day} ({profile}: valid "
            "{days} days, {key})"
        ).format(
            consent=facts["consent"],
            given=long_day(clock.local(given).date()),
            day=expired,
            profile=facts["profile"],
            days=facts["days"],
            key=facts["by"],
        )
    if facts["consent"] == "revoked" and given is not None:
        return _("consent revoked on {day}").format(day=long_day(clock.local(given).date()))
    if facts.get("law") and facts.get("since"):
        return _("consent '{consent}' is not accepted under {profile} since {day} ({law})").format(
            consent=facts["consent"],
            profile=facts["profile"],
            day=long_day(facts["since"]),
            law=facts["law"],
        )
    return _("consent '{consent}' is not accepted under {profile}").format(
        consent=facts["consent"], profile=facts["profile"]
    )
