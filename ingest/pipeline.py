"""Files → speeches → chunks → store, diffed against what the store already holds.

A speech's identity is its source: the resolved path it was read from (an upload's is its kept copy).
Its id is the file stem while no other source holds that stem; a later same-named file gets a suffix
(讲话-2), so same-named files from different folders are kept apart and a speech is updated only when
its own source changed. Re-ingesting unchanged files embeds nothing; a renamed file keeps its paragraphs
without duplicates; `prune` removes speeches whose files are gone.
"""
from __future__ import annotations

import logging
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .chunking import chunk_speech
from .lock import writer_lock
from .model import INTERNAL_PREFIX, Chunk, Speech
from .readers import DEFAULT_MAX_BYTES, SUPPORTED, IngestError, Limits, read_document
from .structure import Document, parse_speech

META_FILE = "speeches.toml"
FALLBACK_ID = "speech"  # for a file whose stem is nothing but the internal prefix
log = logging.getLogger("speechqa")


@dataclass
class FileReport:
    path: str
    speech: str
    status: str  # added | updated | renamed | unchanged | duplicate | rejected | pruned
    reason: str = ""
    paragraphs: int = 0
    chunks: int = 0
    embedded: int = 0


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Directories become their supported files (sorted); files are kept as given, even unsupported
    ones, so that they are reported rather than silently skipped."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUPPORTED))
        else:
            out.append(p)
    return list(dict.fromkeys(out))


