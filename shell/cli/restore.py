"""`speechqa restore FILE --index DIR`: rebuild an index from a backup (embeddings recomputed)."""
from __future__ import annotations

import sys
from pathlib import Path

from .common import add_common, settings_from


def add(sub) -> None:
    p = sub.add_parser("restore", help="rebuild an index from a backup file (into an empty or new folder)")
    p.add_argument("file", help="a file written by 'speechqa backup'")
    p.add_argument("--force", action="store_true",
                   help="replace a non-empty --index folder (the old one is kept as DIR.replaced-TIME)")
    p.add_argument("--check", action="store_true", help="only check the file and describe it; change nothing")
    add_common(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from shell.backup import describe, restore

    if args.check:
        print(describe(Path(args.file)))
        return 0
    settings = settings_from(args)

    def progress(speech, chunks: int) -> None:
        print(f"restored  {speech.id}  {len(speech.paragraphs)} paragraphs, {chunks} chunks", file=sys.stderr)

    r = restore(Path(args.file), settings, force=args.force, on_speech=progress)
    kept = f"; the previous folder is kept at {r.replaced}" if r.replaced else ""
    print(f"restored {r.speeches} speeches, {r.paragraphs} paragraphs into {r.index} "
          f"({r.chunks} chunks, {r.embedded} embedded with {settings.embeddings}, {r.seconds:.1f} s){kept}")
    return 0
