"""`speechqa compare`: how each speech treats a topic, in date order: excerpts, 新提法, aligned diffs."""
from __future__ import annotations

import json

from .digest import add_topic_flags, check_topic_args, open_collector, write_text


def add(sub) -> None:
    p = sub.add_parser("compare", help="compare the speeches on a topic over time (对比)")
    add_topic_flags(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from digest import export
    from digest.compare import compare

    topic = check_topic_args(args)
    result = compare(open_collector(args), topic, args.speech)
    if args.format == "docx":
        export.compare_docx(result, args.output)
    elif args.format == "json":
        write_text(args, json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    else:
        write_text(args, export.compare_markdown(result))
    return 0
