"""``warmcall report`` as a user runs it: the human view, JSON, CSV and the usage errors."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import Result

from tests.test_reports import at, call, followup, lead
from warmcall.config import default_db_path
from warmcall.store.db import Database, open_db

Cli = Callable[..., Result]
AFTER_W48 = "2026-11-30 09:00"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def db(home: Path) -> Iterator[Database]:
    store = open_db(default_db_path())
    yield store
    store.close()


@pytest.fixture
def week(db: Database) -> None:
    """Week 48 in Madrid: Ana warms up and books a meeting on Sunday night, Diego is
    over-called, Luis's follow-up slips, Pablo goes stale; week 47 had two dials."""
    ana = lead(db, "Ana Martínez", "warm", "trade show")
    luis = lead(db, "Luis Pérez", "hot", '=HYPERLINK("x")')
    diego = lead(db, "Diego Sánchez", "warm", "web form")
    pablo = lead(db, "Pablo Gómez", "warm", "referral")
    call(db, ana, at("2026-11-18T10:00"), "voicemail", temperature="warm")
    call(db, pablo, at("2026-11-19T10:00"), "connected")
    for day in (20, 21, 23, 24):
        call(db, diego, at(f"2026-11-{day}T10:00"), "no-answer")
    call(db, ana, at("2026-11-23T10:00"), "connected", objections="price", temperature="hot")
    call(db, luis, at("2026-11-24T10:00"), "callback", objections="price,timing")
    followup(db, luis, at("2026-11-26T10:00"), at("2026-11-24T10:00"))
    call(db, ana, at("2026-11-29T23:59"), "meeting")
    call(db, ana, at("2026-11-30T00:00"), "busy")


