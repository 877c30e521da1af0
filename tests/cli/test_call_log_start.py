"""``call log`` starts light, so that a rep logs a call in a blink while a colleague imports:
on a team's PostgreSQL it speaks to the server through psycopg2 alone (SQLAlchemy and its
dialect cost a third of a second to import), and a lead whose zones the store keeps is
placed without reading its number again (phonenumbers and its zone data)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import PG_URL, cli_on

ENGINES = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
LOG = (
    "import sys\n"
    "from warmcall.cli.app import main\n"
    "sys.argv = ['warmcall', 'call', 'log', 'Ana', '-o', 'no-answer', '--at', "
    "'2026-11-25 10:00']\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "heavy = ('sqlalchemy', 'alembic', 'phonenumbers', 'babel')\n"
    "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_call_log_imports_nothing_heavy(
    cli: Callable[..., Result], home: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    cli_on(engine, monkeypatch)
    # a Spanish mobile: Madrid or the Canaries, the zones the store keeps for it
    added = cli("lead", "add", "Ana Ruiz", "--phone", "+34 612 345 678", "--at", "2026-11-24 09:00")
    assert added.exit_code == 0, added.output
    # the first command of a machine keeps the calling codes in its cache folder: the next
    # ones read them there
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", LOG], capture_output=True, text=True)
        assert "Logged no-answer with Ana Ruiz" in done.stdout, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "[]"
