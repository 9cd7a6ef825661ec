"""`speechqa tag TAG --only NAME|ROLE,…`: restrict a tag's speeches to these users or roles
(`--only ""` lifts it); without --only, show the tag's speeches and restriction."""
from __future__ import annotations

import json

from .common import add_common, engine_from


def add(sub) -> None:
    p = sub.add_parser("tag", help="restrict a tag to named users or roles, or show it")
    p.add_argument("tag")
    p.add_argument("--only", help="comma-separated user names or roles (admin, editor, reader); '' lifts it")
    add_common(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from ingest.lock import writer_lock
    from admin.library import clean_tags

    engine = engine_from(args)
    lib = engine.library
    if args.only is not None:
        only = clean_tags(args.only)
        with writer_lock(engine.store.lock_path):
            lib.restrict(args.tag, only)
        engine.audit.write("restrict", None, tag=args.tag, only=only)
    speeches = lib.with_tags([args.tag], set(engine.store.speeches()))
    print(json.dumps({"tag": args.tag, "only": lib.only(args.tag), "speeches": speeches}, ensure_ascii=False))
    return 0


def add_tag_flag(p) -> None:
    p.add_argument("--tag", action="append", help="only the speeches with this tag (a collection); repeatable")


def chosen(engine, speeches: list[str] | None, tags: list[str] | None) -> list[str] | None:
    """--speech and --tag as the speech ids to search (None: all)."""
    from .common import UsageError

    if not tags:
        return speeches
    tags = [t.strip() for t in tags if t.strip()]
    ids = engine.scope(None, speeches, tags)
    if not ids:
        raise UsageError(f"no speech has the tag {', '.join(tags)} (see 'speechqa speeches')")
    return ids
