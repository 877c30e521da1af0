"""What goes wrong on a PostgreSQL store is one sentence: a role that may not set up the store
is told what it lacks and the GRANT an administrator runs; a server that ends the connection
mid-import leaves nothing half-written and no driver's log on stderr. (Runs where
WARMCALL_TEST_PG names a database to wipe, as a superuser.)"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="set WARMCALL_TEST_PG to a database to wipe")

AT = ("--at", "2026-11-25 07:50")


def admin(*statements: str) -> None:
    from warmcall.store.db import SqlAlchemyDatabase

    with SqlAlchemyDatabase(str(PG_URL)) as db:
        for sql in statements:
            db.execute(sql)


@contextmanager
def role_of_its_own(usage: bool) -> Iterator[str]:
    """A new, empty schema ``public`` (its owner the test's superuser) and a login role that
    may use it but not create in it (PostgreSQL 15's default for non-owners), or not even use
    it; yields the URL to connect as that role."""
    from sqlalchemy.engine import make_url

    url = make_url(str(PG_URL))
    role = f"{url.database}_nocreate"

    def drop() -> None:
        from warmcall.store.db import SqlAlchemyDatabase

        with SqlAlchemyDatabase(str(PG_URL)) as db:
            if db.one("SELECT 1 AS found FROM pg_roles WHERE rolname = :r", {"r": role}):
                db.execute(f'DROP OWNED BY "{role}"')
                db.execute(f'DROP ROLE "{role}"')

    admin("DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
    drop()
    admin(f"CREATE ROLE \"{role}\" LOGIN PASSWORD 'limited-pw'")
    if usage:
        admin(f'GRANT USAGE ON SCHEMA public TO "{role}"')
    try:
        yield url.set(username=role, password="limited-pw").render_as_string(hide_password=False)
    finally:
        admin("DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
        drop()


@pytest.fixture(params=["usage only", "nothing"])
def limited(request: pytest.FixtureRequest, home) -> Iterator[str]:
    with role_of_its_own(usage=request.param == "usage only") as url:
        yield url


def test_a_role_without_create_on_the_schema_is_told_the_grant_to_ask_for(cli, limited: str):
    from sqlalchemy.engine import make_url

    url = make_url(limited)
    shown = url.render_as_string(hide_password=True).replace(":***", "")
    added = cli("lead", "add", "Ana Ruiz", "--phone", "612 345 678", "--db", limited, *AT)
    assert added.exit_code == 1
    grant = f"GRANT USAGE, CREATE ON SCHEMA public TO {url.username};"
    assert added.stderr == (
        f"The PostgreSQL role {url.username} may not create tables in the schema public of "
        f"{shown}, so warmcall cannot set up its store there; an administrator can allow it "
        f"with: {grant}\n"
    )
    assert "limited-pw" not in added.output and "internal error" not in added.output
    admin(grant)  # what the sentence says to run is enough
    again = cli("lead", "add", "Ana Ruiz", "--phone", "612 345 678", "--db", limited, *AT)
    assert again.exit_code == 0, again.output


def test_a_role_without_rights_on_the_tables_is_told_the_grants_to_ask_for(cli, home):
    """A rep's role on a team store an administrator set up: it may use the schema, not yet
    the tables (it is not "no store yet", and no SQL is shown)."""
    from sqlalchemy.engine import make_url

    with role_of_its_own(usage=True) as limited:
        made = cli("lead", "add", "Ana Ruiz", "--db", str(PG_URL), *AT)
        assert made.exit_code == 0, made.output
        role = make_url(limited).username
        listed = cli("lead", "list", "--db", limited)
        assert listed.exit_code == 1
        (said,) = listed.stderr.splitlines()
        assert said.startswith(f"The PostgreSQL role {role} may not use the table ")
        grants = (
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};",
        )
        assert said.endswith("an administrator can allow it with: " + " ".join(grants))
        admin(*grants)
        added = cli("lead", "add", "Luis Gil", "--db", limited, *AT)
        assert added.exit_code == 0, added.output
        logged = cli("call", "log", "ana", "-o", "na", "--db", limited, *AT)
        assert logged.exit_code == 0, logged.output


def test_the_drivers_own_log_never_reaches_stderr():
    """SQLAlchemy's pool logs "Exception during reset or similar" when the server died under
    it; Python's last-resort handler printed it after the command's sentence."""
    code = (
        "import logging, sys\n"
        "from warmcall.store.db import SqlAlchemyDatabase\n"
        "SqlAlchemyDatabase(sys.argv[1]).close()\n"
        "logging.getLogger('sqlalchemy.pool.impl.QueuePool').error('Exception during reset')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(PG_URL)], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_a_server_that_ends_the_import_leaves_one_sentence_and_nothing_written(
    tmp_path: Path, home: Path
):
    import psycopg2

    from warmcall.store.db import SqlAlchemyDatabase, libpq_url

    rows = ["name,phone,email"] + [
        f"Person {i},+3461{i:07d},person{i}@example.com" for i in range(20_000)
    ]
    source = tmp_path / "leads.csv"
    source.write_text("\n".join(rows) + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARMCALL_")}
    env |= {"WARMCALL_HOME": str(home), "TZ": "Europe/Madrid"}
    program = [sys.executable, "-m", "warmcall", "lead", "import", str(source), "--db"]
    for delay in (0.0, 0.0, 0.1):
        admin("DROP SCHEMA public CASCADE", "CREATE SCHEMA public")
        running = subprocess.Popen(
            [*program, str(PG_URL), *AT], env=env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        watcher = psycopg2.connect(libpq_url(str(PG_URL)))
        watcher.autocommit = True
        try:
            sees = watcher.cursor()
            for _ in range(3000):  # the leads' own insert, not a migration's INSERT … FROM leads
                sees.execute(
                    "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND state = 'active' "
                    "AND query ILIKE 'INSERT INTO \"leads\" %'"
                )
                if sees.fetchall():
                    break
                time.sleep(0.01)
            else:
                pytest.fail("the import never started inserting")
            time.sleep(delay)
            sees.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        finally:
            watcher.close()
        out, err = running.communicate(timeout=120)
        assert running.returncode == 1, (out, err)
        assert err.count("\n") == 1, err
        assert err.startswith("The connection to the store "), err
        assert "was lost" in err and "Traceback" not in err and "psycopg" not in err
        with SqlAlchemyDatabase(str(PG_URL)) as db:
            assert db.one("SELECT COUNT(*) AS n FROM leads")["n"] == 0  # all or nothing
