"""Every dial keeps the rules it was judged by (SPEC §7, "proof"): ``calls.checks`` holds, as
JSON, the rule profile and its dated version in force at the dial, the checks judged (hours,
day, holiday, consent, rest, frequency…) and each one broken with its facts; ``calls.broken``
names the checks broken (comma-separated, NULL when none: what the report's breaches read
without parsing JSON); ``calls.dialled`` is the number dialled, as the lead had it then.

An addition (plain ``ADD COLUMN`` on both engines: no table is rebuilt, every call keeps its
row and id). Nothing is computed for the calls already in the store: what was judged is what
the rules said *at the dial* (the lead's consent then, the profile then), which a migration
cannot know. They stay NULL (``warmcall audit`` says "not recorded", and derives the number
from the lead's identity changes); the report's frequency breaches are still computed for
every dial, old ones included.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"


def upgrade() -> None:
    op.add_column("calls", sa.Column("dialled", sa.String))
    op.add_column("calls", sa.Column("checks", sa.String))
    op.add_column("calls", sa.Column("broken", sa.String))
    # The report reads the breaking dials of a period: as many rows as breaches, not dials.
    where = sa.text("broken IS NOT NULL")
    op.create_index("ix_calls_broken", "calls", ["at"], sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    op.drop_index("ix_calls_broken", table_name="calls")
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("broken")
        batch.drop_column("checks")
        batch.drop_column("dialled")
