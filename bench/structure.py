"""Recall@5 of the structure questions (eval/dev_structure.jsonl) per kind and split, in one process.

    python bench/structure.py --index /tmp/idx17 [--split tune] [--misses]

recall@5 = share of a question's gold paragraphs among the top 5; "capped" divides by min(5, gold)
instead, since five results cannot hold more. With --ask, also the offline answer's coverage: the share of
gold paragraphs it cites (an answer may draw on more than five), and how many paragraphs it cites.
--misses lists the tune questions' missed gold only (held-out failures are not for reading while tuning).
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

from shell.engine import Engine  # noqa: E402
from shell.settings import Settings  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", required=True)
    ap.add_argument("--file", default=str(ROOT / "eval" / "dev_structure.jsonl"))
    ap.add_argument("--split", choices=["tune", "holdout", "all"], default="tune")
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--ask", action="store_true", help="also the offline answer's cited paragraphs")
    ap.add_argument("-k", type=int, default=5)
    args = ap.parse_args()
    engine = Engine(Settings.load(index=args.index))
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0, 0.0, 0])
    for line in Path(args.file).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        q = json.loads(line)
        if args.split != "all" and q["split"] != args.split:
            continue
        gold = {(g["speech"], g["paragraph"]) for g in q["gold"]}
        top = [(p.speech, p.paragraph) for p in engine.retriever.search(q["question"], args.k)]
        got = len(gold & set(top))
        s = sums[(q["kind"], q["split"])]
        s[0] += got / len(gold)
        s[1] += got / min(args.k, len(gold))
        s[2] += 1
        if args.ask:
            cited = {(c.speech, c.paragraph) for c in engine.answerer.ask(q["question"], mode="offline").citations}
            s[3] += len(gold & cited) / len(gold)
            s[4] += len(cited)
        if args.misses and q["split"] == "tune" and got < min(args.k, len(gold)):
            print(f"MISS {q['id']} {q['kind']} {got}/{len(gold)} {q['question'][:90]}")
            print("   missed:", sorted(gold - set(top)), " top:", top)
    for (kind, split), (r, c, n, a, m) in sorted(sums.items()):
        ask = f" ask={a / n:.3f} cited={m / n:.1f}" if args.ask else ""
        print(f"{kind:7s} {split:8s} n={n:3d} recall@{args.k}={r / n:.3f} capped={c / n:.3f}{ask}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
