"""An index over the calls by time that holds every column the weekly report reads.

``warmcall report`` reads the calls of two periods (a week and the week before). Ordered by
``at`` and covering lead, channel, outcome, objections and temperature, this index turns each
of its per-period passes into one index-only range scan of those weeks: no table rows, and a
cost that grows with the period's calls, not with the store. An index on ``at`` alone is
slower than none (a random table read per call); ``objections`` and ``temperature`` are mostly
empty, which costs a byte each per entry.
"""

from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_index(
        "ix_calls_at",
        "calls",
        ["at", "lead_id", "channel", "outcome", "objections", "temperature"],
    )


def downgrade() -> None:
    op.drop_index("ix_calls_at", "calls")
