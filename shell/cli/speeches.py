"""`speechqa speeches [--json]`: the library — each speech's title, date (and whether it was given or
inferred), speaker, paragraphs, tags and the file it came from."""
from __future__ import annotations

import json

from .common import add_common, engine_from


def add(sub) -> None:
    p = sub.add_parser("speeches", help="list the speeches: title, date, speaker, paragraphs, tags, file")
    p.add_argument("--json", action="store_true", help="one JSON array")
    add_common(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from admin.library_ops import speech_rows

    rows = speech_rows(engine_from(args))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for r in rows:
        date = r["date"] + ("（推断）" if r["date_basis"] == "inferred" else "") if r["date"] else "日期不详"
        tags = f"  [{', '.join(r['tags'])}]" if r["tags"] else ""
        print(f"{r['speech']}  《{r['title']}》  {date}  {r['speaker'] or '-'}  {r['paragraphs']} paragraphs"
              f"  {r['origin']}{tags}")
    print(f"{len(rows)} speeches")
    return 0
