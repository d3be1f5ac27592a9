"""Writing a file made in memory with three system calls: ``os.open``, ``os.writev``, ``os.close``
(``write_chunks``); appending to a file kept open with one (``write_all``).

A build writes thousands of small files (each report's CSV, JSON, workbook and attachments) whose
bytes are already in memory. ``open(path, "wb")`` adds a ``FileIO`` and a ``BufferedWriter`` and two
more system calls per file (``fstat`` for the buffer size, ``ioctl`` to ask whether it is a terminal);
``write_chunks`` writes the same bytes, with the same flags and mode, without them.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence

FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_IOV_MAX = 1024  # what POSIX systems take at least in one writev


def write_chunks(path: str, chunks: Sequence[bytes]) -> int:
    """Write ``chunks`` one after the other as the file ``path`` (created or truncated, mode 0o666 less the
    umask, as ``open(path, "wb")``): its size. An ``OSError`` as ``open`` and ``write`` raise it."""
    fd = os.open(path, FLAGS, 0o666)
    try:
        return write_all(fd, chunks)
    finally:
        os.close(fd)


def write_all(fd: int, chunks: Sequence[bytes]) -> int:
    """Write ``chunks`` one after the other at the file descriptor's position, in one system call when
    it takes them whole (``write``, or ``writev`` for several): how many bytes. An ``OSError`` as ``write``
    raises it."""
    size = sum(map(len, chunks))
    if len(chunks) == 1:
        written = os.write(fd, chunks[0])
    elif hasattr(os, "writev") and len(chunks) <= _IOV_MAX:
        written = os.writev(fd, chunks)
    else:
        written = 0
    if written < size:  # a short write (a signal, a full disk…), or no writev: the rest chunk by chunk
        _write_rest(fd, chunks, written)
    return size


def _write_rest(fd: int, chunks: Sequence[bytes], done: int) -> None:
    """Write what is left of ``chunks`` after the first ``done`` bytes (``os.write`` until all is written)."""
    for chunk in chunks:
        if done >= len(chunk):
            done -= len(chunk)
            continue
        view = memoryview(chunk)[done:]
        done = 0
        while view:
            written = os.write(fd, view)
            if not written:  # nothing taken and no error: said as the disk being full rather than a loop
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            view = view[written:]
