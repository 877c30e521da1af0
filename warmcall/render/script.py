"""A call script on the terminal: section titles, short lines, the key facts stand out.

Template lines carry light marks (see ``templates/*/script.j2``): ``> `` something to say,
``- `` a step, ``$ `` a command to copy, ``**text**`` a key fact. Here they become a margin
mark and a style, so the script still reads well without colour (``NO_COLOR``, a pipe).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from warmcall.clock import iso
from warmcall.render import console, escape, visible
from warmcall.scripts import EMPHASIS, Script, literal, plain

if TYPE_CHECKING:
    from rich.console import Console

# mark → (margin glyph, line style)
KINDS = {
    "> ": ("›", "italic"),
    "- ": ("·", ""),
    "$ ": ("$", "green"),
}


def as_json(script: Script, zone: ZoneInfo, with_email: bool) -> dict[str, Any]:
    """The pinned JSON shape; times in the user's zone with their offset."""
    return {
        "lead_id": script.lead_id,
        "situation": {
            "name": script.situation,
            "because": [
                {"fact": f.fact, "value": f.value, "call_id": f.call_id, "at": iso(f.at, zone)}
                for f in script.because
            ],
        },
        "prepared_for": iso(script.prepared_for, zone),
        "sections": [
            {"title": literal(s.title), "lines": [plain(line) for line in s.lines]}
            for s in script.sections
        ],
        "slots": [{"start": iso(s.start, zone), "end": iso(s.end, zone)} for s in script.slots],
        "email": script.email if with_email else None,
    }


def email(script: Script) -> None:
    """Plain text, ready to paste into a mail client."""
    sys.stdout.write(visible(script.email or ""))


def script(script: Script) -> None:
    out = console()
    out.print(f"[bold]{escape(script.title)}[/]")
    for each in script.sections:
        out.print()
        section(out, each.title, each.lines)


def section(out: Console, title: str, lines: list[str]) -> None:
    """One section: its title on a rule, then its lines (the calling session shows a few)."""
    from rich.text import Text

    out.rule(f"[bold]{escape(literal(title))}[/]", align="left", style="cyan")
    for line in lines:
        glyph, style, text = _kind(line)
        if glyph == "$":  # a command, broken between its words with `\`: it pastes whole
            for i, part in enumerate(_command_lines(literal(text), out.width - 3)):
                out.print(f" [dim]{'$' if i == 0 else ' '}[/] [{style}]{escape(part)}[/]")
            continue
        body = Text.from_markup(_markup(text), style=style)
        # Wrapped lines hang under the text, not under the margin mark.
        for i, part in enumerate(body.wrap(out, max(out.width - 3, 20))):
            part.rstrip()
            out.print(Text.assemble(" ", (glyph if i == 0 else " ", "dim"), " ", part))


def _kind(line: str) -> tuple[str, str, str]:
    for mark, (glyph, style) in KINDS.items():
        if line.startswith(mark):
            return glyph, style, line[len(mark) :]
    return " ", "", line


def _markup(text: str) -> str:
    """Rich markup for a line: its text escaped, its ``**key facts**`` in bold."""
    return literal(EMPHASIS.sub(r"[bold]\1[/bold]", escape(text)))


def _command_lines(command: str, width: int) -> list[str]:
    """A shell command in lines of at most ``width`` (a word longer than that has its own),
    each ending with `` \\`` but the last, the next ones indented: a shell reads them as one.
    A command that fits, or does not parse as shell words, stays on one line."""
    import shlex

    if len(command) <= width:
        return [command]
    try:
        quoted = [shlex.quote(w) for w in shlex.split(command)]
    except ValueError:
        return [command]
    words: list[str] = []
    for word in quoted:  # an option keeps its value on its line
        if words and words[-1].startswith("-") and " " not in words[-1] and word[:1] != "-":
            words[-1] += " " + word
        else:
            words.append(word)
    lines = [words[0]]
    for word in words[1:]:
        if len(lines[-1]) + 1 + len(word) + 2 <= width:
            lines[-1] += " " + word
        else:
            lines.append("  " + word)
    return [line + " \\" for line in lines[:-1]] + [lines[-1]]
