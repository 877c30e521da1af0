"""Registries (SPEC §7): the national do-not-call lists a rep loads (Robinson, Bloctel, the US
National Do Not Call Registry…), each with the date it is as of, its numbers kept as keyed
hashes like a forgotten person's.

``registries`` holds one row a list (its name, country, size, as-of date, when it was
loaded); ``registry_numbers`` one row a listed number: the list's id and the first 128 bits
of the HMAC-SHA256 of the number in E.164, keyed by the store's suppression key. Its primary
key (registry, digest) is the one index: the plan asks it once per list for a batch of
candidates' digests, and a re-import deletes one list's range of it.

An addition: every existing row keeps its meaning.
"""

import sqlalchemy as sa
from alembic import op

from warmcall.store.migrations.shapes import EPOCH, row_key

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    op.create_table(
        "registries",
        row_key(),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("country", sa.String),
        sa.Column("numbers", sa.Integer, nullable=False),
        sa.Column("as_of", sa.String, nullable=False),  # ISO 8601 date: the same on every engine
        sa.Column("loaded_at", EPOCH, nullable=False),
        sa.UniqueConstraint("name", name="uq_registries_name"),
    )
    op.create_table(
        "registry_numbers",
        # No foreign key: PostgreSQL would check it a row, a third of a big list's import;
        # ``registries.remove`` and a re-import delete a list's numbers themselves.
        sa.Column("registry_id", sa.Integer, primary_key=True),
        sa.Column("digest", sa.String, primary_key=True),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("registry_numbers")
    op.drop_table("registries")
