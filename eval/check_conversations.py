#!/usr/bin/env python3
"""Score the chat (qa.conversation) on eval/conversations.jsonl, per kind and split.

Each conversation is run turn by turn through Answerer.stream(history=Conversation()), offline.
A turn counts as right when
  * answerable: it is answered (not abstained) and cites at least one gold paragraph;
  * not answerable: it is refused (abstained, no citations);
  * kind "orphan": it carries no quote at all (and is abstained).
Tune and holdout are reported apart; rules are tuned on the tune half only.

Usage: python eval/check_conversations.py [--index DIR] [--json] [path]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def right(turn: dict, answer) -> bool:
    cited = {(c.speech, c.paragraph) for c in answer.citations}
    if turn["kind"] == "orphan":
        return answer.abstained and not cited
    if not turn["answerable"]:
        return answer.abstained and not cited
    return not answer.abstained and bool(cited & {(g["speech"], g["paragraph"]) for g in turn["gold"]})


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default=str(ROOT / "eval" / "conversations.jsonl"))
    ap.add_argument("--index", default="data/index")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("-v", action="store_true", help="print each wrong turn of the tune half (rules are "
                    "written on it; the holdout's turns stay unread)")
    args = ap.parse_args()
    from qa.conversation import Conversation
    from shell.engine import Engine
    from shell.settings import Settings

    answerer = Engine(Settings.load(index=args.index)).answerer
    score: dict = defaultdict(lambda: [0, 0])
    for line in Path(args.path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        conv = json.loads(line)
        history = Conversation()
        for turn in conv["turns"]:
            answer = answerer.ask(turn["question"], mode="offline", history=history)
            ok = right(turn, answer)
            for key in ((conv["split"], turn["kind"]), (conv["split"], "all")):
                score[key][0] += ok
                score[key][1] += 1
            if args.v and not ok and conv["split"] == "tune":
                print(f"  ✗ {conv['id']} {turn['kind']} {turn['question']} → {history.last.kind}: "
                      f"{history.last.resolved} | {answer.text[:80]!r}", file=sys.stderr)
    out = {f"{s}/{k}": {"right": r, "of": n, "share": round(r / n, 3)} for (s, k), (r, n) in sorted(score.items())}
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        for key, v in out.items():
            print(f"{key:32s} {v['right']:3d}/{v['of']:<3d} {v['share']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
