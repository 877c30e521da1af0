"""Suppression after forget (SPEC §7): a forgotten person leaves behind only a keyed hash.

``lead forget`` erases the person and keeps, for each of their normalised e-mail
(lower-cased) and phone numbers (E.164), an HMAC-SHA256 digest keyed by a random secret
kept outside the store (``store.keys``: a 0600 file in the config dir, or
``WARMCALL_SUPPRESSION_KEY``), so that a copy of the database alone cannot be matched
against a list of numbers; nothing else about the person remains: when they were forgotten
is the only other fact. The key is made on the first forget; a store whose key is missing
or wrong refuses every check (one sentence saying how to restore it), and never makes a
new one, which would let every forgotten person back in. ``lead add`` and imports ask
``suppressed`` and refuse a match until the user lifts it with a reason (``lift``).

The person's own rows go for good (``leads.forget``): each personal column is overwritten,
the rows deleted under SQLite's secure_delete, and after the commit the store is compacted
(``Database.scrub``: a WAL checkpoint(TRUNCATE) on SQLite; ``VACUUM (FULL, ANALYZE)`` of the
touched tables on PostgreSQL, once the transactions older than the erase have ended).

Why compaction, not crypto-shredding (each person's fields encrypted under a key of their
own, the key deleted on forget)? Shredding makes forget instant, but every other query pays:
``next``, ``lead list`` and every look-up would decrypt names and numbers row by row; the
identity rule's indexed look-ups by e-mail and E.164 number, the "part of the name" search
and the ordering by name would need blind indexes (keyed hashes beside each field) that are
themselves personal data to erase; and the keys table would have the same dead-version
problem on PostgreSQL. Compaction costs only the forget: on a PostgreSQL store of 100,000
leads and 1,000,000 calls (275 MB) about 9 s, with the touched tables locked meanwhile
(calls 5.5 s, leads 1.8 s, follow-ups 0.6 s); on SQLite a checkpoint. Forgetting is rare;
planning, looking up and importing are what a salesperson does all day.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from weakref import WeakKeyDictionary

from warmcall.clock import from_epoch, to_epoch
from warmcall.errors import NotFound, Refused, UsageError
from warmcall.store import keys
from warmcall.store.db import Database, placeholders

BATCH = 512  # digests asked at once: under every SQLite's limit of bound parameters
STORE_ID, CHECK = "store_id", "suppression_check"  # store_meta keys (the key is never there)

_keys: WeakKeyDictionary[Database, bytes] = WeakKeyDictionary()


def _missing(store_id: str) -> Refused:
    return Refused(
        "This store's key for forgotten people is missing ({path}): warmcall cannot tell who "
        "asked to be forgotten, so nothing was written; put the key file back from your "
        "backup, or set WARMCALL_SUPPRESSION_KEY to the key.",
        path=str(keys.path(store_id)),
    )


def _wrong(where: str, store_id: str) -> Refused:
    return Refused(
        "The key for forgotten people in {where} is not this store's: warmcall cannot tell "
        "who asked to be forgotten, so nothing was written; put the store's own key back "
        "from your backup at {path}, or set WARMCALL_SUPPRESSION_KEY to it.",
        where=where,
        path=str(keys.path(store_id)),
    )


def _meta(db: Database) -> dict[str, str]:
    return dict(
        db.rows(
            "SELECT key, value FROM store_meta WHERE key IN (:i, :c)", {"i": STORE_ID, "c": CHECK}
        )
    )


def _secret(db: Database, create: bool = False) -> bytes:
    """The store's key, from outside the store: ``WARMCALL_SUPPRESSION_KEY``, else the key
    file named by the store's id (``store.keys``). ``create`` (the first forget) makes one
    when the store has none yet; a key that is missing or wrong is refused, never replaced,
    since a new key would let every forgotten person back in."""
    if (key := _keys.get(db)) is not None:
        return key
    meta = _meta(db)
    store_id = meta.get(STORE_ID) or keys.new_id()
    text = keys.from_env()
    if CHECK not in meta:
        if not create:
            raise _missing(store_id)
        key = keys.parse(text) if text else keys.new_key()
        if key is None:
            raise _wrong(keys.ENV, store_id)
        if not text:
            keys.write(store_id, key)
        for name, value in ((STORE_ID, store_id), (CHECK, keys.check(key))):
            db.execute(
                "INSERT INTO store_meta (key, value) VALUES (:k, :v) "
                "ON CONFLICT (key) DO UPDATE SET value = :v",
                {"k": name, "v": value},
            )
    else:
        key = keys.parse(text) if text else keys.read(store_id)
        if key is None and not text:
            raise _missing(store_id)
        if key is None or keys.check(key) != meta[CHECK]:
            where = keys.ENV if text else str(keys.path(store_id))
            raise _wrong(where, store_id)
    _keys[db] = key
    return key


def _any_active(db: Database) -> bool:
    """Whether anyone stands forgotten: a store without one needs no key to be checked."""
    return db.one("SELECT 1 AS one FROM suppressions WHERE lifted_at IS NULL LIMIT 1") is not None


def digest(db: Database, value: str) -> str:
    """The keyed hash of one normalised value (an e-mail lower-cased, a phone in E.164)."""
    return _hasher(_secret(db))(value)


def hasher(db: Database, create: bool = False) -> Callable[[str], str]:
    """``digest`` for many values under the store's key (``create``: make the key if the
    store has none yet, as the first forget or registry import does)."""
    return _hasher(_secret(db, create=create))


def suppressed(db: Database, emails: Iterable[str], phones: Iterable[str]) -> set[str]:
    """Which of the given normalised e-mails and phones belong to a forgotten person whose
    suppression was not lifted: one query per batch of values."""
    if not _any_active(db):
        return set()
    hashed = _hasher(_secret(db))
    by_digest = {hashed(v): v for v in (*emails, *phones) if v}
    return {by_digest[d] for d in _active(db, list(by_digest))}


@lru_cache(maxsize=4)
def _hasher(key: bytes) -> Callable[[str], str]:
    """``digest`` for many values: HMAC-SHA256 (RFC 2104) from its two keyed SHA-256 states,
    computed once and copied for each value; an import asks for every row, and this costs
    a third of ``hmac.new`` a value. Checked against ``hmac`` by the tests."""
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def hashed(value: str) -> str:
        first = inner.copy()
        first.update(value.encode())
        second = outer.copy()
        second.update(first.digest())
        return second.hexdigest()

    return hashed


def _active(db: Database, digests: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(digests), BATCH):
        found |= db.present(
            "suppressions", "digest", digests[start : start + BATCH], where="lifted_at IS NULL"
        )
    return found


def forgotten_on(db: Database, values: Iterable[str]) -> datetime | None:
    """When the person with any of these normalised values was forgotten (the latest), if
    their suppression stands."""
    values = [v for v in values if v]
    if not values or not _any_active(db):
        return None
    digests = [digest(db, v) for v in values]
    names = [f"d{i}" for i in range(len(digests))]
    row = db.one(
        "SELECT MAX(created_at) AS at FROM suppressions WHERE lifted_at IS NULL "
        f"AND digest IN ({placeholders(names)})",
        dict(zip(names, digests, strict=True)),
    )
    return from_epoch(row["at"]) if row else None


def suppress(db: Database, emails: Iterable[str], phones: Iterable[str], now: datetime) -> int:
    """Keep the digests of a person being forgotten; a lifted one is suppressed again."""
    kept = 0
    _secret(db, create=True)
    for kind, values in (("email", emails), ("phone", phones)):
        for value in dict.fromkeys(v for v in values if v):
            db.execute(
                "INSERT INTO suppressions (digest, kind, created_at) VALUES (:d, :k, :at) "
                "ON CONFLICT (digest) DO UPDATE SET created_at = :at, lifted_at = NULL, "
                "lift_reason = NULL",
                {"d": digest(db, value), "k": kind, "at": to_epoch(now)},
            )
            kept += 1
    return kept


@dataclass
class Lifted:
    value: str
    forgotten_at: datetime
    lifted_at: datetime
    reason: str


def lift(db: Database, value: str, reason: str, now: datetime) -> Lifted:
    """Let a forgotten person be added again, said explicitly with a reason (kept with the
    digest as proof). ``value`` is normalised already."""
    if not (reason or "").strip():
        raise UsageError("Say why this person may be added again: add --reason TEXT.")
    if not _any_active(db):
        raise NotFound("No forgotten person has {value!r}; nothing to lift.", value=value)
    key = digest(db, value)
    row = db.one(
        "SELECT created_at FROM suppressions WHERE digest = :d AND lifted_at IS NULL", {"d": key}
    )
    if row is None:
        raise NotFound("No forgotten person has {value!r}; nothing to lift.", value=value)
    db.execute(
        "UPDATE suppressions SET lifted_at = :at, lift_reason = :r WHERE digest = :d",
        {"at": to_epoch(now), "r": reason.strip(), "d": key},
    )
    return Lifted(value, from_epoch(row["created_at"]), now, reason.strip())  # type: ignore[arg-type]
