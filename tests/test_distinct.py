"""The distinct values of an index's first columns, read a look-up at a time (``store.distinct``):
the same as ``SELECT DISTINCT``, NULLs and all, on both engines."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warmcall.store.db import Database
from warmcall.store.distinct import distinct

# A few values each, NULL among them, some sharing a prefix: "window" a reserved word.
VALUES = st.sampled_from([None, "", "a", "a b", "ab", "b", "Europe/Madrid", "ñ"])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.tuples(VALUES, VALUES, VALUES), max_size=30), limit=st.integers(1, 12))
def test_the_combinations_are_those_select_distinct_finds(
    store: Database, rows: list[tuple[str | None, ...]], limit: int
) -> None:
    store.execute('CREATE TABLE IF NOT EXISTS kinds ("window" TEXT, zones TEXT, source TEXT)')
    store.execute('CREATE INDEX IF NOT EXISTS ix_kinds ON kinds ("window", zones, source)')
    store.execute("DELETE FROM kinds")
    store.insert_many("kinds", ("window", "zones", "source"), rows)
    every = set(store.rows('SELECT DISTINCT "window", zones, source FROM kinds'))
    found = distinct(store, "kinds", ("window", "zones", "source"))
    assert len(found) == len(every) and set(found) == every
    pairs = distinct(store, "kinds", ("window", "zones"))
    assert sorted(pairs, key=repr) == sorted({(w, z) for w, z, _ in every}, key=repr)
    first = distinct(store, "kinds", ("window", "zones", "source"), limit=limit)
    assert len(first) == min(limit, len(every)) and set(first) <= every


def test_a_book_of_hundreds_of_windows_has_each_of_its_pairs(store: Database) -> None:
    """Hundreds of values under which to walk (a window each lead was given by hand): all
    read, past what one SQLite statement may hold."""
    store.execute('CREATE TABLE IF NOT EXISTS kinds ("window" TEXT, zones TEXT, source TEXT)')
    store.execute('CREATE INDEX IF NOT EXISTS ix_kinds ON kinds ("window", zones, source)')
    rows = [(f"{h:02d}:{m:02d}-23:00", z, None) for h in range(23) for m in range(0, 60, 5)
            for z in ("Europe/Madrid", None)]  # fmt: skip
    store.insert_many("kinds", ("window", "zones", "source"), rows)
    found = distinct(store, "kinds", ("window", "zones"))
    assert len(found) == 552 and set(found) == {(w, z) for w, z, _ in rows}
