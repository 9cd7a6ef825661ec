"""Restoring a backup: a new index built in a temp folder beside the target and renamed into place."""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.chunking import chunk_speech
from ingest.lock import writer_lock
from ingest.model import Speech

from .unit import place as place_unit_files
from .check import read_backup
from .common import UPLOADS, BackupError, safe_relative, sha256


@dataclass
class RestoreReport:
    index: Path
    speeches: int
    paragraphs: int
    chunks: int
    embedded: int
    replaced: Path | None
    seconds: float


def _is_empty_dir(path: Path) -> bool:
    return path.is_dir() and not any(path.iterdir())


def _close(engine) -> None:
    """Release the temp index's Chroma system so the folder can be renamed and reopened cleanly."""
    close = getattr(engine.store.client, "close", None)
    if close:
        try:
            close()
        except Exception:  # noqa: BLE001
            pass


def restore(path: Path, settings, force: bool = False, on_speech=None) -> RestoreReport:
    """Rebuild an index at settings.index from a backup; see the shell.backup package docstring."""
    from shell.engine import Engine

    t0 = time.monotonic()
    if settings.chroma_url:
        raise BackupError("restore builds an embedded index folder (--index); it does not write to a "
                          "Chroma server: restore into a folder, then point a server at it")
    data = read_backup(path)  # every check before anything is touched
    target = Path(settings.index).absolute()
    if target.exists() and not target.is_dir():
        raise BackupError(f"{target}: exists and is not a folder")
    if target.exists() and not _is_empty_dir(target) and not force:
        raise BackupError(f"{target} is not empty: restore into an empty or new folder, or add --force "
                          "to replace it (the old folder is kept beside it)")
    target.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.restore-"))
    umask = os.umask(0)
    os.umask(umask)
    build.chmod(0o777 & ~umask)  # a folder like any other, not mkdtemp's private 0700
    replaced: Path | None = None
    try:
        engine = Engine(replace(settings, index=str(build)))
        store = engine.store
        chunks_total = embedded = 0
        with writer_lock(store.lock_path):
            for entry, rec, blob in zip(data.manifest["speeches"], data.records, data.sources):
                rel = _place_source(entry, blob, build)
                speech = Speech.from_dict({**rec, "source": str(target / rel) if rel else entry["source"]})
                chunks = chunk_speech(speech.paragraphs)
                embedded += store.put_speech(speech, chunks)
                chunks_total += len(chunks)
                if on_speech:
                    on_speech(speech, len(chunks))
        place_unit_files(data.unit, build)
        store.refresh()
        got = store.speeches()
        want = {r["id"]: len(r["paragraphs"]) for r in data.records}
        if {k: len(v.paragraphs) for k, v in got.items()} != want:
            raise BackupError("restore did not reproduce the backup's speeches; nothing was changed")
        _close(engine)
        if target.exists():
            with writer_lock(target / "ingest.lock") if not _is_empty_dir(target) else nullcontext():
                if _is_empty_dir(target):
                    target.rmdir()
                else:
                    replaced = target.with_name(f"{target.name}.replaced-{time.strftime('%Y%m%d-%H%M%S')}")
                    target.rename(replaced)
                build.rename(target)
        else:
            build.rename(target)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return RestoreReport(target, len(data.records), sum(want.values()), chunks_total, embedded, replaced,
                         time.monotonic() - t0)


def _place_source(entry: dict, blob: bytes, build: Path) -> str | None:
    """Write a speech's source file into the new index and return its path relative to the index, or
    None when its original path already holds exactly these bytes (restoring on the same machine)."""
    if entry.get("kind") == "upload" and entry.get("upload_path"):
        rel = f"{UPLOADS}/{entry['upload_path']}"
    else:
        original = Path(entry.get("source") or "")
        if entry.get("source") and original.is_file() and not entry.get("reconstructed"):
            try:
                if sha256(original.read_bytes()) == sha256(blob):
                    return None
            except OSError:
                pass
        rel = entry["file"]  # sources/NNNN/NAME, checked as a zip member name
    if not safe_relative(rel):
        raise BackupError(f"refused: unsafe path {rel!r} for speech {entry['id']!r}")
    dest = build / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(blob)
    return rel
