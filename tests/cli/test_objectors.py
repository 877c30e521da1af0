"""An objector is found on any of their numbers (SPEC §7: do not call is final): a person
who objected is not added again, nor imported back, through a number other than the first,
theirs or the newcomer's. Through the real CLI, on SQLite and (when .ci/run provides one)
on a PostgreSQL team store."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from typer.testing import Result

from tests.conftest import PG_URL

AT = ("--at", "2026-11-25 07:50")


@pytest.fixture(autouse=True, params=["sqlite", "postgresql"] if PG_URL else ["sqlite"])
def engine(request: pytest.FixtureRequest, home: object, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each case on both engines: on PostgreSQL the CLI runs against a wiped team store
    through WARMCALL_DB."""
    if request.param == "postgresql":
        from warmcall.store.db import SqlAlchemyDatabase, open_db

        with SqlAlchemyDatabase(str(PG_URL)) as fresh:
            fresh.execute("DROP SCHEMA public CASCADE")
            fresh.execute("CREATE SCHEMA public")
        open_db(str(PG_URL)).close()
        monkeypatch.setenv("WARMCALL_DB", str(PG_URL))
    return str(request.param)


Cli = Callable[..., Result]


def objector(cli: Cli, *numbers: str) -> int:
    """Marta Díaz, with these numbers, who asked on 18 Nov 2026 not to be called."""
    phones = [arg for number in numbers for arg in ("--phone", number)]
    added = cli("lead", "add", "Marta Díaz", *phones, "--email", "marta@x.es",
                "--at", "2026-11-02 10:00", "--json")  # fmt: skip
    assert added.exit_code == 0, added.output
    dnc = cli("lead", "dnc", "marta", "--reason", "said never again", "--at", "2026-11-18 10:00")
    assert dnc.exit_code == 0, dnc.output
    return int(json.loads(added.stdout)["id"])


def everyone(cli: Cli) -> dict[str, str]:
    """Name → status of every lead in the store."""
    return {x["name"]: x["status"] for x in json.loads(cli("lead", "list", "--json").stdout)}


def refused_as_objector(result: Result, marta: int) -> None:
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("This person objected: ")
    assert f"Marta Díaz (#{marta}) asked not to be called on 18 Nov 2026" in line


def test_a_new_leads_second_number_that_is_an_objectors_is_refused(cli: Cli) -> None:
    marta = objector(cli, "600 111 222")
    result = cli("lead", "add", "M. Díaz", "--phone", "699 000 111", "--phone", "+34 600 111 222",
                 "--allow-duplicate", *AT)  # fmt: skip
    refused_as_objector(result, marta)
    assert everyone(cli) == {"Marta Díaz": "dnc"}
    # the second number is kept: a lead with two numbers, none an objector's, is added
    other = cli("lead", "add", "Luis Gil", "--phone", "699 000 111", "--phone", "91 555 12 34",
                *AT)  # fmt: skip
    assert other.exit_code == 0, other.output
    assert everyone(cli) == {"Marta Díaz": "dnc", "Luis Gil": "active"}


def test_an_objectors_second_number_finds_them(cli: Cli) -> None:
    marta = objector(cli, "600 111 222", "612 345 678")
    refused_as_objector(cli("lead", "add", "M. Díaz", "--phone", "+34612345678", *AT), marta)
    # nor can an edit give another lead that number
    assert cli("lead", "add", "Bob", "--phone", "699 000 111", *AT).exit_code == 0
    refused_as_objector(cli("lead", "edit", "bob", "--phone", "612 34 56 78", *AT), marta)
    assert everyone(cli) == {"Marta Díaz": "dnc", "Bob": "active"}


def test_a_duplicate_is_found_on_a_second_number_too(cli: Cli) -> None:
    """The same look-up finds the same person (SPEC §5) on any of their numbers."""
    assert cli("lead", "add", "Ana Ruiz", "--phone", "600 111 222", "--phone", "612 345 678",
               *AT).exit_code == 0  # fmt: skip
    again = cli("lead", "add", "Ana", "--phone", "612345678", *AT)
    assert again.exit_code == 1 and "Ana Ruiz (#1) already has this e-mail or phone" in (
        again.stderr
    )
    switchboard = cli("lead", "add", "Recepción", "--phone", "699 000 111", "--phone",
                      "612 345 678", *AT)  # fmt: skip
    assert switchboard.exit_code == 0 and "Shares a number with Ana Ruiz (#1)" in (
        switchboard.stderr
    )


@pytest.mark.parametrize("on_duplicate", ["skip", "update"])
def test_an_import_does_not_bring_an_objector_back_on_any_number(
    cli: Cli, on_duplicate: str
) -> None:
    objector(cli, "600 111 222", "612 345 678")
    assert cli("lead", "add", "Eva Gil", "--email", "eva@x.es", *AT).exit_code == 0
    rows = (
        "name,email,phone,mobile\n"
        "Recepción,,699 000 111,+34 600 111 222\n"  # her first number, as the row's second
        "M. Díaz,,612 345 678,\n"  # her second number, as the row's first
        "Eva Gil,eva@x.es,699 000 222,612345678\n"  # a known lead, and her number too
        "Luis,l@x.es,699 000 333,\n"
    )
    result = cli("lead", "import", "-", "--on-duplicate", on_duplicate, "--json", *AT,
                 input=rows)  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["imported"], summary["updated"], summary["suppressed"]) == (1, 0, 3)
    assert everyone(cli) == {"Marta Díaz": "dnc", "Eva Gil": "active", "Luis": "active"}
    eva = json.loads(cli("lead", "show", "eva", "--json", *AT).stdout)
    assert eva["phone"] is None  # not updated with the objector's number


def test_an_objection_an_import_records_holds_for_its_later_rows(cli: Cli) -> None:
    """A file that says a known lead objected (--on-duplicate update) bars their second
    number for the rows after it, in a later batch too."""
    ana = cli("lead", "add", "Ana Ruiz", "--email", "ana@x.es", "--phone", "600 111 222",
              "--phone", "612 345 678", *AT)  # fmt: skip
    assert ana.exit_code == 0, ana.output
    rows = ["name,email,phone,do not call", "Ana Ruiz,ana@x.es,,yes"]
    rows += [f"Person {i},p{i}@x.es,," for i in range(1200)]  # the next row: another batch
    rows += ["Recepción,,+34 612 345 678,"]
    result = cli("lead", "import", "-", "--on-duplicate", "update", "--json", *AT,
                 input="\n".join(rows) + "\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["imported"], summary["updated"], summary["suppressed"]) == (1200, 1, 1)
    people = everyone(cli)
    assert people["Ana Ruiz"] == "dnc" and "Recepción" not in people
