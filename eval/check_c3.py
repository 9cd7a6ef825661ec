#!/usr/bin/env python3
"""Check the blind question set eval/c3.jsonl against eval/corpus3/.

- every gold quote is a verbatim substring of the stated paragraph
  (paragraph N = the N-th non-blank line of the file, the title is 1);
- every key (1-3 per answerable question, 4-12 characters) occurs in the
  text of at least one of the question's gold paragraphs;
- multi questions have gold in at least two files; none questions have no gold;
- every absent term in eval/c3_absent.json occurs in no corpus file, and every
  none question has absent terms recorded.

Prints the problems found and exits 1 if there are any.
"""
import collections
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
CORPUS = HERE / "corpus3"
KINDS = {"topic", "multi", "scoped", "paraphrase", "number", "en", "none"}


def load_corpus():
    docs = {}
    for p in sorted(CORPUS.glob("c3_*.txt")):
        text = p.read_text(encoding="utf-8")
        docs[p.stem] = [line for line in text.split("\n") if line.strip()]
    return docs


def main():
    docs = load_corpus()
    full = {k: "\n".join(v) for k, v in docs.items()}
    problems = []
    qs = []
    with open(HERE / "c3.jsonl", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                problems.append(f"line {n}: empty line")
                continue
            try:
                qs.append(json.loads(line))
            except json.JSONDecodeError as e:
                problems.append(f"line {n}: bad JSON: {e}")
    absent = json.loads((HERE / "c3_absent.json").read_text(encoding="utf-8"))

    seen = set()
    for q in qs:
        qid = q.get("id")
        if qid in seen:
            problems.append(f"{qid}: duplicate id")
        seen.add(qid)
        kind = q.get("kind")
        if kind not in KINDS:
            problems.append(f"{qid}: unknown kind {kind!r}")
        # Measured once blind, all held out; then halved by id (odd: tune) for development.
        half = "tune" if int(qid[1:]) % 2 else "holdout"
        if q.get("split") != half:
            problems.append(f"{qid}: split is {q.get('split')!r}, not {half}")
        if not q.get("question", "").strip():
            problems.append(f"{qid}: empty question")
        gold = q.get("gold", [])
        keys = q.get("keys", [])
        if kind == "none":
            if gold or keys:
                problems.append(f"{qid}: none question has gold or keys")
            if not absent.get(qid):
                problems.append(f"{qid}: none question without absent terms")
            continue
        if not gold:
            problems.append(f"{qid}: no gold")
        if not 1 <= len(keys) <= 3:
            problems.append(f"{qid}: {len(keys)} keys (want 1-3)")
        texts = []
        for gd in gold:
            s, para, quote = gd.get("speech"), gd.get("paragraph"), gd.get("quote", "")
            if s not in docs:
                problems.append(f"{qid}: unknown speech {s!r}")
                continue
            if not isinstance(para, int) or not 1 <= para <= len(docs[s]):
                problems.append(f"{qid}: {s} has no paragraph {para!r}")
                continue
            text = docs[s][para - 1]
            texts.append(text)
            if not quote or quote not in text:
                problems.append(f"{qid}: quote not in {s} paragraph {para}: {quote!r}")
        for k in keys:
            if not 4 <= len(k) <= 12:
                problems.append(f"{qid}: key {k!r} has {len(k)} characters (want 4-12)")
            if not any(k in t for t in texts):
                problems.append(f"{qid}: key {k!r} not in any gold paragraph")
        if kind == "multi" and len({gd.get("speech") for gd in gold}) < 2:
            problems.append(f"{qid}: multi question with gold in fewer than 2 files")

    for qid, terms in absent.items():
        if qid not in seen:
            problems.append(f"absent list names unknown question {qid}")
        for t in terms:
            hits = [s for s, txt in full.items() if t in txt]
            if hits:
                problems.append(f"{qid}: absent term {t!r} occurs in {', '.join(hits)}")

    counts = collections.Counter(q.get("kind") for q in qs)
    print(f"{len(qs)} questions over {len(docs)} files: "
          + ", ".join(f"{k} {counts[k]}" for k in sorted(counts)))
    for p in problems:
        print("PROBLEM:", p)
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
