"""``next --go`` through a pseudo-terminal: the calling session as a salesperson drives it.

The store is built through the CLI; the session runs at a fixed ``--at`` (Wednesday 25
November 2026, 08:00 in Madrid), when the early window (07:30–09:00) is open. Hot leads
come before warm ones, ties by id: Ana, Bruno, Carla (early), then Dario (midday).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.conftest import CONFIG_TOML

pexpect = pytest.importorskip("pexpect")

AT = "2026-11-25 08:00"
DOWN = "\x1b[B"


def env(user: Path) -> dict[str, str]:
    values = {k: v for k, v in os.environ.items() if not k.startswith("WARMCALL_")}
    values.update(WARMCALL_HOME=str(user), TZ="Europe/Madrid", TERM="xterm", NO_COLOR="1")
    # prompt_toolkit would wait for the cursor-position reply pexpect never sends.
    values["PROMPT_TOOLKIT_NO_CPR"] = "1"
    return values


@pytest.fixture
def user(tmp_path: Path) -> Path:
    """The WARMCALL_HOME of a user in Madrid, for commands run as separate processes."""
    (tmp_path / "config.toml").write_text(CONFIG_TOML)
    return tmp_path


def warmcall(user: Path, *args: str) -> str:
    """A command without a terminal; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "warmcall", *args],
        env=env(user),
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def session(user: Path, *args: str) -> Any:
    return pexpect.spawn(
        sys.executable,
        ["-m", "warmcall", "next", "--go", "--at", AT, *args],
        env=env(user),
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 120),
    )


def finish(child: Any) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def add_leads(user: Path) -> None:
    leads = user / "leads.csv"
    leads.write_text(
        "name,temperature,window,timezone\n"  # in Madrid (a Spaniard could be in the Canaries)
        "Ana Martínez,hot,early,Europe/Madrid\n"
        "Bruno Pérez,hot,early,Europe/Madrid\n"
        "Carla Vidal,warm,early,Europe/Madrid\n"
        "Dario Sanz,warm,midday,Europe/Madrid\n"
    )
    warmcall(user, "lead", "import", str(leads))


def test_a_session_logs_skips_and_stops_with_a_summary(user: Path) -> None:
    add_leads(user)
    child = session(user)
    child.expect("Ana Martínez")
    child.expect("How did it go")
    child.send("5")  # voicemail, one key
    child.expect("Notes")
    child.sendline("")
    child.expect("Next step when")
    child.sendline("")
    child.expect("Logged .*voicemail.* with")
    # Re-planned: Ana rests now; Bruno is next, and is skipped.
    child.expect("Bruno Pérez")
    child.expect("How did it go")
    child.send("s")
    child.expect("Skipped Bruno Pérez")
    child.expect("Carla Vidal")
    child.expect("How did it go")
    child.send(DOWN + "\r")  # arrows work too: meeting
    child.expect("Notes")
    child.sendline("demo agreed with her partner")
    child.expect("Objections raised")
    child.send("\r")
    child.expect("Timeline they gave")
    child.sendline("maybe in spring")
    child.expect("Temperature now")
    child.send(DOWN + DOWN + DOWN + "\r")  # keep, cold, warm, hot
    child.expect("Next step when")
    child.sendline("fri 10:00")
    child.expect("Next step, what")
    child.sendline("run the demo")
    child.expect("Goal")
    child.sendline("agree a pilot")
    child.expect("Logged .*meeting.* with")
    child.expect("next: (Fri )?27 Nov( 2026)? 10:00 — run the demo")  # a year when not this one
    # Dario's window (midday) is not open at 08:00: he is named, not offered.
    child.expect("Nobody's window is open now. Next: .*Dario Sanz.*, 12:00–14:00")
    child.expect("Nobody to call now")
    child.send("q")
    child.expect("2 calls logged · 1 meeting · 2 left for later")
    assert finish(child) == 0

    logged = json.loads(warmcall(user, "call", "list", "--json"))
    assert [(c["lead"], c["outcome"], c["at"]) for c in logged] == [
        ("Carla Vidal", "meeting", "2026-11-25T08:00:00+01:00"),
        ("Ana Martínez", "voicemail", "2026-11-25T08:00:00+01:00"),
    ]
    carla = json.loads(warmcall(user, "lead", "show", "carla", "--json"))
    assert carla["temperature"] == "hot"
    assert carla["calls"][0]["notes"] == "demo agreed with her partner"
    assert carla["calls"][0]["timeline"] == "maybe in spring"
    assert [(f["due_at"], f["action"], f["goal"]) for f in carla["followups"]] == [
        ("2026-11-27T10:00:00+01:00", "run the demo", "agree a pilot")
    ]
    # each call of the session is kept with its verdict: the session offers lawful calls only
    audited = json.loads(warmcall(user, "audit", "--from", "2026-11-25", "--at", AT, "--json"))
    assert [(d["lead"], d["checks"]["broken"]) for d in audited] == [
        ("Ana Martínez", []), ("Carla Vidal", [])
    ]  # fmt: skip
    assert {tuple(d["checks"]["passed"]) for d in audited} == {
        ("hours", "day", "holiday", "consent", "rest", "frequency", "registry")
    }


