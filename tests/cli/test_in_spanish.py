"""With ``language = "es"`` no English word of the product reaches the screen: ``next`` (with
``--all`` and ``--explain``), ``call log`` and ``report``, on a book made to give every score
part, every reason to leave a lead out and every note.

"English" is every word of the English catalogue (the messages warmcall says) that no Spanish
message also uses; the book's own data (names, actions) is in Spanish, so a word found is one
the product said in English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import MADRID
from tests.plan.test_candidates import add_call, add_followup, add_lead
from warmcall.compliance.profiles import _KEYS
from warmcall.config import load
from warmcall.models import Consent, Stage, Status, Temperature
from warmcall.pickup import record as pickup_record
from warmcall.plan.score import TERMS
from warmcall.store.db import open_db

babel = pytest.importorskip("babel")
from babel.messages.pofile import read_po  # noqa: E402

from warmcall.render import i18n  # noqa: E402

WORD = re.compile(r"[^\W\d_]{3,}")
MONDAY = datetime(2026, 11, 16, 12, 30, tzinfo=MADRID)  # Mexico's Revolution Day
CONFIG = """timezone = "Europe/Madrid"
region = "ES"
language = "es"

[windows]
working_days = [1, 2, 3, 4, 5, 6]

[compliance.countries]
ES = "es-b2c"
FR = "fr-b2c"
"""


def english_words() -> set[str]:
    """The words of warmcall's English messages that its Spanish ones never use."""
    po = i18n.LOCALE_DIR / "es" / "LC_MESSAGES" / "warmcall.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="es")
    english: set[str] = set()
    spanish: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for text in ids:
            english |= {w.lower() for w in WORD.findall(FIELDS.sub(" ", text))}
        for text in strings:  # what Spanish quotes as typed (--source, `lead edit`) is not Spanish
            spanish |= {w.lower() for w in WORD.findall(CODE.sub(" ", text))}
    return english - spanish


FIELDS = re.compile(r"\{[^{}]*\}")
CODE = re.compile(r"\{[^{}]*\}|--[\w-]+|`[^`]*`|'[^']*'|warmcall [a-z -]+|\w+\.\w+|~/\S+")


def assert_spanish(*outputs: str) -> None:
    english = english_words()
    assert len(english) > 300  # the check reads the catalogue, not a hand-made list
    for out in outputs:
        said = CODE.sub(" ", " ".join(out.split()))  # what the user types stays as typed
        found = sorted({w for w in WORD.findall(said) if w.lower() in english})
        assert not found, f"English words {found} in:\n{out}"


def at(moment: datetime) -> tuple[str, str]:
    return ("--at", f"{moment:%Y-%m-%d %H:%M}")


def ago(days: float, hour: int = 10) -> datetime:
    return (MONDAY - timedelta(days=days)).replace(hour=hour, minute=0)


