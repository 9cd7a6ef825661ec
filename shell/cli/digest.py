"""`speechqa digest`: every excerpt on a topic (原文摘编), verbatim, by speech in date order."""
from __future__ import annotations

import json
import sys

from .tag import add_tag_flag, chosen
from .common import UsageError, add_common, check_speeches, engine_from, require_index

MAX_TOPIC_CHARS = 40


def add(sub) -> None:
    p = sub.add_parser("digest", help="collect every passage on a topic (原文摘编)")
    add_topic_flags(p)
    p.set_defaults(run=run)


def add_topic_flags(p) -> None:
    """The flags digest and compare share."""
    p.add_argument("--topic", required=True, help="the topic as written, e.g. 作风建设 or “四风”")
    p.add_argument("--speech", nargs="+", metavar="STEM", help="only these speeches (speech ids)")
    p.add_argument("--format", default="md", choices=["json", "md", "docx"])
    add_tag_flag(p)
    p.add_argument("-o", "--output", help="write to this file (required for docx)")
    add_common(p)


def check_topic_args(args) -> str:
    topic = (args.topic or "").strip()
    if not topic:
        raise UsageError("the topic is empty")
    if len(topic) > MAX_TOPIC_CHARS:
        raise UsageError(f"the topic is {len(topic)} characters long; the limit is {MAX_TOPIC_CHARS}")
    if args.format == "docx" and not args.output:
        raise UsageError("--format docx needs -o FILE")
    return topic


def open_collector(args):
    engine = engine_from(args)
    require_index(engine)
    check_speeches(engine, args.speech)
    args.speech = chosen(engine, args.speech, args.tag)
    return engine.collector


def write_text(args, text: str) -> None:
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def emit(args, result, to_docx, to_markdown) -> None:
    """The result in the format asked for: a Word file, JSON or Markdown (to -o FILE or stdout)."""
    if args.format == "docx":
        to_docx(result, args.output)
    elif args.format == "json":
        write_text(args, json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    else:
        write_text(args, to_markdown(result))


def run(args) -> int:
    from digest import export
    from digest.build import build_digest

    topic = check_topic_args(args)
    d = build_digest(open_collector(args), topic, args.speech)
    emit(args, d, export.digest_docx, export.digest_markdown)
    if d.absent:
        print(f"speechqa: {d.note().split('。')[0]}", file=sys.stderr)
    return 0
