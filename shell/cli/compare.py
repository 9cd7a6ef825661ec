"""`speechqa compare`: how each speech treats a topic, in date order: excerpts, 新提法, aligned diffs."""
from __future__ import annotations

from .digest import add_topic_flags, check_topic_args, emit, open_collector


def add(sub) -> None:
    p = sub.add_parser("compare", help="compare the speeches on a topic over time (对比)")
    add_topic_flags(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from digest import export
    from digest.compare import compare

    topic = check_topic_args(args)
    result = compare(open_collector(args), topic, args.speech)
    emit(args, result, export.compare_docx, export.compare_markdown)
    return 0
