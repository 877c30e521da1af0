"""Tables that fit the terminal: which columns show, how wide each is, how long a cell may be.

A table never cuts what a person reads to act: a name, a status, a header. Columns are
chosen by width instead, most needed first: each column asks for the width of its widest
cell, and a column that may wrap (a name, a company) for the width of its longest word, so a
word is never broken. What does not fit whole is left for another view (``lead show``).
Data that is absurdly long for a table (a 500-digit "phone", a paragraph pasted into a name)
is shown up to a bound and ended with an ellipsis: the one cut made by design.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table

# The most a table cell shows of a text that wraps (a name, a company, a source): longer
# than any real one, and a few lines at most in its column.
TEXT_CELL = 80
# The most a cell that does not wrap (a phone, a window) shows: an international number with
# its spaces is about 20 characters.
LINE_CELL = 24
GAP = 2  # between two columns: padding (0, 1), no padding at the table's edges


def bounded(text: str, limit: int = TEXT_CELL) -> str:
    """``text`` as a table cell shows it: whole up to ``limit`` characters, else cut there
    with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class Column:
    """A column as the fitting sees it: its header, its cells (plain text, as shown), whether
    it may wrap, and rich's column options."""

    key: str
    header: str
    cells: list[str]
    wraps: bool = False
    justify: str = "left"
    style: str = ""

    @property
    def natural(self) -> int:
        """The width that shows every cell on one line."""
        return max([_width(self.header), *(_width(c) for c in self.cells)])

    @property
    def least(self) -> int:
        """The narrowest width that cuts nothing: the longest word of a column that wraps
        (a "word" longer than any real one folds)."""
        if not self.wraps:
            return self.natural
        words = [w for c in self.cells for line in c.splitlines() for w in line.split()]
        return max([_width(self.header), *(min(_width(w), LINE_CELL) for w in words)])


def fit(columns: list[Column], needed: set[str], width: int) -> dict[str, int]:
    """The columns to show, in their order, with their widths: every ``needed`` one, then
    each other in the order given while its narrowest width still fits; the room left is
    shared out among the columns that wrap, evenly, up to their natural width."""
    chosen = [c for c in columns if c.key in needed]
    for column in columns:
        if column.key in needed:
            continue
        trial = [*chosen, column]
        if sum(c.least for c in trial) + GAP * (len(trial) - 1) <= width:
            chosen = trial
    widths = {c.key: c.least for c in chosen}
    room = width - sum(widths.values()) - GAP * (len(chosen) - 1)
    growing = [c for c in chosen if widths[c.key] < c.natural]
    while room > 0 and growing:  # a column at a time, so none takes all the room
        for column in growing:
            if room > 0 and widths[column.key] < column.natural:
                widths[column.key] += 1
                room -= 1
        growing = [c for c in growing if widths[c.key] < c.natural]
    return {c.key: widths[c.key] for c in columns if c.key in widths}


def table(columns: list[Column], widths: dict[str, int], cells: list[dict[str, str]]) -> Table:
    """A rich table of the fitted ``columns``; ``cells`` are the rows' marked-up cells."""
    from rich.table import Table

    grid = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 1))
    shown = [c for c in columns if c.key in widths]
    for column in shown:
        grid.add_column(
            column.header,
            width=widths[column.key],
            justify=column.justify,  # type: ignore[arg-type]
            style=column.style,
            no_wrap=not column.wraps,
            overflow="fold",
        )
    for row in cells:
        grid.add_row(*(row[c.key] for c in shown))
    return grid


def _width(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)
