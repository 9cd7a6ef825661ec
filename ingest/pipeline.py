"""Files → speeches → chunks → store, diffed against what the store already holds.

Re-ingesting unchanged files embeds nothing; a changed file replaces its old chunks; a renamed file keeps
its paragraphs without duplicates; `prune` removes speeches whose files are gone.
"""
from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .chunking import chunk_speech
from .lock import writer_lock
from .model import Chunk, Speech
from .readers import DEFAULT_MAX_BYTES, SUPPORTED, IngestError, read_lines
from .structure import parse_speech

META_FILE = "speeches.toml"


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


def load_speech(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, meta: dict | None = None) -> tuple[Speech, list[Chunk]]:
    lines = read_lines(path, max_bytes)
    if meta is None:
        meta = load_meta(path.parent).get(path.stem, {})
    speech = parse_speech(path.stem, lines, source=str(path.resolve()), meta=meta)
    return speech, chunk_speech(speech.paragraphs)


def ingest_paths(paths: Iterable[str | Path], store, *, prune: bool = False, max_bytes: int = DEFAULT_MAX_BYTES,
                 on_file: Callable[[FileReport], None] | None = None, progress=None) -> list[FileReport]:
    """Ingest files into the store; returns one report per file (and per pruned speech).
    Raises IngestBusy when another ingest is writing to the same store."""
    with writer_lock(store.lock_path):
        return _ingest(expand(paths), store, prune, max_bytes, on_file, progress)


def _ingest(files: list[Path], store, prune: bool, max_bytes: int, on_file, progress) -> list[FileReport]:
    store.sweep()
    known = store.speeches()
    by_hash = {s.hash: s for s in known.values()}
    reports: list[FileReport] = []
    seen_ids: set[str] = set()

    def report(r: FileReport) -> None:
        reports.append(r)
        if on_file:
            on_file(r)

    for path in (progress(files) if progress else files):
        try:
            speech, chunks = load_speech(path, max_bytes)
        except IngestError as e:
            report(FileReport(str(path), path.stem, "rejected", str(e)))
            continue
        base = FileReport(str(path), speech.id, "", paragraphs=len(speech.paragraphs), chunks=len(chunks))
        if speech.id in seen_ids:
            base.status, base.reason = "rejected", f"another file in this batch is also named '{speech.id}'"
            report(base)
            continue
        seen_ids.add(speech.id)
        old = known.get(speech.id)
        twin = by_hash.get(speech.hash)
        if old is not None and old.hash == speech.hash:
            if old.source != speech.source or old.title != speech.title:
                store.put_speech(speech, chunks)  # moved folder or new metadata: refresh the record only
            base.status = "unchanged"
        elif twin is not None and twin.id != speech.id and Path(twin.source).exists():
            base.status, base.reason = "duplicate", f"same text as '{twin.id}' ({twin.source}); not indexed twice"
        else:
            base.embedded = store.put_speech(speech, chunks)
            if twin is not None and twin.id != speech.id:  # its old file is gone: a rename
                store.remove_speech(twin.id)
                base.status, base.reason = "renamed", f"was '{twin.id}'"
            else:
                base.status = "updated" if old is not None else "added"
            by_hash[speech.hash] = speech
        report(base)

    if prune:
        for s in list(store.speeches().values()):
            if not Path(s.source).exists():
                store.remove_speech(s.id)
                report(FileReport(s.source, s.id, "pruned", "its file is gone"))
    return reports
