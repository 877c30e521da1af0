"""Files that hold personal data are the user's alone: 0600, in folders we create 0700.

Every file warmcall writes with names, numbers or notes in it (the config file, an export,
the rejected rows of an import, a calendar of calls) is written by ``files.written``: a
temporary file made 0600 whatever the umask, in folders made here, renamed over the target.
"""

from __future__ import annotations

import os
from pathlib import Path

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
