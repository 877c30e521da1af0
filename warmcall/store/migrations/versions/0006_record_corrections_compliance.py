"""What correcting the record and proving compliance need (SPEC §1, §7).

- ``calls.before_temperature``, ``before_status``, ``before_phone_flag``: the lead as it was
  just before a logged call, so that ``call undo`` and ``call edit`` restore what the call
  changed. (The follow-ups a call closed or moved point back to it through ``done_call_id``;
  the one it opened, through ``call_id``.) Null for calls logged or imported before: nothing
  is restored for them.
- ``lead_events``: the acts a salesperson must be able to prove, with their dates and
  reasons: an objection recorded (``dnc``) and an objection lifted (``lift``).
- ``store_meta``: small facts about the store itself, such as the random secret that keys
  the suppression digests (created on first use).
- ``suppressions``: the keyed hash (HMAC-SHA256) of a forgotten person's normalised e-mail
  or phone, when it was forgotten, and whether and why the user lifted it. Nothing else
  about the person is kept.

All additions: every existing row keeps its meaning.
"""

import sqlalchemy as sa
from alembic import op

from warmcall.store.migrations.shapes import lead_table

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("before_temperature", sa.String))
        batch.add_column(sa.Column("before_status", sa.String))
        batch.add_column(sa.Column("before_phone_flag", sa.String))
    lead_table(
        "lead_events",
        sa.Column("at", sa.Integer, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("reason", sa.String),
        sa.Column("created_at", sa.Integer, nullable=False),
    )
    op.create_index("ix_lead_events_lead_at", "lead_events", ["lead_id", "at"])
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("value", sa.String, nullable=False),
    )
    op.create_table(
        "suppressions",
        sa.Column("digest", sa.String, primary_key=True),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("created_at", sa.Integer, nullable=False),
        sa.Column("lifted_at", sa.Integer),
        sa.Column("lift_reason", sa.String),
    )


def downgrade() -> None:
    op.drop_table("suppressions")
    op.drop_table("store_meta")
    op.drop_index("ix_lead_events_lead_at", table_name="lead_events")
    op.drop_table("lead_events")
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("before_phone_flag")
        batch.drop_column("before_status")
        batch.drop_column("before_temperature")
