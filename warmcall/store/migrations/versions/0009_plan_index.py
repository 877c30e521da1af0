"""An index over the leads the plan reads, by what their score's bound is made of.

``warmcall next`` bounds each lead's score before it scores any in Python (``plan.score``).
The part of that bound that a lead's own fields decide (temperature, stage, consent) takes
few values, so the plan reads the leads one such group at a time, best bound first, and
stops before the groups that cannot reach the top of the plan. Ordered by status,
temperature, stage and consent, and holding the date the lead was added, this index makes
each group one index-only range: no table row is read for a lead the plan does not score.
"""

from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.create_index(
        "ix_leads_plan", "leads", ["status", "temperature", "stage", "consent", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_leads_plan", "leads")
