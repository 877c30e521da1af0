"""What every import shares once its rows are read: the rejected rows (kept, listed with a
cap, written to ``--rejects``), the all-or-nothing rule, and the result's common shape.

``lead import`` and ``call import`` share it (and the header's reading: ``headers``,
``synonyms``), and say only what differs: how a row becomes a lead or a
call, and what a duplicate is.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from warmcall.errors import InvalidData, WarmcallError, Word, as_is, english_day

if TYPE_CHECKING:
    from warmcall.store.db import Database

SHOWN_REJECTS = 100  # rejected lines kept and listed; --rejects FILE has them all


@dataclass
class Rejected:
    line: int
    reason: str  # in English, as --json and --rejects FILE carry it
    # what it was, to word it in the user's language (two rejections with one reason are equal)
    error: WarmcallError | None = field(default=None, compare=False)

    def words(self, translate: Callable[[str], str] = as_is) -> str:
        return self.error.words(translate) if self.error else translate(self.reason)


@dataclass
class Tally:
    """The counts every import reports, and its rejected lines (the first ones)."""

    source: str = ""  # the file's name ("-": standard input)
    encoding: str = ""
    delimiter: str = ","
    rows: int = 0
    imported: int = 0
    rejected: int = 0
    errors: list[Rejected] = field(default_factory=list)  # the first SHOWN_REJECTS
    dry_run: bool = False
    written: bool = False  # the transaction was committed
    columns: dict[str, str] = field(default_factory=dict)  # column → field, in file order

    def as_json(self) -> dict[str, Any]:
        """The keys every import's ``--json`` carries, with one meaning (README); each
        import adds its own after them."""
        return {
            "source": self.source,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "rows": self.rows,
            "imported": self.imported,
            "rejected": self.rejected,
            "rejects": [{"line": e.line, "reason": e.reason} for e in self.errors],
            "dry_run": self.dry_run,
            "written": self.written,
            "columns": self.columns,
        }

    def note_rejected(self, line: int, reason: str | WarmcallError) -> None:
        self.rejected += 1
        if len(self.errors) < SHOWN_REJECTS:
            error = reason if isinstance(reason, WarmcallError) else None
            self.errors.append(Rejected(line, str(reason), error))

    def rejected_lines(
        self, rejects: Path | str | None = None, translate: Callable[[str], str] = as_is
    ) -> list[str]:
        """The rejected lines for a message, capped, then how many more and where."""
        line = translate(Word("line {line}: {reason}"))
        lines = ["  " + line.format(line=e.line, reason=e.words(translate)) for e in self.errors]
        more = self.rejected - len(self.errors)
        if more > 0:
            where = (
                translate(Word("all in {path}")).format(path=rejects)
                if rejects
                else translate(Word("--rejects FILE lists them all"))
            )
            said = translate(Word("… and {more} more ({where})"))
            lines.append("  " + said.format(more=f"{more:,}", where=where))
        elif rejects:
            lines.append("  " + translate(Word("(also written to {path})")).format(path=rejects))
        return lines


class ImportRejected(InvalidData):
    """An atomic import met invalid rows: nothing was written; the lines are listed after
    the message's first line. The result travels with it, for ``--json``."""

    def __init__(
        self, head: str, result: Tally, rejects: Path | str | None = None, /, **facts: object
    ) -> None:
        super().__init__(head, **facts)
        self.result = result
        self.rejects = rejects

    def words(
        self, translate: Callable[[str], str] = as_is, day: Callable[[date], str] = english_day
    ) -> str:
        head = super().words(translate, day)
        return "\n".join([head, *self.result.rejected_lines(self.rejects, translate)])

    def __str__(self) -> str:
        return self.words()


class RejectsWriter:
    """The rejected rows as they came, with their line and reason first (``--rejects``)."""

    def __init__(self, out: IO[str] | None, columns: Sequence[str]) -> None:
        self.writer = csv.writer(out) if out is not None else None
        if self.writer is not None:
            self.writer.writerow(["line", "reason", *columns])

    def write(self, line: int, cells: list[str], reason: str) -> None:
        if self.writer is not None:
            self.writer.writerow([line, reason, *cells])


@contextmanager
def rejects_file(path: Path | None) -> Iterator[IO[str] | None]:
    """``--rejects FILE``: private (it holds personal data: SPEC §5), written whole when the
    import ends, an atomic import refused for its rejected rows included; an import that
    fails otherwise leaves an earlier file as it was. The command has checked ``path``
    against its input and the store (``files.check``) before reading anything."""
    if path is None:
        yield None
        return
    from warmcall.files import written

    with written(path, complete_on=(ImportRejected,)) as fh:
        yield fh


class Rollback(Exception):
    """Leaves an import's transaction without committing (dry run, rejected file)."""


@contextmanager
def all_or_nothing(
    db: Database, result: Tally, skip_invalid: bool, exclusive: bool = True
) -> Iterator[None]:
    """Every import's one transaction: committed when the body ends, unless it is a dry run
    or a row was rejected without ``skip_invalid`` (then nothing is written); ``written``
    says which. The caller then raises ``ImportRejected`` for the rejected rows.
    ``exclusive=False``: the import takes no lock on the whole store (``Database.transaction``);
    the store's unique keys settle what another writer adds at the same time."""
    try:
        with db.transaction(exclusive):
            yield
            if result.dry_run or (result.rejected and not skip_invalid):
                raise Rollback
            result.written = True
    except Rollback:
        pass
