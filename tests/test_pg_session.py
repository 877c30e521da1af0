"""warmcall's own PostgreSQL sessions (issue 25's scale): no JIT compilation of its short,
index-driven queries, unless the store's URL sets the session's options itself."""

from __future__ import annotations

import pytest

from tests.conftest import PG_URL
from warmcall.store.db import open_db

pytestmark = pytest.mark.skipif(not PG_URL, reason="a PostgreSQL store (WARMCALL_TEST_PG)")


def setting(url: str, name: str) -> str:
    with open_db(url) as db:
        return str(db.query(f"SHOW {name}")[0][name])


def test_a_session_compiles_no_query_with_jit() -> None:
    assert setting(str(PG_URL), "jit") == "off"


def test_a_url_that_gives_its_own_options_keeps_them() -> None:
    sep = "&" if "?" in str(PG_URL) else "?"
    own = f"{PG_URL}{sep}options=-c%20work_mem%3D7MB"
    assert setting(own, "work_mem") == "7MB"
    assert setting(own.replace("work_mem%3D7MB", "jit%3Don"), "jit") == "on"
