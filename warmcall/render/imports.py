"""What an import or export tells the person who ran it: a progress bar while it reads (on a
terminal only), then a short summary of what happened to every row."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from warmcall.imports.headers import listed
from warmcall.render import console, escape, print_json
from warmcall.render.i18n import _, n_, nf, number

if TYPE_CHECKING:
    from warmcall.imports.leads import ImportResult

SHOWN = 20  # rejected lines listed after a --skip-invalid import; --rejects FILE has them all


@contextmanager
def printed_if_rejected(json: bool) -> Iterator[None]:
    """With ``--json``, an import refused for its invalid rows still prints its result (what
    was read, every rejected line) before the error, as ``lead import`` does."""
    from warmcall.imports.pipeline import ImportRejected

    try:
        yield
    except ImportRejected as refused:
        if json:
            print_json(refused.result.as_json())
        raise


@contextmanager
def progress(total: int | None, enabled: bool = True) -> Iterator[Callable[[int], None] | None]:
    """A callback told the bytes read so far, drawing a bar on stderr; None (no bar) when
    stderr is not a terminal or the size is unknown (standard input)."""
    if not (enabled and total and sys.stderr.isatty()):
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn(_("Importing")),
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
    title = _("Dry run of {source}") if result.dry_run else _("Imported {source}")
    rows = nf("{n} row", "{n} rows", result.rows)
    out.print(title.format(source=f"[bold]{escape(result.source)}[/]") + f": {rows}")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", min_width=5)
    grid.add_column(min_width=9)
    grid.add_column(style="dim")
    kept = (
        _("rows written to {path}").format(path=escape(str(rejects)))
        if rejects
        else _("invalid rows, not imported")
    )
    for count, label, colour, note in (
        (result.imported, _("new"), "green", _("leads added")),
        (result.updated, _("updated"), "", _("known leads changed by the file")),
        (
            result.skipped,
            _("skipped"),
            "",
            _("already known: same e-mail, or same number and name"),
        ),
        (
            result.merged,
            _("merged"),
            "",
            _("the same person again, merged into their first row"),
        ),
        (result.rejected, _("rejected"), "red", kept),
        (
            result.suppressed,
            _("suppressed"),
            "",
            _("do-not-call or forgotten people, not brought back"),
        ),
    ):
        shown = f"[{colour}]{label}[/]" if colour and count else label
        grid.add_row(number(count), shown, note if count else "")
    out.print(grid)
    for shown, count, label in (
        (result.skipped_lines, result.skipped, _("skipped lines:")),
        (result.merged_lines, result.merged, _("merged lines:")),
    ):
        if shown:
            lines = ", ".join(str(n) for n in shown)
            more = count - len(shown)
            tail = " [dim]" + nf("and {n} more", "and {n} more", more) + "[/]" if more else ""
            out.print(f"  [dim]{label}[/] {lines}{tail}")
    for error in result.errors[:SHOWN]:
        line = _("line {line}:").format(line=error.line)
        out.print(f"  [dim]{line}[/] {escape(error.words(_))}")
    if len(result.errors) > SHOWN:
        more = len(result.errors) - SHOWN
        tail = nf("… and {n} more", "… and {n} more", more)
        if rejects:
            tail += " " + _("(all in {path})").format(path=escape(str(rejects)))
        out.print(f"  [dim]{tail}[/]")
    for registry, n in sorted(result.listed.items()):
        out.print(
            "[yellow]"
            + n_(
                "{n} new lead's number is on the {registry} do-not-call list",
                "{n} new leads' numbers are on the {registry} do-not-call list",
                n,
            ).format(n=number(n), registry=escape(registry))
            + "[/]: "
            + _("they are not planned while it lists them.")
        )
    if result.flagged_phones:
        n = result.flagged_phones
        head = nf(
            "{n} phone number could not be normalised",
            "{n} phone numbers could not be normalised",
            n,
        )
        out.print(
            f"[yellow]{head}[/]: "
            + n_(
                "kept as given, marked ? in {command}.",
                "kept as given, marked ? in {command}.",
                n,
            ).format(command="[bold]warmcall lead list[/]")
        )
    if result.ignored:
        label = _("Columns not used:")
        out.print(f"[dim]{label}[/] {escape(listed(result.ignored))}")
    if result.possible_duplicates:
        n = result.possible_duplicates
        head = nf("{n} possible duplicate", "{n} possible duplicates", n)
        out.print(
            f"[yellow]{head}[/]: "
            + _(
                "a number shared with a lead of another name (a switchboard?), imported "
                "as a lead of its own:"
            )
        )
        for dup in result.shown_duplicates:
            other = f"#{dup.other_id} " if dup.other_id is not None else ""
            line = _("line {line}:").format(line=dup.line)
            said = _("{name} shares {phone} with {other}").format(
                name=escape(dup.name), phone=escape(dup.phone), other=other + escape(dup.other_name)
            )
            out.print(f"  [dim]{line}[/] {said}")
        if n > len(result.shown_duplicates):
            more = nf("… and {n} more", "… and {n} more", n - len(result.shown_duplicates))
            out.print(f"  [dim]{more}[/]")
    if result.dry_run:
        out.print("[dim]" + _("Nothing was written (--dry-run).") + "[/]")


def exported(count: int, path: Path) -> None:
    said = n_("Exported {n} lead to {path}.", "Exported {n} leads to {path}.", count)
    console(stderr=True).print(said.format(n=number(count), path=f"[bold]{escape(str(path))}[/]"))