def book(home: Path) -> None:
    """Leads for every score part and every reason for leaving one out on ``MONDAY``."""
    es = {"consent": Consent.OPT_IN, "timezone": "Europe/Madrid"}
    with open_db(home / "warmcall.db") as db:

        def lead(name: str, phone: str, days: int = 60, **kw: object) -> int:
            return add_lead(db, name, ago(days), phone=phone, **kw)

        # Rows: every score part.
        ana = lead("Ana Rubio", "612 000 001", temperature=Temperature.HOT, stage=Stage.SQL, **es)
        add_call(db, ana, ago(6), "meeting")
        add_followup(db, ana, ago(2), "enviar la oferta revisada")  # overdue
        bea = lead("Beatriz Soler", "612 000 002", stage=Stage.PQL, **es)
        add_call(db, bea, ago(3), "no-answer")
        add_followup(db, bea, MONDAY.replace(hour=17, minute=0), "confirmar la fecha")  # due
        lead("Carmen Vidal", "612 000 003", days=3, **es)  # new, never contacted
        dani = lead("Daniel Ortega", "612 000 004", **es)
        add_call(db, dani, ago(40), "connected")  # stale
        eloy = lead(
            "Eloy Fabre",
            "+33 6 12 34 56 78",
            phone_e164="+33612345678",
            timezone="Europe/Paris",
            consent=Consent.OPT_IN,  # fr-b2c since 11 Aug 2026
        )
        # fr-b2c: 10-13 and 14-20; agreed for 13:30, which the rules move to 14:00
        add_followup(db, eloy, MONDAY.replace(hour=13, minute=30), "repasar el presupuesto")
        # Left out: every reason.
        lead("Fermín Dueñas", "612 000 005", status=Status.DNC, dnc_at=ago(5), **es)
        lead("Gema Prado", "612 000 006", status=Status.WON, **es)
        lead("Hugo Lara", "612 000 007", status=Status.LOST, **es)
        lead("Irene Cano", "612 000 008", phone_flag="wrong-number", **es)
        lead("Jorge Nieto", "612 000 009", timezone="Europe/Madrid")  # es-b2c: no consent
        lead("Lidia Mora", "612 000 010", temperature=Temperature.COLD, **es)
        add_followup(db, lead("Marta Gil", "612 000 011", **es), ago(-2), "enviar contrato")
        add_call(db, lead("Nuria Vega", "612 000 012", **es), MONDAY.replace(hour=9), "callback")
        olga = lead("Olga Peña", "612 000 013", **es)
        for days in (1, 4, 7):
            add_call(db, olga, ago(days), "voicemail")  # 3 dials in 14 days: cadence rest
        add_call(db, lead("Pilar Ríos", "612 000 014", **es), ago(1, 18), "no-answer")
        # b2b flags a lead without consent; fr-b2c (since 11 Aug 2026) needs Paulette's opt-in.
        lead("William Hart", "+44 20 7946 0958", phone_e164="+442079460958")
        paul = lead(
            "Paulette Roux", "+33 6 12 34 56 79", phone_e164="+33612345679", consent=Consent.OPT_IN
        )
        for days in (16, 19, 22, 25):
            add_call(db, paul, ago(days), "connected")  # fr-b2c: 4 in 30 days
        add_call(db, lead("Quique Sanz", "612 000 015", **es), ago(10), "not-interested")
        lead("Rosa Méndez", "+52 55 1234 5678", phone_e164="+525512345678")  # a holiday
        sara = lead("Sara Ibáñez", "612 000 016", window="09:00-11:00", **es)
        add_followup(db, sara, MONDAY.replace(hour=9), "llamar de nuevo")
        add_call(db, sara, MONDAY.replace(hour=9, minute=30), "no-answer")  # tried
        lead("Tomás Gracia", "+1 800 555 0199", phone_e164="+18005550199", window="early")
        lead("Úrsula Paz", "612 000 017", window="early", **es)  # early: never lawful (es-b2c)
        ursula = lead("Valentín Oria", "612 000 018", **es)
        add_followup(db, ursula, MONDAY.replace(hour=21, minute=30), "cerrar el pedido")
        # The calls above were written directly: count their pickup hours (the pickup part).
        pickup_record.rebuild(db, load(home / "config.toml"))


