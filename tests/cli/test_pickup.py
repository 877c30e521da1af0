"""Pickup hours through the real CLI: calls logged at their hours move an ``any`` lead's slot
to the hour it answers, a window the person asked for stays with a suggestion, and the
evidence is shown (``--explain``, ``--json``, ``lead show``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import CONFIG_TOML

AT = ("--at", "2026-11-25 07:50")  # a Wednesday, in Madrid
MADRID = ("--timezone", "Europe/Madrid")


def workdays(first: date, n: int) -> list[date]:
    """``n`` working days from ``first`` on."""
    found, day = [], first
    while len(found) < n:
        if day.isoweekday() <= 5:
            found.append(day)
        day += timedelta(days=1)
    return found


def add(cli: Callable[..., Result], name: str, *opts: str) -> int:
    added = cli("lead", "add", name, *opts, *MADRID, "--json")
    assert added.exit_code == 0, added.output
    return int(json.loads(added.stdout)["id"])


def log(cli: Callable[..., Result], lead: int, outcome: str, when: str) -> None:
    logged = cli("call", "log", str(lead), "-o", outcome, "--at", when)
    assert logged.exit_code == 0, logged.output


def history(cli: Callable[..., Result], lead: int, picks_up: int, misses: int) -> None:
    """Four weeks before the plan: answered at ``picks_up``:40 on four days, unanswered at
    ``misses``:10 on four others (all older than the 14 days the cadence counts)."""
    days = workdays(date(2026, 10, 19), 8)
    for d in days[::2]:
        log(cli, lead, "connected", f"{d} {picks_up:02d}:40")
    for d in days[1::2]:
        log(cli, lead, "no-answer", f"{d} {misses:02d}:10")


def plan(cli: Callable[..., Result], *more: str) -> dict[str, dict]:
    shown = cli("next", *AT, "--json", *more)
    assert shown.exit_code == 0, shown.output
    return {row["name"]: row for row in json.loads(shown.stdout)}


def test_an_any_lead_is_planned_in_the_hour_it_answers(cli: Callable[..., Result]) -> None:
    luis = add(cli, "Luis Pérez", "--phone", "622 111 222")
    history(cli, luis, picks_up=16, misses=10)
    row = plan(cli)["Luis Pérez"]
    # The caller's day plans the call in that hour, and offers it only while the chance holds
    # (``plan.capacity.KEEP``): the untried hours after 17:00 are not nearly as good.
    assert row["slot_start"] == "2026-11-25T16:00:00+01:00"
    assert row["slot_end"] == "2026-11-25T17:00:00+01:00"
    assert row["pickup"]["band"] == "16:00-17:00" and row["pickup"]["dials"] == 4
    assert row["pickup"]["low"] <= row["pickup"]["p"] <= row["pickup"]["high"]
    assert row["pickup"]["p"] > 0.5
    assert any(r["part"] == "pickup" for r in row["reasons"])


def test_an_empty_record_plans_the_seeds_windows(cli: Callable[..., Result]) -> None:
    add(cli, "Pablo Ruiz", "--phone", "633 000 111")
    add(cli, "Ana Martínez", "--phone", "612 345 678", "--window", "early")
    rows = plan(cli)
    assert rows["Pablo Ruiz"]["slot_start"] == "2026-11-25T09:00:00+01:00"
    assert rows["Pablo Ruiz"]["slot_end"] == "2026-11-25T18:00:00+01:00"
    assert rows["Ana Martínez"]["slot_start"] == "2026-11-25T07:30:00+01:00"
    assert all(r["pickup"] is None for r in rows.values())
    assert all(p["part"] != "pickup" for r in rows.values() for p in r["reasons"])


def test_a_window_asked_for_stays_and_the_plan_suggests(cli: Callable[..., Result]) -> None:
    marta = add(cli, "Marta Gil", "--phone", "644 000 222", "--window", "early")
    history(cli, marta, picks_up=16, misses=8)
    row = plan(cli)["Marta Gil"]
    assert row["slot_start"] == "2026-11-25T07:30:00+01:00"  # her window, not 16:00
    # Within it: 0 of 4 at 08:00-09:00 cut the slot at 08:00 (``plan.capacity.KEEP``).
    assert row["slot_end"] == "2026-11-25T08:00:00+01:00"
    shown = cli("next", *AT)
    assert "answered 4 of 4 at 16:00–17:00 — try: lead edit --window learned" in shown.stdout
    edited = cli("lead", "edit", str(marta), "--window", "learned", *AT, "--json")
    assert edited.exit_code == 0, edited.output
    assert json.loads(edited.stdout)["window"] == "16:00-17:00"
    row = plan(cli)["Marta Gil"]
    assert row["slot_start"] == "2026-11-25T16:00:00+01:00"
    assert "try:" not in cli("next", *AT).stdout


def test_learned_needs_an_answer_on_record(cli: Callable[..., Result]) -> None:
    pablo = add(cli, "Pablo Ruiz", "--phone", "633 000 111", "--window", "early")
    refused = cli("lead", "edit", str(pablo), "--window", "learned", *AT)
    assert refused.exit_code == 1
    assert "has not learned when Pablo Ruiz picks up" in refused.output
    assert "Traceback" not in refused.output


def test_explain_gives_the_evidence(cli: Callable[..., Result]) -> None:
    luis = add(cli, "Luis Pérez", "--phone", "622 111 222")
    history(cli, luis, picks_up=16, misses=10)
    shown = cli("next", str(luis), "--explain", *AT)
    assert shown.exit_code == 0, shown.output
    assert "answered 4 of 4 dials 16:00–17:00 their time; book average" in shown.stdout


def test_the_same_plan_all_day_for_the_same_record(cli: Callable[..., Result]) -> None:
    """Untried hours are explored with draws seeded by the day and the lead: two runs at
    different minutes of the same morning give the same slots."""
    ids = [add(cli, f"Lead {n}", "--phone", f"6{n:02d} 000 111") for n in range(6)]
    for lead in ids[:3]:
        history(cli, lead, picks_up=11, misses=9)
    early = plan(cli)
    later = cli("next", "--at", "2026-11-25 08:35", "--json")
    assert later.exit_code == 0
    again = {row["name"]: row for row in json.loads(later.stdout)}
    assert {n: (r["slot_start"], r["pickup"]) for n, r in early.items()} == {
        n: (r["slot_start"], r["pickup"]) for n, r in again.items()
    }
    # the untried leads learnt from the others of their pool, not from the seeds alone
    assert all(early[f"Lead {n}"]["pickup"] is not None for n in range(3, 6))


def test_lead_show_draws_the_pickup_by_hour(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    luis = add(cli, "Luis Pérez", "--phone", "622 111 222")
    history(cli, luis, picks_up=16, misses=10)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    shown = cli("lead", "show", str(luis), *AT)
    assert shown.exit_code == 0, shown.output
    assert "pickup by hour, their time · book average 50%" in shown.stdout
    lines = shown.stdout.splitlines()
    four = next(line for line in lines if line.strip().startswith("16:00"))
    ten = next(line for line in lines if line.strip().startswith("10:00"))
    assert "answered 4 of 4" in four and "answered 0 of 4" in ten
    assert four.count("█") > ten.count("█")  # the bar says it at a glance
    assert all(len(line) <= 80 for line in lines)
    assert "\x1b[" not in shown.stdout


def test_the_evidence_speaks_spanish(cli: Callable[..., Result], home: Path) -> None:
    marta = add(cli, "Marta Gil", "--phone", "644 000 222", "--window", "early")
    history(cli, marta, picks_up=16, misses=8)
    (home / "config.toml").write_text(CONFIG_TOML + 'language = "es"\n')
    shown = cli("next", *AT, "--explain")
    assert "contestó 4 de 4 en la franja 16:00–17:00 — pruebe: lead edit --window learned" in (
        " ".join(shown.stdout.split())
    )
    assert (
        "nunca llamado en la franja 07:00–08:00 de su hora; contactos parecidos: 65%"
        in " ".join(shown.stdout.split())
    )
    card = cli("lead", "show", str(marta), *AT)
    assert "contesta por hora, en su hora · media de la cartera: 50%" in card.stdout
    assert "contestó 4 de 4" in card.stdout and "sin llamadas" in card.stdout


def test_a_window_that_never_reaches_them_says_to_ask_them(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    marta = add(cli, "Marta Gil", "--phone", "644 000 222", "--window", "early")
    for day in ("2026-11-16", "2026-11-18"):
        log(cli, marta, "no-answer", f"{day} 08:10")
    row = plan(cli)["Marta Gil"]
    assert row["ask_hours"] == {"in_window": True, "dials": 2}
    monkeypatch.setenv("COLUMNS", "100")
    shown = " ".join(cli("next", *AT).stdout.split())
    assert "2 calls in their window unanswered — ask when to call" in shown
    script = cli("script", str(marta), *AT)
    assert "2 calls in the window they gave went unanswered: ask when they are easiest" in (
        " ".join(script.stdout.split())
    )
    assert f"warmcall lead edit {marta} --window [their hours" in script.stdout
    # She says she is in from 16:30: her window now, and nothing left to ask.
    edited = cli("lead", "edit", str(marta), "--window", "16:30-18:00", *AT)
    assert edited.exit_code == 0, edited.output
    assert cli("next", *AT, "--json").stdout.count('"ask_hours": null') == 1
    assert "ask when" not in cli("script", str(marta), *AT).stdout


def test_a_lead_without_a_window_is_asked_at_the_first_conversation(
    cli: Callable[..., Result], home: Path
) -> None:
    pablo = add(cli, "Pablo Ruiz", "--phone", "633 000 111")
    assert plan(cli)["Pablo Ruiz"]["ask_hours"] == {"in_window": False, "dials": 0}
    script = " ".join(cli("script", str(pablo), *AT).stdout.split())
    assert "A first call: ask when they are easiest to reach" in script
    assert "ask when" not in cli("next", *AT).stdout  # the script asks; the plan stays short
    (home / "config.toml").write_text(CONFIG_TOML + 'language = "es"\n')
    spanish = " ".join(cli("script", str(pablo), *AT).stdout.split())
    assert "Es la primera llamada: pregúntele cuándo es más fácil localizarle" in spanish
    assert "¿Cuándo es el mejor momento para llamarle?" in spanish
    assert f"warmcall lead edit {pablo} --window [sus horas" in spanish
    log(cli, pablo, "no-answer", "2026-11-18 10:15")
    script = " ".join(cli("script", str(pablo), *AT).stdout.split())
    assert "Aún no ha contestado ninguna de nuestras llamadas: pregúntele cuándo" in script
    log(cli, pablo, "connected", "2026-11-20 10:15")
    assert plan(cli)["Pablo Ruiz"]["ask_hours"] is None
