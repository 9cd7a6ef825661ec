"""`speechqa replace STEM FILE`: the speech's text from a new file; the id stays, the paragraphs are
numbered from the new file (citations of the old text no longer verify)."""
from __future__ import annotations

from .common import UsageError, add_common, engine_from


def add(sub) -> None:
    p = sub.add_parser("replace", help="replace a speech's file, keeping its id")
    p.add_argument("stem", help="the speech id")
    p.add_argument("file", help="the new file (any format ingest reads)")
    add_common(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from ingest.readers import IngestError
    from admin.library_ops import LibraryError, replace_file

    try:
        speech = replace_file(engine_from(args), args.stem, args.file)
    except (LibraryError, IngestError) as e:
        raise UsageError(str(e)) from e
    print(f"replaced  {speech.id}  {len(speech.paragraphs)} paragraphs  ({speech.origin})")
    return 0
