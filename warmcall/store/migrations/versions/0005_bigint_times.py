"""Times in 64-bit integers on every engine: a follow-up after 19 January 2038 fits.

Times are seconds since the epoch. SQLite's INTEGER is already 64-bit, so there nothing
changes; PostgreSQL's INTEGER is 32-bit ("integer out of range" for a `--next` in 2038),
so its time columns become BIGINT. Every row keeps its value.
"""

import sqlalchemy as sa

from warmcall.store.migrations import retype

revision = "0005"
down_revision = "0004"

# table -> its time columns, with whether each may be empty
TIMES = {
    "leads": {"dnc_at": True, "created_at": False, "updated_at": False},
    "calls": {"at": False, "created_at": False},
    "followups": {"due_at": False, "created_at": False, "done_at": True},
}


def upgrade() -> None:
    retype(TIMES, sa.BigInteger, sa.Integer)


def downgrade() -> None:
    retype(TIMES, sa.Integer, sa.BigInteger)
