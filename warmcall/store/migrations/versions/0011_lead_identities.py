"""Do not call binds the person (SPEC §7): ``lead_identities`` keeps each number and e-mail
a lead had until ``lead edit`` replaced it, with when and by what, so that an objection keeps
covering the old ones (an add or import on them is refused) and the timeline shows the change.

An addition: every existing row keeps its meaning (edits made before it left no trace).
"""

import sqlalchemy as sa
from alembic import op

from warmcall.store.migrations.shapes import EPOCH, lead_table

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    lead_table(
        "lead_identities",
        sa.Column("at", EPOCH, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("value", sa.String, nullable=False),
        sa.Column("replaced_by", sa.String),
        sa.Column("created_at", EPOCH, nullable=False),
    )
    op.create_index("ix_lead_identities_value", "lead_identities", ["value"])
    op.create_index("ix_lead_identities_lead_at", "lead_identities", ["lead_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_lead_identities_lead_at", table_name="lead_identities")
    op.drop_index("ix_lead_identities_value", table_name="lead_identities")
    op.drop_table("lead_identities")