def test_next_call_log_and_report_speak_only_spanish(
    cli: Callable[..., Result], home: Path
) -> None:
    (home / "config.toml").write_text(CONFIG)
    book(home)
    outputs = []
    plan = cli("next", *at(MONDAY), "--all", "--explain", "--limit", "50")
    assert plan.exit_code == 0, plan.output
    outputs.append(plan.stdout)
    # The book gives every score part, every reason and every note.
    shown = cli("next", *at(MONDAY), "--all", "--limit", "50", "--json")
    rows = __import__("json").loads(shown.stdout)
    parts = {r["part"] for row in rows for r in row["reasons"]}
    assert parts >= {t.name for t in TERMS if t.name != "followup"} | {
        "followup-due", "followup-overdue"
    }  # fmt: skip
    assert any("moved to the next opening" in r["detail"] for row in rows for r in row["reasons"])
    left = [row["excluded"] for row in rows if row.get("excluded")]
    for english in ("do not call", "won", "lost", "wrong number", "not accepted", "cold lead",
                    "agreed for", "talked today", "dials in 14 days", "no-answer",
                    "allows 4", "not interested on", "public holiday in MX",
                    "not twice in the same window", "zone unknown", "never falls within",
                    "but 21:30 their time is outside the calling hours"):  # fmt: skip
        assert any(english in said for said in left), english  # --json keeps its English
    # Saturday: a calling day for the user, not under es-b2c; Sunday: the user's day off.
    saturday = cli("next", *at(MONDAY + timedelta(days=5)), "--all", "--limit", "50")
    assert "sáb no es día de llamadas para este contacto" in saturday.stdout
    sunday = cli("next", *at(MONDAY + timedelta(days=6)), "--all", "--limit", "50")
    outputs += [saturday.stdout, sunday.stdout]
    # call log: a next step on a day and at an hour the rules forbid.
    for when in ("sat 10:00", "tue 22:30"):
        logged = cli(
            "call", "log", "Carmen", "-o", "callback", "--next", when,
            "--next-action", "llamar otra vez", *at(MONDAY + timedelta(minutes=5)),
        )  # fmt: skip
        assert logged.exit_code == 0, logged.output
        assert "Nota:" in logged.stderr
        outputs += [logged.stdout, logged.stderr]
    # report: this week so far, against the last.
    report = cli("report", *at(MONDAY + timedelta(days=2)))
    assert report.exit_code == 0, report.output
    outputs.append(report.stdout)
    # --ics: the calendar's events, their title and their reasons, unfolded (RFC 5545 §3.1).
    ics = cli("next", *at(MONDAY), "--ics", str(home / "plan.ics"))
    assert ics.exit_code == 0, ics.output
    events = (home / "plan.ics").read_text(encoding="utf-8").replace("\r\n ", "")
    said = [line.split(":", 1)[1] for line in events.splitlines()
            if line.startswith(("SUMMARY:", "DESCRIPTION:", "X-WR-CALNAME:"))]  # fmt: skip
    assert any(line.startswith("Llamar a ") for line in said), said
    outputs += said
    assert_spanish(*outputs)


def test_the_check_finds_english() -> None:
    """The check itself: an English reason is caught (the test above cannot pass vacuously)."""
    with pytest.raises(AssertionError, match="calling"):
        assert_spanish("Sat is not a calling day")


@pytest.mark.parametrize(
    ("profile", "text"),
    [
        ("nada", None),  # no such profile: the config's fault, the profile's sentence inside
        ("mio", "hourz = []\n"),
        ("mio", "frequency = { max_attempts = -1 }\n"),
        ("mio", "hours = ['9-8']\n"),
        ("mio", "days = [0]\n"),
        ("mio", "consent = { accepted = ['maybe'] }\n"),
    ],
)
def test_a_bad_rule_profile_is_said_in_spanish(
    cli: Callable[..., Result], home: Path, profile: str, text: str | None
) -> None:
    """A profile's errors are templates and facts like any other: no English reason is glued
    into them in the core, and an error quoted inside another is worded too."""
    config = CONFIG.replace("[compliance.countries]", f'[compliance]\nprofile = "{profile}"\n\n'
                            "[compliance.countries]")  # fmt: skip
    (home / "config.toml").write_text(config)
    if text is not None:
        (home / "profiles").mkdir()
        (home / "profiles" / f"{profile}.toml").write_text(text)
    with open_db(home / "warmcall.db") as db:
        add_lead(db, "William Hart", ago(30), phone="+44 20 7946 0958")
    said = cli("next", *at(MONDAY))
    assert said.exit_code == 1 and f"{profile}" in said.stderr, said.output
    # The temp path names the test; the file's keys and values stay as the user types them.
    typed = re.compile(r"\b(?:" + "|".join((*_KEYS, "accepted", "flagged", *Consent)) + r")\b")
    assert_spanish(typed.sub(" ", said.stderr.replace(str(home), "~")))


