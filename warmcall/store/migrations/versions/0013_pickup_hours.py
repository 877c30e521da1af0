"""When each lead picks up (SPEC §2 "Pickup hours"): ``pickup_hours`` keeps, per lead, hour
of its local day and kind of day (working or weekend), how many phone dials were made and
how many were answered, so that ``next`` reads a few rows per lead instead of every call.

An addition, filled from the calls already recorded: every existing row keeps its meaning.
The hour is the lead's local hour in the zone the plan resolves for it, with the settings a
store opened without a configuration file has (the system's zone and region); a lead's rows
are counted again with the user's own settings at its next logged, corrected or undone call.
"""

import sqlalchemy as sa
from alembic import op

from warmcall.store.migrations.shapes import lead_table

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    lead_table(
        "pickup_hours",
        sa.Column("hour", sa.Integer, nullable=False),
        sa.Column("weekend", sa.Integer, nullable=False),
        sa.Column("dials", sa.Integer, nullable=False),
        sa.Column("answered", sa.Integer, nullable=False),
    )
    op.create_index(
        "ux_pickup_hours_lead_band", "pickup_hours", ["lead_id", "hour", "weekend"], unique=True
    )
    _fill()


def _fill() -> None:
    """Count the pickup rows of every lead from its phone calls."""
    from datetime import UTC, datetime

    from warmcall.compliance.rules import Calendar
    from warmcall.config import Config
    from warmcall.pickup.record import ZONE_COLUMNS, count, lead_zones

    conn = op.get_bind()
    leads = conn.execute(sa.text(f"SELECT {ZONE_COLUMNS} FROM leads"))
    zones = lead_zones(leads, Calendar(Config()))
    calls = (
        (lead_id, datetime.fromtimestamp(at, UTC), outcome)
        for lead_id, at, outcome in conn.execute(
            sa.text("SELECT lead_id, at, outcome FROM calls WHERE channel = 'phone'")
        )
        if lead_id in zones
    )
    rows = count(calls, zones.__getitem__)
    if rows:
        conn.execute(sa.text(INSERT), rows)


# The rows as this revision makes them (0019 adds the pool each one counts in).
INSERT = (
    "INSERT INTO pickup_hours (lead_id, hour, weekend, dials, answered) "
    "VALUES (:lead_id, :hour, :weekend, :dials, :answered)"
)


def downgrade() -> None:
    op.drop_index("ux_pickup_hours_lead_band", table_name="pickup_hours")
    op.drop_table("pickup_hours")
