"""At a real terminal (a pseudo-terminal), missing values are asked instead of refused."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")


def spawn(tmp_path: Path, *args: str) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARMCALL_")}
    env.update(WARMCALL_HOME=str(tmp_path), TZ="Europe/Madrid", TERM="xterm", NO_COLOR="1")
    # prompt_toolkit would wait for the cursor-position reply pexpect never sends.
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    return pexpect.spawn(
        sys.executable,
        ["-m", "warmcall", *args],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 100),
    )


def test_lead_add_asks_for_the_name(tmp_path: Path):
    child = spawn(tmp_path, "lead", "add", "--company", "Innova")
    child.expect("Name of the person")
    child.sendline("Ana Martínez")
    child.expect("Innova")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_forget_asks_for_confirmation(tmp_path: Path):
    add = spawn(tmp_path, "lead", "add", "Ana")
    add.expect(pexpect.EOF)
    child = spawn(tmp_path, "lead", "forget", "ana")
    child.expect("Erase Ana")
    child.sendline("n")
    child.expect("Nothing erased")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1  # nothing erased