def report_json(cli: Cli, *args: str) -> dict:
    result = cli("report", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_json_report_of_a_named_week(cli: Cli, week: None):
    data = report_json(cli, "--week", "2026-W48", "--at", AFTER_W48)
    assert data["period"]["start"] == "2026-11-23" and data["period"]["end"] == "2026-11-29"
    assert (data["dials"], data["conversations"], data["meetings"]) == (5, 3, 1)
    assert data["connect_rate"] == 0.6
    assert data["by_day"] == {
        "2026-11-23": 2, "2026-11-24": 2, "2026-11-25": 0, "2026-11-26": 0,
        "2026-11-27": 0, "2026-11-28": 0, "2026-11-29": 1,
    }  # fmt: skip
    assert data["objections"][0] == {"objection": "price", "count": 2}
    assert [w["name"] for w in data["warmed"]] == ["Ana Martínez"]
    assert [o["name"] for o in data["overdue"]] == ["Luis Pérez"]
    assert [s["name"] for s in data["stale"]] == ["Pablo Gómez"]
    assert [(b["name"], b["dials"]) for b in data["breaches"]] == [("Diego Sánchez", 4)]
    assert data["previous"]["period"]["week"] == "2026-W47"
    assert data["previous"]["dials"] == 4
    # The period before is counted, not listed: Ana had gone stale by the end of week 47.
    assert data["stale_count"] == 1 and data["previous"]["stale_count"] == 1
    assert (data["breaches_count"], data["previous"]["breaches_count"]) == (1, 0)
    assert "stale" not in data["previous"] and "breaches" not in data["previous"]


def test_the_default_is_this_week_so_far(cli: Cli, week: None):
    data = report_json(cli, "--at", "2026-11-24 12:00")
    assert data["period"]["week"] == "2026-W48"
    assert data["period"]["as_of"] == "2026-11-24T12:00:00+01:00"
    assert data["dials"] == 4  # Monday's two and Tuesday's two, by noon
    assert data["previous"]["period"]["as_of"] == "2026-11-17T12:00:00+01:00"


def test_a_run_of_days_includes_both_ends(cli: Cli, week: None):
    data = report_json(cli, "--from", "2026-11-24", "--to", "2026-11-29", "--at", AFTER_W48)
    assert data["period"]["week"] is None
    assert list(data["by_day"]) == [f"2026-11-{d}" for d in range(24, 30)]
    assert data["dials"] == 3
    assert data["previous"]["period"]["start"] == "2026-11-18"
    assert data["previous"]["period"]["end"] == "2026-11-23"


def test_decades_of_days_are_one_report(cli: Cli, week: None):
    """Issue 20: 1990–2026 overflowed SQLite's parser (a comparison per day)."""
    months = report_json(cli, "--from", "2026-11-01", "--to", "2026-12-31", "--at", AFTER_W48)
    data = report_json(cli, "--from", "1990-01-01", "--to", "2026-12-31", "--at", AFTER_W48)
    assert data["dials"] == months["dials"] > 0 and months["previous"]["dials"] == 0
    assert len(data["by_day"]) == 13_514
    assert {d: n for d, n in data["by_day"].items() if n} == {
        d: n for d, n in months["by_day"].items() if n
    }
    result = cli("report", "--from", "1990-01-01", "--to", "2026-12-31", "--at", AFTER_W48)
    assert result.exit_code == 0 and "Calls per week" in result.stdout


def test_the_human_view_reads_at_80_columns(cli: Cli, week: None, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("report", "--week", "2026-W48", "--at", AFTER_W48)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.splitlines()[0] == "Week 48 · Mon 23 – Sun 29 Nov 2026"
    assert "compared with week 47" in out
    assert re.search(r"Dials\s+5\s+4\s+▲ 1", out)
    assert re.search(r"Connect rate\s+60%\s+25%\s+▲ 35 pts", out)
    assert re.search(r"Sun 29\s+█+\s+1", out)  # the Sunday 23:59 meeting is in the chart
    assert re.search(r"Mon 23\s+█+\s+2", out)
    assert "Overdue follow-ups (1)" in out and "Luis Pérez" in out
    assert "Stale leads (1)" in out and "Pablo Gómez" in out
    assert "more than 3 dials within 14 days" in out and "Diego Sánchez" in out
    assert "Warmed up (1)" in out and "warm → hot" in out
    assert re.search(r"Warmed up\s+1\s+0\s+▲ 1", out)  # the counts, against week 47
    assert re.search(r"Stale leads\s+1\s+1\s+=", out)
    assert "Cooled down" not in out  # none in either week
    assert max(len(line) for line in out.splitlines()) <= 80
    assert not ANSI.search(out)  # piped: no colour codes


def test_colour_marks_good_and_bad_changes_unless_no_color(
    cli: Cli, week: None, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = cli("report", "--week", "2026-W48", "--at", AFTER_W48).stdout
    assert "\x1b[32m▲ 1" in coloured  # more dials: green
    assert "\x1b[31m▲ 1" in coloured  # one more overdue follow-up: red
    monkeypatch.setenv("NO_COLOR", "1")
    plain = cli("report", "--week", "2026-W48", "--at", AFTER_W48).stdout
    assert not re.search(r"\x1b\[3\dm", plain)
    assert "▲ 1" in plain


def test_an_empty_week_says_so(cli: Cli, week: None):
    result = cli("report", "--week", "2026-W50", "--at", "2026-12-14 09:00")
    assert result.exit_code == 0
    assert "No calls logged in week 50." in result.stdout
    assert "Calls per day" not in result.stdout
    assert "Stale leads" in result.stdout  # what asks for action is still listed


def test_csv_is_a_tidy_table(cli: Cli, week: None):
    result = cli("report", "--week", "2026-W48", "--at", AFTER_W48, "--csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["period", "section", "key", "metric", "value"]
    cell = {(r["period"], r["section"], r["key"], r["metric"]): r["value"] for r in rows}
    assert cell[("2026-11-23/2026-11-29", "summary", "", "dials")] == "5"
    assert cell[("2026-11-16/2026-11-22", "summary", "", "dials")] == "4"
    assert cell[("2026-11-23/2026-11-29", "by_day", "2026-11-29", "dials")] == "1"
    assert cell[("2026-11-23/2026-11-29", "by_source", "trade show", "meetings")] == "1"
    assert cell[("2026-11-16/2026-11-22", "summary", "", "stale")] == "1"
    assert cell[("2026-11-23/2026-11-29", "stale", "#4 Pablo Gómez", "days")] == "10"
    assert {r["section"] for r in rows if r["period"].startswith("2026-11-16")} == {
        "summary", "by_day", "by_outcome", "by_source", "by_temperature",
    }  # fmt: skip  # the period before: figures, no lead lists
    # A source that a spreadsheet would run as a formula is shown as text.
    assert cell[("2026-11-23/2026-11-29", "by_source", '\'=HYPERLINK("x")', "dials")] == "1"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--json", "--csv"], 2, "Choose one of --json and --csv."),
        (["--week", "2026-W48", "--from", "mon"], 2, "either --week or --from/--to"),
        (["--to", "2026-11-29"], 2, "--to needs --from"),
        (["--from", "2026-11-29", "--to", "2026-11-01"], 2, "is after --to"),
        (["--week", "2026-W60"], 2, "2026 has no week 60."),
        (["--week", "soon"], 2, "Cannot read 'soon' as a week"),
        (["--from", "someday"], 2, "Cannot read 'someday'"),
    ],
)
def test_bad_periods_are_one_sentence_and_an_exit_code(
    cli: Cli, args: list[str], code: int, message: str
):
    result = cli("report", *args)
    assert result.exit_code == code
    assert message in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ['}, {"lead_id": 1', '", "x": "', "\\", '{"', "\n"]
)


@given(
    names=st.lists(st.tuples(st.integers(), TEXT, TEXT | st.none()), max_size=5),
    figure=st.integers(),
)
def test_json_puts_each_lead_on_a_line_whatever_the_names(
    names: list[tuple[int, str, str | None]], figure: int
):
    """A name may hold quotes, braces or the very text between two items: the output parses
    back to the data, and each item of a list has a line of its own."""
    from warmcall.render.report import write_json

    stale = [{"lead_id": i, "name": n, "company": c} for i, n, c in names]
    previous = {"dials": 0, "by_source": {"web": {"dials": 1}}, "objections": []}
    data = {"dials": figure, "by_day": {"2026-11-23": figure}, "stale": stale, "previous": previous}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        write_json(data)
    assert json.loads(out.getvalue()) == data
    lines = out.getvalue().split("\n")  # only newlines: a name may hold \x85 or \u2028
    assert [json.loads(line.strip().rstrip(",")) for line in lines if "lead_id" in line] == stale


def test_the_report_speaks_the_configured_language(cli: Callable[..., Result], home: Path) -> None:
    (home / "config.toml").write_text(
        'timezone = "Europe/Madrid"\nregion = "ES"\nlanguage = "es"\n'
    )
    assert cli("lead", "add", "Ana Martínez", "--at", "2026-11-16 09:00").exit_code == 0
    logged = cli("call", "log", "ana", "-o", "na", "--at", "2026-11-24 08:10")
    assert logged.exit_code == 0, logged.output
    out = cli("report", "--at", "2026-11-27 18:00").stdout
    assert out.splitlines()[0] == "Semana 48 · lun 23 – dom 29 nov 2026"
    assert "de momento, hasta el vie 27 nov 18:00" in out
    for words in ("Marcaciones", "Llamadas por día", "sin respuesta", "Por temperatura"):
        assert words in out
    data = json.loads(cli("report", "--at", "2026-11-27 18:00", "--json").stdout)
    assert "no-answer" in data["by_outcome"]  # the JSON keeps the vocabulary


def test_a_lead_added_with_at_reads_and_ages_from_that_day(cli) -> None:
    """Met at a fair on 6 Nov, added on 25 Nov with --at: it was added on 6 Nov."""
    added = cli("lead", "add", "Marta Fair", "--temperature", "hot", "--at", "2026-11-06 12:00",
                "--json")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["created_at"] == "2026-11-06T12:00:00+01:00"
    report = json.loads(cli("report", "--json", "--at", "2026-11-25 07:50").stdout)
    assert [(s["name"], s["last_touch_at"], s["days"]) for s in report["stale"]] == [
        ("Marta Fair", None, 19)
    ]


def test_a_week_replayed_day_by_day_reads_as_a_coach_expects(cli) -> None:
    """Week 47, Mon 16 – Fri 20 Nov, logged day by day through the CLI: no agreed step lost
    to an unanswered dial, every temperature change and frequency breach seen."""
    people = [
        ("Oliver Grant", "+44 7700 900123"), ("Valeria Cruz", "+52 55 1234 5678"),
        ("John Carter", "+1 212 555 0100"), ("Ana Martínez", "612 345 678"),
        ("Pablo Gómez", "699 000 111"),
    ]  # fmt: skip
    for name, phone in people:
        added = cli("lead", "add", name, "--phone", phone, "--at", "2026-10-01 09:00")
        assert added.exit_code == 0, added.output

    def log(*args: str) -> Result:
        result = cli("call", "log", *args)
        assert result.exit_code == 0, result.output
        return result

    log("oliver", "-o", "connected", "--at", "2026-11-16 10:00", "--temperature", "hot",
        "--next", "2026-11-23 10:00", "--next-action", "compare against Vend",
        "--next-goal", "book a trial")  # fmt: skip
    log("valeria", "-o", "no-answer", "--at", "2026-11-16 17:00")
    log("john", "-o", "connected", "--at", "2026-11-16 18:00", "--next", "wed 16:00",
        "--next-action", "send pricing")  # fmt: skip
    log("valeria", "-o", "voicemail", "--at", "2026-11-17 17:00")
    log("ana", "-o", "not-interested", "--at", "2026-11-17 10:00")
    log("john", "-o", "connected", "--at", "2026-11-18 16:05")
    busy = log("valeria", "-o", "busy", "--at", "2026-11-18 17:00")
    assert "rules.rest_hours_after_unanswered" in busy.stderr
    fourth = log("valeria", "-o", "no-answer", "--at", "2026-11-19 17:00", "--json")
    assert "attempts" in [w["rule"] for w in json.loads(fourth.stdout)["warnings"]]
    friday = log("oliver", "-o", "no-answer", "--at", "2026-11-20 12:00")
    assert "follow-up of Mon still open" in " ".join(friday.stdout.split())

    report = json.loads(cli("report", "--week", "2026-W47", "--json").stdout)
    assert (report["dials"], report["conversations"]) == (9, 4)
    assert (report["followups_set"], report["followups_kept"], report["followups_late"]) == (
        2, 1, 0,
    )  # fmt: skip
    assert [(c["name"], c["before"], c["after"]) for c in report["warmed"]] == [
        ("Oliver Grant", "warm", "hot")
    ]
    # the frequency rule; the 48 hours of rest after an unanswered dial and Mexico's
    # Revolution Day (Mon 16 Nov), as logged
    assert [(b["name"], b["check"], b["dials"]) for b in report["breaches"]] == [
        ("Valeria Cruz", "frequency", 4), ("Valeria Cruz", "rest", 3),
        ("Valeria Cruz", "holiday", 1),
    ]  # fmt: skip
    assert report["overdue"] == []  # Oliver's step is for Monday 23
    assert [s["name"] for s in report["stale"]] == ["Pablo Gómez"]
    oliver = json.loads(cli("lead", "show", "oliver", "--json").stdout)
    # still agreed on Wednesday 25: overdue, never lost to Friday's no-answer
    assert [(f["action"], f["status"]) for f in oliver["followups"]] == [
        ("compare against Vend", "overdue")
    ]


def test_a_french_consumers_fifth_dial_in_26_days_is_warned_rested_and_a_breach(
    cli: Cli, home: Path
):
    """fr-b2c allows 4 calls in 30 days: the 5th in 26 days is a breach in all three views,
    though [rules]' 3 in 14 days (no dial in the last 14) would find none."""
    (home / "config.toml").write_text(
        'timezone = "Europe/Madrid"\nregion = "ES"\n'
        "[rules]\nrest_hours_after_unanswered = 0\n"
        '[compliance]\ncountries = { FR = "fr-b2c" }\n'
    )
    added = cli(
        "lead", "add", "Camille Durand", "--phone", "+33 1 42 68 53 00",
        "--timezone", "Europe/Paris", "--consent", "opt-in", "--at", "2026-10-01 09:00",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    for day in ("2026-10-29", "2026-10-30", "2026-11-02", "2026-11-09"):
        logged = cli("call", "log", "Camille", "--outcome", "no-answer", "--at", f"{day} 11:00")
        assert logged.exit_code == 0 and "frequency rule" not in logged.stderr, logged.stderr
    planned = cli("next", "--all", "--json", "--at", "2026-11-24 10:55")
    (camille,) = json.loads(planned.stdout)
    assert camille["rank"] is None and "4 dials in 30 days" in camille["excluded"]
    fifth = cli("call", "log", "Camille", "--outcome", "no-answer", "--at", "2026-11-24 11:00")
    assert fifth.exit_code == 0
    assert "dial 5 in 30 days" in fifth.stderr and "fr-b2c" in fifth.stderr
    data = report_json(cli, "--week", "2026-W48", "--at", AFTER_W48)
    (breach,) = data["breaches"]
    assert (breach["name"], breach["dials"], breach["breaching_dials"]) == ("Camille Durand", 5, 1)
    assert breach["rule"] == {"max_attempts": 4, "attempts_days": 30, "profile": "fr-b2c"}
    shown = ANSI.sub("", cli("report", "--week", "2026-W48", "--at", AFTER_W48).stdout)
    assert "more than 4 dials within 30 days" in shown and "within 30 d" in shown
