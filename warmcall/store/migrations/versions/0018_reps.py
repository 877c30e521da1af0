"""A team on one store (SPEC §8): each call, follow-up and lead edit records the rep who made
it (``rep``; ``updated_by`` on the lead), each lead may have an owner (``owner``; NULL: shared),
and ``claims`` keeps which rep's plan holds a shared lead today, so that no two reps plan it.

An addition: every existing row gets the implicit rep, the empty name (a store of one rep);
every lead stays shared.

Revision ID: 0018
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0011"
branch_labels = None
depends_on = None

EPOCH = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# The implicit rep: the name of every row written before the store knew its reps.
IMPLICIT = sa.text("''")


def upgrade() -> None:
    # A plain ADD COLUMN on every engine: no table is copied (SQLite keeps its AUTOINCREMENT
    # counter, a big store its minutes).
    op.add_column("calls", sa.Column("rep", sa.String, nullable=False, server_default=IMPLICIT))
    op.add_column("followups", sa.Column("rep", sa.String, nullable=False, server_default=IMPLICIT))
    op.add_column("leads", sa.Column("owner", sa.String))
    op.add_column(
        "leads", sa.Column("updated_by", sa.String, nullable=False, server_default=IMPLICIT)
    )
    op.create_index("ix_leads_owner", "leads", ["owner"])
    op.create_index("ix_calls_rep_at", "calls", ["rep", "at"])
    op.create_table(
        "claims",
        sa.Column(
            "lead_id",
            sa.Integer,
            sa.ForeignKey("leads.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("rep", sa.String, nullable=False),
        sa.Column("until", EPOCH, nullable=False),
    )
    op.create_index("ix_claims_rep", "claims", ["rep"])


def downgrade() -> None:
    op.drop_index("ix_claims_rep", table_name="claims")
    op.drop_table("claims")
    op.drop_index("ix_calls_rep_at", table_name="calls")
    op.drop_index("ix_leads_owner", table_name="leads")
    with op.batch_alter_table("leads") as batch:
        batch.drop_column("updated_by")
        batch.drop_column("owner")
    with op.batch_alter_table("followups") as batch:
        batch.drop_column("rep")
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("rep")
