"""`speechqa study`: cited study items (or a paper with quotas, scores, a seed and A/B variants) on a
topic, a speech or the whole corpus, in several formats."""
from __future__ import annotations

import sys
from pathlib import Path

from .tag import add_tag_flag, chosen
from .common import UsageError, add_common, check_speeches, engine_from, require_index

MAX_ITEMS = 500
FORMATS = ["json", "md", "csv", "docx", "xlsx", "txt"]
BINARY = {"docx", "xlsx"}


def add(sub) -> None:
    from study.model import TYPES

    p = sub.add_parser("study", help="generate cited study questions or an exam paper")
    p.add_argument("--topic", help="a topic, e.g. 四风 (its most relevant paragraphs)")
    p.add_argument("--speech", help="one whole speech (speech id); with --topic, that speech only")
    add_tag_flag(p)
    p.add_argument("--n", type=int, default=10, help="how many items (default 10)")
    p.add_argument("--types", default=",".join(TYPES), help=f"comma-separated: {','.join(TYPES)} (单选 = 选择)")
    p.add_argument("--paper", action="store_true", help="an exam paper: quotas and scores per type, 答案与解析")
    p.add_argument("--quota", help="items per type for --paper, e.g. 判断=10,单选=10,多选=5,填空=5,简答=2")
    p.add_argument("--scores", help="score per item and type for --paper, e.g. 判断=1,多选=2,简答=5")
    p.add_argument("--seed", type=int, default=0, help="the same seed gives the same items (default 0)")
    p.add_argument("--variant", default="A", help="paper variant A, B…: same quotas, different items")
    p.add_argument("--format", default="md", choices=FORMATS, help="txt: the 问卷星/七巧 import format")
    p.add_argument("-o", "--output", help="write to this file (required for docx and xlsx)")
    add_common(p)
    p.set_defaults(run=run)


def parse_types(value: str) -> list[str]:
    from study.model import TYPES, canonical_type

    names = [t.strip() for t in value.replace("，", ",").split(",") if t.strip()]
    bad = [t for t in names if canonical_type(t) is None]
    if bad or not names:
        raise UsageError(f"unknown type: {', '.join(bad) or '(none)'} (choose from {','.join(TYPES)})")
    return list(dict.fromkeys(canonical_type(t) for t in names))


def _paper(args, speeches, paras, types, title):
    from study.model import StudyError
    from study.papers import make_paper, parse_quota

    try:
        if args.quota:
            quotas = parse_quota(args.quota)
        else:
            quotas = {t: args.n // len(types) + (i < args.n % len(types)) for i, t in enumerate(types)}
            quotas = {t: q for t, q in quotas.items() if q}
        scores = parse_quota(args.scores, scores=True) if args.scores else None
        paper = make_paper(speeches, paras, quotas, title, args.seed, args.variant.upper(), scores)
    except StudyError as e:
        raise UsageError(str(e)) from e
    for kind, got in paper.short.items():
        print(f"speechqa: only {got} {kind} items pass the checks (quota {quotas[kind]})", file=sys.stderr)
    return paper


def write(obj, fmt: str, output: str | None, paper: bool) -> None:
    from study import export
    from study.export_office import to_docx, to_xlsx
    from study.papers import as_paper

    doc = obj if not isinstance(obj, list) else as_paper(obj, "学习题库")
    if fmt == "docx":
        out = Path(output)
        to_docx(doc, out, out.with_name(f"{out.stem}-答案{out.suffix}") if paper else None)
        return
    if fmt == "xlsx":
        to_xlsx(doc, output)
        return
    render = {"json": export.to_json, "csv": export.to_csv, "txt": export.to_txt, "md": export.to_markdown}[fmt]
    text = render(obj)
    if output:
        with open(output, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as f:
            f.write(text)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def run(args) -> int:
    from study.generate import generate, source_paragraphs
    from study.papers import as_paper

    types = parse_types(args.types)
    if args.n < 1 or args.n > MAX_ITEMS:
        raise UsageError(f"--n must be between 1 and {MAX_ITEMS}")
    if args.format in BINARY and not args.output:
        raise UsageError(f"--format {args.format} needs -o FILE")
    if (args.quota or args.scores) and not args.paper:
        raise UsageError("--quota and --scores need --paper")
    engine = engine_from(args)
    require_index(engine)
    check_speeches(engine, [args.speech] if args.speech else None)
    retriever = engine.retriever
    ids = chosen(engine, None, args.tag)
    if ids is not None:
        from admin.library import ScopedRetriever

        retriever = ScopedRetriever(retriever, ids)
    speeches = retriever.speeches()
    if args.speech and args.speech not in speeches:
        raise UsageError(f"{args.speech} has none of the tags {', '.join(args.tag)}")
    paras = source_paragraphs(speeches, retriever, args.topic, args.speech)
    scope = args.topic or (speeches[args.speech].title if args.speech else "全部讲话")
    if args.paper:
        obj = _paper(args, speeches, paras, types, f"试卷：{scope}（{args.variant.upper()}卷）")
        if not obj.items:
            raise UsageError("no study items could be made from these paragraphs")
    else:
        items = generate(speeches, paras, args.n, types, args.seed)
        if not items:
            raise UsageError("no study items could be made from these paragraphs")
        if len(items) < args.n:
            print(f"speechqa: only {len(items)} items pass the checks (asked for {args.n})", file=sys.stderr)
        obj = as_paper(items, f"学习题库：{scope}") if args.format not in ("json",) else items
    write(obj, args.format, args.output, args.paper)
    return 0
