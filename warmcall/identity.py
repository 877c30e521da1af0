"""Who is the same person (SPEC §5): the same e-mail, or the same phone with a compatible name.

A phone number alone is not an identity: a clinic's switchboard rings for Mercedes Álvarez
and for Laura Gómez. Two names are compatible when, once folded (case, accents, punctuation
and salutations ignored), one's words all stand in the other (``Laura`` and ``Laura Gómez
Ruiz``, ``Gómez, Laura`` and ``Laura Gómez``), a word standing also for its initial
(``L. Gómez`` and ``Laura Gómez``) as long as one whole word is shared.

The database holds the identity too, so that two imports at once cannot both add a person:
each lead keeps its keys (``email_key``, ``phone_key``: ``keys``), each unique in the table,
and an insert that meets one is skipped (``INSERT … ON CONFLICT DO NOTHING``). The phone key
is the number with the name's words (sorted): the same number under a compatible but
differently written name (``L. Gómez``) is left to the import's own matching. A lead added
with ``--allow-duplicate`` (or kept as one by migration 0020) holds no key.
"""

from __future__ import annotations

import re
from functools import lru_cache

from warmcall.leads import fold

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
SALUTATIONS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "dra", "prof", "sr", "sra", "srta", "dna", "don",
     "dona", "mme", "mlle", "herr", "frau"}
)  # fmt: skip


@lru_cache(maxsize=1024)
def name_words(name: str) -> tuple[str, ...]:
    """The words of a name, folded: ``Dña. María-José Pérez`` → ``maria jose perez``.

    Remembered for the names met lately: an import compares each row sharing a number with
    every lead that has it, and a switchboard's leads come up again and again."""
    words = _WORD.findall(fold(name))
    kept = tuple(w for w in words if w not in SALUTATIONS)
    return kept or tuple(words)


def compatible_names(a: str | None, b: str | None) -> bool:
    """Whether two names may be the same person's (see the module's words)."""
    if not a or not b:
        return True  # a missing name contradicts nothing
    left, right = name_words(a), name_words(b)
    if not left or not right:
        return True
    if left == right:
        return True
    return _covers(left, right) or _covers(right, left)


def _covers(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Every word of ``short`` stands in ``long`` (a word or its initial), one whole word
    shared at least, or else the same initials."""
    if len(short) > len(long):
        return False
    pool = list(long)
    whole = 0
    for word in short:  # whole words first, so an initial does not take a word's place
        if len(word) > 1 and word in pool:
            pool.remove(word)
            whole += 1
    for word in short:
        if len(word) > 1 and word in long and word not in pool:
            continue  # matched whole above
        hit = next((w for w in pool if _initial_of(word, w)), None)
        if hit is None:
            return False
        pool.remove(hit)
    if whole:
        return True
    return [w[0] for w in short] == [w[0] for w in long]


def _initial_of(a: str, b: str) -> bool:
    """``l`` and ``laura``, either way round (two whole words must be equal)."""
    return a == b or (len(a) == 1 and b[0] == a) or (len(b) == 1 and a[0] == b)


def email_key(email: str | None) -> str | None:
    """The e-mail as the table's unique key holds it: lower-cased."""
    return email.strip().lower() if email and email.strip() else None


def phone_key(e164: str | None, name: str | None) -> str | None:
    """The number read (E.164) with the name's words, sorted: ``+34611000001 gomez laura``
    for ``Gómez, Laura`` and ``Laura Gómez`` alike; None without a number read."""
    if not e164:
        return None
    return " ".join((e164, *sorted(name_words(name or ""))))


def keys(email: str | None, e164: str | None, name: str | None) -> tuple[str | None, str | None]:
    """A lead's identity keys (``email_key``, ``phone_key``), as the table holds them."""
    return email_key(email), phone_key(e164, name)
