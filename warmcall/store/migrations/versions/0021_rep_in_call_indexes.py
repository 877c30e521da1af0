"""The rep in the calls' indexes, so that a team's figures come off an index alone.

``report --team`` counts each rep's dials, conversations and meetings of a week: its range of
``ix_calls_at`` held lead, channel and outcome but not the rep, so each of the week's dials
was read from the table as well (1.1 s of 3.3 s on issue 25's book on PostgreSQL). ``next``
learns the caller's pace from their phone dials of four weeks: ``ix_calls_rep_at`` held the
rep and the time but not the channel, so each dial was read from the table too. Each index
gains the column it lacked, under the same name; no fifth index on the calls (every call
logged or imported writes each one).

Indexes only: every row stays as it is.
"""

from alembic import op

revision = "0021"
down_revision = "0020"

REPORT = ["at", "lead_id", "channel", "outcome", "objections", "temperature"]


def upgrade() -> None:
    op.drop_index("ix_calls_at", table_name="calls")
    op.create_index("ix_calls_at", "calls", [*REPORT, "rep"])
    op.drop_index("ix_calls_rep_at", table_name="calls")
    op.create_index("ix_calls_rep_at", "calls", ["rep", "at", "channel"])


def downgrade() -> None:
    op.drop_index("ix_calls_rep_at", table_name="calls")
    op.create_index("ix_calls_rep_at", "calls", ["rep", "at"])
    op.drop_index("ix_calls_at", table_name="calls")
    op.create_index("ix_calls_at", "calls", REPORT)
