"""The plan's bound knows whose window cannot be open: ``leads.zones`` keeps the zones each
lead may be in whatever the user's own (``compliance.zones.settled``), filled here for every
existing lead, and ``ix_leads_window_zones`` lets ``next`` read each window and set of zones
once. A Spanish mobile (Madrid or the Canaries) is open at 07:50 in neither: without this
its bound counted the window-open points, and every hot lead tied at the top.

An addition: every existing row keeps its meaning; a lead left NULL is bounded as before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"

BATCH = 5_000


def upgrade() -> None:
    from warmcall.compliance.zones import settled

    op.add_column("leads", sa.Column("zones", sa.String, nullable=True))
    op.create_index("ix_leads_window_zones", "leads", ["window", "zones"])
    conn = op.get_bind()
    read = sa.text(
        "SELECT id, timezone, phone_e164, country, email FROM leads WHERE id > :after "
        "ORDER BY id LIMIT :n"
    )
    write = sa.text("UPDATE leads SET zones = :zones WHERE id = :id")
    after = 0
    while rows := conn.execute(read, {"after": after, "n": BATCH}).fetchall():
        found = [
            {"id": lead_id, "zones": settled(zone, e164, country, email)}
            for lead_id, zone, e164, country, email in rows
        ]
        known = [row for row in found if row["zones"] is not None]
        if known:
            conn.execute(write, known)
        after = rows[-1][0]


def downgrade() -> None:
    op.drop_index("ix_leads_window_zones", table_name="leads")
    with op.batch_alter_table("leads") as batch:
        batch.drop_column("zones")
