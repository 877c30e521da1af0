"""Each lead keeps when its open follow-up is due (``leads.due_at``), kept by the database.

``next`` starts from the rep's leads with a follow-up due before tomorrow. Read from the
follow-ups, that is every rep's (8,777 of issue 25's million leads), each looked up in
``ix_leads_id_owner`` (0022) to keep the rep's and the shared ones (1,811): 8,777 descents of
an index, 25 to 35 ms of every rep's ``next``. With the due moment on the lead,
``ix_leads_owner_due`` holds just the leads with one, by owner: the rep's are one range of it
and the shared ones another. ``ix_leads_id_owner`` served only that look-up and goes.

The column is the due moment of the lead's one open follow-up (0007: at most one), NULL when
it has none. Triggers keep it whatever writes the follow-ups (a call logged, undone or
edited, an import, a merge, a lead forgotten): no code path can forget it.

An addition: every lead's column is filled here from its open follow-up.
"""

import sqlalchemy as sa
from alembic import op

from warmcall.store.migrations.shapes import EPOCH

revision = "0023"
down_revision = "0022"

# The due moment of a lead's open follow-up, for the lead ``{lead}`` names.
DUE = "(SELECT MIN(f.due_at) FROM followups f WHERE f.lead_id = {lead} AND f.done_at IS NULL)"
SET_DUE = "UPDATE leads SET due_at = " + DUE + " WHERE id = {lead};"

# SQLite: a trigger an event, each naming the lead(s) the follow-up was and is of.
SQLITE_TRIGGERS = {
    "tr_followups_due_insert": ("AFTER INSERT ON followups", ("NEW",)),
    "tr_followups_due_update": (
        "AFTER UPDATE OF lead_id, due_at, done_at ON followups",
        ("OLD", "NEW"),
    ),
    "tr_followups_due_delete": ("AFTER DELETE ON followups", ("OLD",)),
}
# PostgreSQL: one function for the three events.
PG_FUNCTION = f"""
CREATE FUNCTION warmcall_lead_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        {SET_DUE.format(lead="OLD.lead_id")}
    END IF;
    IF TG_OP <> 'DELETE' THEN
        {SET_DUE.format(lead="NEW.lead_id")}
    END IF;
    RETURN NULL;
END
$$
"""
PG_TRIGGER = (
    "CREATE TRIGGER tr_followups_due AFTER INSERT OR DELETE OR UPDATE OF lead_id, due_at, "
    "done_at ON followups FOR EACH ROW EXECUTE FUNCTION warmcall_lead_due()"
)


def upgrade() -> None:
    op.add_column("leads", sa.Column("due_at", EPOCH))
    op.execute(
        "UPDATE leads SET due_at = "
        + DUE.format(lead="leads.id")
        + " WHERE id IN (SELECT lead_id FROM followups WHERE done_at IS NULL)"
    )
    op.create_index(
        "ix_leads_owner_due",
        "leads",
        ["owner", "due_at", "id"],
        postgresql_where=sa.text("due_at IS NOT NULL"),
        sqlite_where=sa.text("due_at IS NOT NULL"),
    )
    op.drop_index("ix_leads_id_owner", table_name="leads")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)
    else:
        for name, (event, leads) in SQLITE_TRIGGERS.items():
            body = " ".join(SET_DUE.format(lead=f"{row}.lead_id") for row in leads)
            op.execute(f"CREATE TRIGGER {name} {event} BEGIN {body} END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER tr_followups_due ON followups")
        op.execute("DROP FUNCTION warmcall_lead_due()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.create_index("ix_leads_id_owner", "leads", ["id", "owner"])
    op.drop_index("ix_leads_owner_due", table_name="leads")
    with op.batch_alter_table("leads") as batch:
        batch.drop_column("due_at")
