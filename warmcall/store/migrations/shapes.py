"""The columns the migrations' tables share, written once: a row's own key, its lead (a row
of a lead's goes with the lead), and an instant (seconds since the epoch, 64-bit where the
engine's integer is not).

A migration describes the store at its revision for good: what is here stays as it is, and a
new shape gets a new name rather than a change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

EPOCH = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def row_key() -> sa.Column:
    """``id``: the row's own key."""
    return sa.Column("id", sa.Integer, primary_key=True)


def lead_key() -> sa.Column:
    """``lead_id``: the lead the row belongs to, deleted with it."""
    return sa.Column(
        "lead_id", sa.Integer, sa.ForeignKey("leads.id", ondelete="CASCADE"), nullable=False
    )


def lead_table(name: str, *columns: sa.SchemaItem) -> None:
    """A table of a lead's rows: the row's key, its lead, then ``columns``."""
    op.create_table(name, row_key(), lead_key(), *columns)
