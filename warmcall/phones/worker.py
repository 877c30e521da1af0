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
        """The import is done: the worker is told to stop, and waited for (a moment: it has
        no batch left). Left to stop on its own, Python 3.11 may find the pool's wake-up pipe
        already closed as the importer exits, and print "Exception ignored … Bad file
        descriptor" on stderr after a good import."""
        self.queue.clear()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

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
            max_workers=1,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_detach,
            initargs=(os.getpid(),),
        )
    except (OSError, ValueError):
        return None


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _detach(parent: int) -> None:
    """In the worker, first thing after the fork: it lives only as long as the importer.

    Whatever ends the importer (Ctrl-C is the importer's to handle; kill -9 too), the kernel
    kills the worker with it (PR_SET_PDEATHSIG), and a parent gone before that was set is
    seen at once (getppid). The worker also lets go of what is not its own: the caller's
    terminal or pipe on stdin/stdout/stderr (``$(warmcall lead import …)`` ends with the
    importer), the importer's ends of the pipes between them, the store and the file being
    read; it keeps only its two pipes to the importer.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    if os.getppid() != parent:  # the importer was gone before the kernel could watch it
        os._exit(0)
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        if null > 2:
            os.close(null)
    keep = _own_fds()
    if keep is None:
        return
    for fd in _open_fds():
        if fd > 2 and fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)


def _die_with_parent() -> None:
    """Ask Linux to send SIGKILL to this process when its parent exits."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _own_fds() -> set[int] | None:
    """The descriptors the worker needs: the end of the task pipe it reads, the end of the
    result pipe it writes, and multiprocessing's two sentinels (how each side sees the other
    end); None when they cannot be found, and then nothing else is closed."""
    import multiprocessing

    keep: set[int] = set()
    try:
        args = multiprocessing.current_process()._args  # type: ignore[attr-defined]
        tasks, results = args[0], args[1]
        keep.add(tasks._reader.fileno())
        keep.add(results._writer.fileno())
        frame = sys._getframe()
        while frame is not None and frame.f_code.co_name != "_launch":
            frame = frame.f_back  # type: ignore[assignment]
        if frame is None:
            return None
        keep.add(int(frame.f_locals["child_w"]))
        keep.add(int(frame.f_locals["child_r"]))
        # Their other ends are the importer's: without them, a lost importer is an EOF here.
        for pipe_end in (tasks._writer, results._reader):
            with contextlib.suppress(OSError):
                pipe_end.close()
    except (AttributeError, IndexError, KeyError, OSError, TypeError, ValueError):
        return None
    return keep


def _open_fds() -> list[int]:
    try:
        return [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return []
