"""SPEC §5's identity held by the database: each lead keeps its identity keys
(``identity.keys``: the e-mail lower-cased, the number read with the name's words), each
unique in the table, so that two imports at once cannot both add one person (an insert that
meets a key is skipped: ``INSERT … ON CONFLICT DO NOTHING``), and imports need no lock on the
whole store.

An addition: two nullable columns and their unique indexes. Every lead gets its keys; where
the store already holds one person twice (an earlier ``--allow-duplicate``, or two imports
that ran at once), every lead is kept, the oldest with its keys and each later one with none
(it is an allowed duplicate from then on).
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"

BATCH = 5000

# The later leads of a key several hold: ranked by id within the key, all but the first.
LATER_COPIES = """
UPDATE leads SET email_key = NULL, phone_key = NULL WHERE id IN (
    SELECT id FROM (
        SELECT id, email_key, phone_key,
               ROW_NUMBER() OVER (PARTITION BY email_key ORDER BY id) AS by_email,
               ROW_NUMBER() OVER (PARTITION BY phone_key ORDER BY id) AS by_phone
        FROM leads
    ) AS ranked
    WHERE (email_key IS NOT NULL AND by_email > 1) OR (phone_key IS NOT NULL AND by_phone > 1)
)
"""


def upgrade() -> None:
    from warmcall.identity import keys

    op.add_column("leads", sa.Column("email_key", sa.String))
    op.add_column("leads", sa.Column("phone_key", sa.String))
    conn = op.get_bind()
    read = sa.text(
        "SELECT id, email, phone_e164, name FROM leads "
        "WHERE id > :after AND (email IS NOT NULL OR phone_e164 IS NOT NULL) "
        "ORDER BY id LIMIT :n"
    )
    write = sa.text("UPDATE leads SET email_key = :e, phone_key = :p WHERE id = :id")
    after = 0
    while rows := conn.execute(read, {"after": after, "n": BATCH}).fetchall():
        found = []
        for lead_id, email, e164, name in rows:
            email_key, phone_key = keys(email, e164, name)
            found.append({"id": lead_id, "e": email_key, "p": phone_key})
        conn.execute(write, found)
        after = rows[-1][0]
    conn.execute(sa.text(LATER_COPIES))
    op.create_index("ux_leads_email_key", "leads", ["email_key"], unique=True)
    op.create_index("ux_leads_phone_key", "leads", ["phone_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_leads_phone_key", table_name="leads")
    op.drop_index("ux_leads_email_key", table_name="leads")
    with op.batch_alter_table("leads") as batch:
        batch.drop_column("phone_key")
        batch.drop_column("email_key")
