"""Scores search (and answers) over a questions file like eval/questions.jsonl."""
from __future__ import annotations

import json
import time
import unicodedata
from pathlib import Path


def load_questions(path: str | Path) -> list[dict]:
    items = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if line.strip():
                try:
                    items.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise ValueError(f"{path}:{n}: not valid JSON ({e.msg})") from e
    for q in items:
        if "question" not in q:
            raise ValueError(f"{path}: every line needs a 'question' field")
        q.setdefault("gold", [])
        q.setdefault("keys", [])
    return items


def fold(text: str) -> str:
    """Width-fold and drop whitespace (how key terms are matched)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q / 100 * (len(v) - 1))))]


def eval_search(retriever, questions: list[dict], k: int = 5) -> dict:
    hits = recalls = rr = 0.0
    n = 0
    latencies = []
    misses = []
    for q in questions:
        if not q["gold"]:
            continue
        t = time.perf_counter()
        ranked = retriever.search(q["question"], k=10)
        latencies.append((time.perf_counter() - t) * 1000)
        got = [(p.speech, p.paragraph) for p in ranked]
        gold = {(g["speech"], g["paragraph"]) for g in q["gold"]}
        top = set(got[:k])
        n += 1
        hits += bool(top & gold)
        recalls += len(top & gold) / len(gold)
        rr += next((1 / (i + 1) for i, g in enumerate(got) if g in gold), 0.0)
        if gold - top:
            misses.append({"id": q.get("id", ""), "missing": sorted(gold - top)})
    n = max(n, 1)
    return {"questions": n, f"hit@{k}": hits / n, f"recall@{k}": recalls / n, "mrr@10": rr / n,
            "search_p50_ms": percentile(latencies, 50), "misses": misses}
