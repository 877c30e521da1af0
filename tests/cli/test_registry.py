"""`warmcall registry`: a rep loads Robinson, Bloctel or the US registry from the file the
service handed out, and no listed number is planned, offered or logged without a warning
(SPEC §7) — through the real CLI, on every engine. Every moment is given with --at."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import PG_URL, cli_on

ENGINES = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
MORNING = ("--at", "2026-11-25 10:00")  # a Wednesday in Madrid
ADDED = ("--at", "2026-11-20 09:00")


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return cli_on(str(request.param), monkeypatch)


@pytest.fixture
def book(cli: Callable[..., Result], engine: str) -> None:
    for name, phone in (("Ana Ruiz", "612 345 678"), ("Luis Gil", "699 888 777")):
        added = cli("lead", "add", name, "--phone", phone, "--consent", "opt-in", *ADDED)
        assert added.exit_code == 0, added.output


@pytest.fixture
def robinson(tmp_path: Path) -> Path:
    path = tmp_path / "robinson.txt"
    path.write_text("+34 612 345 678\n600000001\n600000002\n")
    return path


def load(cli, path: Path, *args: str) -> Result:
    return cli("registry", "import", str(path), *args, "--at", "2026-11-24 09:00")


def plan(cli, *args: str) -> list[dict]:
    shown = cli("next", "--all", "--json", *MORNING, *args)
    assert shown.exit_code == 0, shown.output
    return json.loads(shown.stdout)


def test_a_loaded_list_is_listed_with_its_age_and_can_be_removed(cli, engine, robinson):
    loaded = load(cli, robinson, "--name", "robinson", "--as-of", "2026-11-20")
    assert loaded.exit_code == 0, loaded.output
    assert "robinson" in loaded.stdout and "3 numbers" in loaded.stdout
    (listed,) = json.loads(cli("registry", "list", "--json", *MORNING).stdout)
    assert (listed["name"], listed["country"], listed["numbers"]) == ("robinson", "ES", 3)
    assert (listed["as_of"], listed["age_days"]) == ("2026-11-20", 5)
    shown = cli("registry", "list", *MORNING).stdout
    assert "robinson" in shown and "5 days" in shown
    removed = cli("registry", "remove", "robinson")
    assert removed.exit_code == 0 and "3 numbers" in removed.stdout
    assert json.loads(cli("registry", "list", "--json", *MORNING).stdout) == []


def test_a_listed_number_is_left_out_of_the_plan_naming_the_list(cli, book, robinson):
    before = [r["name"] for r in plan(cli) if r["rank"]]
    assert "Ana Ruiz" in before
    assert load(cli, robinson, "--name", "robinson", "--as-of", "2026-11-20").exit_code == 0
    rows = plan(cli)
    assert [r["name"] for r in rows if r["rank"]] == ["Luis Gil"]
    (ana,) = [r for r in rows if r["name"] == "Ana Ruiz"]
    assert ana["rank"] is None and "robinson" in ana["excluded"]
    assert "robinson" in cli("next", "--all", *MORNING).stdout
    assert "Ana" not in cli("next", *MORNING).stdout


def test_a_call_to_a_listed_number_is_logged_with_a_warning(cli, book, robinson):
    load(cli, robinson, "--name", "robinson", "--as-of", "2026-11-20")
    logged = cli("call", "log", "ana", "-o", "no-answer", "--at", "2026-11-24 10:00", "--json")
    assert logged.exit_code == 0, logged.output
    (problem,) = json.loads(logged.stdout)["registry_problems"]
    assert (problem["code"], problem["registry"]) == ("registry-listed", "robinson")
    shown = cli("call", "log", "luis", "-o", "no-answer", "--at", "2026-11-24 10:05")
    assert "robinson" not in shown.stderr
    again = cli("call", "log", "ana", "-o", "connected", "--at", "2026-11-24 12:00")
    assert again.exit_code == 0
    assert "Warning:" in again.stderr and "robinson" in again.stderr
    calls = json.loads(cli("lead", "show", "ana", "--json", *MORNING).stdout)["calls"]
    assert len(calls) == 2  # it happened: logged anyway


def test_a_lead_import_says_which_new_leads_are_listed(cli, engine, robinson, tmp_path):
    load(cli, robinson, "--name", "robinson", "--as-of", "2026-11-20")
    leads = tmp_path / "leads.csv"
    leads.write_text("name,phone\nPepa Sanz,600000001\nRosa Vidal,655000111\n")
    imported = cli("lead", "import", str(leads), "--json", *MORNING)
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["listed"] == {"robinson": 1}
    assert "Pepa Sanz" not in [r["name"] for r in plan(cli) if r["rank"]]


def test_registry_import_says_how_many_stored_leads_it_lists(cli, book, robinson, home):
    loaded = load(cli, robinson, "--name", "robinson", "--as-of", "2026-11-20", "--json")
    assert json.loads(loaded.stdout)["leads"] == 1  # Ana; Luis is not on it
    shown = load(cli, robinson, "--name", "robinson", "--as-of", "2026-11-20").stdout
    assert "1 of your leads has their number on it" in " ".join(shown.split())
    other = robinson.with_name("other.txt")
    other.write_text("600000009\n")
    none = load(cli, other, "--name", "mine", "--country", "ES", "--as-of", "2026-11-20").stdout
    assert "None of your leads has their number on it." in " ".join(none.split())
    (home / "config.toml").write_text(
        'timezone = "Europe/Madrid"\nregion = "ES"\nlanguage = "es"\n'
    )
    said = load(cli, robinson, "--name", "robinson", "--as-of", "2026-11-20").stdout
    assert "1 de sus contactos tiene su número en la lista" in " ".join(said.split())


def test_reimporting_replaces_the_list(cli, book, robinson, tmp_path):
    load(cli, robinson, "--name", "robinson", "--as-of", "2026-11-20")
    fresh = tmp_path / "fresh.txt"
    fresh.write_text("699888777\n")
    again = load(cli, fresh, "--name", "robinson", "--as-of", "2026-11-24")
    assert again.exit_code == 0 and "replaces the list as of 20 Nov 2026" in again.stdout
    planned = [r["name"] for r in plan(cli) if r["rank"]]
    assert planned == ["Ana Ruiz"]


def test_next_warns_when_a_profile_needs_a_fresher_list(cli, engine, home, tmp_path):
    (home / "config.toml").write_text(
        'timezone = "Europe/Madrid"\nregion = "ES"\n[compliance]\ncountries = {US = "us-tcpa"}\n'
    )
    added = cli("lead", "add", "Sam Hill", "--phone", "+1 212 555 0147", *ADDED)
    assert added.exit_code == 0, added.output
    evening = ("--at", "2026-11-25 17:00")  # 11:00 in New York
    missing = cli("next", *evening)
    assert "us-tcpa requires the us-dnc list" in missing.stderr
    extract = tmp_path / "646.txt"
    extract.write_text("646,5550100\n")
    assert load(cli, extract, "--name", "us-dnc", "--as-of", "2026-10-20").exit_code == 0
    old = cli("next", "--json", *evening)
    assert "The us-dnc list is 36 days old" in old.stderr and "31 days" in old.stderr
    assert json.loads(old.stdout)[0]["name"] == "Sam Hill"  # a warning, not a refusal
    assert load(cli, extract, "--name", "us-dnc", "--as-of", "2026-11-20").exit_code == 0
    assert "us-dnc" not in cli("next", *evening).stderr


def test_the_plan_says_why_in_spanish(cli, book, robinson, home):
    load(cli, robinson, "--name", "robinson", "--as-of", "2026-11-20")
    spanish = 'timezone = "Europe/Madrid"\nregion = "ES"\nlanguage = "es"\n'
    (home / "config.toml").write_text(spanish)
    shown = cli("next", "--all", *MORNING)
    assert "lista de exclusión robinson" in shown.stdout
    assert "Antigüedad" in cli("registry", "list", *MORNING).stdout


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (("--name", "robinson"), 2, "--as-of"),
        (("--name", "mine", "--as-of", "2026-11-20"), 2, "--country"),
        (("--name", "Robin Son", "--as-of", "2026-11-20"), 2, "plain name"),
        (("--name", "robinson", "--as-of", "someday"), 2, "someday"),
        (("--name", "robinson", "--as-of", "2026-11-30"), 1, "after today"),
    ],
)
def test_bad_input_is_one_sentence_and_loads_nothing(cli, engine, robinson, args, code, said):
    refused = load(cli, robinson, *args)
    assert refused.exit_code == code, refused.output
    assert said in refused.stderr and "Traceback" not in refused.output
    assert json.loads(cli("registry", "list", "--json", *MORNING).stdout) == []


def test_a_file_that_is_not_a_list_is_refused(cli, engine, tmp_path):
    wrong = tmp_path / "contacts.csv"
    wrong.write_text("name,email\nAna,a@x.es\n")
    refused = load(cli, wrong, "--name", "robinson", "--as-of", "2026-11-20")
    assert refused.exit_code == 1 and "no number column" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


def test_the_calling_session_never_offers_a_listed_number(tmp_path):
    """``next --go`` in a terminal: Ana, first by score, is on Robinson; Bruno comes up."""
    pytest.importorskip("pexpect")
    import io

    from tests.cli.test_session import AT, CONFIG_TOML, finish, session, warmcall

    user = tmp_path / "user"
    user.mkdir()
    (user / "config.toml").write_text(CONFIG_TOML)
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "name,phone,temperature,window,timezone\n"
        "Ana Martínez,612345678,hot,early,Europe/Madrid\n"
        "Bruno Pérez,622000111,warm,early,Europe/Madrid\n"
    )
    warmcall(user, "lead", "import", str(leads), "--at", "2026-11-20 09:00")
    listing = tmp_path / "robinson.txt"
    listing.write_text("612345678\n")
    warmcall(user, "registry", "import", str(listing), "--name", "robinson",
             "--as-of", "2026-11-20", "--at", AT)  # fmt: skip
    child = session(user)
    child.logfile_read = seen = io.StringIO()
    child.expect("Bruno Pérez")
    child.expect("How did it go")
    child.send("q")
    finish(child)
    assert "Ana" not in seen.getvalue()
