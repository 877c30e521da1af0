"""What an import or export tells the person who ran it: a progress bar while it reads (on a
terminal only), then a short summary of what happened to every row."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from warmcall.imports.headers import listed
from warmcall.render import console, escape

if TYPE_CHECKING:
    from warmcall.imports.leads import ImportResult

SHOWN = 20  # rejected lines listed after a --skip-invalid import; --rejects FILE has them all


@contextmanager
def progress(total: int | None, enabled: bool = True) -> Iterator[Callable[[int], None] | None]:
    """A callback told the bytes read so far, drawing a bar on stderr; None (no bar) when
    stderr is not a terminal or the size is unknown (standard input)."""
    if not (enabled and total and sys.stderr.isatty()):
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("Importing"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=console(stderr=True),
        transient=True,
        auto_refresh=False,  # drawn at each batch: no thread running when the importer forks
    )
    with bar:
        task = bar.add_task("import", total=total)
        yield lambda done: bar.update(task, completed=done, refresh=True)


def summary(result: ImportResult, rejects: Path | None = None) -> None:
    """New / updated / skipped / rejected, aligned, each with what it means."""
    from rich.table import Table

    out = console()
    title = "Dry run of" if result.dry_run else "Imported"
    rows = f"{result.rows:,} row{'s' if result.rows != 1 else ''}"
    out.print(f"{title} [bold]{escape(result.source)}[/]: {rows}")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", min_width=5)
    grid.add_column(min_width=9)
    grid.add_column(style="dim")
    kept = f"rows written to {escape(str(rejects))}" if rejects else "invalid rows, not imported"
    for count, label, note in (
        (result.imported, "[green]new[/]" if result.imported else "new", "leads added"),
        (result.updated, "updated", "known leads changed by the file"),
        (result.skipped, "skipped", "already known: same e-mail, or same number and name"),
        (result.rejected, "[red]rejected[/]" if result.rejected else "rejected", kept),
        (result.suppressed, "suppressed", "do-not-call or forgotten people, not brought back"),
    ):
        grid.add_row(f"{count:,}", label, note if count else "")
    out.print(grid)
    if result.skipped_lines:
        lines = ", ".join(str(n) for n in result.skipped_lines)
        more = result.skipped - len(result.skipped_lines)
        out.print(
            f"  [dim]skipped lines:[/] {lines}" + (f" [dim]and {more:,} more[/]" if more else "")
        )
    for error in result.errors[:SHOWN]:
        out.print(f"  [dim]line {error.line}:[/] {escape(error.reason)}")
    if len(result.errors) > SHOWN:
        more = len(result.errors) - SHOWN
        out.print(f"  [dim]… and {more} more{f' (all in {rejects})' if rejects else ''}[/]")
    if result.flagged_phones:
        n = result.flagged_phones
        out.print(
            f"[yellow]{n} phone number{'s' if n != 1 else ''} could not be normalised[/]: "
            "kept as given, marked ? in [bold]warmcall lead list[/]."
        )
    if result.ignored:
        out.print(f"[dim]Columns not used:[/] {escape(listed(result.ignored))}")
    if result.possible_duplicates:
        n = result.possible_duplicates
        out.print(
            f"[yellow]{n} possible duplicate{'s' if n != 1 else ''}[/]: a number shared "
            "with a lead of another name (a switchboard?), imported as a lead of its own:"
        )
        for dup in result.shown_duplicates:
            other = f"#{dup.other_id} " if dup.other_id is not None else ""
            out.print(
                f"  [dim]line {dup.line}:[/] {escape(dup.name)} shares {escape(dup.phone)} "
                f"with {other}{escape(dup.other_name)}"
            )
        if n > len(result.shown_duplicates):
            out.print(f"  [dim]… and {n - len(result.shown_duplicates):,} more[/]")
    if result.dry_run:
        out.print("[dim]Nothing was written (--dry-run).[/]")


def exported(count: int, path: Path) -> None:
    console(stderr=True).print(
        f"Exported {count} lead{'s' if count != 1 else ''} to [bold]{escape(str(path))}[/]."
    )
