#!/usr/bin/env python3
"""Validate eval/dev_structure.jsonl against the speech files.

Paragraph n of a speech = the n-th non-blank line (whitespace stripped).
Checks, for every question:
  * required fields, kind in {enum, scoped, en, many}, split in {tune, holdout}
  * every gold speech exists, paragraph is in range
  * every quote occurs in the cited paragraph and in no other paragraph
    of the whole corpus (so it pins down exactly that paragraph)
  * every key occurs in at least one gold paragraph
  * kind-specific rules: scoped -> one speech; many -> >= 6 paragraphs
    from >= 2 speeches; enum -> >= 2 paragraphs from one speech;
    en -> ASCII-only question
Prints counts per kind/split; exit status 1 on any error.

Usage: python3 eval/check_structure.py [path/to/file.jsonl]
"""
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEECHES = ROOT / "data" / "speeches"
KINDS = {"enum", "scoped", "en", "many"}


def load_corpus():
    corpus = {}
    for f in sorted(SPEECHES.glob("*.txt")):
        lines = f.read_text(encoding="utf-8").splitlines()
        corpus[f.stem] = [l.strip() for l in lines if l.strip()]
    return corpus


def main(path):
    corpus = load_corpus()
    errors = []
    counts = Counter()
    ids = set()
    for ln, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        q = json.loads(line)
        qid = q.get("id", f"line{ln}")
        err = lambda m: errors.append(f"{qid}: {m}")
        for fld in ("id", "question", "kind", "gold", "keys", "split"):
            if fld not in q:
                err(f"missing field {fld}")
        if qid in ids:
            err("duplicate id")
        ids.add(qid)
        kind, split = q.get("kind"), q.get("split")
        if kind not in KINDS:
            err(f"bad kind {kind}")
        if split not in ("tune", "holdout"):
            err(f"bad split {split}")
        counts[(kind, split)] += 1
        gold = q.get("gold", [])
        seen = set()
        gold_texts = []
        for g in gold:
            sp, n, quote = g.get("speech"), g.get("paragraph"), g.get("quote", "")
            if sp not in corpus:
                err(f"unknown speech {sp}")
                continue
            paras = corpus[sp]
            if not isinstance(n, int) or not 1 <= n <= len(paras):
                err(f"{sp} paragraph {n} out of range")
                continue
            if (sp, n) in seen:
                err(f"duplicate gold {sp}#{n}")
            seen.add((sp, n))
            gold_texts.append(paras[n - 1])
            if not quote or quote not in paras[n - 1]:
                err(f"quote not in {sp}#{n}: {quote!r}")
            hits = [(s, i) for s, ps in corpus.items()
                    for i, p in enumerate(ps, 1) if quote and quote in p]
            if len(hits) != 1:
                err(f"quote {quote!r} occurs in {len(hits)} paragraphs: {hits}")
        keys = q.get("keys", [])
        if not 1 <= len(keys) <= 3:
            err(f"{len(keys)} keys (want 1-3)")
        for k in keys:
            if not any(k in t for t in gold_texts):
                err(f"key {k!r} not in any gold paragraph")
        speeches = {s for s, _ in seen}
        if kind == "scoped" and len(speeches) != 1:
            err("scoped question must have gold in exactly one speech")
        if kind == "many" and (len(seen) < 6 or len(speeches) < 2):
            err(f"many: {len(seen)} paragraphs in {len(speeches)} speeches")
        if kind == "enum" and (len(seen) < 2 or len(speeches) != 1):
            err("enum: want >= 2 paragraphs from one speech")
        if kind == "en" and not q.get("question", "").isascii():
            err("en question is not ASCII")
    for e in errors:
        print("ERROR", e)
    for kind in sorted(KINDS):
        print(f"{kind:7s} tune={counts[(kind, 'tune')]:3d} holdout={counts[(kind, 'holdout')]:3d}")
    print(f"total {sum(counts.values())}, errors {len(errors)}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ROOT / "eval" / "dev_structure.jsonl"))
