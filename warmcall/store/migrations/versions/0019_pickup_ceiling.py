"""The plan's bound knows how far a lead's own record can lift its pickup chance.

``leads.pickup_most`` keeps the most dials the lead answered in one hour of its local day
(both kinds of day together), kept by ``pickup.record.refresh`` with the pickup rows; with the
book's prior strength and the best chance of any pool, it bounds the lead's chance
(``pickup.estimate.ceiling``), so that ``next`` does not place every lead whose other points
tie at the top. ``ix_leads_pool`` lets the plan find each pool of similar leads (country,
window, source) and its newest leads, each pickup row keeps the pool its lead was in when
counted so that ``ix_pickup_hours_pool`` reads a pool's rows from the index alone, and
``ix_pickup_hours_band_dials`` gives the most dials one lead holds in a band.

An addition: every existing row keeps its meaning; the column is filled here from the pickup
rows (0013).
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"

PLAN = ["status", "temperature", "stage", "consent"]
# The pool (similar leads) each pickup row counts in, as its lead was when counted, and the
# index that reads a pool's newest rows alone.
POOL = (("country", ""), ("window", "any"), ("source", ""))
POOL_INDEX = [
    "pool_country", "pool_window", "pool_source", "lead_id", "hour", "weekend", "dials",
    "answered",
]  # fmt: skip


def upgrade() -> None:
    op.add_column(
        "leads",
        sa.Column("pickup_most", sa.Integer, nullable=False, server_default=sa.text("0")),
    )
    op.execute(
        "UPDATE leads SET pickup_most = (SELECT COALESCE(MAX(h.answered), 0) FROM ("
        "SELECT SUM(p.answered) AS answered FROM pickup_hours p "
        "WHERE p.lead_id = leads.id GROUP BY p.hour) h) "
        "WHERE id IN (SELECT lead_id FROM pickup_hours WHERE answered > 0)"
    )
    op.create_index("ix_leads_pool", "leads", ["country", "window", "source", "id"])
    op.create_index("ix_leads_pickup_most", "leads", ["pickup_most"])
    # The plan's groups split by pickup bound (and the rep's own leads): their first and last
    # ids read from the index alone.
    op.drop_index("ix_leads_plan", table_name="leads")
    op.create_index("ix_leads_plan", "leads", [*PLAN, "pickup_most", "owner", "created_at"])
    op.create_index("ix_pickup_hours_band_dials", "pickup_hours", ["hour", "weekend", "dials"])
    for column, blank in POOL:
        op.add_column(
            "pickup_hours",
            sa.Column(f"pool_{column}", sa.String, nullable=False, server_default=blank),
        )
    op.execute(
        "UPDATE pickup_hours SET "
        + ", ".join(
            f"pool_{column} = (SELECT COALESCE(l.{column}, '{blank}') FROM leads l "
            "WHERE l.id = pickup_hours.lead_id)"
            for column, blank in POOL
        )
    )
    op.create_index("ix_pickup_hours_pool", "pickup_hours", POOL_INDEX)


def downgrade() -> None:
    op.drop_index("ix_pickup_hours_pool", table_name="pickup_hours")
    with op.batch_alter_table("pickup_hours") as batch:
        for column, _ in POOL:
            batch.drop_column(f"pool_{column}")
    op.drop_index("ix_pickup_hours_band_dials", table_name="pickup_hours")
    op.drop_index("ix_leads_pool", table_name="leads")
    op.drop_index("ix_leads_pickup_most", table_name="leads")
    op.drop_index("ix_leads_plan", table_name="leads")
    op.create_index("ix_leads_plan", "leads", [*PLAN, "created_at"])
    with op.batch_alter_table("leads") as batch:
        batch.drop_column("pickup_most")
