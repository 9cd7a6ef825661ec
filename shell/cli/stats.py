"""`speechqa stats`: how many speeches, paragraphs and chunks the store holds, and each speech's title,
date (ISO; given, stated by the file, or inferred from its body) and speaker. Also the health check:
it exits non-zero with a one-line reason when the index is missing or cannot be read (its speech and
paragraph records, its chunk records, and one nearest-neighbour query on its vectors)."""
from __future__ import annotations

import json
from pathlib import Path

from .common import add_common, settings_from

BASIS_LABEL = {"given": "给定", "stated": "文中所载", "document": "文件属性", "inferred": "推断"}


def add(sub) -> None:
    p = sub.add_parser("stats", help="how many speeches, paragraphs and chunks the store holds "
                                     "(exits 1 when the index is missing or unreadable)")
    p.add_argument("--json", action="store_true")
    add_common(p)
    p.set_defaults(run=run)


def check_index(settings) -> None:
    """An embedded index must already exist: a health check or a backup never creates an empty one."""
    from vectorstore.chroma import StoreError

    if settings.chroma_url:
        return
    path = Path(settings.index)
    if not path.exists():
        raise StoreError(f"no index at {path} (run 'speechqa ingest' first, or pass --index)")
    if not path.is_dir():
        raise StoreError(f"{path} is not an index folder")
    if not (path / "chroma.sqlite3").is_file():
        raise StoreError(f"{path} holds no index (no chroma.sqlite3)")


def speech_row(s) -> dict:
    """One speech for `stats --json`: date ISO or null, date_basis given/stated/document/inferred or null. A date
    an older index kept as speeches.toml wrote it (2023年2月1日) is shown in ISO form."""
    from ingest.header import to_iso

    date = to_iso(s.date) if s.date else ""
    return {"speech": s.id, "title": s.title, "date": date or None,
            "date_basis": (s.date_basis or None) if date else None, "speaker": s.speaker,
            "paragraphs": len(s.paragraphs)}


def read_stats(engine) -> tuple[dict, dict]:
    store = engine.store
    speeches = store.speeches()
    out = {"speeches": len(speeches), "paragraphs": sum(len(s.paragraphs) for s in speeches.values()),
           "chunks": store.chunk_count(),
           "list": [speech_row(s) for s in sorted(speeches.values(), key=lambda s: s.id)]}
    if out["chunks"]:  # the vectors answer a query too (a damaged vector segment fails here)
        store.health()
    return out, speeches


def run(args) -> int:
    from shell.engine import Engine
    from vectorstore.chroma import StoreError

    settings = settings_from(args)
    check_index(settings)
    engine = Engine(settings)
    try:
        out, speeches = read_stats(engine)
    except StoreError:
        raise
    except Exception as e:  # noqa: BLE001 — any failure to read is the reason, on one line
        where = settings.chroma_url or settings.index
        reason = " ".join(str(e).split()) or type(e).__name__
        raise StoreError(f"cannot read the index at {where}: {reason}") from e
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return 0
    for row in out["list"]:
        when = f"  {row['date']}（{BASIS_LABEL[row['date_basis']]}）" if row["date"] else ""
        who = f"  {row['speaker']}" if row["speaker"] else ""
        print(f"{row['speech']}  {row['paragraphs']:3} paragraphs  {row['title']}{when}{who}")
    print(f"{out['speeches']} speeches, {out['paragraphs']} paragraphs, {out['chunks']} chunks")
    return 0
