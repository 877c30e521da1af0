"""Suppression after forget (SPEC §7): a forgotten person leaves behind only a keyed hash.

``lead forget`` erases the person and keeps, for each of their normalised e-mail
(lower-cased) and phone numbers (E.164), an HMAC-SHA256 digest keyed by a random secret
kept in the store itself (``store_meta``). Without the secret a digest cannot be matched
against a list of numbers, and nothing else about the person remains: when they were
forgotten is the only other fact. ``lead add`` and imports ask ``suppressed`` and refuse a
match until the user lifts it with a reason (``lift``).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from weakref import WeakKeyDictionary

from warmcall.clock import from_epoch, to_epoch
from warmcall.errors import NotFound, UsageError
from warmcall.store.db import Database, placeholders

SECRET_KEY = "suppression_secret"
BATCH = 512  # digests asked at once: under every SQLite's limit of bound parameters

_keys: WeakKeyDictionary[Database, bytes] = WeakKeyDictionary()


def _secret(db: Database) -> bytes:
    """The store's random key, made on first use (one per store, never leaves it)."""
    if (key := _keys.get(db)) is not None:
        return key
    row = db.one("SELECT value FROM store_meta WHERE key = :k", {"k": SECRET_KEY})
    if row is None:
        db.execute(
            "INSERT INTO store_meta (key, value) VALUES (:k, :v) ON CONFLICT (key) DO NOTHING",
            {"k": SECRET_KEY, "v": secrets.token_hex(32)},
        )
        row = db.one("SELECT value FROM store_meta WHERE key = :k", {"k": SECRET_KEY})
    key = bytes.fromhex(row["value"])  # type: ignore[index]
    _keys[db] = key
    return key


def digest(db: Database, value: str) -> str:
    """The keyed hash of one normalised value (an e-mail lower-cased, a phone in E.164)."""
    return _hasher(_secret(db))(value)


def suppressed(db: Database, emails: Iterable[str], phones: Iterable[str]) -> set[str]:
    """Which of the given normalised e-mails and phones belong to a forgotten person whose
    suppression was not lifted: one query per batch of values."""
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
    digests = [digest(db, v) for v in values if v]
    if not digests:
        return None
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
