"""What a new user saw in a week of real use (issue 19's week, on the merged product): each
screen says what is so, in the user's words and at the terminal's width."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

WED = ("--at", "2026-12-09 07:50")
MADRID = ("--timezone", "Europe/Madrid")


def test_explain_of_a_lead_ranked_tenth_or_lower_shows_its_rank(
    cli: Callable[..., Result], home: Path
) -> None:
    for n in range(12):
        added = cli("lead", "add", f"Lead {n:02d}", "--phone", f"612 000 {n:03d}", *MADRID)
        assert added.exit_code == 0, added.output
    rows = json.loads(cli("next", *WED, "--json").stdout)
    eleventh = next(r for r in rows if r["rank"] == 11)
    shown = cli("next", "--explain", str(eleventh["lead_id"]), *WED)
    assert shown.exit_code == 0, shown.output
    line = next(x for x in shown.stdout.splitlines() if eleventh["name"] in x)
    assert line.split()[0] == "11", line  # not cut to "…" by a column one digit wide


def test_on_the_users_holiday_a_lead_abroad_is_next_offered_on_a_working_day(
    cli: Callable[..., Result],
) -> None:
    """Tue 8 Dec is Spain's holiday, not Mexico's: the lead in Mexico City is open at 16:00
    Madrid that day, but the user is not; the next is Wednesday's opening."""
    added = cli("lead", "add", "Ximena Ruiz", "--phone", "+52 55 5123 4567", "--json")
    assert added.exit_code == 0, added.output
    shown = cli("next", "--all", "--at", "2026-12-08 07:50")
    assert shown.exit_code == 0, shown.output
    said = " ".join(shown.stdout.split())
    assert "your day off: Immaculate Conception" in said
    assert "next Wed 16:00" in said, said


