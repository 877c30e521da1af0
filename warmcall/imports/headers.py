"""Reading a file's header: where it is (below any title lines) and what its columns say
once the decorations other tools add are taken off (``Customer e-mail*``, ``Phone
(required)``, ``Email:``, ``" Name "``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from warmcall.errors import InvalidData, UsageError, Word
from warmcall.imports.source import HEADER_SEARCH, Broken, Record
from warmcall.imports.synonyms import header_key

_DECORATION = re.compile(
    r"\((?:required|mandatory|optional|obligatorio|obligatoria|opcional|requis|obligatoire"
    r"|facultatif)\)|\*+",
    re.IGNORECASE,
)
SHOWN_COLUMNS = 12  # columns named in a message; the rest counted
SHOWN_CHARS = 40  # characters of a column's name in a message
MOST_COLUMNS = 10_000  # wider than any export: a file that is not a table


def undecorated(column: str) -> str:
    """The column's name without the marks of a required field, a trailing colon, the
    spaces and quotes around it: ``"Customer e-mail*"`` → ``Customer e-mail``."""
    text = _DECORATION.sub(" ", column.replace("\ufeff", ""))
    return text.strip().strip("\"'").strip().rstrip(":").strip()


def parse_map(pairs: Iterable[str], fields: Sequence[str], kind: Word) -> dict[str, str]:
    """``--map COLUMN=FIELD`` options, for every import: the column as typed → its field,
    one of ``fields`` (``kind`` names them: a lead field). The last ``=`` splits, so that a
    column's name may hold one; a malformed pair or an unknown field is a UsageError."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, target = pair.rpartition("=")
        target = target.strip().lower().replace("-", "_")
        if not sep or not column.strip():
            raise UsageError("--map takes COLUMN=FIELD, not {pair!r}.", pair=pair)
        if target not in fields:
            raise UsageError(
                "--map {pair!r}: {target!r} is not a {kind} (one of {items}).",
                pair=pair,
                target=target,
                kind=kind,
                items=", ".join(fields),
            )
        mapping[column.strip()] = target
    return mapping


def mapped_column(columns: Sequence[str], column: str) -> int | None:
    """Which of a header's ``columns`` a ``--map`` names: the same name once undecorated,
    else the same once case, accents and punctuation are set aside (``cuando`` for
    ``Cuándo``); None when none is."""
    name = undecorated(column)
    for i, c in enumerate(columns):
        if undecorated(c) == name:
            return i
    key = header_key(column)
    return next((i for i, c in enumerate(columns) if header_key(c) == key), None)


def listed(columns: list[str]) -> str:
    """Column names for a message, capped: the first dozen, each cut short, then a count."""
    names = [c for c in columns if c.strip()]
    shown = [
        repr(c if len(c) <= SHOWN_CHARS else c[: SHOWN_CHARS - 1] + "…")
        for c in names[:SHOWN_COLUMNS]
    ]
    more = len(names) - len(shown)
    return ", ".join(shown) + (f" and {more:,} more" if more > 0 else "")


def locate(
    records: Iterator[Record],
    is_header: Callable[[list[str]], bool],
    fallback: Callable[[list[str]], bool],
    name: str,
) -> tuple[int, list[str], list[Record]]:
    """``(line, columns, records read past it)``: the first of the top records that
    ``is_header``, else the first ``fallback`` accepts, else the first. A broken line is
    never the header; below it, it stays among the records, to be reported (the lines above
    the header are a title or notes)."""
    seen: list[Record] = []
    for record in records:
        seen.append(record)
        if len(seen) >= HEADER_SEARCH:
            break
    rows = [(i, r) for i, r in enumerate(seen) if not isinstance(r, Broken)]
    if not rows:
        if seen:
            first = seen[0]
            assert isinstance(first, Broken)
            raise InvalidData(
                "{name} line {line}: {reason}.", name=name, line=first.line, reason=first.reason
            )
        raise InvalidData("{name} is empty: there is no header to read.", name=name)
    at = next((i for i, (_, cells) in rows if is_header(cells)), None)
    if at is None:
        at = next((i for i, (_, cells) in rows if fallback(cells)), rows[0][0])
    line, columns = seen[at]  # type: ignore[misc]
    if len(columns) > MOST_COLUMNS:
        raise InvalidData(
            "{name} line {line} has {count:,} columns, more than any export has "
            "({most:,}); it is not a table to import.",
            name=name,
            line=line,
            count=len(columns),
            most=MOST_COLUMNS,
        )
    return line, columns, seen[at + 1 :]
