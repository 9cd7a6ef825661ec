"""`speechqa ask QUESTION|-`: an answer with verified citations, or a refusal that says why."""
from __future__ import annotations

import json

from .tag import add_tag_flag, chosen
from .common import (add_common, add_llm_flags, check_question, check_speeches, engine_from, questions,
                     require_index)


def add(sub) -> None:
    p = sub.add_parser("ask", help="answer a question with verified citations")
    p.add_argument("question", help="the question, or - to read one question per line from stdin")
    p.add_argument("-k", type=int, default=5, help="(accepted for symmetry with search; answers pick their own sources)")
    p.add_argument("--speech", action="append", help="restrict to this speech (speech id); repeatable")
    p.add_argument("--json", action="store_true", help="one JSON object per question, one per line")
    add_tag_flag(p)
    add_common(p)
    add_llm_flags(p)
    p.set_defaults(run=run)


def print_answer(answer, speeches: dict | None = None) -> None:
    print(answer.text)
    if answer.citations:
        print("\n来源：")
        for c in answer.citations:
            sp = (speeches or {}).get(c.speech)
            origin = f"  [{sp.origin} · {c.speech}]" if sp is not None and sp.origin else ""
            print(f"[{c.marker}] 《{c.title}》 §{c.paragraph}  {c.heading}{origin}\n    “{c.quote}”")
    if answer.related:
        print("\n可能相关（不是答案，仅供参考）：")
        for p in answer.related:
            print(f"  《{p.title}》 §{p.paragraph}  {p.text[:60]}…")


def answer_json(answer) -> dict:
    obj = answer.to_json()
    if answer.related:
        obj["related"] = [{"speech": p.speech, "paragraph": p.paragraph, "heading": p.heading}
                          for p in answer.related]
    return obj


def run(args) -> int:
    engine = engine_from(args)
    require_index(engine)
    check_speeches(engine, args.speech)
    args.speech = chosen(engine, args.speech, args.tag)
    answerer = engine.answerer
    for q in questions(args.question):
        check_question(q)
        answer = answerer.ask(q, args.speech, args.mode)
        if args.json:
            print(json.dumps(answer_json(answer), ensure_ascii=False), flush=True)
        else:
            print(f"? {q}")
            print_answer(answer, engine.store.speeches())
            print(flush=True)
    return 0
