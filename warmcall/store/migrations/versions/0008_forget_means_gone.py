"""Forget means gone: the suppression key leaves the store, and four times get 64 bits.

- The random key that hashes forgotten people's e-mails and numbers sat in ``store_meta``
  beside the digests, so a copy of the database alone gave them back (a brute force over
  the Spanish mobiles took minutes). It moves to a file of its own in the user's config
  dir (``store.keys``: ``<config dir>/keys/<store id>.key``, 0600; ``WARMCALL_HOME`` moves
  it), named by a random ``store_id`` kept in ``store_meta``, with a keyed check that tells
  the right key from another. The file is written, and synced, before the key is erased
  from the store in the same transaction as the rest; once the migration commits,
  ``open_db`` compacts the store (``Database.scrub``) so that neither the key nor the rows
  of people forgotten before stay readable in the store's files.
- ``lead_events.at``, ``lead_events.created_at``, ``suppressions.created_at`` and
  ``suppressions.lifted_at`` were INTEGER: 32 bits on PostgreSQL, so an objection or a
  forget after 19 January 2038 was refused there and accepted on SQLite. They become BIGINT
  (SQLite's INTEGER holds 64 bits already). Every row keeps its value.
"""

import sqlalchemy as sa
from alembic import op

from warmcall.store.migrations import retype

revision = "0008"
down_revision = "0007"

# table -> its time columns made in 0006, with whether each may be empty
TIMES = {
    "lead_events": {"at": False, "created_at": False},
    "suppressions": {"created_at": False, "lifted_at": True},
}
OLD_SECRET = "suppression_secret"


def _move_key_out() -> None:
    from warmcall.store import keys

    bind = op.get_bind()
    meta = dict(bind.execute(sa.text("SELECT key, value FROM store_meta")).all())
    if OLD_SECRET not in meta:
        return  # nobody was ever forgotten: the key is made on the first forget
    key = bytes.fromhex(meta[OLD_SECRET])
    store_id = meta.get("store_id") or keys.new_id()
    keys.write(store_id, key)  # before the key leaves the store: never lost in between
    for name, value in (("store_id", store_id), ("suppression_check", keys.check(key))):
        bind.execute(sa.text("DELETE FROM store_meta WHERE key = :k"), {"k": name})
        bind.execute(
            sa.text("INSERT INTO store_meta (key, value) VALUES (:k, :v)"),
            {"k": name, "v": value},
        )
    bind.execute(sa.text("DELETE FROM store_meta WHERE key = :k"), {"k": OLD_SECRET})


def upgrade() -> None:
    retype(TIMES, sa.BigInteger, sa.Integer)
    _move_key_out()


def _key_back_in() -> None:
    from warmcall.store import keys

    bind = op.get_bind()
    meta = dict(bind.execute(sa.text("SELECT key, value FROM store_meta")).all())
    if "store_id" not in meta or (key := keys.read(meta["store_id"])) is None:
        return
    bind.execute(
        sa.text("INSERT INTO store_meta (key, value) VALUES (:k, :v)"),
        {"k": OLD_SECRET, "v": key.hex()},
    )
    bind.execute(sa.text("DELETE FROM store_meta WHERE key = 'suppression_check'"))


def downgrade() -> None:
    _key_back_in()
    retype(TIMES, sa.Integer, sa.BigInteger)
