"""Call scripts: situations, tracks, slots, words and templates, on plain data with a fixed now."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import MADRID, NOW
from warmcall.config import Config
from warmcall.errors import ConfigError, Refused
from warmcall.models import (
    Call,
    FollowUp,
    FollowUpStatus,
    Lead,
    Objection,
    Outcome,
    Stage,
    Status,
)
from warmcall.plan.windows import parse_window
from warmcall.scripts import (
    Script,
    Situation,
    build_script,
    detect_situation,
    earlier_contact,
    plain,
    propose_slots,
)

NEW_YORK = ZoneInfo("America/New_York")
# Phrases that leave the caller waiting on the other person; none of our words may use them.
WAITING = (
    "i wanted to follow up",
    "just following up",
    "following up on",
    "did you get my email",
    "did you get my e-mail",
    "did you receive my",
    "we'll be in touch",
    "we will be in touch",
    "just checking in",
    "touching base",
    "quería hacer un seguimiento",
    "¿recibió mi correo?",
    "recibió mi correo",
    "ha recibido mi correo",
    "ya le diremos",
    "nos pondremos en contacto",
    "me gustaría volver a llamarle",
)


def at(day: int, hour: int, minute: int = 0, zone: ZoneInfo = MADRID, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=zone)


def lead(**fields: object) -> Lead:
    values: dict[str, object] = {
        "id": 7,
        "name": "Ana Martínez",
        "company": "Innova",
        "phone": "+34 612 345 678",
        "stage": Stage.SQL,
        "context": "met at Expo Retail, asked about pricing for 12 stores",
        "source": "Expo Retail fair",
        "window": "any",
        "created_at": at(1, 9),
    }
    values.update(fields)
    return Lead(**values)  # type: ignore[arg-type]


def call(
    when: datetime,
    outcome: Outcome = Outcome.CONNECTED,
    notes: str | None = None,
    objections: tuple[Objection, ...] = (),
    call_id: int = 1,
) -> Call:
    return Call(
        lead_id=7, at=when, outcome=outcome, notes=notes, objections=list(objections), id=call_id
    )


def followup(when: datetime, action: str = "send the revised offer", **kw: object) -> FollowUp:
    return FollowUp(lead_id=7, due_at=when, action=action, **kw)  # type: ignore[arg-type]


def section(script: Script, title: str) -> list[str]:
    found = [s for s in script.sections if s.title == title]
    assert found, f"no section {title!r} in {[s.title for s in script.sections]}"
    return [plain(line) for line in found[0].lines]


def text(script: Script) -> str:
    return "\n".join(plain(line) for s in script.sections for line in s.lines)


DEMO_CALL = call(at(12, 10, 30), notes="Demo went well. Needs SSO before signing.")
OFFER_CALL = call(at(12, 10, 30), notes="Sent the offer for 12 stores; she wants a lower figure.")


# --- situations -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("the_lead", "calls", "followups", "expected"),
    [
        (lead(), [], [], Situation.FIRST_CONTACT),
        (lead(), [call(at(24, 9), Outcome.VOICEMAIL)], [], Situation.FIRST_CONTACT),
        (lead(), [DEMO_CALL], [], Situation.AFTER_DEMO),
        (lead(), [OFFER_CALL, call(at(5, 9), notes="Demo", call_id=2)], [], Situation.AFTER_OFFER),
        (lead(), [call(at(20, 9), notes="Spoke about their stores")], [], Situation.FOLLOW_UP),
        # the demo was five weeks ago and nothing was agreed since: silence, not a no
        (lead(), [call(at(15, 9, month=10), notes="Demo")], [], Situation.REACTIVATION),
        # the same silence with a call-back agreed for today is an agreed call
        (
            lead(),
            [call(at(15, 9, month=10), notes="Demo")],
            [followup(at(25, 10))],
            Situation.AFTER_DEMO,
        ),
        (
            lead(stage=Stage.CUSTOMER, tags=["unpaid"]),
            [call(at(20, 9))],
            [],
            Situation.UNPAID_INVOICE,
        ),
        (
            lead(stage=Stage.CUSTOMER, notes="Factura F-114 pendiente de pago"),
            [],
            [],
            Situation.UNPAID_INVOICE,
        ),
        (lead(stage=Stage.CUSTOMER), [call(at(20, 9))], [], Situation.FOLLOW_UP),
    ],
)
def test_situation_is_read_from_the_history(the_lead, calls, followups, expected, config):
    assert detect_situation(the_lead, calls, followups, NOW, config) == expected


def test_a_forced_situation_changes_the_tracks_and_the_words(config):
    detected = build_script(lead(), [DEMO_CALL], [], NOW, config)
    forced = build_script(lead(), [DEMO_CALL], [], NOW, config, situation="after-offer")
    assert detected.situation == "after-demo" and forced.situation == "after-offer"
    assert "about the demo" in text(detected)
    assert "the offer we discussed on 12 November" in text(forced)
    assert [line for line in section(forced, "Unblock") if "·" in line][:2] == [
        "Price · likely here",
        "Competitor · likely here",
    ]


@pytest.mark.parametrize(
    ("situation", "lang", "opening"),
    [
        ("first-contact", "en", "Hello Ana, we spoke at Expo Retail and you asked about pricing"),
        ("first-contact", "es", "Hola, Ana. Hablamos en Expo Retail y me preguntó por pricing"),
        ("follow-up", "en", "I'm calling about our conversation on 12 November"),
        ("follow-up", "es", "Le llamo por nuestra conversación del 12 de noviembre"),
        ("after-demo", "en", "our conversation on 12 November about the demo"),
        ("after-demo", "es", "nuestra conversación del 12 de noviembre sobre la demo"),
        ("after-offer", "en", "I'm calling about the offer we discussed on 12 November"),
        ("after-offer", "es", "Le llamo por la oferta que comentamos el 12 de noviembre"),
        ("reactivation", "en", "we last spoke on 12 November about the demo."),
        ("reactivation", "es", "Hablamos por última vez el 12 de noviembre sobre la demo."),
        ("unpaid-invoice", "en", "I'm calling about invoice F-2026-114"),
        ("unpaid-invoice", "es", "Le llamo por la factura F-2026-114"),
    ],
)
def test_each_situation_opens_on_the_earlier_contact_in_both_languages(
    situation, lang, opening, config
):
    the_lead = lead(notes="Invoice F-2026-114 still open")
    script = build_script(the_lead, [DEMO_CALL], [], NOW, config, lang, situation)
    opener = section(script, "Open" if lang == "en" else "Abrir")
    assert any(opening in line for line in opener), opener
    assert script.situation == situation


def test_a_referral_opens_on_who_sent_us(config):
    the_lead = lead(context="referred by Luis Martínez of Innova", source=None)
    script = build_script(the_lead, [], [], NOW, config)
    assert "> Hello Ana, Luis Martínez of Innova suggested I call you." in section(script, "Open")
    es = build_script(the_lead, [], [], NOW, config, "es")
    assert "> Hola, Ana. Luis Martínez of Innova me sugirió que le llamara." in section(es, "Abrir")


@pytest.mark.parametrize(
    ("context", "source", "kind", "detail"),
    [
        ("recomendado por Luis Martínez, de Innova", None, "referral", "Luis Martínez"),
        ("Nos conocimos en la feria Hostelco", None, "event", "la feria Hostelco"),
        (None, "Trade show ABC 2026", "event", "Trade show ABC 2026"),
        (None, "web form 2026-03", "form", "web form 2026-03"),
        ("Old colleague of Pedro", None, "other", None),
        (None, None, "none", None),
    ],
)
def test_earlier_contact_is_read_from_context_and_source(context, source, kind, detail):
    found = earlier_contact(lead(context=context, source=source))
    assert found.kind == kind
    assert (found.who or found.what) == detail


def test_a_lead_with_no_history_gets_a_first_call_script(config):
    script = build_script(lead(context=None, source=None), [], [], NOW, config)
    assert script.situation == "first-contact"
    prepare = section(script, "Prepare")
    assert "No touch yet; added on 1 November." in prepare
    assert any("close to a cold one" in line for line in section(script, "Open"))
    assert [s.title for s in script.sections] == [
        "Prepare",
        "Open",
        "Where are they now",
        "Unblock",
        "Close",
        "After",
    ]


def test_prepare_recalls_the_last_touch_the_talk_the_objections_and_what_was_agreed(config):
    calls = [
        call(at(24, 9), Outcome.VOICEMAIL, call_id=3),
        call(
            at(12, 10, 30),
            notes="Demo went well. Needs SSO before signing.",
            objections=(Objection.PRICE, Objection.AUTHORITY),
            call_id=2,
        ),
        call(at(3, 9), notes="Asked for a demo", objections=(Objection.PRICE,), call_id=1),
    ]
    script = build_script(
        lead(), calls, [followup(at(25, 10), goal="agree the start date")], NOW, config
    )
    prepare = section(script, "Prepare")
    assert "Last touch: 24 November, 09:00 · call · voicemail (yesterday)" in prepare
    assert "Last conversation: 12 November · spoke (13 days ago); 1 unanswered since." in prepare
    assert "Discussed on 12 November: Demo went well. Needs SSO before signing." in prepare
    assert (
        "Objections seen: price (Thu 12 Nov, twice), someone else decides (Thu 12 Nov)" in prepare
    )
    assert "Condition set on Thu 12 Nov: “Needs SSO before signing”" in prepare
    assert (
        "Agreed for Wed 25 Nov 10:00: send the revised offer → goal: agree the start date"
        in prepare
    )
    assert "as we agreed" in section(script, "Open")[0]


# --- objection tracks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("objection", "lang", "header", "step"),
    [
        ("price", "en", "Price · raised Thu 12 Nov", "smaller rather than cheaper"),
        ("price", "es", "Precio · surgió el jue 12 nov", "Reduzca el alcance en lugar del precio"),
        ("timing", "en", "Timing · raised Thu 12 Nov", "fix the day you pick it up again"),
        ("timing", "es", "Plazos · surgió el jue 12 nov", "fije el día en que lo retoman"),
        ("authority", "en", "Someone else decides · raised", "material made for that person"),
        ("authority", "es", "Decide otra persona · surgió", "material pensado para esa persona"),
        ("need", "en", "Need · raised Thu 12 Nov", "Restate the value around that one problem"),
        ("need", "es", "Necesidad · surgió el jue 12 nov", "Reformule el valor"),
        ("competitor", "en", "Competitor · raised Thu 12 Nov", "Compare on the two or three"),
        ("competitor", "es", "Competencia · surgió el jue 12 nov", "Compare en los dos o tres"),
        ("other", "en", "Other · raised Thu 12 Nov", "Ask plainly what is in the way"),
        ("other", "es", "Otra · surgió el jue 12 nov", "qué lo está frenando"),
    ],
)
def test_each_objection_seen_gets_its_track(objection, lang, header, step, config):
    calls = [call(at(12, 10), notes="Talked", objections=(Objection(objection),))]
    script = build_script(lead(), calls, [], NOW, config, lang)
    unblock = section(script, "Unblock" if lang == "en" else "Desbloquear")
    assert unblock[0].startswith(header)
    assert any(step in line for line in unblock[1:4])


def test_seen_objections_come_first_and_likely_ones_fill_up(config):
    calls = [
        call(at(20, 10), objections=(Objection.COMPETITOR,), call_id=2),
        call(at(12, 10), objections=(Objection.PRICE, Objection.TIMING), call_id=1),
    ]
    heads = [
        line
        for line in section(build_script(lead(), calls, [], NOW, config), "Unblock")
        if not line.startswith("- ")
    ]
    assert heads == [
        "Competitor · raised Fri 20 Nov",
        "Price · raised Thu 12 Nov",
        "Timing · raised Thu 12 Nov",
    ]
    none_seen = build_script(lead(), [DEMO_CALL], [], NOW, config)
    assert [x for x in section(none_seen, "Unblock") if not x.startswith("- ")] == [
        "Someone else decides · likely here",
        "Price · likely here",
    ]


def test_unpaid_invoice_tracks_speak_of_payments_not_of_selling(config):
    calls = [call(at(12, 10), objections=(Objection.PRICE, Objection.TIMING))]
    script = build_script(lead(stage=Stage.CUSTOMER, tags=["unpaid"]), calls, [], NOW, config)
    unblock = " ".join(section(script, "Unblock"))
    assert "credit note" in unblock and "two instalments" in unblock
    assert "pilot" not in unblock


# --- slots ----------------------------------------------------------------------------------


def test_slots_for_a_new_york_lead_seen_from_madrid(config):
    ny = lead(timezone="America/New_York", window="early", phone="+1 212 555 0142")
    slots = propose_slots(ny, [], NOW, config)
    assert [(s.start.astimezone(NEW_YORK).strftime("%a %d %H:%M")) for s in slots] == [
        "Thu 26 07:30",
        "Fri 27 07:30",
    ]
    assert [s.start.astimezone(MADRID).strftime("%H:%M") for s in slots] == ["13:30", "13:30"]
    script = build_script(ny, [], [], NOW, config)
    close = section(script, "Close")
    assert "- Thu 26 Nov, 13:30 here · 07:30 in New York" in close
    assert close[0] == (
        "> Let's fix it now: Thursday 26 November at 07:30, or Friday 27 November at 07:30, "
        "your time?"
    )
    assert "their time now 01:50 (New York)" in section(script, "Prepare")[1]


def test_a_friday_evening_proposes_monday_and_tuesday(config):
    friday_evening = at(27, 19)
    slots = propose_slots(lead(window="early,midday"), [], friday_evening, config)
    assert [s.start.strftime("%a %d %b %H:%M") for s in slots] == [
        "Mon 30 Nov 07:30",
        "Tue 01 Dec 12:00",  # the second slot offers the other part of the window
    ]


def test_slots_avoid_the_times_they_already_have(config):
    taken = [followup(at(26, 9)), followup(at(27, 9), has_time=False)]
    slots = propose_slots(lead(window="any"), taken, NOW, config)
    assert [s.start.strftime("%a %d %H:%M") for s in slots] == ["Thu 26 09:30", "Mon 30 09:00"]
    done = [followup(at(26, 9), status=FollowUpStatus.KEPT)]
    assert propose_slots(lead(window="any"), done, NOW, config)[0].start == at(26, 9)


def test_no_working_day_means_no_slot_and_a_line_that_asks_for_one():
    config = Config(timezone="Europe/Madrid")
    config.windows.working_days = []
    script = build_script(lead(), [], [], NOW, config)
    assert script.slots == []
    assert any("ask them for a day and an hour" in line for line in section(script, "Close"))


ZONES = ["Europe/Madrid", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "Atlantic/Canary"]
WINDOWS = ["early", "midday", "any", "early,midday", "07:00-07:45", "16:15-17:40,10:00-11:00"]


@settings(max_examples=150, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    window=st.sampled_from(WINDOWS),
    after=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(MADRID)
    ),
    busy=st.lists(st.integers(min_value=0, max_value=24 * 6), max_size=6),
)
def test_slots_always_fall_in_the_window_on_working_days_after_now(zone, window, after, busy):
    config = Config(timezone="Europe/Madrid")
    the_lead = lead(timezone=zone, window=window)
    taken = [followup(after + timedelta(hours=h, minutes=30 * (h % 2))) for h in busy]
    slots = propose_slots(the_lead, taken, after, config)
    theirs = ZoneInfo(zone)
    ranges = parse_window(window, config.windows)
    assert len(slots) == 2
    assert len({s.start.astimezone(theirs).date() for s in slots}) == 2
    for slot in slots:
        local_start, local_end = slot.start.astimezone(theirs), slot.end.astimezone(theirs)
        assert slot.start > after
        assert local_start.date() > after.astimezone(theirs).date()
        assert local_start.isoweekday() in config.windows.working_days
        assert any(r.start <= local_start.time() and local_end.time() <= r.end for r in ranges)
        assert local_start.time().minute in (0, 30) or local_start.time() in [
            r.start for r in ranges
        ]
        for f in taken:
            assert not (slot.start < f.due_at + timedelta(minutes=30) and slot.end > f.due_at)


# --- the words ------------------------------------------------------------------------------


def test_dates_are_written_in_the_language_whatever_the_locale(config, monkeypatch):
    monkeypatch.setenv("LC_ALL", "C")
    calls = [call(at(12, 10, 30), notes="Demo", call_id=1)]
    es = build_script(lead(), calls, [], NOW, config, "es")
    assert "Último contacto: 12 de noviembre, 10:30 · llamada · hablamos (hace 13 días)" in section(
        es, "Preparar"
    )
    assert "el jueves 26 de noviembre a las 09:00" in section(es, "Cerrar")[0]
    older = build_script(lead(), [call(at(3, 9, month=1), notes="Demo")], [], NOW, config, "es")
    assert "3 de enero" in text(older)  # no year: Jan 2026 is this year
    next_year = datetime(2027, 1, 4, 9, tzinfo=MADRID)
    assert "3 de enero de 2026" not in text(older)
    later = build_script(lead(), [call(at(3, 9, month=1), notes="Demo")], [], next_year, config)
    assert "3 January 2026" in text(later)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("situation", [str(s) for s in Situation])
@pytest.mark.parametrize("history", ["none", "objections"])
def test_no_phrase_puts_the_caller_in_a_waiting_position(lang, situation, history, config):
    calls = []
    if history == "objections":
        calls = [call(at(12, 10), notes="Talked", objections=tuple(Objection), call_id=1)]
    followups = [followup(at(25, 10), call_id=1)] if calls else []
    for moment in (NOW, at(12, 18)):  # before the call, and just after it
        script = build_script(lead(), calls, followups, moment, config, lang, situation)
        everything = (text(script) + "\n" + (script.email or "")).casefold()
        for phrase in WAITING:
            assert phrase not in everything, (phrase, situation, lang)


def test_the_shipped_templates_hold_no_waiting_phrase():
    root = Path(__file__).resolve().parents[1] / "warmcall" / "scripts" / "templates"
    files = list(root.glob("*/*.j2"))
    assert {f.parent.name for f in files} == {"en", "es"}
    for path in files:
        body = path.read_text(encoding="utf-8").casefold()
        # comments may name a banned phrase to forbid it; the words said may not
        spoken = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith("{#"))
        for phrase in WAITING:
            assert phrase not in spoken.replace('"', ""), (phrase, path.name)


# --- after the call -------------------------------------------------------------------------


def test_after_gives_the_exact_log_line_with_the_first_slot(config):
    script = build_script(lead(), [DEMO_CALL], [], NOW, config)
    after = section(script, "After")
    assert (
        "$ warmcall call log 7 --outcome connected --next '2026-11-26 09:00' "
        "--next-action 'a review of the proposal together' --next-goal 'agree on a pilot'"
    ) in after
    assert "$ warmcall call log 7 --outcome voicemail" in after


def test_the_email_after_the_call_sums_it_up_with_the_step_in_the_leads_time(config):
    ny = lead(timezone="America/New_York", email="ana@innova.com")
    today = call(at(25, 15), notes="She liked the pilot idea. CFO signs off on Friday.", call_id=9)
    step = followup(at(26, 16), "call with the CFO", goal="a yes on the pilot", call_id=9, id=3)
    moment = at(25, 18)
    script = build_script(ny, [today, DEMO_CALL], [step], moment, config)
    assert script.email is not None
    lines = script.email.splitlines()
    assert lines[0] == "To: Ana Martínez <ana@innova.com>"
    assert lines[1] == "Subject: Next step, Thursday 26 November"
    assert "- She liked the pilot idea" in lines and "- CFO signs off on Friday" in lines
    assert (
        "Next step: call with the CFO, on Thursday 26 November at 10:00 (New York time)." in lines
    )
    assert "The goal: a yes on the pilot." in lines
    es = build_script(ny, [today, DEMO_CALL], [step], moment, config, "es").email or ""
    assert "Asunto: Próximo paso, jueves 26 de noviembre" in es
    assert "Próximo paso: call with the CFO, el jueves 26 de noviembre a las 10:00" in es
    assert "Hola, Ana:" in es and "Un saludo," in es


def test_the_email_before_the_call_is_a_draft_with_the_proposed_step(config):
    email = build_script(lead(), [DEMO_CALL], [], NOW, config).email or ""
    assert "- [what you discussed]" in email
    assert (
        "Next step: a review of the proposal together, on Thursday 26 November at 09:00." in email
    )
    assert build_script(lead(), [], [], NOW, config, with_email=False).email is None


# --- refusals and templates -----------------------------------------------------------------


def test_a_do_not_call_lead_is_refused_with_the_date_of_the_objection(config):
    dnc = lead(status=Status.DNC, dnc_at=at(20, 11), dnc_reason="asked by phone")
    with pytest.raises(Refused, match="objected to calls on 20 November 2026 \\(asked by phone\\)"):
        build_script(dnc, [], [], NOW, config)


def test_a_user_template_overrides_the_shipped_one(tmp_path, config):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "open.j2").write_text(
        "## Open\n> Buenas, {{ first_name }}: {{ lead.company }} here, on {{ now|date }}.\n"
    )
    script = build_script(lead(), [], [], NOW, config, templates=tmp_path)
    assert section(script, "Open") == ["> Buenas, Ana: Innova here, on 25 November."]
    assert section(script, "Close")  # the other templates still come from the package
    spanish = build_script(lead(), [], [], NOW, config, "es", templates=tmp_path)
    assert "Buenas" not in text(spanish)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("## Open\n{% if %}\n", "open.j2, line 2"),
        ("## Open\n{{ nothing_like_this }}\n", "open.j2, line 2: 'nothing_like_this' is undefined"),
    ],
)
def test_a_broken_user_template_is_one_clear_error(tmp_path, config, body, message):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "open.j2").write_text(body)
    with pytest.raises(ConfigError, match=message):
        build_script(lead(), [], [], NOW, config, templates=tmp_path)


def test_slot_helper_rounds_to_the_half_hour():
    config = Config(timezone="Europe/Madrid")
    odd = lead(window="09:10-10:00")
    slots = propose_slots(odd, [], NOW, config)
    assert [s.start.time() for s in slots] == [time(9, 30), time(9, 30)]