# The day words of the English examples ('fri 07:50', 'tomorrow 10:00'): a Spanish example is
# typed as a Spanish user types it ('vie 07:50', 'mañana 10:00'), which warmcall reads too.
ENGLISH_DAYS = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun|today|tomorrow|yesterday)\b(?=[ '\"])", re.IGNORECASE
)


def test_help_of_every_command_speaks_spanish(cli: Callable[..., Result], home: Path) -> None:
    """``--help`` of the program and of every command, with its usage line, the names of its
    values (WHEN, FILE, <str>) and its examples, in Spanish. What the user types stays as
    typed: option names, commands, the values of a choice."""
    from typer.main import get_command

    from warmcall.cli.app import app
    from warmcall.cli.speech import commands

    (home / "config.toml").write_text(CONFIG)

    def paths(group: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
        found = [path]
        for name, command in getattr(group, "commands", {}).items():
            found += paths(command, (*path, name))
        return found

    every = paths(get_command(app))
    names = {name for path in every for name in path}
    assert len(every) > 15  # the whole tree, not the root alone
    assert len(list(commands(get_command(app)))) == len(every)
    outputs = []
    for path in every:
        shown = cli(*path, "--help")
        assert shown.exit_code == 0 and shown.stdout.startswith("Uso: warmcall"), shown.output
        found = ENGLISH_DAYS.findall(shown.stdout)
        assert not found, f"English day words {found} in `{' '.join(path)} --help`"
        # A choice's values (<cold|warm|hot>), a default (phone) and the commands' names are
        # typed as they are.
        said = re.sub(
            r"<[\w|-]+\|[\w|-]+>|por defecto: [^];]*", " ", " ".join(shown.stdout.split())
        )
        outputs.append(re.sub(rf"(?<![\w-])(?:{'|'.join(names)})(?![\w-])", " ", said))
    assert_spanish(*outputs)


def test_the_help_check_finds_english_metavars_and_days() -> None:
    with pytest.raises(AssertionError, match="OPTIONS"):
        assert_spanish("Uso: warmcall next [OPTIONS] [LEAD]")
    assert ENGLISH_DAYS.findall("p. ej. 'fri 07:50', 'tomorrow 10:00'") == ["fri", "tomorrow"]
    assert not ENGLISH_DAYS.findall("p. ej. 'vie 07:50', 'mañana 10:00', --sun, monday")


def test_an_objection_without_a_reason_is_said_in_spanish(
    cli: Callable[..., Result], home: Path
) -> None:
    """warmcall stores a code, not English, when the user gives no reason for an objection
    (``lead dnc``, a do-not-call call, a corrected one, an imported one): a Spanish user reads
    it in Spanish, and the English an earlier version stored reads the same."""
    import json

    (home / "config.toml").write_text(CONFIG)
    with open_db(home / "warmcall.db") as db:
        for name, phone in (("Ana Rubio", "612 000 001"), ("Bea Soler", "612 000 002"),
                            ("Carla Ruiz", "612 000 003")):  # fmt: skip
            add_lead(db, name, ago(30), phone=phone, consent=Consent.OPT_IN)
        add_lead(db, "Dora Gil", ago(30), phone="612 000 004", status=Status.DNC,
                 dnc_at=ago(9), dnc_reason="asked not to be called")  # stored by 0.x  # fmt: skip
    outputs = []
    marked = cli("lead", "dnc", "Ana", *at(ago(3)))
    assert marked.exit_code == 0, marked.output
    outputs.append(marked.stdout)
    logged = cli("call", "log", "Bea", "-o", "dnc", *at(ago(2)))
    assert logged.exit_code == 0, logged.output
    outputs.append(logged.stdout)
    (call,) = json.loads(cli("call", "list", "--json").stdout)
    fixed = cli("call", "edit", str(call["id"]), *at(ago(2, 11)))  # a do-not-call at 11:00
    assert fixed.exit_code == 0, fixed.output
    calls = home / "calls.csv"
    calls.write_text("phone,date,outcome\n612 000 003,2026-11-14 10:00,do-not-call\n")
    imported = cli("call", "import", str(calls), *at(ago(1)))
    assert imported.exit_code == 0, imported.output
    for name in ("Ana", "Bea", "Carla", "Dora"):
        shown = json.loads(cli("lead", "show", name, "--json").stdout)
        assert shown["dnc_reason"] in (None, "asked-not-to-be-called", "asked not to be called")
        assert shown["status"] == "dnc"
        said = cli("lead", "show", name)
        assert said.exit_code == 0, said.output
        outputs.append(said.stdout)
    timeline = " ".join(cli("lead", "show", "Bea").stdout.split())
    assert f"se corrigió la llamada (llamada #{call['id']} corregida)" in timeline
    assert "pidió que no se le llamara" in timeline
    plan = cli("next", *at(MONDAY), "--all", "--limit", "50")
    assert " ".join(plan.stdout.split()).count("no llamar: se opuso el") == 4, plan.stdout
    again = cli("call", "log", "Dora", "-o", "connected", *at(MONDAY))
    assert again.exit_code == 1 and "Dora Gil se opuso" not in again.stderr
    outputs += [plan.stdout, again.stderr]
    assert_spanish(*outputs)
