"""One way to write a file: every file option (``lead export -o``, ``--rejects``, ``next
--ics``, ``config init``) writes through ``written``.

Before anything is read or written, the target is refused (one sentence, exit 1) when it is
a file the command reads (the same file, through any path, link or hard link), the store or
one of its companions (``-wal``, ``-shm``, ``-journal``), not a regular file (a device such
as ``/dev/null``, a directory, a FIFO), or a symbolic link: warmcall never writes through a
link; name the file it points to. The data then goes to a private (0600) temporary file
beside the target, which replaces the target only once it is complete and on disk. Any
failure on the way (a full disk, a damaged store, Ctrl-C) leaves an earlier file as it was
and no temporary file behind.

Its own module rather than ``privacy.py``: privacy says *who* may read a file (0600 in
folders made 0700) and this module uses it; what *may* be written, and how a file is
replaced whole, is a concept of its own that the commands, the imports and the calendar
share.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from warmcall.errors import Refused
from warmcall.privacy import FILE_MODE, private_folder

STORE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def check(target: Path | str, inputs: Iterable[Path | str] = (), store: Path | None = None) -> Path:
    """``target`` if warmcall may write it; Refused otherwise. ``inputs`` are the files the
    command reads (``-``, standard input, is none); ``store`` is the SQLite store's file."""
    path = Path(target).expanduser()
    if path.is_symlink():
        raise Refused("{path} is a symbolic link; name the file it points to instead.", path=target)
    try:
        found: os.stat_result | None = path.stat()
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise cannot_write(target, exc) from None
    if found is not None and not stat.S_ISREG(found.st_mode):
        raise Refused("{path} is not a regular file; name a file to write.", path=target)
    for each in inputs:
        if str(each) != "-" and _same(path, found, Path(each).expanduser()):
            raise Refused("{path} is the file being read; write to another file.", path=target)
    if store is not None:
        for suffix in STORE_COMPANIONS:
            if _same(path, found, Path(f"{store}{suffix}").expanduser()):
                raise Refused("{path} is part of the warmcall store; write to another file.",
                              path=target)  # fmt: skip
    return path


def _same(path: Path, found: os.stat_result | None, other: Path) -> bool:
    """The same file: the same inode when both exist, else the same resolved path."""
    try:
        theirs = other.stat()
    except OSError:
        theirs = None
    if found is not None and theirs is not None:
        return (found.st_dev, found.st_ino) == (theirs.st_dev, theirs.st_ino)
    return os.path.realpath(path) == os.path.realpath(other)


def cannot_write(path: Path | str, exc: OSError) -> Refused:
    return Refused("Cannot write {path}: {value}.", path=path, value=exc.strerror or exc)


class _Out:
    """The temporary file as the writer sees it: a failed write names the target."""

    def __init__(self, fh: IO[Any], target: Path | str) -> None:
        self._fh = fh
        self._target = target

    def write(self, data: Any) -> int:
        try:
            return self._fh.write(data)
        except OSError as exc:
            raise cannot_write(self._target, exc) from None

    def flush(self) -> None:
        try:
            self._fh.flush()
        except OSError as exc:
            raise cannot_write(self._target, exc) from None


@contextmanager
def written(
    target: Path | str,
    inputs: Iterable[Path | str] = (),
    store: Path | None = None,
    *,
    binary: bool = False,
    complete_on: tuple[type[BaseException], ...] = (),
) -> Iterator[IO[Any]]:
    """A handle on a private temporary file beside ``target``, renamed over it when the block
    ends; an exception discards it, unless it is one of ``complete_on`` (an import whose
    rejected rows are the file's whole point)."""
    path = check(target, inputs, store)
    try:
        private_folder(path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise cannot_write(target, exc) from None
    try:
        os.fchmod(fd, FILE_MODE)  # mkstemp's 0600 already; said, whatever the platform
        text = {} if binary else {"newline": "", "encoding": "utf-8"}
        fh = os.fdopen(fd, "wb" if binary else "w", **text)
    except BaseException:
        os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        try:
            yield _Out(fh, target)  # type: ignore[misc]
        except complete_on:
            _finish(fh, tmp, path, target)
            raise
        _finish(fh, tmp, path, target)
    except BaseException:
        _discard(fh, tmp)
        raise
    fh.close()


def _discard(fh: IO[Any], tmp: str) -> None:
    """The temporary file gone; what its buffer still held (a full disk) is dropped, not
    written again over the error that brought us here."""
    with suppress(OSError):  # the descriptor is closed all the same
        fh.close()
    Path(tmp).unlink(missing_ok=True)


def _finish(fh: IO[Any], tmp: str, path: Path, target: Path | str) -> None:
    try:
        fh.flush()
        os.fsync(fh.fileno())
        check(target)  # still not a link, a directory or a device put there meanwhile
        os.replace(tmp, path)
    except OSError as exc:
        raise cannot_write(target, exc) from None


def write_bytes(
    target: Path | str, data: bytes, inputs: Iterable[Path | str] = (), store: Path | None = None
) -> None:
    """``data`` as the whole of ``target``, or nothing at all."""
    with written(target, inputs, store, binary=True) as fh:
        fh.write(data)
