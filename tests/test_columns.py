"""A column is declared once: ``store/schema.py``. ``store/columns.py`` names the columns for
the hot paths (which cannot import SQLModel), and every column list of the code is made from
it. These tests fail when a migration, the schema, the names or a list made from them
disagree, on each engine: a column added in one place and forgotten in another."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

import pytest

from warmcall import calls, leads
from warmcall.imports import export
from warmcall.imports import leads as lead_import
from warmcall.models import Call, FollowUp, Lead
from warmcall.plan import candidates
from warmcall.plan.planner import Candidate
from warmcall.store import columns
from warmcall.store.db import Database, sqlalchemy_url

sqlmodel = pytest.importorskip("sqlmodel")


def declared() -> dict[str, tuple[str, ...]]:
    from warmcall.store.schema import metadata

    return {name: tuple(table.columns.keys()) for name, table in metadata.tables.items()}


def declared_times() -> dict[str, tuple[str, ...]]:
    """The columns ``schema.py`` types as ``Epoch`` (64-bit seconds)."""
    from warmcall.store.schema import Epoch, metadata

    return {
        name: tuple(c.name for c in table.columns if c.type is Epoch)
        for name, table in metadata.tables.items()
    }


def test_the_names_are_the_schemas_columns_in_its_order() -> None:
    assert declared() == columns.TABLES
    assert declared_times() == columns.TIMES
    assert sum(map(len, columns.TIMES.values())) >= 13  # the check reads the schema's types


def stored(db: Database) -> dict[str, dict[str, str]]:
    """Each table of a migrated store: its columns and their types, as the engine says."""
    if db.dialect == "sqlite":
        return {
            table: {r[1]: r[2].lower() for r in db.rows(f"PRAGMA table_info({table})")}
            for table in columns.TABLES
        }
    found: dict[str, dict[str, str]] = {}
    for row in db.rows(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = current_schema()"
    ):
        found.setdefault(row[0], {})[row[1]] = row[2].lower()
    return {table: found.get(table, {}) for table in columns.TABLES}


def test_a_migrated_store_has_every_column_and_64_bit_moments(store: Database) -> None:
    """The migrations reach the names (each engine), and every moment holds a date past
    19 January 2038: BIGINT on PostgreSQL (SQLite's INTEGER is 64-bit)."""
    tables = stored(store)
    for table, names in columns.TABLES.items():
        assert set(tables[table]) == set(names), table
        for column in columns.TIMES[table]:
            assert tables[table][column] in {"bigint", "integer"}, (table, column)
            if store.dialect == "postgresql":
                assert tables[table][column] == "bigint", (table, column)
    # And a moment past 2038 goes in and comes back on this engine.
    after_2038 = datetime(2038, 3, 2, 9, 0, tzinfo=UTC)
    eva = leads.add(store, Lead(name="Eva", dnc_at=after_2038), after_2038)
    assert leads.get(store, eva.id).dnc_at == leads.get(store, eva.id).created_at == after_2038


def test_a_migrated_store_matches_the_schema_on_this_engine(store: Database) -> None:
    """Alembic's comparison of the migrated store with ``schema.py``, on each engine (types
    included: a 32-bit moment on PostgreSQL is a difference)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from warmcall.store.schema import metadata

    engine = create_engine(sqlalchemy_url(store.url))
    try:
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), metadata
            )
    finally:
        engine.dispose()
    assert diff == []


def test_every_column_list_is_made_of_the_tables_columns() -> None:
    lead_columns, call_columns = set(columns.LEADS), set(columns.CALLS)
    # leads: every column, the editable ones, the export's, the import's --map targets.
    assert leads.COLUMNS == columns.LEADS
    assert set(leads.EDITABLE) <= lead_columns
    assert set(export.FIELDS) <= lead_columns and "name_key" not in export.FIELDS
    assert set(export.CSV_FIELDS) - lead_columns == {"events"}  # the objections, from events
    joined = {"first_name", "middle_name", "last_name", "ignore"}  # parts of a name, or none
    assert set(lead_import.MAP_FIELDS) - lead_columns == joined
    # The models hold every column the code reads (a lead's name_key is the store's).
    # (a lead's consent records are a table of their own)
    # (its zones are derived from the rest when it is written: ``compliance.zones.settled``)
    # (its identity keys too, ``identity.keys``; a lead without them is an allowed duplicate)
    # (and what the store keeps from other rows is never written from it: ``columns.KEPT``)
    derived = {"name_key", "email_key", "phone_key", *columns.KEPT["leads"]}
    assert {f.name for f in fields(Lead)} - {"consents", "duplicate_allowed"} == (
        lead_columns - derived
    )
    assert set(leads.WRITTEN) == lead_columns - set(columns.KEPT["leads"])
    assert {f.name for f in fields(Call)} == set(calls.CALL_COLUMNS)
    logged = {"created_at", *calls.BEFORE_COLUMNS, *calls.JUDGED_COLUMNS}
    assert set(calls.CALL_COLUMNS) | logged == call_columns
    assert {f.name for f in fields(FollowUp)} == set(calls.FOLLOWUP_COLUMNS)
    assert calls.FOLLOWUP_COLUMNS == columns.FOLLOWUPS
    # The planner's candidate rows: its lead fields are read from the leads table; the rest
    # is the history the query sums up, or what the planner fills in itself.
    history = {
        "lead_id", "last_touch_at", "last_touch_outcome", "last_touch_channel",
        "last_conversation_at", "last_conversation_outcome", "dials", "unanswered",
        "followup", "ceiling", "whereabouts", "dial_times", "listed", "consents",
        "pool_key", "pickup_own", "chance", "home",
    }  # fmt: skip
    own = {f.name for f in fields(Candidate)} - history
    assert own == set(candidates.LEAD_FIELDS) and own <= lead_columns


def test_a_candidate_field_named_as_a_column_is_read_from_the_store(store: Database) -> None:
    """The details query selects the leads' columns a ``Candidate`` holds, by name: each
    comes back as stored (here, on each engine)."""
    created = datetime.fromtimestamp(1_764_000_000, UTC)
    lead = Lead(name="Ana", company="Obrador", phone_e164="+34600111222", window="early")
    lead.email, lead.country = "ana@obrador.es", "ES"
    leads.add(store, lead, created)
    (found,) = list(
        candidates._details(
            store.fetch(candidates.DETAILS_SQL + " ORDER BY l.id", {"since": 0, "tomorrow": 0})
        )
    )
    assert (found.name, found.company, found.phone_e164, found.email) == (
        "Ana", "Obrador", "+34600111222", "ana@obrador.es"
    )  # fmt: skip
    assert (found.country, found.window, found.created_at.timestamp()) == ("ES", "early", 1764e6)
