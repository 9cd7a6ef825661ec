"""`speechqa search QUESTION|-`: the paragraphs that speak to a question, best first."""
from __future__ import annotations

import json

from .tag import add_tag_flag, chosen
from .common import UsageError, add_common, check_question, check_speeches, engine_from, questions, require_index

DEFAULT_K = 5


def add(sub) -> None:
    p = sub.add_parser("search", help="find the paragraphs that speak to a question")
    p.add_argument("question", help="the question, or - to read one question per line from stdin")
    p.add_argument("-k", type=int, default=DEFAULT_K, help=f"how many paragraphs (default {DEFAULT_K})")
    p.add_argument("--speech", action="append", help="restrict to this speech (speech id); repeatable")
    p.add_argument("--json", action="store_true", help="one JSON object per question, one per line")
    add_tag_flag(p)
    add_common(p)
    p.set_defaults(run=run)


def run(args) -> int:
    engine = engine_from(args)
    require_index(engine)
    check_speeches(engine, args.speech)
    args.speech = chosen(engine, args.speech, args.tag)
    if args.k < 1:
        raise UsageError("-k must be at least 1")
    for q in questions(args.question):
        check_question(q)
        results = engine.retriever.search(q, args.k, args.speech)
        if args.json:
            print(json.dumps({"question": q, "results": [p.to_json() for p in results]}, ensure_ascii=False), flush=True)
            continue
        print(f"? {q}")
        for i, p in enumerate(results, start=1):
            print(f"{i}. [{p.score:.3f}] {p.title} §{p.paragraph}  {p.heading}")
            print(f"   {p.text[:120]}{'…' if len(p.text) > 120 else ''}")
        print(flush=True)
    return 0
