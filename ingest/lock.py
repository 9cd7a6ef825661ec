"""One writer at a time: an exclusive file lock around every ingest into the same store."""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path


class IngestBusy(RuntimeError):
    """Another ingest holds the lock; str() is the reason shown to the user."""


@contextmanager
def writer_lock(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise IngestBusy(f"another ingest is running on this index (pid {holder}); "
                             "try again when it has finished") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock, also when the process is killed
