"""SPEC §5's identity held by the database (migration 0020): each lead's e-mail and number
(with its name) are unique keys, so that no two imports at once add one person twice, and
imports take no lock on the whole store."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import NOW, PG_URL, older_store
from warmcall import identity, leads
from warmcall.config import Config
from warmcall.errors import StoreRefused
from warmcall.imports import leads as importer
from warmcall.store.db import SCHEMA_HEAD, Database, SqlAlchemyDatabase, open_db, schema_version

pg_only = pytest.mark.skipif(not PG_URL, reason="set WARMCALL_TEST_PG to a database to wipe")

OLD_LEAD = (
    "INSERT INTO leads (name, name_key, phone, phone_e164, email, temperature, stage, status, "
    'consent, "window", created_at, updated_at) VALUES (:name, :key, :phone, :phone, :email, '
    "'warm', 'lead', 'active', 'none', 'any', 1, 1)"
)


def test_a_store_holding_one_person_twice_upgrades_keeping_every_lead(store, tmp_path):
    """Existing duplicates (an earlier --allow-duplicate) are kept: the oldest holds the keys,
    the later copy none; people sharing a switchboard under other names keep theirs."""
    old, target = older_store(store.dialect, tmp_path, "0018")
    people = [
        ("Ana Ruiz", "+34611000001", "ana@acme.es"),
        ("Ana R.", None, "ANA@acme.es"),  # the same e-mail in another case: a copy
        ("Laura Gómez", "+34910000000", None),  # a clinic's switchboard…
        ("Mercedes Álvarez", "+34910000000", None),  # …rings for another person too
        ("Gómez, Laura", "+34910000000", None),  # Laura again, her name written otherwise
        ("Nadie", None, None),
    ]
    for name, phone, email in people:
        old.execute(OLD_LEAD, {"name": name, "key": name.lower(), "phone": phone, "email": email})
    old.close()
    db = open_db(target)
    try:
        assert schema_version(db) == SCHEMA_HEAD
        rows = db.query("SELECT name, email_key, phone_key FROM leads ORDER BY id")
        assert [(r["name"], r["email_key"], r["phone_key"]) for r in rows] == [
            ("Ana Ruiz", "ana@acme.es", "+34611000001 ana ruiz"),
            ("Ana R.", None, None),
            ("Laura Gómez", None, "+34910000000 gomez laura"),
            ("Mercedes Álvarez", None, "+34910000000 alvarez mercedes"),
            ("Gómez, Laura", None, None),
            ("Nadie", None, None),
        ]
        copy = leads.get(db, 2)
        assert copy.duplicate_allowed  # and stays one when edited
        copy.company = "Acme"
        leads.save(db, copy, NOW)
        assert db.one("SELECT email_key FROM leads WHERE id = 2")["email_key"] is None
    finally:
        db.close()


def test_the_store_refuses_a_second_copy_of_a_person_unless_allowed(store, config):
    builder = leads.LeadBuilder(config)
    leads.add(store, builder.build({"name": "Ana Ruiz", "email": "ana@acme.es"}), NOW)
    leads.add(store, builder.build({"name": "Luis", "phone": "611 000 002"}), NOW)
    for values in ({"name": "Ana", "email": "Ana@Acme.es"}, {"name": "luis", "phone": "611000002"}):
        with pytest.raises(StoreRefused):  # past every check of the code: the table's own rule
            leads.add(store, builder.build(values), NOW)
    again = builder.build({"name": "Ana", "email": "ana@acme.es"})
    again.duplicate_allowed = True  # lead add --allow-duplicate
    leads.add(store, again, NOW)
    other = builder.build({"name": "Marta Gil", "phone": "611 000 002"})  # a shared number
    leads.add(store, other, NOW)
    assert len(leads.find(store)) == 4


def _load(db: Database, config: Config, text: str, **options: object) -> importer.ImportResult:
    source = importer.open_csv(io.BytesIO(text.encode()), "colleague.csv", None)
    opts = importer.ImportOptions(**options)  # type: ignore[arg-type]
    return importer.import_leads(db, source, config, NOW, opts)


def _waiting_for_a_lock(db: Database) -> bool:
    """Whether an insert into leads waits for a lock (read anew: a transaction's view of
    the server's activity is taken once)."""
    db.execute("SELECT pg_stat_clear_snapshot()")
    row = db.one(
        "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO %leads%'"
    )
    return bool(row and row["n"])


@pg_only
@pytest.mark.parametrize(("on_duplicate", "counted"), [("skip", "skipped"), ("update", "updated")])
def test_an_import_meeting_a_person_a_colleague_is_adding_counts_them_once(
    store, config, on_duplicate, counted
):
    """A colleague's transaction adds Ana; an import of a file naming her waits for it (only
    for her row: the table's key), then finds her and skips or updates her as any duplicate."""
    if store.dialect != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    colleague = open_db(str(PG_URL))
    text = "name,email,company\nBea,bea@acme.es,\nAna Ruiz,ana@acme.es,Acme\nCarlos,c@acme.es,\n"
    outcome: list[importer.ImportResult] = []
    try:
        with colleague.transaction(exclusive=False):
            builder = leads.LeadBuilder(config)
            leads.add(colleague, builder.build({"name": "Ana", "email": "ana@acme.es"}), NOW)
            importing = threading.Thread(
                target=lambda: outcome.append(_load(store, config, text, on_duplicate=on_duplicate))
            )
            importing.start()
            deadline = time.monotonic() + 30
            while not _waiting_for_a_lock(colleague) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert _waiting_for_a_lock(colleague), "the import did not meet the colleague's row"
        importing.join(30)
    finally:
        colleague.close()
    (result,) = outcome
    assert (result.rows, result.imported, getattr(result, counted)) == (3, 2, 1)
    anas = store.query("SELECT name, company FROM leads WHERE email = 'ana@acme.es'")
    assert anas == [{"name": "Ana", "company": "Acme" if on_duplicate == "update" else None}]
    assert len(leads.find(store)) == 3


IMPORT = """
import json, subprocess, sys
done = subprocess.run([sys.executable, "-m", "warmcall", "lead", "import", sys.argv[1],
                       "--json", "--at", "2026-11-24 09:00"], capture_output=True, text=True)
print(json.dumps([done.returncode, done.stdout, done.stderr]))
"""


@pg_only
@pytest.mark.parametrize("crossed", [False, True], ids=["same-order", "crossed-orders"])
def test_two_imports_of_overlapping_files_at_once_add_no_one_twice(
    home, tmp_path, monkeypatch, crossed
):
    """Two processes import files that share most people, at the same moment: every person
    is one lead, and each import accounts for every row it read. In crossed orders each
    waits for a row the other holds; the one the server stops starts again by itself."""
    with SqlAlchemyDatabase(str(PG_URL)) as fresh:
        fresh.execute("DROP SCHEMA public CASCADE")
        fresh.execute("CREATE SCHEMA public")
    open_db(str(PG_URL)).close()
    monkeypatch.setenv("WARMCALL_DB", str(PG_URL))
    shared = [f"Shared {i},s{i}@acme.es,+34 611 {i:06d}" for i in range(2500)]
    files = []
    for n, (own, order) in enumerate((("a", 1), ("b", -1 if crossed else 1))):
        mine = [f"Own {own}{i},{own}{i}@acme.es,+34 62{n} {i:06d}" for i in range(200)]
        path = tmp_path / f"{own}.csv"
        path.write_text("name,email,phone\n" + "\n".join(mine + shared[::order]) + "\n")
        files.append(path)
    script = tmp_path / "import.py"
    script.write_text(IMPORT)
    procs = [
        subprocess.Popen([sys.executable, str(script), str(path)], env=dict(os.environ),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for path in files
    ]  # fmt: skip
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        code, stdout, stderr = json.loads(out)
        assert code == 0, stderr or err
        results.append(json.loads(stdout))
    for result in results:  # each row: added, or found to be someone already there
        assert result["rows"] == 2700
        assert result["imported"] + result["skipped"] + result["merged"] == result["rows"]
    assert sum(r["imported"] for r in results) == 2900  # each person added once in all
    db = open_db(str(PG_URL))
    try:
        assert db.one("SELECT COUNT(*) AS n FROM leads")["n"] == 2900
        assert db.one("SELECT COUNT(DISTINCT email) AS n FROM leads")["n"] == 2900
        assert db.one("SELECT COUNT(*) AS n FROM lead_consents")["n"] == 2900
    finally:
        db.close()


NAME_PARTS = st.sampled_from(
    ["Laura", "laura", "LAURA", "Láura", "Gómez", "gomez", "L.", "Dña.", "Mercedes", "Álvarez",
     "María-José", "Pérez", "ruiz", ",", "Dr", "de", "la"]
)  # fmt: skip


@given(st.lists(NAME_PARTS, max_size=5), st.lists(NAME_PARTS, max_size=5))
def test_one_phone_key_is_only_ever_one_person(first: list[str], second: list[str]) -> None:
    """The table refuses a second lead of one phone key only when the import would have
    taken it for the same person (SPEC §5: the same number with a compatible name), so a
    switchboard's people are never refused: equal keys mean compatible names."""
    a, b = " ".join(first), " ".join(second)
    if identity.phone_key("+34910000000", a) == identity.phone_key("+34910000000", b):
        assert identity.compatible_names(a, b)
    assert identity.phone_key("+34910000000", a) == identity.phone_key(
        "+34910000000", " ".join(reversed(first))
    )  # the words in any order, as "Gómez, Laura" is "Laura Gómez"
