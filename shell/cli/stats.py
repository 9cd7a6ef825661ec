"""`speechqa stats`: how many speeches, paragraphs and chunks the store holds."""
from __future__ import annotations

import json

from .common import add_common, engine_from


def add(sub) -> None:
    p = sub.add_parser("stats", help="how many speeches, paragraphs and chunks the store holds")
    p.add_argument("--json", action="store_true")
    add_common(p)
    p.set_defaults(run=run)


def run(args) -> int:
    engine = engine_from(args)
    speeches = engine.store.speeches()
    out = {"speeches": len(speeches), "paragraphs": sum(len(s.paragraphs) for s in speeches.values()),
           "chunks": engine.store.chunk_count()}
    if args.json:
        print(json.dumps(out))
        return 0
    for s in sorted(speeches.values(), key=lambda s: s.id):
        print(f"{s.id}  {len(s.paragraphs):3} paragraphs  {s.title}")
    print(f"{out['speeches']} speeches, {out['paragraphs']} paragraphs, {out['chunks']} chunks")
    return 0
