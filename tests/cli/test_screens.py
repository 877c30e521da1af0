"""Every screen as a salesperson reads it, at 80 and 120 columns, in English and Spanish.

A book of leads in Spain, France, Mexico and the US with long real-looking names, built
through the real CLI as of Wednesday 25 November 2026, 07:50 in Madrid. Nothing a person
acts on is cut: no name, no status, no header; a line never passes the terminal's width;
every row of the plan shows its own slot; phones read the same way in every view.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import CONFIG_TOML

AT = ("--at", "2026-11-25 07:50")
NOW = datetime.fromisoformat("2026-11-25T07:50:00+01:00")

BOOK = """\
name,company,phone,email,temperature,window,source,timezone
Alejandro Hernández Villaseñor,Construcciones Zubizarreta Hermanos SL,+52 55 1234 5678,ale@zubi.mx,hot,early,Expo Construcción CDMX 2026,
Marcos Echeverría Goikoetxea,Distribuciones Echeverría,612345678,marcos@echev.es,warm,13:30-14:30,Referral from Lucía Fernández,Europe/Madrid
Sarah Mitchell,Brightside Dental,+1 212 555 0147,sarah@brightside.com,hot,early,NRF Big Show 2026 (New York),
Olivia Johnson,Harbor Café Group,+1 617 555 0133,olivia@harbor.com,warm,midday,LinkedIn,
Chloé Dubois-Lefèvre,Boulangeries Dubois-Lefèvre et Fils,+33 6 12 34 56 78,chloe@dubois.fr,hot,any,Salon du Commerce Paris,
Laura Gómez Ferrándiz,Ferretería Gómez,0034 633 222 444,laura@gomez.es,warm,early,Webinar: stock without spreadsheets,Europe/Madrid
María del Carmen Fernández-Villanueva,Farmacia Fernández,+34 655 730 211,carmen@farmacia.es,warm,any,Referral,Europe/Madrid
"""  # noqa: E501
# The Spanish leads carry their zone: a Spanish mobile alone could be in the Canaries.
NAMES = [line.split(",")[0] for line in BOOK.splitlines()[1:]]
COMPANIES = [line.split(",")[1] for line in BOOK.splitlines()[1:]]
SPANISH = 'timezone = "Europe/Madrid"\nregion = "ES"\nlanguage = "es"\n'


def book(cli: Callable[..., Result], home: Path) -> None:
    """The book, a few calls, and an agreed call today at 08:00 in Mexico City (15:00 here)."""
    (home / "leads.csv").write_text(BOOK, encoding="utf-8")
    done = cli("lead", "import", str(home / "leads.csv"), "--at", "2026-11-02 09:00")
    assert done.exit_code == 0, done.output
    for args in (
        ("alejandro", "-o", "callback", "--at", "2026-11-20 16:00", "--next", "2026-11-25 15:00",
         "--next-action", "call back about the pilot in two sites"),
        ("laura", "-o", "connected", "--at", "2026-11-19 08:10", "--notes", "asked for a quote"),
        ("chloe", "-o", "vm", "--at", "2026-11-23 10:00"),
    ):  # fmt: skip
        logged = cli("call", "log", *args)
        assert logged.exit_code == 0, logged.output


def rows_with_headers(out: str) -> dict[int, str]:
    """Each planned row's rank and the slot header it stands under (its own or the one above)."""
    lines = out.splitlines()
    head = next(line for line in lines if line.lstrip().startswith("#"))
    column = re.match(r"#\s+", head).end()  # type: ignore[union-attr]
    found, current = {}, ""
    for line in lines[lines.index(head) + 1 :]:
        rank = re.match(r"\s*(\d+)\s", line)
        if not rank:
            continue
        label = line[column : column + 11].strip()
        current = label or current
        found[int(rank.group(1))] = current
    return found


def test_each_row_shows_its_own_slot(cli: Callable[..., Result], home: Path) -> None:
    book(cli, home)
    planned = json.loads(cli("next", *AT, "--json").stdout)
    shown = rows_with_headers(cli("next", *AT).stdout)
    for row in planned:
        start = datetime.fromisoformat(row["slot_start"])
        end = datetime.fromisoformat(row["slot_end"])
        own = "now" if start <= NOW else f"{start:%H:%M}–{end:%H:%M}"
        assert shown[row["rank"]] == own, row["name"]
    by_name = {r["name"]: shown[r["rank"]] for r in planned}
    assert by_name["Alejandro Hernández Villaseñor"] == "15:00–15:30"  # 08:00 agreed, in CST
    # His window (13:30–14:30), not New York's; the caller's day may end it sooner, where the
    # record says he picks up less (``plan.capacity``).
    marcos = by_name["Marcos Echeverría Goikoetxea"]
    assert marcos.startswith("13:30–") and "13:30" < marcos[-5:] <= "14:30"
    # Her early window in New York (13:30–15:00 here), from the hour the caller's day gives her.
    sarah = by_name["Sarah Mitchell"]
    assert sarah.endswith("–15:00") and "13:30" <= sarah[:5] < "15:00"
    assert by_name["Olivia Johnson"] == "18:00–20:00"


