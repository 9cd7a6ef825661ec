"""`speechqa extract FILE [--json]`: what ingest reads from a file — title, date and its basis, speaker,
and every paragraph numbered as citations number it — without opening the index. The same reader and
parse as ingest (ingest.pipeline.load_speech, speeches.toml beside the file included), so §n here is
§n in an answer."""
from __future__ import annotations

import json
from pathlib import Path

from .common import add_common


def add(sub) -> None:
    from ingest.readers import SUPPORTED

    p = sub.add_parser("extract", help=f"show what ingest reads from a file ({' '.join(SUPPORTED)}), index untouched")
    p.add_argument("file", help="the speech file")
    p.add_argument("--json", action="store_true", help="one JSON object: title, date, date_basis, speaker, paragraphs")
    p.add_argument("--max-mb", type=int, help="size limit in MB (default 20, as ingest)")
    add_common(p)  # accepted like every command's; extract reads no index
    p.set_defaults(run=run)


def extracted(path: Path, max_mb: int | None = None) -> dict:
    from ingest.pipeline import load_speech
    from ingest.readers import DEFAULT_MAX_BYTES, Limits

    limits = Limits(max_bytes=max_mb * 1024 * 1024 if max_mb else DEFAULT_MAX_BYTES)
    speech, _ = load_speech(path, limits=limits)  # an unreadable file: IngestError with its reason
    return {"title": speech.title, "date": speech.date or None, "date_basis": speech.date_basis or None,
            "speaker": speech.speaker, "paragraphs": [{"n": p.number, "text": p.text, "heading": p.heading}
                                                       for p in speech.paragraphs]}


def run(args) -> int:
    out = extracted(Path(args.file), args.max_mb)
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return 0
    date = f"{out['date']}（{out['date_basis']}）" if out["date"] else "日期不详"
    print(f"{out['title']}  {date}" + (f"  {out['speaker']}" if out["speaker"] else ""))
    for p in out["paragraphs"]:
        heading = f"  [{p['heading']}]" if p["heading"] and p["heading"] != p["text"] else ""
        print(f"§{p['n']:<3} {p['text']}{heading}")
    print(f"{len(out['paragraphs'])} paragraphs")
    return 0
