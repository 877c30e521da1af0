"""One open follow-up per lead, enforced by the store; a call id is never given twice.

- ``ux_followups_one_open``: a partial unique index on ``followups (lead_id)`` where the
  status is ``open``, on both engines. Whatever the order calls are logged in (back-dated,
  or twenty processes at once), the store refuses a second open step for a lead. A store
  that already holds several open steps for a lead keeps the one agreed latest (the latest
  ``created_at``, then the highest id) open; each of the others becomes *moved*, done when
  and by the call that agreed the one kept (so undoing that call brings it back).
- ``calls`` is rebuilt with ``AUTOINCREMENT`` on SQLite, every row with its id: after
  ``call undo`` deletes the newest call, the next call gets a new id, never the undone one's.
  (PostgreSQL's sequences never hand out a number twice: nothing to change there.) Foreign
  keys are off during migrations, so the follow-ups that point at calls keep their ids.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"

OPEN = sa.text("status = 'open'")


def _one_open_step_per_lead() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, lead_id, call_id, created_at FROM followups WHERE status = 'open' "
            "AND lead_id IN (SELECT lead_id FROM followups WHERE status = 'open' "
            "GROUP BY lead_id HAVING COUNT(*) > 1) ORDER BY lead_id, created_at DESC, id DESC"
        )
    ).all()
    kept: dict[int, tuple[int | None, int]] = {}
    for step_id, lead_id, call_id, created_at in rows:
        if lead_id not in kept:
            kept[lead_id] = (call_id, created_at)
            continue
        by, when = kept[lead_id]
        bind.execute(
            sa.text(
                "UPDATE followups SET status = 'moved', done_at = :done, done_call_id = :call "
                "WHERE id = :id"
            ),
            {"done": when, "call": by, "id": step_id},
        )


def upgrade() -> None:
    _one_open_step_per_lead()
    op.create_index(
        "ux_followups_one_open",
        "followups",
        ["lead_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "calls", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "calls", recreate="always", table_kwargs={"sqlite_autoincrement": False}
        ):
            pass
    op.drop_index("ux_followups_one_open", table_name="followups")