def test_a_row_under_a_shared_header_has_no_time_of_its_own(
    cli: Callable[..., Result], home: Path
) -> None:
    """A lead's own clock (``08:45 CET``, ``zone ?``) goes on the row's second line, so the
    first line of the time column holds a slot or nothing: never a time that reads as one."""
    book(cli, home)
    (home / "madrid-unset.csv").write_text(
        "name,phone,temperature,window\nPablo Díaz,+34 633 19 08 45,hot,any\n"
        "Diego Torres,+34 628 30 15 56,hot,any\n",
        encoding="utf-8",
    )
    assert cli("lead", "import", str(home / "madrid-unset.csv"), *AT).exit_code == 0
    for at in ("2026-11-25 07:50", "2026-11-25 10:30", "2026-11-25 16:00"):
        out = cli("next", "--at", at).stdout
        labels = rows_with_headers(out)
        assert len(labels) > 2
        for label in labels.values():
            assert label == "now" or re.fullmatch(r"\d\d:\d\d–\d\d:\d\d", label), (at, out)


def words_of(texts: list[str]) -> set[str]:
    """The words of names worth checking for a cut (four letters or more)."""
    return {w.strip("()") for t in texts for w in t.split() if len(w.strip("()")) >= 4}


def cut_words(out: str, texts: list[str]) -> set[str]:
    """Pieces of the names' words that stand alone in ``out``: a word cut (or broken over
    two lines). A name may wrap between its words, never inside one."""
    words = words_of(texts)
    tokens = set(re.findall(r"[\w-]+", out))
    return {t for t in tokens - words for w in words if len(t) >= 3 and w != t and w.startswith(t)}


def _screens() -> list[tuple[str, ...]]:
    return [
        (),
        ("lead", "list"),
        ("lead", "show", "alejandro", *AT),
        ("lead", "show", "maria", *AT),
        ("call", "list"),
        ("report", *AT),
        ("config", "show"),
        ("next", *AT, "--all"),
        ("next", *AT, "--explain"),
        ("next", "chloe", *AT, "--explain"),
        ("script", "alejandro", "--at", "2026-11-25 15:00"),
    ]


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_screen_fits_and_cuts_no_name_status_or_header(
    cli: Callable[..., Result],
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    columns: int,
    language: str,
) -> None:
    book(cli, home)
    if language == "es":
        (home / "config.toml").write_text(SPANISH)
    monkeypatch.setenv("COLUMNS", str(columns))
    for args in _screens():
        result = cli(*args)
        assert result.exit_code == 0, (args, result.output)
        out = result.stdout
        too_long = [line for line in out.splitlines() if len(line) > columns]
        assert not too_long, (args, too_long)
        assert "…" not in out, args  # nothing in this book is long enough to be cut
        assert not cut_words(out, NAMES + COMPANIES), args


