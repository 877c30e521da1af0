"""A team on one store (SPEC §8): each call, follow-up and lead edit records the rep who made
it (``rep``; ``updated_by`` on the lead), each lead may have an owner (``owner``; NULL: shared),
and ``claims`` keeps which rep's plan holds a shared lead today, so that no two reps plan it.

An addition: every existing row gets the implicit rep, the empty name (a store of one rep);
every lead stays shared.

On PostgreSQL, row-level security for reps who connect as their own database role (named as
their rep): such a role reads and writes its own leads and the shared ones, with their calls,
follow-ups and acts, and a member of the ``warmcall_manager`` role reads them all. The role
that owns the tables (the one that made the store) is not bound by the policies, nor is a
superuser: a team that shares one role works as before.
"""

import sqlalchemy as sa
from alembic import op

from warmcall.store.migrations.shapes import EPOCH

revision = "0018"
down_revision = "0017"

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
        sa.Column("until_at", EPOCH, nullable=False),
    )
    op.create_index("ix_claims_rep", "claims", ["rep"])
    if op.get_bind().dialect.name == "postgresql":
        _secure()


# A lead the connected role may see: shared, its own, or any for a manager.
VISIBLE = (
    "(owner IS NULL OR owner = current_user OR EXISTS (SELECT 1 FROM pg_roles r "
    "WHERE r.rolname = 'warmcall_manager' AND pg_has_role(current_user, r.oid, 'MEMBER')))"
)
# The tables of a lead's history: what their lead's visibility allows (the sub-query on leads
# is itself under the leads policies).
BELONGING = ("calls", "followups", "lead_events", "lead_identities", "claims")


def _secure() -> None:
    op.execute("ALTER TABLE leads ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY warmcall_read ON leads FOR SELECT USING {VISIBLE}")
    # a rep may add a lead for anyone (an import shares leads out among the team)
    op.execute("CREATE POLICY warmcall_add ON leads FOR INSERT WITH CHECK (true)")
    op.execute(f"CREATE POLICY warmcall_change ON leads FOR UPDATE USING {VISIBLE}")
    op.execute(f"CREATE POLICY warmcall_remove ON leads FOR DELETE USING {VISIBLE}")
    for table in BELONGING:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY warmcall_lead ON {table} "
            "USING (EXISTS (SELECT 1 FROM leads l WHERE l.id = lead_id)) "
            "WITH CHECK (EXISTS (SELECT 1 FROM leads l WHERE l.id = lead_id))"
        )


def _unsecure() -> None:
    for table in BELONGING:
        op.execute(f"DROP POLICY IF EXISTS warmcall_lead ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    for name in ("warmcall_read", "warmcall_add", "warmcall_change", "warmcall_remove"):
        op.execute(f"DROP POLICY IF EXISTS {name} ON leads")
    op.execute("ALTER TABLE leads DISABLE ROW LEVEL SECURITY")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _unsecure()
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