def test_why_first_wraps_at_80_columns_never_cut(user: Path) -> None:
    add_leads(user)
    action = "send the pricing for the Valencia and Sevilla offices, then book the pilot"
    warmcall(user, "call", "log", "ana", "-o", "connected", "--at", "2026-11-24 10:00",
             "--next", "2026-11-25 08:00", "--next-action", action)  # fmt: skip
    child = session(user)
    child.setwinsize(50, 80)
    child.expect("Why first:")
    child.expect("How did it go")
    card = " ".join(child.before.split())
    child.send("q")
    finish(child)
    assert action in card


def test_ctrl_c_mid_question_logs_nothing_for_that_lead(user: Path) -> None:
    add_leads(user)
    child = session(user)
    child.expect("How did it go")
    child.send("1")  # connected
    child.expect("Notes")
    child.send("she was driving")
    child.sendcontrol("c")
    child.expect("Nothing logged for Ana Martínez")
    child.expect("No calls logged · 4 left for later")
    assert finish(child) == 0
    assert json.loads(warmcall(user, "call", "list", "--json")) == []


def test_do_not_call_is_confirmed_and_gets_no_next_step(user: Path) -> None:
    add_leads(user)
    child = session(user)
    child.expect("How did it go")
    child.send("9")
    child.expect("asked not to be called")
    child.sendline("y")
    child.expect("Notes")
    child.sendline("asked us to remove her number")
    child.expect("will not be called again")
    child.expect("Bruno Pérez")
    child.expect("How did it go")
    child.sendcontrol("d")  # Ctrl-D stops like q
    child.expect("1 call logged · 3 left for later")
    assert finish(child) == 0
    ana = json.loads(warmcall(user, "lead", "show", "ana", "--json"))
    assert ana["status"] == "dnc" and ana["followups"] == []


def test_a_person_the_window_never_reached_is_asked_and_their_hours_kept(user: Path) -> None:
    leads = user / "leads.csv"
    leads.write_text("name,temperature,window,timezone\nAna Martínez,hot,early,Europe/Madrid\n")
    warmcall(user, "lead", "import", str(leads))
    for day in ("2026-11-16", "2026-11-18"):  # her early window: two calls, no answer
        warmcall(user, "call", "log", "ana", "-o", "no-answer", "--at", f"{day} 08:10")
    child = session(user)
    child.expect("Ana Martínez")
    child.expect("How did it go")
    child.send("1")  # connected
    for question in ("Notes", "Objections raised", "Timeline they gave"):
        child.expect(question)
        child.send("\r")
    child.expect("Temperature now")
    child.send("\r")
    child.expect("Next step when")
    child.sendline("")
    child.expect("When are they easiest to reach")
    child.sendline("after lunch")  # not a window: said, and asked again
    # The sentence comes between the two prompts: the question matched after it is the
    # second prompt's, not a redraw of the first (each key typed redraws the whole line).
    child.expect("is not early, midday, any or HH:MM-HH:MM")
    child.expect("When are they easiest to reach")
    child.expect("after lunch")  # what was said, back on the line to be corrected
    child.send("\x15")  # clear the line
    child.sendline("16:30-18:00")
    child.expect("Logged .*connected.* with")
    assert finish(child) == 0
    ana = json.loads(warmcall(user, "lead", "show", "ana", "--json"))
    assert ana["window"] == "16:30-18:00"
    assert [c["outcome"] for c in ana["calls"]][0] == "connected"


