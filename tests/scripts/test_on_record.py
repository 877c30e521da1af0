"""Issue 24: a script says only what the record holds, the e-mail recaps a conversation that
happened, the close prepares the agreed step, the voicemail leaves a number and promises only
what the plan would do, and a lead that may not be called is said so first."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import NOW
from tests.scripts.make import at, call, followup, lead, section, text
from warmcall.config import Config
from warmcall.errors import Refused
from warmcall.models import Consent, Objection, Outcome
from warmcall.scripts import build_script

# Phrases seen in the issue: invented offers, facts, clichés and calques. Never again.
NEVER = (
    "Cut the offer down", "send the lighter version today", "one team first", "fewer seats",
    "a pilot month", "we can start smaller", "I can put you in touch with a customer",
    "You had several questions then", "likely here", "agree on a pilot",
    "this quarter", "do you have two minutes now", "I have one idea that may save you time",
    "You reached us through", "I have your number from", "your interest in what we do",
    "Recorte la oferta", "un mes de piloto", "menos licencias", "podemos empezar más pequeño",
    "probable aquí", "una congelación", "Dejémoslo fijado", "Tengo su número por",
    "¿tiene dos minutos ahora?", "Le llamo por su interés en lo que hacemos",
    "Entonces le surgieron varias preguntas", "a launch, a season, a renewal",
)  # fmt: skip
CONSUMER_NEVER = ("demo", "seats", "licencias")


def config(**user: str) -> Config:
    conf = Config(timezone="Europe/Madrid", region="ES")
    for key, value in user.items():
        setattr(conf.user, key, value)
    return conf


def every_text(script) -> str:  # noqa: ANN001
    return text(script) + "\n" + (script.email or "")


# --- 1. the e-mail recaps a conversation that happened ---------------------------------------


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_email_without_a_logged_conversation(lang):
    unanswered = [call(at(24, 10), Outcome.NO_ANSWER)]
    with pytest.raises(Refused, match="No conversation with Ana Martínez is logged yet"):
        build_script(lead(), unanswered, [], NOW, config(), lang, strict_email=True)
    quiet = build_script(lead(), unanswered, [], NOW, config(), lang)
    assert quiet.email is None


@pytest.mark.parametrize(
    ("lang", "thanks", "agreed"),
    [
        ("en", "Thank you for your time yesterday.", "As agreed: go through the offer, on"),
        ("es", "Gracias por su tiempo ayer.", "Lo acordado: go through the offer, el"),
    ],
)
def test_the_email_recaps_the_latest_talk_and_never_the_goal(lang, thanks, agreed):
    talk = call(at(24, 10), notes="internal: budget tight", call_id=3)
    step = followup(at(27, 10), "go through the offer", goal="signed order", call_id=3)
    script = build_script(lead(), [talk], [step], NOW, config(), lang, strict_email=True)
    assert thanks in script.email
    assert agreed in script.email
    assert "signed order" not in script.email
    assert "budget tight" not in script.email
    assert "The goal" not in script.email and "Objetivo" not in script.email


def test_email_for_a_named_call_and_refused_for_a_dial(config):
    calls = [call(at(24, 10), Outcome.NO_ANSWER, call_id=4), call(at(12, 10), call_id=2)]
    older = build_script(lead(), calls, [], NOW, config, "en", email_call=2)
    assert "Thank you for your time on 12 November." in older.email
    with pytest.raises(Refused, match="Call 4 with Ana Martínez was not a conversation"):
        build_script(lead(), calls, [], NOW, config, "en", email_call=4)


def test_the_cli_refuses_the_email_in_one_sentence(cli):
    cli("lead", "add", "Ana Martínez", "--phone", "612 345 678")
    result = cli("script", "ana", "--email", "--at", "2026-11-25 07:50")
    assert result.exit_code == 1
    assert "No conversation with Ana Martínez is logged yet" in result.output
    assert "Traceback" not in result.output


# --- 2. nothing that is not on record --------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es"])
def test_objections_never_raised_are_questions_not_tracks(lang):
    script = build_script(lead(), [call(at(12, 10), shown="demo")], [], NOW, config(), lang)
    unblock = section(script, "Unblock" if lang == "en" else "Desbloquear")
    assert not any("·" in line for line in unblock)  # no track header
    assert all(line.startswith("> ¿" if lang == "es" else "> ") for line in unblock[1:])
    assert all(line.endswith("?") for line in unblock[1:])


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_regression_list_never_appears(lang):
    for situation in ("first-contact", "follow-up", "after-demo", "after-offer",
                      "reactivation", "unpaid-invoice"):  # fmt: skip
        calls = [call(at(20, 10), objections=tuple(Objection), recap="Thanks.")]
        script = build_script(
            lead(), calls, [], NOW, config(), lang, situation=situation, with_email=True
        )
        said = every_text(script)
        for phrase in NEVER:
            assert phrase.lower() not in said.lower(), (situation, phrase)


WORDS = st.text(st.characters(categories=("L",)), min_size=3, max_size=12)
# Facts a record may hold, and the words a script may only use when it holds them.
GATED = {
    "offer": ("the offer", "la oferta"),
    "demo": ("the demo", "la demo"),
    "invoice": ("the invoice", "la factura"),
}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lang=st.sampled_from(["en", "es"]),
    segment=st.sampled_from(["business", "consumer", "sole-trader"]),
    outcomes=st.lists(st.sampled_from(list(Outcome)), max_size=4),
    objections=st.lists(st.sampled_from(list(Objection)), max_size=3, unique=True),
    sent=st.sampled_from([None, "offer", "invoice", "info"]),
    shown=st.sampled_from([None, "demo"]),
    note=WORDS,
    context=WORDS,
    agreed=st.booleans(),
    timelines=st.lists(st.one_of(st.none(), WORDS), min_size=4, max_size=4),
)
def test_no_rendered_sentence_states_what_the_record_does_not_hold(
    lang, segment, outcomes, objections, sent, shown, note, context, agreed, timelines
):
    outcomes = [o for o in outcomes if str(o) not in ("do-not-call",)]
    calls = [
        call(
            at(20 - i, 10), o, notes=note, call_id=10 + i,
            objections=tuple(objections) if i == 0 else (),
            **({"sent": sent} if sent and i == 0 else {}),
            **({"shown": shown} if shown and i == 0 else {}),
        )
        for i, o in enumerate(outcomes)
    ]  # fmt: skip
    steps = [followup(at(27, 11), "go through it", goal="signed", call_id=10)] if agreed else []
    note, context = f"note·{note}", f"context·{context}"  # free text, told apart from ours
    calls = [replace(c, notes=note) for c in calls]
    # A timeline is recorded only with a conversation (call log refuses it on a dial).
    calls = [
        replace(c, timeline=f"when·{t}") if t and c.outcome.is_conversation else c
        for c, t in zip(calls, timelines, strict=False)
    ]
    the_lead = lead(context=context, source=None)
    script = build_script(the_lead, calls, steps, NOW, config(phone="600 111 222"), lang,
                          segment=segment)  # fmt: skip
    said = every_text(script)
    for phrase in NEVER:
        assert phrase.lower() not in said.lower()
    # An objection track only for an objection raised.
    heads = [line for s in script.sections for line in s.lines if re.match(r"^\*\*\w.* · ", line)]
    assert len([h for h in heads if "raised" in h or "surgió" in h]) <= len(objections)
    # What was sent or shown is named only when the record holds it.
    recorded = {c.sent for c in calls} | {c.shown for c in calls}
    spoken = "\n".join(line for s in script.sections for line in s.lines if line.startswith(">"))
    for fact, names in GATED.items():
        if fact not in recorded and script.situation != "unpaid-invoice":
            assert not any(f"about {n} we" in spoken or f"por {n} que" in spoken for n in names)
    # Free text is never said to the lead: it is quoted for the caller only.
    assert "note·" not in spoken and "context·" not in spoken
    if segment == "consumer":
        assert not any(w in spoken.lower() for w in CONSUMER_NEVER if "demo" not in recorded)
    # The e-mail exists only after a conversation, and never shows the goal.
    talks = [c for c in calls if c.outcome.is_conversation]
    assert (script.email is not None) == bool(talks)
    if script.email:
        assert "signed" not in script.email
    # A timeline appears only when the record holds one: the latest the lead gave, quoted
    # as recorded; with none, the script asks for it and quotes nothing.
    held = [c.timeline for c in calls if c.timeline]  # newest first
    assert set(re.findall(r"when·\w+", said)) == set(held[:1])
    checks = ("You mentioned", "Their timeline is", "Me comentó", "Su plazo es")
    assert any(w in said for w in checks) == bool(held)
    # The voicemail: under 60 words, with a callback number.
    voicemail = section(script, "Voicemail" if lang == "en" else "Buzón de voz")
    words = " ".join(line[2:] for line in voicemail if line.startswith("> ")).split()
    assert len(words) <= 60
    assert "600 111 222" in " ".join(voicemail)


# --- 3. close on the agreed step ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "this_call", "next_q"),
    [
        ("en", "This call: “go through the offer” · goal: “signed order”",
         "> What would you like to happen next, once we have done this?"),
        ("es", "Esta llamada: «go through the offer» · objetivo: «signed order»",
         "> Una vez hecho esto, ¿cuál le gustaría que fuera el siguiente paso?"),
    ],
)  # fmt: skip
def test_close_prepares_the_agreed_step(lang, this_call, next_q):
    talk = call(at(24, 10), call_id=3, sent="offer")
    step = followup(at(27, 10), "go through the offer", goal="signed order", call_id=3)
    script = build_script(lead(), [talk], [step], NOW, config(), lang)
    close = section(script, "Close" if lang == "en" else "Cerrar")
    assert close[0] == this_call
    assert next_q in close
    assert "walk through the offer" not in text(script)


# --- 4. context quoted ------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "line"), [
    ("en", "Source: form · “Downloaded our home-energy guide, interested in a heat pump”"),
    ("es", "Origen: form · «Downloaded our home-energy guide, interested in a heat pump»"),
])  # fmt: skip
def test_source_and_context_are_quoted_as_recorded(lang, line):
    the_lead = lead(
        company=None,
        source="form",
        context="Downloaded our home-energy guide, interested in a heat pump",
    )
    script = build_script(the_lead, [], [], NOW, config(), lang)
    assert line in text(script)
    spoken = [x for x in text(script).splitlines() if x.startswith(">")]
    assert not any("heat pump" in x or "form" in x.split() for x in spoken)


def test_a_note_is_never_cut_at_an_abbreviation(config):
    talk = call(at(24, 10), notes="Needs Dr. Patel to sign first. Call after lunch.")
    script = build_script(lead(), [talk], [], NOW, config, "en")
    assert "Condition set on Tue 24 Nov: “Needs Dr. Patel to sign first”" in text(script)


# --- 5. voicemail ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "number", "again"),
    [
        ("en", "> You can call me back on 600 111 222.",
         "> Otherwise I'll try you again on Friday 27 November. Speak soon."),
        ("es", "> Puede devolverme la llamada al 600 111 222.",
         "> Si no, le vuelvo a llamar el viernes 27 de noviembre. Hasta pronto."),
    ],
)  # fmt: skip
def test_voicemail_leaves_a_number_and_the_plans_next_attempt(lang, number, again):
    conf = config(name="Marta Ruiz", company="Tiendas Pro", phone="600 111 222")
    script = build_script(lead(), [], [], NOW, conf, lang)
    voicemail = section(script, "Voicemail" if lang == "en" else "Buzón de voz")
    assert number in voicemail
    # 48 h of rest after an unanswered dial (the plan's rule): not tomorrow, Friday.
    assert again in voicemail
    said = " ".join(x[2:] for x in voicemail if x.startswith("> "))
    assert "Marta Ruiz" in said and "Tiendas Pro" in said
    assert len(said.split()) <= 60


def test_voicemail_promises_no_day_the_frequency_limit_forbids():
    conf = config(phone="600 111 222")
    conf.rules.max_attempts = 2
    conf.rules.attempts_days = 30
    dials = [call(at(24 - i, 10), Outcome.NO_ANSWER, call_id=i + 1) for i in range(1)]
    script = build_script(lead(), dials, [], NOW, conf, "en")
    again = [x for x in section(script, "Voicemail") if "try you again" in x]
    # The voicemail is the 2nd dial in 30 days: the next is lawful 30 days after the first.
    assert again == ["> Otherwise I'll try you again on Thursday 24 December. Speak soon."]


# --- 6. lawful now, or say so ---------------------------------------------------------------


@pytest.mark.parametrize(("lang", "banner"), [
    ("en", "Not callable: no consent under es-b2c"),
    ("es", "No se puede llamar: sin consentimiento según es-b2c"),
])  # fmt: skip
def test_a_consumer_without_consent_gets_a_banner_first(lang, banner):
    conf = config()
    conf.compliance.profile = "es-b2c"
    script = build_script(lead(consent=Consent.NONE, company=None), [], [], NOW, conf, lang)
    first = section(script, script.sections[0].title)
    assert first[0].startswith(banner)


@pytest.mark.parametrize(("lang", "next_line"), [
    ("en", "Next lawful: Wed 25 Nov 09:00"),
    ("es", "Próximo momento permitido: mié 25 nov 09:00"),
])  # fmt: skip
def test_too_late_says_when_it_may(lang, next_line):
    late = NOW - timedelta(hours=9)  # 22:50 the evening before
    script = build_script(lead(), [], [], late, config(), lang)
    assert script.sections[0].title.startswith("Not callable now" if lang == "en" else "No se")
    assert next_line in section(script, script.sections[0].title)


def test_a_lawful_moment_has_no_banner(config):
    script = build_script(lead(), [], [], NOW + timedelta(hours=2), config, "en")
    assert script.sections[0].title == "Prepare"


# --- 7. register and relative days ------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es"])
def test_consumer_wording_has_no_demo_and_asks_permission(lang):
    script = build_script(lead(company=None, consent=Consent.OPT_IN), [], [], NOW, config(),
                          lang, segment="consumer")  # fmt: skip
    said = "\n".join(x for x in text(script).lower().splitlines() if x.startswith(">"))
    assert "demo" not in said and "seats" not in said
    opener = section(script, "Open" if lang == "en" else "Abrir")
    ask = (
        "> Is this a good moment to talk about it for a few minutes, or shall I call you back?"
        if lang == "en"
        else "> ¿Le viene bien hablarlo unos minutos ahora, o prefiere que le llame "
        "en otro momento?"
    )
    assert ask in opener


@pytest.mark.parametrize(("lang", "said"), [("en", "last Friday"), ("es", "el viernes pasado")])
def test_a_past_weekday_is_never_ambiguous(lang, said):
    thursday = at(26, 11)
    script = build_script(lead(), [call(at(20, 10))], [], thursday, config(), lang)
    assert said in text(script)


@pytest.mark.parametrize(
    ("lang", "who", "hint"),
    [
        ("en", "> Ana, this is Marta Ruiz from [your company].", "Set your company and callback"),
        ("es", "> Ana, soy Marta Ruiz, de [su empresa].", "Ponga su empresa y su número"),
    ],
)
def test_a_voicemail_without_company_or_number_says_where_to_set_them(lang, who, hint):
    script = build_script(lead(), [], [], NOW, config(name="Marta Ruiz"), lang)
    voicemail = section(script, "Voicemail" if lang == "en" else "Buzón de voz")
    assert voicemail[0] == who
    assert any(line.startswith("- " + hint) for line in voicemail)


@pytest.mark.parametrize(
    ("lang", "start", "never"),
    [
        ("en", "- Start with the agreed step: “demo for the 5 bakeries”.", "Where are you with it"),
        ("es", "- Empiece por el paso acordado: «demo for the 5 bakeries».", "¿En qué punto"),
    ],
)
def test_an_agreed_step_is_where_the_call_starts(lang, start, never):
    talk = call(at(24, 10), call_id=3)
    step = followup(at(25, 11), "demo for the 5 bakeries", call_id=3)
    for moment in (NOW, at(25, 12)):  # before the agreed time, and once it is overdue
        script = build_script(lead(), [talk], [step], moment, config(), lang)
        opener = section(script, "Open" if lang == "en" else "Abrir")
        assert start in opener
        assert not any(never in line for line in opener)


@pytest.mark.parametrize(
    ("lang", "banner", "next_line"),
    [
        ("en", "Not callable now: not interested: resting 90 days",
         "Next lawful: Mon 22 Feb 10:00"),
        ("es", "No se puede llamar ahora: no le interesa: descanso de 90 días",
         "Próximo momento permitido: lun 22 feb 10:00"),
    ],
)  # fmt: skip
def test_a_refusal_rests_the_lead_and_the_banner_says_until_when(lang, banner, next_line):
    refused = [call(at(24, 10), Outcome.NOT_INTERESTED)]
    script = build_script(lead(), refused, [], NOW + timedelta(hours=2), config(), lang)
    first = section(script, script.sections[0].title)
    assert first == [banner, next_line]


def test_over_the_frequency_limit_the_banner_says_so(config):
    config.rules.max_attempts = 3
    dials = [call(at(24 - i, 10), Outcome.NO_ANSWER, call_id=i) for i in range(3)]
    script = build_script(lead(), dials, [], NOW + timedelta(hours=2), config, "en")
    first = section(script, "Not callable now")
    assert first[0].startswith("Not callable now: 3 dials in 14 days (the limit is 3)")


def test_a_phrase_of_the_context_is_never_glued_into_a_spanish_sentence():
    the_lead = lead(source="formulaire site web 2026-11", context="met at our stand in Lyon")
    script = build_script(the_lead, [], [], NOW, config(), "es")
    opener = section(script, "Abrir")
    assert not any("our stand" in line for line in opener if line.startswith(">"))
    assert "- Contacto anterior según el registro: «met at our stand in Lyon». Dígalo en una " \
        "frase, con sus palabras." in opener  # fmt: skip
    named = build_script(lead(), [], [], NOW, config(), "es")  # the event is the source's name
    assert "> Nos conocimos en Expo Retail." in section(named, "Abrir")


# --- a timeline the lead gave replaces any horizon ---------------------------------------------


@pytest.mark.parametrize(("lang", "prepare", "check", "close"), [
    ("en", "Timeline they gave: “maybe in spring” (Tue 17 Nov)",
     "> Timeline · You mentioned “maybe in spring”: is that still the plan?",
     "- Their timeline is “maybe in spring”: fit the next step to it, not to a deadline of ours."),
    ("es", "Plazo que dio: «maybe in spring» (mar 17 nov)",
     "> Plazo · Me comentó «maybe in spring»: ¿sigue siendo ese el plan?",
     "- Su plazo es «maybe in spring»: ajuste el siguiente paso a ese plazo, no a uno nuestro."),
])  # fmt: skip
def test_the_timeline_the_lead_gave_is_quoted_and_checked(lang, prepare, check, close):
    """The latest timeline given is quoted as recorded (in Spanish too, never translated or
    glued into the sentence), dated, checked with the lead, and the close fits it."""
    calls = [
        call(at(24, 10), notes="call me again", call_id=3),  # said nothing about when
        call(at(20, 10), Outcome.NO_ANSWER, call_id=2),
        call(at(17, 10), timeline="maybe in spring", call_id=1),
        call(at(10, 10), timeline="before the summer", call_id=0),
    ]
    script = build_script(lead(), calls, [], NOW, config(), lang)
    said = every_text(script)
    assert prepare in said
    assert check in said and close in said
    assert "before the summer" not in said  # only the latest one the lead gave
    assert "this quarter" not in said and "este trimestre" not in said


@pytest.mark.parametrize(("lang", "question"), [
    ("en", "> Timeline · By when do you need it, and what happens if it slips?"),
    ("es", "> Plazo · ¿Para cuándo lo necesita, y qué pasa si se retrasa?"),
])  # fmt: skip
def test_without_a_timeline_the_script_still_asks_for_one(lang, question):
    script = build_script(lead(), [call(at(24, 10))], [], NOW, config(), lang)
    said = every_text(script)
    assert question in said
    assert not any(w in said for w in ("You mentioned", "Timeline they gave", "Plazo que dio"))
    assert "this quarter" not in said and "este trimestre" not in said
