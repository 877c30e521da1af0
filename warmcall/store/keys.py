"""A store's suppression key, kept outside the store (SPEC §7, issue 20).

The key that hashes forgotten people's e-mails and numbers must not sit beside the
digests: a copy of the database alone would let anyone hash every Spanish mobile number
and read the list back (it took about 8 minutes on one core). It lives in a file of its
own, ``<config dir>/keys/<store id>.key`` (0600, in a 0700 folder; ``WARMCALL_HOME``
moves it with the rest), named by the random ``store_id`` the store keeps in
``store_meta``; or, for a team that shares one PostgreSQL, in ``WARMCALL_SUPPRESSION_KEY``
(64 hexadecimal digits, the same for every member), which wins over the file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from warmcall import places
from warmcall.errors import StoreError

ENV = "WARMCALL_SUPPRESSION_KEY"
SIZE = 32  # bytes: HMAC-SHA256's own block of strength


def new_id() -> str:
    return secrets.token_hex(16)


def new_key() -> bytes:
    return secrets.token_bytes(SIZE)


def path(store_id: str) -> Path:
    return places.config_dir() / "keys" / f"{store_id}.key"


def from_env() -> str | None:
    """The team's key as set in the environment (its text, not yet read), if set."""
    value = os.environ.get(ENV, "").strip()
    return value or None


def parse(text: str) -> bytes | None:
    """A key written as hexadecimal digits, or None if the text is not one."""
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        return None
    return key if len(key) >= 16 else None


def read(store_id: str) -> bytes | None:
    """The key in the store's file, if the file is there (None if it is missing)."""
    try:
        text = path(store_id).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None
    return parse(text) or b""


def write(store_id: str, key: bytes) -> Path:
    """Keep the key in its file, readable by the user alone, written whole or not at all."""
    target = path(store_id)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}")
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(key.hex() + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise StoreError(
            "Cannot write the key for forgotten people to {path}: {reason}; nothing was changed.",
            path=str(target),
            reason=exc.strerror or str(exc),
        ) from None
    return target


def check(key: bytes) -> str:
    """A keyed hash of a fixed text, kept in the store: it tells the store's key from another
    (a 256-bit key cannot be guessed from it) and reveals nothing about anyone."""
    import hashlib
    import hmac

    return hmac.new(key, b"warmcall suppression key check", hashlib.sha256).hexdigest()
