"""A file's phone numbers, read a batch at a time: in a second process when the file is long.

Reading a number (libphonenumber's parse, its E.164 form, its zone) is the largest single cost
of an import, and it depends on nothing else in the row. So while the importer reads and
checks the next batch of rows, a worker process reads the phone numbers of the batch before,
and the two use both cores of the machine. A short file (one batch) never starts the worker:
a process costs more than it saves there. Where processes cannot be forked cheaply and safely
(only Linux forks here), or the machine has one core, every batch is read in this process.

Either way the answers are the same: the worker runs the same ``read_all``. A batch whose
worker fails is read again here, so a failing worker slows an import and changes nothing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING

from warmcall import phones

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

Answer = tuple[str | None, str | None, str | None]  # (e164, flag, zone), as in ``phones.Phone``

REMEMBERED = 2_048  # numbers remembered by their text (a few hundred KB): a switchboard repeats
_seen: dict[tuple[str | None, str | None], Answer] = {}  # by (text, region): this process's


def read_all(raws: Sequence[str | None], region: str | None) -> list[Answer]:
    """``phones.read`` of each number, a number met lately answered from memory."""
    answers: list[Answer] = []
    for raw in raws:
        found = _seen.get((raw, region))
        if found is None:
            e164, flag, zone = phones.read(raw, region)
            found = (e164, flag, zone)  # a plain tuple: the least to send between processes
            if len(_seen) >= REMEMBERED:
                _seen.clear()  # the numbers met lately are the ones met again
            _seen[(raw, region)] = found
        answers.append(found)
    return answers


def can_fork() -> bool:
    """A worker helps only with a second core, and is only forked where forking is safe."""
    return sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1


class PhoneBatches:
    """Batches of numbers in, their answers out in the same order (first in, first out).

    ``submit`` starts reading a batch, ``result`` waits for the oldest one not yet collected.
    The worker starts at the second batch, where it can.
    """

    def __init__(self, region: str | None) -> None:
        self.region = region
        self.background = can_fork()
        self.pool: ProcessPoolExecutor | None = None
        self.queue: deque[tuple[Sequence[str | None], Future[list[Answer]] | None]] = deque()
        self.submitted = 0

    def submit(self, raws: Sequence[str | None]) -> None:
        if not any(raws):  # a file without numbers never needs the worker
            self.queue.append((raws, None))
            return
        self.submitted += 1
        if self.background and self.pool is None and self.submitted > 1:
            self.pool = _start()
            self.background = self.pool is not None
        job = None
        if self.pool is not None:
            try:
                job = self.pool.submit(read_all, raws, self.region)
            except (RuntimeError, OSError):  # the worker died, or could not be forked
                self._stop()
                self.background = False
        self.queue.append((raws, job))

    def result(self) -> list[Answer]:
        raws, job = self.queue.popleft()
        if job is not None:
            try:
                return job.result()
            except Exception:  # noqa: BLE001 - a lost worker: read the batch here instead
                pass
        return read_all(raws, self.region)

    def close(self) -> None:
        self.queue.clear()
        self._stop()

    def _stop(self) -> None:
        """No more work for the worker; batches it was given and did not finish are read here
        by ``result``."""
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None


def _start() -> ProcessPoolExecutor | None:
    """One forked worker, or None if it cannot be started."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    for stream in (sys.stdout, sys.stderr):  # what is buffered now must not be written twice
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    try:
        return ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("fork"), initializer=_quiet
        )
    except (OSError, ValueError):
        return None


def _quiet() -> None:
    """Ctrl-C is the importer's to handle: the worker stops when the importer closes it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
