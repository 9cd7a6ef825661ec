"""Changing the library: list, edit metadata, remove (to `<index>/trash/`), replace with a new file.
Every change holds the ingest lock and goes through the store's crash-safe write (Store.put_speech,
Store.remove_speech); each is written to the audit log with the user who made it."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from ingest.lock import writer_lock
from ingest.pipeline import load_speech
from ingest.readers import Limits
from ingest.uploads import keep

from .library import FIELDS

TRASH = "trash"


class LibraryError(ValueError):
    """A change that cannot be made; str() is the reason shown to the user."""


def speech_rows(engine) -> list[dict]:
    """One row per speech the caller may see: what `speechqa speeches` and GET /api/speeches list."""
    from digest.dates import infer_date

    lib = engine.library
    rows = []
    for s in sorted(engine.store.speeches().values(), key=lambda s: s.id):
        d = infer_date(s)
        rows.append({"speech": s.id, "title": s.title, "date": d.label,
                     "date_basis": "unknown" if not d.label else "inferred" if d.inferred else "given",
                     "speaker": s.speaker, "occasion": lib.entry(s.id).get("occasion", ""),
                     "paragraphs": len(s.paragraphs), "tags": lib.tags_of(s.id), "origin": s.origin})
    return rows


def _known(engine, stem: str):
    sp = engine.store.speeches().get(stem)
    if sp is None:
        raise LibraryError(f"unknown speech: {stem}")
    return sp


def set_meta(engine, stem: str, user: str | None = None, **values) -> dict:
    with writer_lock(engine.store.lock_path):
        _known(engine, stem)
        changed = {k: v for k, v in values.items() if v is not None and (k in FIELDS or k == "tags")}
        entry = engine.library.set_meta(stem, **changed)
    engine.audit.write("edit", user, speech=stem, fields=changed)
    return entry


def trash_dir(engine) -> Path:
    return Path(engine.settings.index) / TRASH


def _to_trash(engine, source: str, stem: str) -> str | None:
    """Move a speech's file into the trash (kept until emptied); None when it is gone already."""
    src = Path(source)
    if not src.is_file():
        return None
    spot = trash_dir(engine) / f"{time.strftime('%Y%m%d-%H%M%S')}-{stem}" / src.name
    spot.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(src), spot)
    return str(spot)


def remove(engine, stems: list[str], user: str | None = None) -> list[tuple[str, str | None]]:
    """Remove speeches from the store; their files go to the trash. Returns (stem, trash path)."""
    out = []
    with writer_lock(engine.store.lock_path):
        store = engine.store
        store.sweep()
        for stem in stems:
            _known(engine, stem)
        for stem in stems:
            sp = store.speeches()[stem]
            store.remove_speech(stem)  # the commit point: invisible from here
            moved = _to_trash(engine, sp.source, stem)
            engine.library.forget(stem)
            out.append((stem, moved))
    for stem, moved in out:
        engine.audit.write("delete", user, speech=stem, trash=moved)
    return out


def empty_trash(engine, user: str | None = None) -> int:
    folder = trash_dir(engine)
    count = sum(1 for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0
    if folder.is_dir():
        shutil.rmtree(folder)
    engine.audit.write("empty-trash", user, files=count)
    return count


def replace_file(engine, stem: str, path: str | Path, user: str | None = None):
    """The speech's text from a new file: same id, paragraphs numbered from the new file. The new file
    is kept under <index>/uploads/; the old one goes to the trash."""
    path = Path(path)
    settings = engine.settings
    limits = Limits(max_bytes=settings.max_upload_bytes)
    if not path.is_file():
        raise LibraryError(f"no such file: {path}")
    with writer_lock(engine.store.lock_path):
        store = engine.store
        store.sweep()
        old = _known(engine, stem)
        kept, existed = keep(path, Path(settings.index) / "uploads")
        other = next((s for s in store.speeches().values() if s.source == str(kept.resolve()) and s.id != stem), None)
        if other is not None:
            raise LibraryError(f"that file is already the speech '{other.id}'")
        try:
            speech, chunks = load_speech(kept, meta={}, speech_id=stem, limits=limits)
        except Exception:
            if not existed:
                kept.unlink(missing_ok=True)
            raise
        if speech.origin != path.name:
            speech.origin = path.name
        store.put_speech(speech, chunks)  # the commit point; the old version's records go after it
        moved = _to_trash(engine, old.source, stem) if old.source != speech.source else None
    engine.audit.write("replace", user, speech=stem, file=path.name, paragraphs=len(speech.paragraphs),
                       trash=moved)
    return speech
