"""The leads that have other numbers, in an index of their own.

"Is this someone we know?" (``leads.sharing``: a lead added or edited, an objector looked
for) asks for the leads with the same e-mail, the same number, or the number among their
other numbers (``phones``, one text a lead). That last question is a ``LIKE`` no index
answers, and joined to the others by ``OR`` it made the database read every lead: on issue
25's million, each ``lead add`` read the whole table. Few leads have other numbers: with
this index the question reads just those, and the e-mail and the number are each a seek.

Indexes only: every row stays as it is.
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"


def upgrade() -> None:
    op.create_index(
        "ix_leads_phones",
        "leads",
        ["id"],
        postgresql_where=sa.text("phones IS NOT NULL"),
        sqlite_where=sa.text("phones IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_leads_phones", table_name="leads")