@pytest.mark.parametrize("language", ["en", "es"])
def test_headers_are_whole_at_80_columns(
    cli: Callable[..., Result], home: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    book(cli, home)
    if language == "es":
        (home / "config.toml").write_text(SPANISH)
    monkeypatch.setenv("COLUMNS", "80")
    plan = cli("next", *AT).stdout.splitlines()
    headers = {
        "en": ["time", "name", "phone", "temp", "last touch", "why"],
        "es": ["hora", "nombre", "teléfono", "temp", "contacto", "por qué"],
    }[language]
    first_row = next(n for n, line in enumerate(plan) if re.match(r"1\s", line))
    head = plan[2:first_row]  # a narrow last column breaks its header at " · ", by design
    assert all(any(word in line for line in head) for word in headers), head
    listed = cli("lead", "list").stdout.splitlines()
    known = {
        "en": ["#", "Name", "Company", "Phone", "Temp", "Status", "Window", "Source", "Stage"],
        "es": ["#", "Nombre", "Empresa", "Teléfono", "Temp", "Estado", "Franja", "Origen", "Etapa"],
    }[language]
    shown = listed[0].split()
    assert set(shown) <= set(known), shown  # each header whole
    assert shown[:2] == known[:2] and {known[3], known[4], known[5]} <= set(shown)
    statuses = {"en": "active", "es": "activo"}[language]
    assert sum(re.search(rf"(?<!\w){statuses}(?!\w)", line) is not None for line in listed) == 7


def test_lead_list_chooses_its_columns_by_width(
    cli: Callable[..., Result], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book(cli, home)
    monkeypatch.setenv("COLUMNS", "60")
    narrow = cli("lead", "list").stdout
    assert narrow.splitlines()[0].split() == ["#", "Name", "Phone", "Temp", "Status"]
    assert all(len(line) <= 60 for line in narrow.splitlines())
    monkeypatch.setenv("COLUMNS", "200")
    wide = cli("lead", "list").stdout
    assert wide.splitlines()[0].split() == [
        "#", "Name", "Company", "Phone", "Temp", "Status", "Window", "Source", "Stage",
        "Segment",
    ]  # fmt: skip
    for name in NAMES + COMPANIES:
        assert name in wide  # room enough: each on one line


def test_phones_read_the_same_in_every_view(cli: Callable[..., Result], home: Path) -> None:
    book(cli, home)
    views = {
        "lead list": cli("lead", "list").stdout,
        "lead show": cli("lead", "show", "laura", *AT).stdout,
        "next": cli("next", *AT).stdout,
        "script": cli("script", "laura", *AT).stdout,
    }
    for view, out in views.items():
        assert "633 22 24 44" in out, view  # typed "0034 633 222 444": national, at home
        assert "0034" not in out and "+34 633" not in out, view
    listed = views["lead list"]
    assert "612 34 56 78" in listed and "612345678" not in listed  # typed "612345678"
    assert "+1 212-555-0147" in listed and "+33 6 12 34 56 78" in listed  # abroad: international
    sarah = cli("lead", "show", "sarah", *AT).stdout
    assert "+1 212-555-0147" in sarah


def test_the_calling_session_shows_the_phone_as_dialled(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    (tmp_path / "config.toml").write_text(CONFIG_TOML)
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARMCALL_")}
    env.update(WARMCALL_HOME=str(tmp_path), TZ="Europe/Madrid", TERM="xterm", NO_COLOR="1")
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    (tmp_path / "leads.csv").write_text(
        "name,phone,temperature,window\nNuria Vidal,0034 633 222 444,hot,early\n"
    )
    subprocess.run(
        [sys.executable, "-m", "warmcall", "lead", "import", str(tmp_path / "leads.csv")],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    child = pexpect.spawn(
        sys.executable,
        ["-m", "warmcall", "next", "--go", "--at", "2026-11-25 08:40"],
        env=env, encoding="utf-8", timeout=60, dimensions=(50, 100),
    )  # fmt: skip
    child.expect("Nuria Vidal")
    child.expect("How did it go")
    card = child.before
    child.send("q")
    child.expect(pexpect.EOF)
    assert "633 22 24 44" in card and "0034" not in card


def test_all_counts_the_leads_the_limit_left_out(cli: Callable[..., Result], home: Path) -> None:
    book(cli, home)
    planned = len(json.loads(cli("next", *AT, "--json").stdout))
    out = " ".join(cli("next", *AT, "--all", "--limit", "2").stdout.split())
    more = planned - 2
    assert f"{more} more leads could be called today, below the best 2 by score." in out
    assert f"See them with --limit {planned}." in out
    assert "could be called today" not in cli("next", *AT, "--all").stdout  # none left out
    (home / "config.toml").write_text(SPANISH)
    out = " ".join(cli("next", *AT, "--all", "--limit", "2").stdout.split())
    assert f"Hoy se podría llamar a {more} contactos más" in out


def test_an_empty_store_names_the_commands_that_fill_it(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    said = " ".join(cli("next", *AT).stdout.split())
    assert "warmcall lead import FILE" in said and "warmcall lead add NAME" in said
    said = " ".join(cli("lead", "list").stdout.split())
    assert "warmcall lead import FILE" in said and "warmcall lead add NAME" in said
    missing = cli("next", *AT, "--db", str(tmp_path / "nowhere.db"))
    assert missing.exit_code == 1
    assert "warmcall lead import FILE" in missing.stderr
    assert "warmcall lead add NAME" in missing.stderr


def test_absurdly_long_cells_are_bounded_and_real_names_are_not(
    cli: Callable[..., Result], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book(cli, home)
    huge = "6" * 500
    rambling = "Grupo " + " ".join(["Internacional de Distribución"] * 20)
    added = cli("lead", "add", "Pedro Huge", "--phone", huge, "--company", rambling,
                "--temperature", "hot", "--window", "early", *AT)  # fmt: skip
    assert added.exit_code == 0, added.output
    for columns in (80, 120):
        monkeypatch.setenv("COLUMNS", str(columns))
        for args in (("next", *AT), ("lead", "list"), ("lead", "show", "pedro")):
            out = cli(*args).stdout
            assert all(len(line) <= columns for line in out.splitlines()), args
            if args[1] != "show":  # a table bounds the cell; the lead's own card shows it all
                assert huge not in out.replace("\n", "") and "…" in out, args
                assert "Pedro Huge" in out
                assert not cut_words(out, NAMES + COMPANIES), args
