"""`speechqa chat [--json]`: conversations on stdin, one JSON line per question —
{"conversation": ID, "question": TEXT} — each answered in order with the earlier turns of the same
conversation as its history (qa.conversation). --json prints `ask --json`'s object plus "conversation",
"resolved" (the standalone question it was answered as) and "kind"; without it, readable text."""
from __future__ import annotations

import json
import sys

from qa.conversation import Conversation

from .ask import answer_json, print_answer
from .common import UsageError, add_common, add_llm_flags, check_question, engine_from, require_index


def add(sub) -> None:
    p = sub.add_parser("chat", help="answer conversations (JSON lines on stdin) with follow-ups resolved")
    p.add_argument("--json", action="store_true", help="one JSON object per question, one per line")
    add_common(p)
    add_llm_flags(p)
    p.set_defaults(run=run)


def read_turns(lines):
    """(conversation id, question) per non-blank line; a bad line is a usage error naming its number."""
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            conv, question = str(obj["conversation"]), str(obj["question"]).strip()
        except (ValueError, KeyError, TypeError) as e:
            raise UsageError(f"line {n}: expected {{\"conversation\": ID, \"question\": TEXT}} ({e})") from None
        if not question:
            raise UsageError(f"line {n}: the question is empty")
        check_question(question)
        yield conv, question


def run(args) -> int:
    engine = engine_from(args)
    require_index(engine)
    conversations: dict[str, Conversation] = {}
    for conv_id, question in read_turns(sys.stdin):
        conv = conversations.setdefault(conv_id, Conversation())
        answer = engine.answerer.ask(question, mode=args.mode, history=conv)
        turn = conv.last
        if args.json:
            obj = {"conversation": conv_id, **answer_json(answer), "question": question,
                   "resolved": turn.resolved, "kind": turn.kind}
            print(json.dumps(obj, ensure_ascii=False), flush=True)
        else:
            print(f"? [{conv_id}] {question}")
            print_answer(answer, engine.store.speeches())
            print(flush=True)
    return 0
