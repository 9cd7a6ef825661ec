"""`speechqa remove STEM…`: take speeches out of search, answers, digests and study; their files go to
<index>/trash/ until `speechqa remove --empty-trash`."""
from __future__ import annotations

from .common import UsageError, add_common, engine_from


def add(sub) -> None:
    p = sub.add_parser("remove", help="remove speeches (their files move to <index>/trash/)")
    p.add_argument("stems", nargs="*", help="speech ids")
    p.add_argument("--empty-trash", action="store_true", help="delete the files in the trash for good")
    add_common(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from admin.library_ops import LibraryError, empty_trash, remove

    if not args.stems and not args.empty_trash:
        raise UsageError("name the speeches to remove (or --empty-trash)")
    engine = engine_from(args)
    if args.stems:
        try:
            done = remove(engine, args.stems)
        except LibraryError as e:
            raise UsageError(str(e)) from e
        for stem, moved in done:
            print(f"removed   {stem}" + (f"  (file kept in {moved})" if moved else ""))
    if args.empty_trash:
        print(f"trash emptied: {empty_trash(engine)} files deleted")
    return 0
