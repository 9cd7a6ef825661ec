"""Backup and restore: every speech's source and record in one zip, and an index rebuilt from it.

A backup (`speechqa backup -o FILE`) is a zip holding

    manifest.json           format and version, the speechqa version, when, counts, one entry per speech
                            (id, title, date, speaker, origin, source, hash, paragraphs, kind) and the
                            sha256 of every other file in the zip
    speeches/NNNN.json      the speech record as the store holds it: id, title, date, speaker, source,
                            origin, hash and every paragraph with its heading, heading flag and PDF page
    sources/NNNN/NAME       the file the speech was read from — bundled, ingested or uploaded — byte for
                            byte; when that file is gone or its text has changed since it was ingested,
                            the stored paragraphs one per line instead (`reconstructed` in the manifest),
                            which reproduces the paragraph numbering

It is taken under the store's ingest lock, so no ingest or upload runs while it is read: a backup taken
while the app serves is consistent. It is written to a temp file and renamed into place.

Restore (`speechqa restore FILE --index DIR`) checks the whole file first — a zip, our manifest, a
known format version, no unsafe names (absolute, `..`, backslashes), no file missing, extra or
duplicated, every sha256 matching, every record well formed — and refuses with a one-line reason
otherwise, before touching anything. It then builds a new index in a temp folder beside DIR and renames
it into place; DIR must be missing or empty unless `--force` (the old folder is then kept beside it as
DIR.replaced-TIME). Speeches keep their ids, titles, dates, paragraphs and their numbers, headings and
pages: the records are stored as they were, not re-parsed. Embeddings are recomputed (with the
embedding backend of the restoring settings): a backup stays small and independent of the model version
and backend, at the cost of the model's encode time on restore. Sources come back as files: uploads
under DIR/uploads/ as before; other files keep their original path when the same bytes are there (the
same machine), else they go to DIR/sources/NNNN/NAME and the speech's source points there.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
import time
import zipfile
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from ingest.chunking import chunk_speech
from ingest.lock import IngestBusy, writer_lock
from ingest.model import INTERNAL_PREFIX, Speech, content_hash
from ingest.readers import Limits, read_lines

FORMAT = "speechqa-backup"
VERSION = 1
MANIFEST = "manifest.json"
MAX_MEMBER_BYTES = 512 * 1024 * 1024  # no speech source or record comes near this; a zip bomb does
UPLOADS = "uploads"


class BackupError(ValueError):
    """A backup that cannot be written or read; str() is the one-line reason shown to the user."""


@dataclass
class BackupReport:
    path: Path
    speeches: int
    paragraphs: int
    reconstructed: list[str]
    bytes: int


@dataclass
class RestoreReport:
    index: Path
    speeches: int
    paragraphs: int
    chunks: int
    embedded: int
    replaced: Path | None
    seconds: float


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("speechqa")
    except Exception:  # noqa: BLE001 — run from a source tree without an install
        return "unknown"


# -- backup -------------------------------------------------------------------------------------------

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


def backup(engine, out: Path, wait: float = 60.0) -> BackupReport:
    """Write a backup of every speech in the engine's store to `out` (atomically)."""
    out = Path(out)
    if out.exists() and not out.is_file():
        raise BackupError(f"{out}: exists and is not a file")
    out.parent.mkdir(parents=True, exist_ok=True)
    store = engine.store
    uploads = Path(engine.settings.index) / UPLOADS
    entries, reconstructed, files = [], [], {}
    paragraphs = 0
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    os.close(fd)
    try:
        lock = _locked(store.lock_path, wait)
        try:
            store.refresh()  # what is committed now, not what this process saw before
            speeches = sorted(store.speeches().values(), key=lambda s: s.id)
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for n, sp in enumerate(speeches, start=1):
                    data, name, rebuilt = _source_bytes(sp)
                    record = json.dumps(sp.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")
                    rec_name, src_name = f"speeches/{n:04d}.json", f"sources/{n:04d}/{_member_name(name)}"
                    for member, blob in ((rec_name, record), (src_name, data)):
                        zf.writestr(member, blob)
                        files[member] = _sha256(blob)
                    upload = _is_under(Path(sp.source), uploads) if sp.source else None
                    entries.append({
                        "id": sp.id, "title": sp.title, "date": sp.date, "speaker": sp.speaker,
                        "origin": sp.origin, "source": sp.source, "hash": sp.hash,
                        "paragraphs": len(sp.paragraphs), "kind": "upload" if upload else "file",
                        "upload_path": upload or "", "record": rec_name, "file": src_name,
                        "file_sha256": files[src_name], "reconstructed": rebuilt,
                    })
                    paragraphs += len(sp.paragraphs)
                    if rebuilt:
                        reconstructed.append(sp.id)
                manifest = {
                    "format": FORMAT, "version": VERSION, "speechqa": _version(),
                    "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "store_format": getattr(store, "format", None), "embeddings": engine.settings.embeddings,
                    "counts": {"speeches": len(entries), "paragraphs": paragraphs,
                               "reconstructed": len(reconstructed), "files": len(files)},
                    "speeches": entries, "files": files,
                }
                zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        finally:
            lock.__exit__(None, None, None)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return BackupReport(out, len(entries), paragraphs, reconstructed, out.stat().st_size)


# -- reading and checking a backup --------------------------------------------------------------------

def _safe_member(name: str) -> bool:
    """A relative POSIX name with no way out of the folder it is written into."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    parts = name.split("/")
    return ":" not in parts[0] and all(part not in ("..", ".", "") for part in parts)


def _safe_relative(rel: str) -> bool:
    return _safe_member(rel) and not rel.endswith("/")


@dataclass
class Backup:
    manifest: dict
    records: list[dict]  # speech records, in manifest order
    sources: list[bytes]  # the source file of each, same order


def read_backup(path: Path) -> Backup:
    """The backup's contents, every check passed; BackupError with the reason otherwise."""
    path = Path(path)
    label = path.name
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise BackupError(f"{label}: not a speechqa backup (not a readable zip file: {e})") from None
    with zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        for i in infos:
            if not _safe_member(i.filename) or stat.S_ISLNK(i.external_attr >> 16):
                raise BackupError(f"{label}: refused: unsafe file name in the backup: {i.filename!r}")
            if i.file_size > MAX_MEMBER_BYTES:
                raise BackupError(f"{label}: refused: {i.filename} unpacks to {i.file_size / 1e6:.0f} MB")
        if len(set(names)) != len(names):
            raise BackupError(f"{label}: refused: a file name occurs twice in the backup")
        if MANIFEST not in names:
            raise BackupError(f"{label}: not a speechqa backup (no {MANIFEST})")

        def read(name: str) -> bytes:
            try:
                return zf.read(name)
            except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile) as e:
                raise BackupError(f"{label}: damaged: {name} cannot be read ({e})") from None
            except Exception as e:  # zlib.error and friends
                raise BackupError(f"{label}: damaged: {name} cannot be read ({type(e).__name__})") from None

        try:
            manifest = json.loads(read(MANIFEST).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise BackupError(f"{label}: damaged: {MANIFEST} is not valid JSON ({e})") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(f"{label}: not a speechqa backup (its {MANIFEST} is not one of ours)")
        version = manifest.get("version")
        if not isinstance(version, int) or version < 1:
            raise BackupError(f"{label}: damaged: {MANIFEST} has no valid format version")
        if version > VERSION:
            raise BackupError(f"{label}: written by a newer speechqa (backup format {version}; this one "
                              f"reads up to {VERSION}); upgrade speechqa to restore it")
        files, entries = manifest.get("files"), manifest.get("speeches")
        if not isinstance(files, dict) or not isinstance(entries, list):
            raise BackupError(f"{label}: damaged: {MANIFEST} lacks its file list or speech list")
        extra = sorted(set(names) - set(files) - {MANIFEST})
        missing = sorted(set(files) - set(names))
        if extra:
            raise BackupError(f"{label}: refused: {extra[0]} is not listed in the manifest")
        if missing:
            raise BackupError(f"{label}: damaged: {missing[0]} is listed in the manifest but missing")
        blobs: dict[str, bytes] = {}
        for name, digest in files.items():
            blob = read(name)
            if _sha256(blob) != digest:
                raise BackupError(f"{label}: damaged: {name} does not match its sha256 in the manifest")
            blobs[name] = blob

    records, sources, seen = [], [], set()
    for n, e in enumerate(entries, start=1):
        where = f"{label}: damaged: speech {n} in {MANIFEST}"
        if not isinstance(e, dict) or not all(isinstance(e.get(k), str) for k in ("id", "record", "file")):
            raise BackupError(f"{where} is incomplete")
        if e["record"] not in blobs or e["file"] not in blobs:
            raise BackupError(f"{where} names a file that is not in the backup")
        sid = e["id"]
        if not sid or sid.startswith(INTERNAL_PREFIX) or "/" in sid or sid in seen:
            raise BackupError(f"{where} has an invalid or repeated id {sid!r}")
        seen.add(sid)
        if e.get("upload_path") and not _safe_relative(e["upload_path"]):
            raise BackupError(f"{label}: refused: unsafe upload path {e['upload_path']!r}")
        try:
            rec = json.loads(blobs[e["record"]].decode("utf-8"))
            Speech.from_dict(rec)
            ok = (rec["id"] == sid and isinstance(rec["paragraphs"], list)
                  and len(rec["paragraphs"]) == e.get("paragraphs")
                  and all(isinstance(p, list) and len(p) == 4 and isinstance(p[1], str) for p in rec["paragraphs"]))
        except Exception:  # noqa: BLE001 — any malformed record
            ok = False
        if not ok:
            raise BackupError(f"{label}: damaged: the record of speech {sid!r} ({e['record']}) is malformed")
        records.append(rec)
        sources.append(blobs[e["file"]])
    counts = manifest.get("counts") or {}
    if counts.get("speeches") != len(records) or counts.get("paragraphs") != sum(len(r["paragraphs"]) for r in records):
        raise BackupError(f"{label}: damaged: the counts in {MANIFEST} do not match its speeches")
    return Backup(manifest, records, sources)


# -- restore ------------------------------------------------------------------------------------------

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
    """Rebuild an index at settings.index from a backup; see the module docstring."""
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
                if _sha256(original.read_bytes()) == _sha256(blob):
                    return None
            except OSError:
                pass
        rel = entry["file"]  # sources/NNNN/NAME, checked as a zip member name
    if not _safe_relative(rel):
        raise BackupError(f"refused: unsafe path {rel!r} for speech {entry['id']!r}")
    dest = build / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(blob)
    return rel


def describe(path: Path) -> str:
    """One paragraph about a backup file, for `restore --check`."""
    b = read_backup(path)
    m = b.manifest
    c = m["counts"]
    return (f"{Path(path).name}: speechqa backup format {m['version']} from speechqa {m.get('speechqa', '?')}, "
            f"{m.get('created', '?')}; {c['speeches']} speeches, {c['paragraphs']} paragraphs, "
            f"{c.get('reconstructed', 0)} reconstructed from the store; every sha256 matches")

