"""The errors warmcall reports to a user, each with its exit code.

The CLI catches these at one place (``cli.app``) and prints the message as one sentence on
stderr; nothing below the CLI prints or exits.

A message is an English template and the facts that fill it,
``NotFound("No lead matches {ref!r}.", ref=ref)``: ``str()`` is the English sentence (logs,
JSON, tests), and the edge words it in the user's language by translating the template before
filling it (``words``). The templates are extracted into the catalogues like any other
message, so a raise never formats its message itself (``tests/render/test_i18n.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date


class Word(str):
    """A fact that is one of our words, not data (``Word("a number")``): the edge translates
    it with the template, and the catalogue extracts it like one."""


class Plural(tuple[str, str]):
    """One of our words with its plural (``Plural("{count} dial", "{count} dials")``): the
    edge picks the form for a count, and the catalogue extracts both, like ``n_``."""

    def __new__(cls, singular: str, plural: str) -> Plural:
        return super().__new__(cls, (singular, plural))


def as_is(text: str) -> str:
    return text


def english_day(day: date) -> str:
    """A day in a message as English writes it: 18 Nov 2026."""
    return f"{day.day} {day:%b %Y}"


class WarmcallError(Exception):
    """A domain error: the request was understood but cannot be done (exit 1)."""

    exit_code = 1

    def __init__(self, message: str, /, **facts: object) -> None:
        self.template = message
        self.facts = facts
        super().__init__(WarmcallError.words(self) if facts else message)

    def words(
        self, translate: Callable[[str], str] = as_is, day: Callable[[date], str] = english_day
    ) -> str:
        """The sentence with its template and its words translated by ``translate``, its days
        (``date`` facts) written by ``day``, an error it quotes worded the same way, its other
        facts as they are."""
        if not self.facts:
            return translate(self.template)
        facts = {
            k: translate(v)
            if isinstance(v, Word)
            else day(v)
            if isinstance(v, date)
            else v.words(translate, day)
            if isinstance(v, WarmcallError)
            else v
            for k, v in self.facts.items()
        }
        try:
            return translate(self.template).format(**facts)
        except (KeyError, IndexError, ValueError):  # a broken translation: English, not a crash
            return self.words() if translate is not as_is else self.template


class NotFound(WarmcallError):
    """A lead, call or file that the user named does not exist."""


class Ambiguous(WarmcallError):
    """A reference matches more than one lead."""

    def __init__(
        self,
        message: str,
        candidates: list[str],
        ids: list[int] | None = None,
        /,
        **facts: object,
    ) -> None:
        super().__init__(message, **facts)
        self.candidates = candidates
        self.ids = ids or []  # the candidates' lead ids, in the same order


class InvalidData(WarmcallError):
    """A value outside our vocabulary or an unreadable date, number or file."""


class Refused(WarmcallError):
    """The request breaks a rule the tool keeps (calling a do-not-call lead)."""


class UsageError(WarmcallError):
    """The command line is incomplete or contradictory (exit 2)."""

    exit_code = 2


class ConfigError(WarmcallError):
    """The configuration file cannot be read or holds an unknown value."""


class StoreError(WarmcallError):
    """The store cannot be opened, read or written; the same sentence on every engine."""


class StoreMissing(StoreError):
    """A command that only reads named a store that does not exist (it never creates one)."""


class NotAStore(StoreError):
    """The file or database named holds something else: warmcall leaves it untouched."""


class StoreTooNew(StoreError):
    """The store was made by a newer warmcall: its schema revision is unknown to this one."""


class StoreDamaged(StoreError):
    """The store's file is corrupt; the message says how to recover."""


class StoreBusy(StoreError):
    """Another command held the store for longer than a writer waits."""


class StoreCrossed(StoreBusy):
    """Two writers each waited for a row the other held (PostgreSQL's deadlock): the server
    ended this one's transaction, and nothing of it was kept; run again, it finds the other's
    rows (an import does so itself: ``imports.leads.import_leads``)."""


class StoreRefused(StoreError):
    """A write broke one of the store's rules (a required value, a link, a range)."""
