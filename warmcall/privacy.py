"""Files that hold personal data are the user's alone: 0600, in folders we create 0700.

Every file warmcall writes with names, numbers or notes in it (the config file, an export,
the rejected rows of an import, a calendar of calls) is created through here, whatever the
umask, and an existing file written over is made private too. ``-`` is standard output.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> None:
    """``path`` and any missing parents, each one created 0700 (existing ones left alone)."""
    missing = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        try:
            each.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue
        os.chmod(each, FOLDER_MODE)  # mkdir's mode is filtered by the umask


def open_private(path: Path, mode: str = "w", encoding: str | None = "utf-8") -> IO[str]:
    """Open ``path`` for writing text (``w`` or ``a``), created 0600; made 0600 if it existed.

    OSError as ``open`` raises it: the caller says which file in its own sentence.
    """
    if mode not in ("w", "a"):
        raise ValueError(f"open_private writes ('w' or 'a'), not {mode!r}")
    path = Path(path).expanduser()
    private_folder(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if mode == "w" else os.O_APPEND)
    fd = os.open(path, flags, FILE_MODE)
    try:
        if os.path.isfile(path):  # not a device (/dev/stdout) or a pipe
            os.fchmod(fd, FILE_MODE)  # an existing file written over becomes private
        return os.fdopen(fd, mode, newline="", encoding=encoding)
    except BaseException:
        os.close(fd)
        raise


def replace_private(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all (a temp file renamed over it), 0600."""
    target = Path(path).expanduser()
    private_folder(target.parent)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".warmcall-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), FILE_MODE)
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