def test_explain_keeps_each_percent_with_its_number_at_80_columns(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    added = cli("lead", "add", "Nuria Vidal", "--phone", "934 12 55 66", "--json", *MADRID)
    lead = str(json.loads(added.stdout)["id"])
    for day in ("16", "17"):
        logged = cli("call", "log", lead, "-o", "connected", "--at", f"2026-11-{day} 16:20")
        assert logged.exit_code == 0, logged.output
    shown = cli("next", "--explain", lead, "--at", "2026-11-25 07:50")
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    assert not [x for x in lines if x.strip().startswith("%")], shown.stdout
    assert re.search(r"book average \d+%", " ".join(shown.stdout.split())), shown.stdout
    card = cli("lead", "show", lead, "--at", "2026-11-25 07:50")
    assert re.search(r"book average \d+%", card.stdout), card.stdout


def _full_day(cli: Callable[..., Result], home: Path, language: str) -> str:
    """Three leads who all want a call at midday, a caller who dials one an hour."""
    (home / "config.toml").write_text(
        f'timezone = "Europe/Madrid"\nregion = "ES"\nlanguage = "{language}"\n'
        "[user]\ndials_per_hour = 1\n"
    )
    for n, name in enumerate(["Ana Gil", "Luis Paz", "Eva Sanz"]):
        added = cli("lead", "add", name, "--phone", f"612 000 10{n}", "--window", "12:00-13:00",
                    *MADRID)  # fmt: skip
        assert added.exit_code == 0, added.output
    shown = cli("next", "--all", "--at", "2026-11-25 07:50")
    assert shown.exit_code == 0, shown.output
    return " ".join(shown.stdout.split())


def test_a_full_day_says_whose_window_and_the_pace_in_one_call_or_more(
    cli: Callable[..., Result], home: Path
) -> None:
    said = _full_day(cli, home, "en")
    assert (
        said.count(
            "no room left in your day within their window (1 call an hour, as [user] "
            "dials_per_hour says)"
        )
        == 2
    ), said


def test_a_full_day_in_spanish_addresses_the_user_as_usted(
    cli: Callable[..., Result], home: Path
) -> None:
    said = _full_day(cli, home, "es")
    assert (
        said.count(
            "ya no queda hueco en su día dentro de la franja del contacto (1 llamada por hora, "
            "según [user] dials_per_hour)"
        )
        == 2
    ), said


def test_registry_words_in_spanish_address_the_user_as_usted(
    cli: Callable[..., Result], home: Path
) -> None:
    (home / "config.toml").write_text('timezone = "Europe/Madrid"\nlanguage = "es"\n')
    listed = cli("registry", "list", "--at", "2026-11-25 07:50")
    assert "Cargue una con warmcall registry import" in " ".join(listed.stdout.split())
    added = cli("lead", "add", "Marta Soler", "--phone", "644 221 908", "--segment", "consumer",
                "--consent", "opt-in", *MADRID)  # fmt: skip
    assert added.exit_code == 0, added.output
    said = " ".join(cli("next", "--at", "2026-11-25 07:50").stderr.split())
    assert "cárguela con warmcall registry import ARCHIVO --name robinson" in said, said


def test_audit_detail_lines_stay_indented_when_wrapped_at_80_columns(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    added = cli("lead", "add", "Luc Bernard", "--phone", "+33 1 44 55 66 77", "--json")
    assert added.exit_code == 0, added.output
    logged = cli("call", "log", "luc", "-o", "vm", "--at", "2026-11-23 10:00")
    assert logged.exit_code == 0, logged.output
    shown = cli("audit", "--from", "2026-11-23", "--to", "2026-11-23", "--at", "2026-11-25 07:50")
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    title, dial, *detail, count = lines
    assert dial.startswith("Mon 23 Nov 2026 10:00  Luc Bernard")
    assert count.startswith("1 dial")
    assert len(detail) >= 3, shown.stdout  # "passed: …" wraps at 80 columns
    assert all(line.startswith("  ") and len(line) <= 80 for line in detail), shown.stdout


def test_script_of_a_lead_on_a_registry_says_it_is_not_callable(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    _on_robinson(cli, tmp_path, "2026-11-20")
    shown = cli("script", "marta", "--at", "2026-11-25 10:00")
    assert shown.exit_code == 0, shown.output
    said = " ".join(shown.stdout.split())
    assert "Not callable: the number is on the robinson do-not-call list" in said, said


def test_script_speaks_the_times_it_lists_for_a_lead_whose_zone_is_unknown(
    cli: Callable[..., Result],
) -> None:
    """A Spanish mobile may ring in Madrid or in the Canaries: the times said to the person
    are the ones the caller books (not the Canaries' hour for Madrid's slot)."""
    added = cli("lead", "add", "Pablo Díaz", "--phone", "633 190 845", "--window", "early")
    assert added.exit_code == 0, added.output
    shown = cli("script", "pablo", "--at", "2026-11-25 10:00")
    assert shown.exit_code == 0, shown.output
    said = " ".join(shown.stdout.split())
    asked = re.search(r"Shall we fix a time: (.*?)\?", said)
    assert asked, said
    spoken = re.findall(r"at (\d\d:\d\d)", asked.group(1))
    listed = re.findall(r"· \w{3} \d+ \w{3}, (\d\d:\d\d)", said)
    assert len(spoken) == 2 and spoken == listed[:2], said


def test_a_window_no_zone_could_open_is_named_as_the_cause_not_the_zone(
    cli: Callable[..., Result],
) -> None:
    """A consumer in Spain who asked for early calls: es-b2c allows 09:00–21:00 only, so no
    zone would make 07:30–09:00 callable; setting the zone (what "zone unknown" asked for)
    would change nothing."""
    for name, zone in (("Beatriz Molina", ()), ("Bea Known", MADRID)):
        added = cli("lead", "add", name, "--phone", "699 887 766", "--window", "early",
                    "--segment", "consumer", "--consent", "opt-in", "--allow-duplicate",
                    *zone)  # fmt: skip
        assert added.exit_code == 0, added.output
    shown = cli("next", "--all", "--at", "2026-11-25 07:50")
    assert shown.exit_code == 0, shown.output
    said = " ".join(shown.stdout.split())
    assert "zone unknown" not in said, said
    assert (
        said.count(
            "their window (early) never falls within the calling hours of es-b2c (09:00-21:00); "
            "change it with `lead edit --window`"
        )
        == 2
    ), said


def test_config_show_at_80_columns_is_a_toml_file_that_reads_back(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`config show > mine.toml`: the shipped map of segments was one long line, cut inside
    its value at 80 columns, and a long path's comment went on without its `#`: the file no
    longer read. Now the map is a table of its own and a wrapped comment stays one."""
    import tomllib

    monkeypatch.setenv("COLUMNS", "80")
    shown = cli("config", "show")
    assert shown.exit_code == 0, shown.output
    read = tomllib.loads(shown.stdout)
    assert read["compliance"]["segments"]["FR"] == {"consumer": "fr-b2c"}
    assert all(len(line) <= 80 for line in shown.stdout.splitlines()), shown.stdout


def test_lead_show_says_the_number_is_on_a_registry(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    _on_robinson(cli, tmp_path, "2026-11-20")
    card = cli("lead", "show", "marta", "--at", "2026-11-25 07:50")
    said = " ".join(card.stdout.split())
    assert "the number is on the robinson do-not-call list (as of 20 Nov 2026)" in said, said
    data = json.loads(cli("lead", "show", "marta", "--json", "--at", "2026-11-25 07:50").stdout)
    assert data["registries"] == [{"registry": "robinson", "as_of": "2026-11-20"}]


def test_a_dial_on_their_sunday_says_it_is_their_day_not_yours(
    cli: Callable[..., Result],
) -> None:
    """Monday 02:00 in Madrid is Sunday evening in Guadalajara: the warning says whose day."""
    added = cli("lead", "add", "Fernando López", "--phone", "+52 33 1234 5678")
    assert added.exit_code == 0, added.output
    logged = cli("call", "log", "fernando", "-o", "na", "--at", "2026-11-23 02:00")
    assert logged.exit_code == 0, logged.output
    said = " ".join(logged.stderr.split())
    assert "Sun is not a calling day where they are" in said, said


def test_a_registry_date_reads_the_same_on_every_screen(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    loaded = _on_robinson(cli, tmp_path, "2026-11-02")
    listing = cli("registry", "list", "--at", "2026-11-25 07:50")
    plan = cli("next", "--all", "--at", "2026-11-25 07:50")
    for shown in (loaded, listing, plan):
        assert shown.exit_code == 0, shown.output
        said = " ".join(shown.stdout.split())
        assert "2 Nov 2026" in said and "02 Nov 2026" not in said, said


def _on_robinson(cli: Callable[..., Result], folder: Path, as_of: str) -> Result:
    """Marta Soler, in Madrid, whose number is on the Robinson list issued ``as_of``; the
    registry import's own result."""
    added = cli("lead", "add", "Marta Soler", "--phone", "644 221 908", *MADRID)
    assert added.exit_code == 0, added.output
    robinson = folder / "robinson.txt"
    robinson.write_text("+34644221908\n+34611402733\n")
    loaded = cli("registry", "import", str(robinson), "--name", "robinson", "--as-of", as_of,
                 "--at", "2026-11-25 07:50")  # fmt: skip
    assert loaded.exit_code == 0, loaded.output
    return loaded


def test_a_back_dated_consent_says_a_later_one_stays_in_force(
    cli: Callable[..., Result],
) -> None:
    """Carmen was imported as b2b on 1 Nov; her purchase of June, recorded now, joins the
    history but does not decide: the command says which record does."""
    added = cli("lead", "add", "Carmen Ruiz", "--phone", "655 730 211", "--consent", "b2b",
                "--at", "2026-11-01 09:00")  # fmt: skip
    assert added.exit_code == 0, added.output
    given = cli("lead", "consent", "carmen", "customer", "--basis", "purchase", "--channel",
                "paper", "--at", "2026-06-10 12:00")  # fmt: skip
    assert given.exit_code == 0, given.output
    said = " ".join(given.stdout.split())
    assert "A later record stays in force: business (b2b) since Sun 01 Nov 09:00." in said, said
    fresh = cli("lead", "consent", "carmen", "opt-in", "--channel", "web-form",
                "--at", "2026-11-20 10:00")  # fmt: skip
    assert "later record" not in fresh.stdout
