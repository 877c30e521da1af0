"""Who a lead is to the law and where (SPEC §1, §7): ``segment`` (business, consumer,
sole-trader) and ``region`` (an ISO 3166-2 subdivision: ES-MD, US-FL). With the country they
choose the rule profile; the region adds its public holidays and state rules.

An addition: existing leads keep NULL in both, which reads as the configured segment
(``[compliance] segment``, business by default) and the region their number tells.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"


def upgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.add_column(sa.Column("segment", sa.String))
        batch.add_column(sa.Column("region", sa.String))


def downgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.drop_column("region")
        batch.drop_column("segment")
