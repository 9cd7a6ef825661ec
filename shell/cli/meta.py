"""`speechqa meta STEM --title … --date … --speaker … --occasion … --tags a,b`: override what the file
says, kept with the index (an empty value clears an override); shown at once everywhere."""
from __future__ import annotations

import json

from .common import UsageError, add_common, engine_from


def add(sub) -> None:
    p = sub.add_parser("meta", help="edit a speech's title, date, speaker, occasion or tags")
    p.add_argument("stem", help="the speech id")
    for name in ("title", "date", "speaker", "occasion"):
        p.add_argument(f"--{name}", help=f"the {name} to show ('' clears the override)")
    p.add_argument("--tags", help="comma-separated tags, replacing the speech's tags ('' removes them)")
    add_common(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from admin.library_ops import LibraryError, set_meta

    values = {k: getattr(args, k) for k in ("title", "date", "speaker", "occasion", "tags")}
    if all(v is None for v in values.values()):
        raise UsageError("nothing to change: give --title, --date, --speaker, --occasion or --tags")
    try:
        entry = set_meta(engine_from(args), args.stem, **values)
    except LibraryError as e:
        raise UsageError(str(e)) from e
    print(json.dumps({"speech": args.stem, **entry}, ensure_ascii=False))
    return 0
