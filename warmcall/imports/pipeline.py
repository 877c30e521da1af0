"""What every import shares once its rows are read: the rejected rows (kept, listed with a
cap, written to ``--rejects``), the all-or-nothing rule, and the result's common shape.

``lead import`` and ``call import`` say only what differs: how a row becomes a lead or a
call, and what a duplicate is.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from warmcall.errors import InvalidData

SHOWN_REJECTS = 100  # rejected lines kept and listed; --rejects FILE has them all


@dataclass
class Rejected:
    line: int
    reason: str


@dataclass
class Tally:
    """The counts every import reports, and its rejected lines (the first ones)."""

    rows: int = 0
    imported: int = 0
    rejected: int = 0
    errors: list[Rejected] = field(default_factory=list)  # the first SHOWN_REJECTS
    dry_run: bool = False
    written: bool = False  # the transaction was committed

    def note_rejected(self, line: int, reason: str) -> None:
        self.rejected += 1
        if len(self.errors) < SHOWN_REJECTS:
            self.errors.append(Rejected(line, reason))

    def rejected_lines(self, rejects: Path | str | None = None) -> list[str]:
        """The rejected lines for a message, capped, then how many more and where."""
        lines = [f"  line {e.line}: {e.reason}" for e in self.errors]
        more = self.rejected - len(self.errors)
        if more > 0:
            where = f" (all in {rejects})" if rejects else " (--rejects FILE lists them all)"
            lines.append(f"  … and {more:,} more{where}")
        elif rejects:
            lines.append(f"  (also written to {rejects})")
        return lines


class ImportRejected(InvalidData):
    """An atomic import met invalid rows: nothing was written; the lines are listed. The
    result travels with it, for ``--json``."""

    def __init__(self, message: str, result: Any = None) -> None:
        super().__init__(message)
        self.result = result


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
    """``--rejects FILE`` opened for writing, private (it holds personal data: SPEC §5)."""
    if path is None:
        yield None
        return
    from warmcall.privacy import open_private

    try:
        fh = open_private(path)  # 0600, and an existing file's mode tightened too
    except OSError as exc:
        raise InvalidData(
            "Cannot write {path}: {value}.", path=path, value=exc.strerror or exc
        ) from None
    with fh:
        yield fh


class Rollback(Exception):
    """Leaves an import's transaction without committing (dry run, rejected file)."""
