"""`speechqa study`: cited study items on a topic, a speech or the whole corpus, in several formats."""
from __future__ import annotations

import sys

from .common import UsageError, add_common, check_speeches, engine_from, require_index

MAX_ITEMS = 500


def add(sub) -> None:
    from study.items import TYPES

    p = sub.add_parser("study", help="generate cited study questions")
    p.add_argument("--topic", help="a topic, e.g. 四风 (its most relevant paragraphs)")
    p.add_argument("--speech", help="one whole speech (speech id); with --topic, that speech only")
    p.add_argument("--n", type=int, default=10, help="how many items (default 10)")
    p.add_argument("--types", default=",".join(TYPES), help=f"comma-separated: {','.join(TYPES)}")
    p.add_argument("--format", default="md", choices=["json", "md", "csv", "docx"])
    p.add_argument("-o", "--output", help="write to this file (required for docx)")
    add_common(p)
    p.set_defaults(run=run)


def parse_types(value: str) -> list[str]:
    from study.items import TYPES

    types = [t.strip() for t in value.replace("，", ",").split(",") if t.strip()]
    bad = [t for t in types if t not in TYPES]
    if bad or not types:
        raise UsageError(f"unknown type: {', '.join(bad) or '(none)'} (choose from {','.join(TYPES)})")
    return types


def run(args) -> int:
    from study import export
    from study.items import generate, source_paragraphs

    types = parse_types(args.types)
    if args.n < 1 or args.n > MAX_ITEMS:
        raise UsageError(f"--n must be between 1 and {MAX_ITEMS}")
    if args.format == "docx" and not args.output:
        raise UsageError("--format docx needs -o FILE")
    engine = engine_from(args)
    require_index(engine)
    check_speeches(engine, [args.speech] if args.speech else None)
    speeches = engine.store.speeches()
    paras = source_paragraphs(speeches, engine.retriever, args.topic, args.speech)
    items = generate(speeches, paras, args.n, types)
    if not items:
        raise UsageError("no study items could be made from these paragraphs")
    if len(items) < args.n:
        print(f"speechqa: only {len(items)} items pass the checks (asked for {args.n})", file=sys.stderr)
    scope = args.topic or (speeches[args.speech].title if args.speech else "全部讲话")
    title = f"学习题库：{scope}"
    if args.format == "docx":
        export.to_docx(items, title, args.output)
        return 0
    text = {"json": export.to_json, "csv": export.to_csv}.get(args.format)
    out = text(items) if text else export.to_markdown(items, title)
    if args.output:
        with open(args.output, "w", encoding="utf-8-sig" if args.format == "csv" else "utf-8", newline="") as f:
            f.write(out)
    else:
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0
