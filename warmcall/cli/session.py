"""``warmcall next --go``: a calling session, one lead at a time, on a terminal.

This module asks and shows; ``warmcall.plan.session`` decides who comes next and keeps count,
and ``calls.log_call`` records each call. The questions after the outcome are the ones
``call log`` asks on a terminal (``cli.calls.ask_rest``). Ctrl-C, Ctrl-D or ``q`` end the
session at any question: the lead being asked about gets nothing logged, the calls already
logged stay, and the session ends on its summary with exit 0. Nothing typed is lost: a call
stopped after its outcome, or one the store refused to write, is kept as a draft (see
``warmcall.drafts``), offered the next time that lead is called, with the ``call log`` line
that records it. A store that cannot be written is said at the start, before any question.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from warmcall import calls, drafts, leads
from warmcall.calls import CallEntry
from warmcall.cli import prompts
from warmcall.cli.calls import ask_rest, draft_place, offer_draft, settle_draft
from warmcall.cli.options import config, interactive, now, open_store
from warmcall.errors import StoreError, UsageError, WarmcallError
from warmcall.models import Outcome
from warmcall.plan.session import Session
from warmcall.render import session as show
from warmcall.render.calls import draft_kept, logged, outcome_label
from warmcall.render.i18n import _, error_words
from warmcall.scripts import LANGUAGES, build_script
from warmcall.scripts.slots import agreed_calls

if TYPE_CHECKING:
    from pathlib import Path

    from warmcall.config import Config
    from warmcall.models import Call, FollowUp, Lead
    from warmcall.pickup.estimate import HoursQuestion
    from warmcall.plan.planner import Row
    from warmcall.scripts import Script
    from warmcall.store.db import Database

SKIP, QUIT, WAIT, EARLY = "skip", "quit", "wait", "early"


def choices() -> list[tuple[str, str, str]]:
    """One key per answer: the outcomes in their usual order, then skip and quit."""
    return [
        *((str(n), outcome_label(o), str(o)) for n, o in enumerate(Outcome, 1)),
        ("s", _("skip this lead"), SKIP),
        ("q", _("quit"), QUIT),
    ]


def run(
    at: str | None,
    include_cold: bool,
    limit: int,
    explain: bool,
    db: str | None,
    also: dict[str, object],
) -> None:
    """Walk today's plan: show a lead, ask how the call went, log it, plan again, go on.

    ``also``: the other ``next`` options, which a session cannot honour, by name.
    """
    for name, given in also.items():
        if given:
            raise UsageError("--go is a calling session on the terminal; drop {name}.", name=name)
    if not interactive():
        raise UsageError(
            "--go asks questions, so it needs a terminal; use `warmcall next` for the plan."
        )
    conf = config()
    fixed: list[datetime | None] = [now(at, conf) if at else None]

    def clock() -> datetime:  # the session's now: --at throughout (moved by a wait), else real
        return fixed[0] or now(None, conf)

    session = Session(include_cold=include_cold, limit=limit)
    place = Place(*draft_place(db), db)
    with open_store(db) as store, prompts.interrupts():
        _writable(store)
        row = session.next_call(store, clock(), conf)
        if row is None and session.upcoming(clock(), conf) is None:
            from warmcall.render.plan import show as show_plan

            show_plan(session.plan)  # type: ignore[arg-type]  # says why nobody is planned
            return
        lead: Lead | None = None
        try:
            while True:
                if row is None:
                    row = _wait_or_early(session, store, conf, clock, fixed)
                    if row is None:
                        break
                lead = leads.get(store, row.lead.lead_id)
                if not _call(store, session, row, lead, conf, clock, explain, place):
                    break
                row = session.next_call(store, clock(), conf)
        except KeyboardInterrupt:
            if lead is not None and lead.id not in session.handled | session.drafted:
                show.nothing_logged(lead)
    show.summary(session.summary())


class Place:
    """Where this session's drafts go: the user data folder and the store's key; ``db`` as
    given, for the ``call log`` line that records a draft."""

    def __init__(self, folder: Path, key: str, db: str | None) -> None:
        self.folder, self.key, self.db = folder, key, db

    @property
    def drafts(self) -> tuple[Path, str]:
        return self.folder, self.key


def _writable(store: Database) -> None:
    """A store this session cannot write to fails now, in one sentence, not after the
    questions of a call: a write that changes nothing, under the write lock."""
    with store.transaction():
        store.execute("DELETE FROM store_meta WHERE 1 = 0")


def _wait_or_early(
    session: Session,
    store: Database,
    conf: Config,
    clock: Callable[[], datetime],
    fixed: list[datetime | None],
) -> Row | None:
    """Nobody may be called now: say who opens next and when, and let the caller wait for
    it, call them early (only when the law allows it now), or stop. None: stop."""
    while True:
        moment = clock()
        upcoming = session.upcoming(moment, conf)
        if upcoming is None:
            show.done()
            return None
        show.waiting(upcoming, moment, conf.zone)
        opens = f"{upcoming.opens_at.astimezone(conf.zone):%H:%M}"
        waits = [("w", _("wait until {time}").format(time=opens), WAIT)]
        if upcoming.early:
            early = _("call {name} now, early").format(name=upcoming.row.lead.name)
            waits.append(("e", early, EARLY))
        waits.append(("q", _("quit"), QUIT))
        answer = prompts.keyed_select(_("Nobody to call now:"), waits)
        if answer in (None, QUIT):
            return None
        if answer == EARLY:
            return upcoming.row
        if fixed[0] is not None:  # --at: the session's clock moves to the opening
            fixed[0] = upcoming.opens_at
        else:
            show.waiting_until(upcoming.opens_at, conf.zone)
            while (left := (upcoming.opens_at - clock()).total_seconds()) > 0:
                time.sleep(min(left, 30))
        row = session.next_call(store, clock(), conf)
        if row is not None:
            return row


def _call(
    store: Database,
    session: Session,
    row: Row,
    lead: Lead,
    conf: Config,
    clock: Callable[[], datetime],
    explain: bool,
    place: Place,
) -> bool:
    """One lead: show it, ask the outcome and the rest (or take the draft kept for it), log
    the call (or skip the lead); False when the salesperson chose to stop."""
    history, followups = calls.history(store, lead.id)  # type: ignore[arg-type]
    moment = clock()
    others = agreed_calls(store, lead.id, moment)  # the slots keep clear of other agreed calls
    script = _script(lead, history, followups, moment, conf, others, row.ask)
    show.card(
        row, lead, session.position(), history, followups, script, moment, conf.zone, explain,
        region=conf.phone_region,
    )  # fmt: skip
    draft = offer_draft(place.drafts, lead, conf, moment)
    while True:
        if draft is not None:
            entry, complete = draft.entry, draft.complete
        else:
            answer = _outcome(lead)
            if answer == QUIT:
                return False
            if answer == SKIP:
                session.skip(lead.id)  # type: ignore[arg-type]
                show.skipped(lead)
                return True
            entry, complete = CallEntry(outcome=Outcome(answer), at=clock()), False
        hours = None
        try:
            if not complete:
                ask_rest(entry, lead, conf, None, guided=True, temperature=True)
            if row.ask is not None and entry.outcome.is_positive:
                hours = _their_hours(lead, conf)
        except KeyboardInterrupt:  # stopped mid-call: what was answered is kept
            _keep(place, session, lead, entry, conf, complete=False)
            raise
        try:
            result = calls.log_call(store, lead, entry, now(None, conf), conf)
            if hours is not None:  # checked as they typed it: their window from now on
                leads.edit(store, lead, {"window": hours}, conf, now(None, conf))
        except StoreError as exc:  # the store refused the write: say it once, keep it all
            show.problem(error_words(exc), again=False)
            _keep(place, session, lead, entry, conf, complete=True)
            return False
        except WarmcallError as exc:  # a rule the answers broke: say it, ask again
            show.problem(error_words(exc))
            draft = None
            continue
        session.record(result)
        settle_draft(place.drafts, lead, entry, used=draft is not None)
        logged(result, conf.zone, entry.at, marked_lost=entry.lost)
        return True


def _their_hours(lead: Lead, conf: Config) -> str | None:
    """When the person said they are easiest to reach, asked as the script's close says when
    the record cannot tell (``Row.ask``): their window, or None to keep the one they have."""
    from warmcall.localtime.windows import parse_window
    from warmcall.render.leads import window_word

    def check(answer: str) -> bool | str:
        if not answer or answer.lower() == lead.window:
            return True
        try:
            parse_window(answer, conf.windows)
        except WarmcallError as exc:
            return error_words(exc)
        return True

    question = _(
        "When are they easiest to reach? Their hours, e.g. 16:30-18:00 (empty: keep {window}):"
    )
    answer = prompts.text(question.format(window=window_word(lead.window)), validate=check)
    return answer if answer and answer.lower() != lead.window else None


def _keep(
    place: Place, session: Session, lead: Lead, entry: CallEntry, conf: Config, complete: bool
) -> None:
    """Keep the call's answers as the lead's draft and say how to log them."""
    draft = drafts.Draft(lead.id, entry, now(None, conf), complete)  # type: ignore[arg-type]
    try:
        drafts.save(*place.drafts, draft)
        saved = True
    except OSError:
        saved = False
    session.drafted.add(lead.id)  # type: ignore[arg-type]
    draft_kept(lead, drafts.log_command(lead.id, entry, conf.zone, place.db), saved)  # type: ignore[arg-type]


def _outcome(lead: Lead) -> str:
    """The outcome, or skip, or quit; a do-not-call is confirmed first."""
    while True:
        answer = prompts.keyed_select(
            _("How did it go?"), choices(), instruction=_("(press a key, or arrows and Enter)")
        )
        if answer is None:
            return QUIT
        if answer != Outcome.DO_NOT_CALL or prompts.confirm(
            _("{name} asked not to be called? They will never be offered again.").format(
                name=lead.name
            ),
            default=False,
        ):
            return answer


def _script(
    lead: Lead,
    history: list[Call],
    followups: list[FollowUp],
    moment: datetime,
    conf: Config,
    others: list[datetime],
    ask: HoursQuestion | None,
) -> Script | None:
    """The call script, or none when the user's own templates cannot be read (said once)."""
    language = (conf.language or "en").lower()[:2]
    try:
        return build_script(
            lead,
            history,
            followups,
            moment,
            conf,
            language if language in LANGUAGES else "en",
            with_email=False,
            others=others,
            ask=ask,
        )
    except WarmcallError as exc:
        show.no_script(error_words(exc))
        return None
