"""Writing a backup: every speech's record and source into one zip, under the ingest lock."""
from __future__ import annotations

import json
import os
import tempfile
import time
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from ingest.lock import IngestBusy, writer_lock
from ingest.model import Speech, content_hash
from ingest.readers import Limits, read_lines

from .unit import collect as unit_files
from .common import FORMAT, MANIFEST, UPLOADS, VERSION, BackupError, sha256


@dataclass
class BackupReport:
    path: Path
    speeches: int
    paragraphs: int
    reconstructed: list[str]
    bytes: int


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("speechqa")
    except Exception:  # noqa: BLE001 — run from a source tree without an install
        return "unknown"


def _locked(lock_path: Path, wait: float):
    """The ingest lock, waiting up to `wait` seconds for a running ingest or upload to finish."""
    deadline = time.monotonic() + wait
    while True:
        try:
            cm = writer_lock(lock_path)
            cm.__enter__()
            return cm
        except IngestBusy:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.5)


def _is_under(path: Path, folder: Path) -> str | None:
    """`path` relative to `folder` (POSIX), or None when it is not inside it."""
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except (ValueError, OSError):
        return None


def _member_name(name: str) -> str:
    """A file name that is safe as the last part of a zip member name (what restore accepts)."""
    name = "".join("_" if c in '\\/:' or ord(c) < 32 else c for c in name).strip()
    return name if name not in ("", ".", "..") else "source.txt"


def _source_bytes(speech: Speech) -> tuple[bytes, str, bool]:
    """(content, file name, reconstructed): the source file when it still holds the text that was
    ingested, else the stored paragraphs one per line."""
    src = Path(speech.source) if speech.source else None
    name = PurePosixPath(speech.origin or (src.name if src else "") or f"{speech.id}.txt").name
    if src is not None and src.is_file():
        try:
            data = src.read_bytes()
            lines = read_lines(src, limits=Limits(max_bytes=max(len(data), 1)))
            if content_hash("\n".join(ln.text for ln in lines)) == speech.hash:
                return data, src.name, False
        except Exception:  # noqa: BLE001 — unreadable now: fall back to the stored text
            pass
    text = "\n".join(p.text for p in speech.paragraphs) + "\n"
    return text.encode("utf-8"), PurePosixPath(name).stem + ".txt", True


def _write_speech(zf: zipfile.ZipFile, n: int, sp: Speech, uploads: Path, files: dict) -> dict:
    """Write speech number `n`'s record and source into the zip (their sha256 into `files`) and
    return its manifest entry."""
    data, name, rebuilt = _source_bytes(sp)
    record = json.dumps(sp.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")
    rec_name, src_name = f"speeches/{n:04d}.json", f"sources/{n:04d}/{_member_name(name)}"
    for member, blob in ((rec_name, record), (src_name, data)):
        zf.writestr(member, blob)
        files[member] = sha256(blob)
    upload = _is_under(Path(sp.source), uploads) if sp.source else None
    return {
        "id": sp.id, "title": sp.title, "date": sp.date, "speaker": sp.speaker,
        "origin": sp.origin, "source": sp.source, "hash": sp.hash,
        "paragraphs": len(sp.paragraphs), "kind": "upload" if upload else "file",
        "upload_path": upload or "", "record": rec_name, "file": src_name,
        "file_sha256": files[src_name], "reconstructed": rebuilt,
    }


def _write_zip(tmp: str, engine, speeches: list[Speech]) -> tuple[list[dict], int, list[str]]:
    """Write the whole backup of `speeches` to `tmp`; (manifest entries, paragraphs, reconstructed ids)."""
    store = engine.store
    uploads = Path(engine.settings.index) / UPLOADS
    entries, reconstructed, files = [], [], {}
    paragraphs = 0
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for n, sp in enumerate(speeches, start=1):
            entries.append(_write_speech(zf, n, sp, uploads, files))
            paragraphs += len(sp.paragraphs)
            if entries[-1]["reconstructed"]:
                reconstructed.append(sp.id)
        for member, blob in unit_files(engine).items():
            zf.writestr(member, blob)
            files[member] = sha256(blob)
        manifest = {
            "format": FORMAT, "version": VERSION, "speechqa": _version(),
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "store_format": getattr(store, "format", None), "embeddings": engine.settings.embeddings,
            "counts": {"speeches": len(entries), "paragraphs": paragraphs,
                       "reconstructed": len(reconstructed), "files": len(files)},
            "speeches": entries, "files": files,
        }
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return entries, paragraphs, reconstructed


def backup(engine, out: Path, wait: float = 60.0) -> BackupReport:
    """Write a backup of every speech in the engine's store to `out` (atomically)."""
    out = Path(out)
    if out.exists() and not out.is_file():
        raise BackupError(f"{out}: exists and is not a file")
    out.parent.mkdir(parents=True, exist_ok=True)
    store = engine.store
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    os.close(fd)
    try:
        lock = _locked(store.lock_path, wait)
        try:
            store.refresh()  # what is committed now, not what this process saw before
            # the records as the files gave them: metadata edits travel in unit/library.json
            records = getattr(store, "base_speeches", store.speeches)()
            speeches = sorted(records.values(), key=lambda s: s.id)
            entries, paragraphs, reconstructed = _write_zip(tmp, engine, speeches)
        finally:
            lock.__exit__(None, None, None)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return BackupReport(out, len(entries), paragraphs, reconstructed, out.stat().st_size)
