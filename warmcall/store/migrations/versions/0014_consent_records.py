"""Proof of consent (SPEC §7): ``lead_consents`` keeps each consent a lead gave or withdrew,
with its date, the channel it came through, the wording the person agreed to and, when it
was given for a while, its expiry; the one in force at a moment is the latest before it.

An addition: each existing lead's ``consent`` becomes its first record, dated at the lead's
creation, through the channel ``unknown`` (nothing said how it was given). The leads keep
their ``consent`` column: it holds the latest record's, for the plan's indexed groups.
"""

import sqlalchemy as sa
from alembic import op

from warmcall.store.migrations.shapes import EPOCH, lead_table

revision = "0014"
down_revision = "0013"


def upgrade() -> None:
    lead_table(
        "lead_consents",
        sa.Column("at", EPOCH, nullable=False),
        sa.Column("consent", sa.String, nullable=False),
        sa.Column("channel", sa.String, nullable=False),
        sa.Column("wording", sa.String),
        sa.Column("expires_at", EPOCH),
        sa.Column("basis", sa.String),
        sa.Column("created_at", EPOCH, nullable=False),
    )
    op.create_index("ix_lead_consents_lead_at", "lead_consents", ["lead_id", "at"])
    op.execute(
        "INSERT INTO lead_consents (lead_id, at, consent, channel, created_at) "
        "SELECT id, created_at, consent, 'unknown', created_at FROM leads ORDER BY id"
    )


def downgrade() -> None:
    op.drop_index("ix_lead_consents_lead_at", table_name="lead_consents")
    op.drop_table("lead_consents")