def test_an_empty_plan_says_so(user: Path) -> None:
    child = session(user)
    child.expect("Nothing to call")
    assert finish(child) == 0


def test_go_needs_a_terminal(cli: Callable[..., Result]) -> None:
    result = cli("next", "--go", "--at", AT)
    assert result.exit_code == 2
    assert "needs a terminal" in result.stderr
    for other in (["--json"], ["--ics", "plan.ics"]):
        result = cli("next", "--go", *other)
        assert result.exit_code == 2 and other[0] in result.stderr


def test_when_nobody_is_open_the_caller_waits_or_goes_early(user: Path) -> None:
    leads = user / "leads.csv"
    leads.write_text(
        "name,temperature,window,timezone\n"
        "Dario Sanz,warm,midday,Europe/Madrid\nElena Ruiz,hot,midday,Europe/Madrid\n"
    )
    warmcall(user, "lead", "import", str(leads))
    child = session(user)
    child.expect("Nobody's window is open now. Next: .*Elena Ruiz.*, 12:00–14:00")
    child.expect("Nobody to call now")
    child.send("e")  # early: 08:00 is within b2b's calling hours, only her window is closed
    child.expect("Elena Ruiz")
    child.expect("How did it go")
    child.send("s")
    child.expect("Skipped Elena Ruiz")
    child.expect("Next: .*Dario Sanz")
    child.send("w")  # with --at, waiting moves the session's clock to the opening
    child.expect("Dario Sanz")
    child.expect("How did it go")
    child.send("1")  # connected
    child.expect("Notes")
    child.sendline("")
    child.expect("Objections raised")
    child.send("\r")
    child.expect("Timeline they gave")
    child.sendline("")
    child.expect("Temperature now")
    child.send("\r")
    child.expect("Next step when")
    child.sendline("")
    child.expect("Logged .*connected.* with")
    child.expect("That was everyone planned for now")
    assert finish(child) == 0
    logged = json.loads(warmcall(user, "call", "list", "--json"))
    assert [(c["lead"], c["at"]) for c in logged] == [("Dario Sanz", "2026-11-25T12:00:00+01:00")]


def test_a_session_speaks_the_configured_language(user: Path) -> None:
    (user / "config.toml").write_text(CONFIG_TOML + 'language = "es"\n')
    add_leads(user)
    child = session(user)
    child.expect("1 de 4")
    child.expect("Ana Martínez")
    child.expect("Por qué primero")
    child.expect("¿Cómo ha ido?")
    child.expect("buzón de voz")
    child.expect("saltar este contacto")
    child.send("5")  # voicemail, one key
    child.expect("Notas")
    child.sendline("")
    child.expect("¿Cuándo es el siguiente paso")
    child.sendline("")
    child.expect("Registrado con .*: .*buzón de voz")
    child.expect("Bruno Pérez")
    child.expect("¿Cómo ha ido?")
    child.send("s")
    child.expect("Saltado Bruno Pérez")
    child.expect("Carla Vidal")
    child.expect("¿Cómo ha ido?")
    child.send("q")
    child.expect("1 llamada registrada")
    assert finish(child) == 0
