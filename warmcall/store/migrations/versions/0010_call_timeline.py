"""The timeline a lead gave in a conversation, as they said it ("maybe in spring").

A call's ``timeline`` is free text, recorded with ``call log --timeline``: the script quotes
the latest one where it would otherwise assume a horizon. It is what a person said, so
``lead forget`` overwrites it. A plain ``ADD COLUMN`` on both engines: the table is not
rebuilt, and every call keeps its row and its id (NULL: no timeline was said).
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.add_column("calls", sa.Column("timeline", sa.String))


def downgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("timeline")
