"""`warmcall next` through the real CLI, on a real store, as of Wednesday 25 Nov 07:50 Madrid."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.plan.test_candidates import add_call, add_followup, day
from warmcall.store.db import open_db

AT = ("--at", "2026-11-25 07:50")


IN = ("--timezone", "Europe/Madrid")


def seed(cli: Callable[..., Result], home: Path) -> dict[str, int]:
    """A small morning: an overdue promise, a hot early bird, a New Yorker, a resting lead,
    a do-not-call. Ana and Luis are known to be in Madrid (a Spanish mobile alone could be in
    the Canaries too)."""
    ids = {}
    for name, *opts in [
        ("Ana Martínez", "--company", "Innova", "--phone", "612 345 678", "--window", "early", *IN),
        ("Luis Pérez", "--temperature", "hot", "--phone", "622 111 222", "--window", "early", *IN),
        ("Mary Smith", "--phone", "+1 212 555 0101", "--window", "midday", "--company", "Acme"),
        ("Pablo Ruiz", "--phone", "633 000 111"),
        ("Carmen Gil", "--phone", "644 000 222"),
        ("Diego Sanz", "--phone", "655 000 333", "--temperature", "cold"),
    ]:
        added = cli("lead", "add", name, *opts, "--json")
        assert added.exit_code == 0, added.output
        ids[name.split()[0]] = json.loads(added.stdout)["id"]
    with open_db(home / "warmcall.db") as db:
        add_call(db, ids["Ana"], day(6), "callback")
        add_followup(db, ids["Ana"], day(2), "send the revised offer")
        add_call(db, ids["Luis"], day(9), "voicemail")
        add_call(db, ids["Mary"], day(7), "connected")
        add_call(db, ids["Pablo"], day(1), "no-answer")
    assert (
        cli("lead", "dnc", str(ids["Carmen"]), "--reason", "asked not to be called", *AT).exit_code
        == 0
    )
    return ids


def test_json_is_an_array_of_specs_rows(cli: Callable[..., Result], home: Path) -> None:
    ids = seed(cli, home)
    result = cli("next", *AT, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert [r["lead_id"] for r in rows] == [ids["Ana"], ids["Luis"], ids["Mary"]]
    ana, luis, mary = rows
    assert set(ana) == {
        "rank", "lead_id", "name", "company", "phone", "temperature", "window", "slot_start",
        "slot_end", "score", "reasons", "last_touch_at", "attempts_14d", "followup",
        "phone_e164", "zone_known", "zone", "zone_source", "zones", "pickup", "ask_hours",
    }  # fmt: skip
    assert ana["followup"] == {
        "due_at": "2026-11-23T10:00:00+01:00",
        "action": "send the revised offer",
    }
    # Overdue: the window open now, shown whole (its early window, 07:30-09:00).
    assert (ana["slot_start"], ana["slot_end"]) == (
        "2026-11-25T07:30:00+01:00",
        "2026-11-25T09:00:00+01:00",
    )
    assert ana["reasons"][0]["part"] == "followup-overdue" and ana["reasons"][0]["points"] == 13
    assert luis["slot_start"] == "2026-11-25T07:30:00+01:00" and luis["followup"] is None
    assert luis["last_touch_at"] == "2026-11-16T10:00:00+01:00" and luis["attempts_14d"] == 1
    # New York's midday, in Madrid's time.
    assert (mary["slot_start"], mary["slot_end"]) == (
        "2026-11-25T18:00:00+01:00",
        "2026-11-25T20:00:00+01:00",
    )


def test_all_adds_the_excluded_with_their_reason(cli: Callable[..., Result], home: Path) -> None:
    ids = seed(cli, home)
    rows = json.loads(cli("next", *AT, "--all", "--json").stdout)
    left_out = {r["lead_id"]: r["excluded"] for r in rows if r["rank"] is None}
    assert left_out[ids["Carmen"]].startswith("do not call: objected on 25 Nov")
    assert left_out[ids["Pablo"]] == "resting until Thu 10:00 (no-answer yesterday 10:00)"
    assert left_out[ids["Diego"]].startswith("cold lead")
    assert all("excluded" not in r for r in rows if r["rank"] is not None)

    human = cli("next", *AT, "--all")
    assert "Not today · 3 leads" in human.stdout
    assert "resting until Thu 10:00" in human.stdout


def test_the_human_plan_reads_at_a_glance(cli: Callable[..., Result], home: Path) -> None:
    seed(cli, home)
    result = cli("next", *AT)
    out = result.stdout
    assert result.exit_code == 0, result.output
    assert out.splitlines()[0] == "Wed 25 Nov 07:50 · 3 calls · 2 open now"
    lines = [line for line in out.splitlines() if line.strip()]
    names = [n for n in ("Ana Martínez", "Luis Pérez", "Mary Smith") if n in out]
    assert names == ["Ana Martínez", "Luis Pérez", "Mary Smith"]
    ana = next(i for i, line in enumerate(lines) if "Ana Martínez" in line)
    assert "now" in lines[ana] and "6 d ago · callback" in lines[ana]
    assert "overdue: send the revised offer" in lines[ana + 1]
    mary = next(i for i, line in enumerate(lines) if "Mary Smith" in line)
    assert "18:00–20:00" in lines[mary] and "12:00 EST" in lines[mary + 1]
    assert "\x1b[" not in out  # not a terminal: no colour codes


def test_explain_lists_every_part(cli: Callable[..., Result], home: Path) -> None:
    seed(cli, home)
    out = cli("next", *AT, "--explain", "--limit", "1").stdout
    for part in ("followup-overdue", "+13.0", "temperature", "+3.0", "stale", "score", "23.2"):
        assert part in out
    assert "Luis" not in out  # --limit 1 keeps the best score only


def test_ics_export_uses_stable_uids(
    cli: Callable[..., Result], home: Path, tmp_path: Path
) -> None:
    ids = seed(cli, home)
    target = tmp_path / "plan.ics"
    first = cli("next", *AT, "--ics", str(target))
    assert first.exit_code == 0 and "Wrote 3 events" in first.stdout
    text = target.read_text()
    assert text.count("BEGIN:VEVENT") == 3
    assert f"UID:warmcall-{ids['Mary']}-20261125@warmcall" in text
    assert "DTSTART:20261125T170000Z" in text  # 18:00 Madrid = 12:00 New York
    assert "SUMMARY:Call Mary Smith (Acme) · +1 212 555 0101" in text
    cli("next", "--at", "2026-11-25 09:30", "--ics", str(target))
    assert f"UID:warmcall-{ids['Mary']}-20261125@warmcall" in target.read_text()


def test_a_weekend_says_when_calls_resume(cli: Callable[..., Result], home: Path) -> None:
    seed(cli, home)
    out = cli("next", "--at", "2026-11-28 09:00").stdout
    assert "Not a working day: nothing to call. Calls resume Mon 30 Nov." in out


def test_your_own_public_holiday_is_a_day_off(cli: Callable[..., Result], home: Path) -> None:
    seed(cli, home)
    out = cli("next", "--at", "2026-12-08 09:00").stdout  # Spain: Immaculate Conception
    assert "Immaculate Conception, a public holiday: nothing to call." in out
    assert "Calls resume Wed 9 Dec." in out


def test_an_empty_store_says_what_to_do(cli: Callable[..., Result]) -> None:
    result = cli("next", *AT)
    assert result.exit_code == 0
    said = " ".join(result.stdout.split())
    assert "warmcall lead import FILE" in said and "warmcall lead add NAME" in said
    assert json.loads(cli("next", *AT, "--json").stdout) == []


def test_an_unreadable_at_is_one_sentence(cli: Callable[..., Result]) -> None:
    result = cli("next", "--at", "the day after never")
    assert result.exit_code == 2  # SPEC §6: an option value that cannot be read
    assert result.stderr.startswith("Cannot read 'the day after never'")


def test_bad_options_are_usage_errors(cli: Callable[..., Result]) -> None:
    for bad in ("-1", "ten"):
        result = cli("next", "--limit", bad)
        assert result.exit_code == 2 and "--limit" in result.stderr


def test_next_imports_nothing_heavy(home: Path) -> None:
    """Pydantic (Typer 0.29's option coercion, SQLModel), SQLAlchemy and questionary each cost
    tens of milliseconds of the start-up budget: the plain plan needs none of them."""
    import subprocess
    import sys

    from warmcall.store.db import open_db

    open_db(home / "warmcall.db").close()  # an existing store: no migration to run
    code = (
        "import sys\n"
        "from warmcall.cli.app import main\n"
        "sys.argv = ['warmcall', 'next', '--at', '2026-11-25 07:50', '--limit', '5']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('pydantic', 'sqlalchemy', 'sqlmodel', 'questionary', 'alembic', 'click',\n"
        "         'babel', 'jinja2')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_next_with_a_lead_explains_that_lead_only(cli: Callable[..., Result], home: Path) -> None:
    ids = seed(cli, home)
    out = cli("next", "luis", *AT, "--explain").stdout
    assert "Luis Pérez" in out and "temperature" in out
    assert "Ana Martínez" not in out and "Mary Smith" not in out
    row = json.loads(cli("next", "luis", *AT, "--json").stdout)
    assert [r["lead_id"] for r in row] == [ids["Luis"]]


def test_next_with_a_lead_left_out_says_why(cli: Callable[..., Result], home: Path) -> None:
    ids = seed(cli, home)
    result = cli("next", "pablo", *AT)
    assert result.exit_code == 0, result.output
    assert "Pablo Ruiz" in result.stdout and "resting until Thu 10:00" in result.stdout
    rows = json.loads(cli("next", str(ids["Diego"]), *AT, "--json").stdout)
    assert rows[0]["lead_id"] == ids["Diego"]  # cold, but asked for by name: planned or why not


def test_at_80_columns_nothing_that_matters_is_cut(
    cli: Callable[..., Result], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = seed(cli, home)
    promise = "send the revised offer with the volume discount the CFO asked for"
    with open_db(home / "warmcall.db") as db:
        db.execute(
            "UPDATE followups SET action = :a WHERE lead_id = :id", {"a": promise, "id": ids["Ana"]}
        )
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("next", *AT).stdout
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert "…" not in out
    for name in ("Ana Martínez", "Luis Pérez", "Mary Smith"):
        assert any(name in line for line in lines)  # a name is never cut
    column = next(line for line in lines if "last touch" in line).index("last touch")
    words = " ".join(line[column:].strip() for line in lines)
    assert f"overdue: {promise}" in " ".join(words.split())  # the promise wraps, whole
    mary = next(line for line in lines if "Mary Smith" in line)
    assert "18:00–20:00" in mary  # a group header keeps both ends


def test_the_plan_speaks_the_configured_language(cli: Callable[..., Result], home: Path) -> None:
    seed(cli, home)
    (home / "config.toml").write_text(
        'timezone = "Europe/Madrid"\nregion = "ES"\nlanguage = "es"\n'
    )
    out = cli("next", *AT, "--all").stdout
    assert out.splitlines()[0] == "mié 25 nov 07:50 · 3 llamadas · 2 abiertas ahora"
    assert "Hoy no · 3 contactos" in out
    for word in ("nombre", "teléfono", "atrasado: send the revised offer", "hace 6 d"):
        assert word in out
    assert json.loads(cli("next", *AT, "--json").stdout)[0]["reasons"][0]["part"] == (
        "followup-overdue"
    )  # the JSON stays language-neutral


def test_calls_outside_your_own_hours_are_shown_apart(
    cli: Callable[..., Result], home: Path
) -> None:
    seed(cli, home)
    (home / "config.toml").write_text(
        'timezone = "Europe/Madrid"\nregion = "ES"\n[user]\nhours = "07:00-17:00"\n'
    )
    out = cli("next", *AT).stdout
    apart = out.index("Outside your hours (07:00-17:00) · 1 call")
    assert out.index("Mary Smith") > apart  # New York's midday is 18:00 in Madrid
    assert out.index("Ana Martínez") < apart and out.index("Luis Pérez") < apart
    rows = json.loads(cli("next", *AT, "--json").stdout)
    assert [r["name"] for r in rows][-1] == "Mary Smith"  # the JSON keeps every row


def test_bad_user_hours_name_the_key(cli: Callable[..., Result], home: Path) -> None:
    (home / "config.toml").write_text('[user]\nhours = "19:00-08:00"\n')
    result = cli("next", *AT)
    assert result.exit_code == 1
    assert "user.hours" in result.stderr and "config.toml" in result.stderr


def test_phones_read_as_dialled_national_at_home_international_abroad(
    cli: Callable[..., Result], home: Path
) -> None:
    seed(cli, home)
    out = cli("next", *AT).stdout
    ana = next(line for line in out.splitlines() if "Ana Martínez" in line)
    mary = next(line for line in out.splitlines() if "Mary Smith" in line)
    assert "612 34 56 78" in ana  # typed "612 345 678"; a Spanish number for a user in Spain
    assert "+1 212-555-0101" in mary  # typed "+1 212 555 0101"
    rows = json.loads(cli("next", *AT, "--json").stdout)
    assert {r["name"]: r["phone"] for r in rows}["Ana Martínez"] == "612 345 678"  # as given


def test_the_reasons_speak_the_configured_language(cli: Callable[..., Result], home: Path) -> None:
    seed(cli, home)
    english = cli("next", *AT, "--all", "--json").stdout
    (home / "config.toml").write_text(
        'timezone = "Europe/Madrid"\nregion = "ES"\nlanguage = "es"\n'
    )
    out = " ".join(cli("next", *AT, "--all", "--explain").stdout.split())
    for words in (
        "acordado para el lun 23 nov 10:00: send the revised offer (2 d de retraso)",
        "contacto caliente",
        "6 días sin contacto",
        "franja abierta ahora, hasta las 09:00",
        "en reposo hasta jue 10:00 (sin respuesta ayer 10:00)",
        "no llamar: se opuso el 25 nov",
        "contacto frío (planifíquelo con --include-cold)",
    ):
        assert words in out
    for english_words in ("resting until", "do not call", "hot lead", "without contact"):
        assert english_words not in out
    assert cli("next", *AT, "--all", "--json").stdout == english  # the JSON stays neutral


def test_a_huge_day_cap_in_the_config_still_plans(cli: Callable[..., Result], home: Path) -> None:
    """A days_cap of 10**11 is a valid number: the plan is made (it used to walk that many
    days in SQL to bound the scores, and never returned)."""
    config = home / "config.toml"
    config.write_text(config.read_text() + "\n[score]\ndays_cap = 100000000000\n")
    cli("lead", "add", "Ana Ruiz", "--phone", "612 345 678", "--temperature", "hot", *AT)
    result = cli("next", "--json", *AT)
    assert result.exit_code == 0, result.output
    assert [row["name"] for row in json.loads(result.stdout)] == ["Ana Ruiz"]
