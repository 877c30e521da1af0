"""At a real 80-column terminal (a pseudo-terminal), the sentences on stderr — a rule's
warning, an error — wrap between words instead of being cut mid-word by the screen; piped,
each stays one line a script can grep."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

ROBINSON = (
    "Warning: es-b2c requires the robinson list, no older than 30 days, and none is loaded: "
    "load it with warmcall registry import FILE --name robinson --as-of DATE."
)
FUTURE = (
    "A call cannot be logged in the future (2099-12-01 10:00 is after now); give --at the "
    "moment it happened."
)


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARMCALL_")}
    env.update(WARMCALL_HOME=str(tmp_path), TZ="Europe/Madrid", TERM="xterm", NO_COLOR="1")
    env.pop("COLUMNS", None)
    return env


def _at_terminal(tmp_path: Path, *args: str) -> tuple[list[str], int]:
    child = pexpect.spawn(
        sys.executable, ["-m", "warmcall", *args], env=_env(tmp_path), encoding="utf-8",
        timeout=60, dimensions=(40, 80),
    )  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    shown = re.sub(r"\x1b\[[0-9;]*m", "", child.before)  # NO_COLOR keeps bold and dim
    return shown.replace("\r\n", "\n").splitlines(), child.exitstatus


def _piped(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "warmcall", *args],
        env=_env(tmp_path), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def _sentence(lines: list[str], first: str) -> str:
    """The sentence that starts at the line beginning with ``first``, its lines rejoined."""
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    said = [lines[start]]
    for line in lines[start + 1 :]:
        if said[-1].endswith("."):
            break
        said.append(line)
    return " ".join(line.strip() for line in said)


@pytest.fixture
def consumer(tmp_path: Path) -> Path:
    """A consumer in Spain: the es-b2c profile wants the Robinson list, and none is loaded."""
    added = _piped(
        tmp_path, "lead", "add", "Marta Soler", "--phone", "+34 644 221 908", "--segment",
        "consumer", "--consent", "opt-in", "--timezone", "Europe/Madrid", "--at",
        "2026-12-01 09:00",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    return tmp_path


def test_a_warning_wraps_between_words_at_80_columns(consumer: Path):
    lines, code = _at_terminal(consumer, "next", "--at", "2026-12-09 07:50")
    assert code == 0
    assert all(len(line) <= 80 for line in lines), [x for x in lines if len(x) > 80]
    assert _sentence(lines, "Warning:") == ROBINSON  # no word cut: rejoined by spaces


def test_a_warning_stays_one_line_in_a_pipe(consumer: Path):
    done = _piped(consumer, "next", "--at", "2026-12-09 07:50")
    assert ROBINSON in done.stderr.splitlines()


def test_an_error_wraps_between_words_at_80_columns(consumer: Path):
    lines, code = _at_terminal(
        consumer, "call", "log", "marta", "-o", "na", "--at", "2099-12-01 10:00"
    )
    assert code == 1
    assert all(len(line) <= 80 for line in lines), [x for x in lines if len(x) > 80]
    assert _sentence(lines, "A call cannot") == FUTURE
    piped = _piped(consumer, "call", "log", "marta", "-o", "na", "--at", "2099-12-01 10:00")
    assert FUTURE in piped.stderr.splitlines()
