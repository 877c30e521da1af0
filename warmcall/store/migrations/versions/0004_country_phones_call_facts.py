"""A lead's country and other numbers; what a call sent, showed and agreed to recap.

``country`` decides public holidays and which calling rules apply (SPEC §1); ``phones`` keeps
every number an import or an edit gave beyond the first, one a line. ``sent``, ``shown``
and ``recap`` are facts recorded with a call, so that scripts choose their situation from
the record instead of guessing from free text (SPEC §3). All nullable: existing rows keep
their meaning.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.add_column(sa.Column("country", sa.String))
        batch.add_column(sa.Column("phones", sa.String))
    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("sent", sa.String))
        batch.add_column(sa.Column("shown", sa.String))
        batch.add_column(sa.Column("recap", sa.String))


def downgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("recap")
        batch.drop_column("shown")
        batch.drop_column("sent")
    with op.batch_alter_table("leads") as batch:
        batch.drop_column("phones")
        batch.drop_column("country")