def load_meta(folder: Path) -> dict:
    f = folder / META_FILE
    if not f.exists():
        return {}
    try:
        return tomllib.loads(f.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise IngestError(f"{f}: invalid TOML ({e})") from e


def speech_id_for(stem: str, taken: set[str]) -> str:
    """The stem, unless another source holds it (then stem-2, stem-3…); never an internal record id."""
    base = stem.lstrip(INTERNAL_PREFIX) or FALLBACK_ID
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def build_speech(path: Path, doc: Document, meta: dict, speech_id: str) -> tuple[Speech, list[Chunk]]:
    speech = parse_speech(speech_id, doc, source=str(path.resolve()), meta=meta)
    return speech, chunk_speech(speech.paragraphs)


def load_speech(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, meta: dict | None = None, *,
                speech_id: str | None = None, limits: Limits | None = None) -> tuple[Speech, list[Chunk]]:
    doc = read_file(path, limits or Limits(max_bytes=max_bytes))
    if meta is None:
        meta = load_meta(path.parent).get(path.stem, {})
    return build_speech(path, doc, meta, speech_id or path.stem)


OnPage = Callable[[Path, int, int], None]  # (file, pages done, pages to do) while a scan is OCR'd


def ingest_paths(paths: Iterable[str | Path], store, *, prune: bool = False, max_bytes: int = DEFAULT_MAX_BYTES,
                 on_file: Callable[[FileReport], None] | None = None, progress=None,
                 limits: Limits | None = None, on_page: OnPage | None = None) -> list[FileReport]:
    """Ingest files into the store; returns one report per file (and per pruned speech).
    Raises IngestBusy when another ingest is writing to the same store."""
    with writer_lock(store.lock_path):
        return ingest_locked(expand(paths), store, prune=prune, limits=limits or Limits(max_bytes=max_bytes),
                             on_file=on_file, progress=progress, on_page=on_page)


@dataclass
class _Known:
    """What the store holds, kept current through the batch."""
    by_source: dict[str, Speech]
    by_hash: dict[str, Speech]
    taken: set[str]
    seen: set[str] = field(default_factory=set)  # sources already handled in this batch

    def add(self, speech: Speech) -> None:
        self.by_source[speech.source] = self.by_hash[speech.hash] = speech
        self.taken.add(speech.id)

    def drop(self, speech: Speech) -> None:
        self.by_source.pop(speech.source, None)
        if self.by_hash.get(speech.hash) is speech:
            del self.by_hash[speech.hash]
        self.taken.discard(speech.id)


def ingest_locked(files: list[Path], store, *, prune: bool = False, limits: Limits | None = None,
                  on_file: Callable[[FileReport], None] | None = None, progress=None,
                  on_page: OnPage | None = None) -> list[FileReport]:
    """`ingest_paths` for a caller that already holds the store's writer lock (uploads)."""
    store.sweep()
    known = store.speeches()
    state = _Known({s.source: s for s in known.values()}, {s.hash: s for s in known.values()}, set(known))
    reports: list[FileReport] = []
    for path in (progress(files) if progress else files):
        r = _ingest_one(Path(path), store, state, limits or Limits(), on_page)
        reports.append(r)
        if on_file:
            on_file(r)
    if prune:
        for s in list(store.speeches().values()):
            if not Path(s.source).exists():
                store.remove_speech(s.id)
                r = FileReport(s.source, s.id, "pruned", "its file is gone")
                reports.append(r)
                if on_file:
                    on_file(r)
    return reports


def read_file(path: Path, limits: Limits, progress=None) -> Document:
    """The file's document, or IngestError with the reason: one bad file never stops a batch, and every
    caller (ingest, replace, extract) gives the same one-line reason."""
    try:
        return read_document(path, limits, progress)
    except IngestError:
        raise
    except Exception as e:  # noqa: BLE001 — an unexpected reader failure rejects this file only
        log.exception("reading %s failed", path)
        raise IngestError(f"{path.name}: cannot read the file ({type(e).__name__})") from e


def _read(path: Path, limits: Limits, on_page: OnPage | None = None) -> tuple[Document, dict]:
    progress = (lambda done, total: on_page(path, done, total)) if on_page else None
    return read_file(path, limits, progress), load_meta(path.parent).get(path.stem, {})


def _record(s: Speech) -> tuple:
    """What the speech record holds besides the text."""
    return s.title, s.date, s.date_basis, s.speaker, s.origin


def _ingest_one(path: Path, store, known: _Known, limits: Limits, on_page: OnPage | None = None) -> FileReport:
    source = str(path.resolve())
    if source in known.seen:
        return FileReport(str(path), path.stem, "duplicate", "listed twice in this batch")
    known.seen.add(source)
    old = known.by_source.get(source)
    try:
        doc, meta = _read(path, limits, on_page)
    except IngestError as e:
        return FileReport(str(path), old.id if old else path.stem, "rejected", str(e))
    speech, chunks = build_speech(path, doc, meta, old.id if old else speech_id_for(path.stem, known.taken))
    base = FileReport(str(path), speech.id, "", paragraphs=len(speech.paragraphs), chunks=len(chunks))
    twin = known.by_hash.get(speech.hash)
    if old is not None:
        if old.hash != speech.hash:
            base.embedded = store.put_speech(speech, chunks)
            base.status = "updated"
        else:
            if _record(old) != _record(speech):
                store.put_speech(speech, chunks)  # new metadata: refresh the record only
            base.status = "unchanged"
        known.drop(old)
    elif twin is not None and Path(twin.source).exists():
        base.status, base.reason = "duplicate", f"same text as '{twin.id}' ({twin.origin}); not indexed twice"
        return base
    elif twin is not None:  # its old file is gone: renamed or moved, keeping its paragraphs
        sid = speech_id_for(path.stem, known.taken - {twin.id})
        if sid != speech.id:
            speech, chunks = build_speech(path, doc, meta, sid)
            base.speech = sid
        base.embedded = store.put_speech(speech, chunks)
        if twin.id != speech.id:
            store.remove_speech(twin.id)
            base.status, base.reason = "renamed", f"was '{twin.id}'"
        else:
            base.status = "unchanged"  # the same file in another folder
        known.drop(twin)
    else:
        base.embedded = store.put_speech(speech, chunks)
        base.status = "added"
    known.add(speech)
    return base
