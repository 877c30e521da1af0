"""Today's plan as an iCalendar file: one event per planned call, at its slot.

Each event's UID is the lead and the day (``warmcall-42-20261125@warmcall``), so exporting
the plan again the same day updates the same events instead of adding copies; times are
written in UTC, which every calendar shows in its own zone. Events are transparent: a call
window is a reminder, not a meeting that makes you look busy.

Text is inert (RFC 5545 §3.3.11): icalendar escapes ``\\ ; ,`` and newlines; the controls
TEXT may not hold (ESC, BEL, C1) and the bidi marks are spelled out (``\\x1b``), as on screen.
"""

from __future__ import annotations

from datetime import UTC

from warmcall.controls import spell_out
from warmcall.plan.planner import Plan, Row
from warmcall.render.i18n import _, number
from warmcall.render.reasons import part_detail

PRODID = "-//warmcall//warm calls for solo salespeople//EN"


def uid(row: Row, plan: Plan) -> str:
    day = plan.now.astimezone(plan.zone).date()
    return f"warmcall-{row.lead.lead_id}-{day:%Y%m%d}@warmcall"


def to_ics(plan: Plan) -> bytes:
    """The plan's events, worded in the configured language like the plan on screen."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("warmcall: today's calls"))
    for row in plan.rows:
        lead = row.lead
        who = lead.name + (f" ({lead.company})" if lead.company else "")
        event = Event()
        event.add("uid", uid(row, plan))
        event.add("dtstamp", plan.now.astimezone(UTC))
        event.add("dtstart", row.slot_start.astimezone(UTC))
        event.add("dtend", row.slot_end.astimezone(UTC))
        summary = _("Call {who}").format(who=who) + (f" · {lead.phone}" if lead.phone else "")
        event.add("summary", inert(summary))
        event.add("description", inert(_description(row, plan)))
        event.add("categories", ["warmcall", inert(lead.temperature)])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def _description(row: Row, plan: Plan) -> str:
    lead = row.lead
    ranked = _("#{rank} in today's plan, score {score}.")
    lines = [ranked.format(rank=row.rank, score=number(row.score, "g"))]
    if lead.phone:
        lines.append(_("Phone: {phone}").format(phone=lead.phone))
    if lead.followup:
        lines.append(_("Agreed: {action}").format(action=lead.followup.action))
    lines.append(_("Why:"))
    lines += [
        f"  {number(p.points, '+g')}  {part_detail(p, plan.now, plan.zone)}" for p in row.parts
    ]
    lines.append(_("Details: {command}").format(command=f"warmcall lead show {lead.lead_id}"))
    return "\n".join(lines)


def inert(text: str) -> str:
    """TEXT a calendar shows and never obeys (newlines are icalendar's to escape)."""
    return spell_out(text)
