"""Files uploaded through the app: kept under the index folder (so `--prune` knows they still exist)
and ingested like any other file, all under the ingest lock. A rejected upload leaves nothing behind.

An upload's source is its kept copy: `<uploads>/<name>`, or `<uploads>/<content hash>/<name>` when a
different file already has that name. So the same file uploaded again is unchanged, and another file
with the same name is a speech of its own (讲话-2), never a silent replacement.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .lock import writer_lock
from .pipeline import FileReport, OnPage, ingest_locked
from .readers import DEFAULT_MAX_BYTES, Limits

DIGEST_CHARS = 16  # hex digits of the content hash naming a same-name upload's folder
READ_BLOCK = 1 << 20


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(READ_BLOCK):
            h.update(block)
    return h.hexdigest()[:DIGEST_CHARS]


def keep(src: Path, upload_dir: Path) -> tuple[Path, bool]:
    """Where this upload lives (copied there atomically) and whether that copy was already there."""
    digest = file_digest(src)
    spots = (upload_dir / src.name, upload_dir / digest / src.name)
    for spot in spots:
        if spot.is_file() and file_digest(spot) == digest:
            return spot, True
    final = spots[0] if not spots[0].exists() else spots[1]
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=upload_dir, prefix=".incoming-")
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.replace(tmp, final)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return final, False


def discard(path: Path, upload_dir: Path) -> None:
    path.unlink(missing_ok=True)
    if path.parent != upload_dir:
        try:
            path.parent.rmdir()  # the content-hash folder, when empty
        except OSError:
            pass


def save_and_ingest(paths: list[str | Path], store, upload_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES,
                    on_file: Callable[[FileReport], None] | None = None,
                    limits: Limits | None = None, on_page: OnPage | None = None) -> list[FileReport]:
    """Keep and ingest each upload, one report per file, in order. The whole batch (copying, ingest,
    cleaning up) holds the ingest lock; raises IngestBusy when another ingest holds it."""
    limits = limits or Limits(max_bytes=max_bytes)
    upload_dir.mkdir(parents=True, exist_ok=True)
    reports: list[FileReport] = []
    with writer_lock(store.lock_path):
        for src in map(Path, paths):
            if not src.is_file() or src.stat().st_size > limits.max_bytes:
                (report,) = ingest_locked([src], store, limits=limits)  # rejected with the usual reason
                kept, existed = None, True
            else:
                kept, existed = keep(src, upload_dir)
                try:
                    (report,) = ingest_locked([kept], store, limits=limits, on_page=on_page)
                except BaseException:
                    if not existed:
                        discard(kept, upload_dir)
                    raise
            if kept is not None and not existed and report.status in ("rejected", "duplicate"):
                discard(kept, upload_dir)
            report.path = src.name
            reports.append(report)
            if on_file:
                on_file(report)
    return reports
