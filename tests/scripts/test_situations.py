"""The situation comes from the record (outcomes, what was sent or shown, the stage), never
from words in notes or goals; each choice says which facts made it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import NOW
from tests.scripts.make import at, call, followup, lead, section, text
from warmcall.models import Objection, Outcome, Stage
from warmcall.scripts import Fact, Situation, build_script, detect_situation
from warmcall.scripts.situations import choose

OFFER = call(at(20, 10), notes="Went through the numbers.", sent="offer", call_id=12)
DEMO = call(at(12, 10, 30), notes="Long questions about SSO.", shown="demo", call_id=11)


@pytest.mark.parametrize(
    ("calls", "followups", "stage", "expected"),
    [
        ([], [], Stage.SQL, Situation.FIRST_CONTACT),
        ([call(at(24, 9), Outcome.VOICEMAIL)], [], Stage.SQL, Situation.FIRST_CONTACT),
        ([DEMO], [], Stage.SQL, Situation.AFTER_DEMO),
        ([OFFER, DEMO], [], Stage.SQL, Situation.AFTER_OFFER),  # the newest fact decides
        ([call(at(23, 9), sent="proposal")], [], Stage.SQL, Situation.AFTER_OFFER),
        ([call(at(20, 9), notes="Spoke about their stores")], [], Stage.SQL, Situation.FOLLOW_UP),
        ([call(at(20, 9), sent="info")], [], Stage.SQL, Situation.FOLLOW_UP),
        # five weeks of silence and nothing agreed: a reactivation, whatever was sent
        ([call(at(15, 9, month=10), sent="offer")], [], Stage.SQL, Situation.REACTIVATION),
        # the same silence with a call agreed is the agreed call about the offer
        (
            [call(at(15, 9, month=10), sent="offer")],
            [followup(at(25, 10))],
            Stage.SQL,
            Situation.AFTER_OFFER,
        ),
        ([call(at(2, 12), sent="invoice")], [], Stage.CUSTOMER, Situation.UNPAID_INVOICE),
        ([call(at(20, 9))], [], Stage.CUSTOMER, Situation.FOLLOW_UP),
    ],
)
def test_the_situation_comes_from_recorded_facts(calls, followups, stage, expected, config):
    assert detect_situation(lead(stage=stage), calls, followups, NOW, config) == expected


@pytest.mark.parametrize(
    ("notes", "action", "goal"),
    [
        ("presentar propuesta", "llamar", "presentar propuesta"),
        ("She wants to book a demo", "call back", "book a demo"),
        ("Enviar la oferta revisada; factura F-114 pendiente", "enviar oferta", "cobrar factura"),
        ("Demo went well, sent the quote", "review the proposal", "sign the offer"),
    ],
)
@pytest.mark.parametrize("lang", ["en", "es"])
def test_words_in_notes_and_goals_never_make_an_offer_or_a_demo(notes, action, goal, lang, config):
    talk = call(at(20, 9), notes=notes, call_id=4)
    agreed = followup(at(27, 10), action, goal=goal, call_id=4, has_time=True)
    customer = lead(stage=Stage.CUSTOMER, tags=["unpaid"], notes=notes)
    script = build_script(customer, [talk], [agreed], NOW, config, lang)
    assert script.situation == Situation.FOLLOW_UP
    said = "\n".join(line for line in text(script).splitlines() if line.startswith(">"))
    for invented in ("offer we", "demo we", "oferta que", "demo que", "invoice", "factura"):
        assert invented not in said, said


def test_json_facts_say_what_chose_the_situation(config):
    chosen = choose(lead(), [OFFER, DEMO], [], NOW, config.zone)
    assert chosen.name == Situation.AFTER_OFFER
    assert chosen.because == [Fact("sent", "offer", 12, at(20, 10))]
    assert chosen.topic is OFFER
    first = choose(lead(), [call(at(24, 9), Outcome.NO_ANSWER)], [], NOW, config.zone)
    assert first.because == [Fact("conversations", 0), Fact("dials", 1)]
    silent = choose(lead(), [call(at(15, 9, month=10), call_id=3)], [], NOW, config.zone)
    assert silent.because == [Fact("silence-days", 41, 3, at(15, 9, month=10))]
    forced = choose(lead(), [OFFER], [], NOW, config.zone, "reactivation")
    assert forced.because == [Fact("forced", "reactivation")]


def test_a_forced_situation_still_says_only_what_is_recorded(config):
    forced = build_script(lead(), [DEMO], [], NOW, config, situation="after-offer")
    opener = section(forced, "Open")
    assert forced.situation == "after-offer"
    assert "> I'm calling about the offer we sent you." in opener  # no invented date
    heads = [line for line in section(forced, "Unblock") if "·" in line]
    assert heads == []  # never raised: questions to ask, no tracks


@pytest.mark.parametrize(
    ("facts", "lang", "opening"),
    [
        ({"shown": "demo"}, "en", "> I'm calling about the demo we showed you on 12 November."),
        ({"shown": "demo"}, "es", "> Le llamo por la demo que le mostramos el 12 de noviembre."),
        ({"sent": "offer"}, "en", "> I'm calling about the offer we sent you on 12 November."),
        ({"sent": "offer"}, "es", "> Le llamo por la oferta que le enviamos el 12 de noviembre."),
        ({"sent": "proposal"}, "en", "> I'm calling about the proposal we sent you on 12 Nov"),
        ({"sent": "invoice"}, "en", "> I'm calling about the invoice we sent you on 12 November."),
        ({"sent": "invoice"}, "es", "> Le llamo por la factura que le enviamos el 12 de nov"),
        ({}, "en", "> I'm calling about our conversation on 12 November about your project at"),
        ({}, "es", "> Le llamo por lo que hablamos el 12 de noviembre sobre su proyecto en"),
    ],
)
def test_each_recorded_fact_opens_its_own_script(facts, lang, opening, config):
    talk = call(at(12, 10), notes="x", call_id=2, **facts)
    script = build_script(lead(stage=Stage.CUSTOMER), [talk], [], NOW, config, lang)
    opener = section(script, "Open" if lang == "en" else "Abrir")
    assert any(line.startswith(opening) for line in opener), opener


def test_reactivation_recalls_the_last_talk_and_what_was_sent(config):
    old = call(at(15, 9, month=10), sent="offer", call_id=3)
    script = build_script(lead(), [old], [], NOW, config)
    assert "> We last spoke on 15 October about the offer we sent you." in section(script, "Open")
    es = build_script(lead(), [old], [], NOW, config, "es")
    assert "> Hablamos por última vez el 15 de octubre, sobre la oferta que le enviamos." in (
        section(es, "Abrir")
    )


NOTES = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")), max_size=80
)


@settings(max_examples=60, deadline=None)
@given(notes=NOTES, goal=NOTES, tags=st.lists(NOTES, max_size=3))
def test_no_free_text_ever_changes_the_situation(notes, goal, tags):
    from warmcall.config import Config

    config = Config(timezone="Europe/Madrid")
    plain_talk = call(at(20, 9), objections=(Objection.PRICE,), call_id=4)
    worded = call(at(20, 9), notes=notes, objections=(Objection.PRICE,), call_id=4)
    agreed = [followup(at(27, 10), goal or "x", goal=goal, call_id=4)]
    base = detect_situation(lead(), [plain_talk], agreed, NOW, config)
    assert detect_situation(lead(tags=tags, notes=notes), [worded], agreed, NOW, config) == base
