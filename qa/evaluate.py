"""Scores search (and answers) over a questions file like eval/questions.jsonl."""
from __future__ import annotations

import json
import time
import unicodedata
from pathlib import Path

from .evidence import HEDGE_SUPPORT


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
    clear = retriever.clear_query_cache
    for q in questions:
        if not q["gold"]:
            continue
        clear()
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


def verbatim(speeches: dict, speech: str, paragraph: int, quote: str) -> str:
    """Why a citation is not verbatim ("" when it is). Written apart from qa.citations on purpose: the
    eval must not re-run the code that built the citations. Only whitespace and NFKC width may differ."""
    sp = speeches.get(speech)
    if sp is None or not 1 <= paragraph <= len(sp.paragraphs):
        return f"{speech} §{paragraph} does not exist"
    if not quote.strip():
        return "empty quote"
    if fold(quote) not in fold(sp.paragraphs[paragraph - 1].text):
        return f"the quote is not in {speech} §{paragraph}"
    return ""


RISK_STEPS = (0.25, 0.5, 0.75, 1.0)


def risk_coverage(supports: list[tuple[bool, float]]) -> list[dict]:
    """The refusal rule as a visible trade-off: answering when at least a share τ of the question's focus
    is found, the share of answerable questions answered against the share
    of unanswerable ones refused. (A phrase a retrieved sentence means, qa.evidence.HEDGE_Z, counts as
    found in the rule but not here.)"""
    ans = [s for ok, s in supports if ok]
    none = [s for ok, s in supports if not ok]
    return [{"setting": f"focus found ≥ {tau:.2f}" + (" (in use)" if tau == HEDGE_SUPPORT else ""),
             "answered": sum(s >= tau for s in ans) / len(ans) if ans else 1.0,
             "refused": sum(s < tau for s in none) / len(none) if none else 1.0} for tau in RISK_STEPS]


def eval_answers(answerer, speeches: dict, questions: list[dict], mode: str | None = None) -> dict:
    none_total = none_refused = answerable = answerable_refused = 0
    key_hits = key_total = 0
    cites = cites_ok = 0
    gold_cited = 0
    latencies = []
    problems = []
    dropped = 0
    supports: list[tuple[bool, float]] = []  # (answerable, share of the focus found) per question
    clear = answerer.retriever.clear_query_cache
    for q in questions:
        clear()  # time the whole answer, the question's encoding included
        t = time.perf_counter()
        a = answerer.ask(q["question"], None, mode)
        latencies.append((time.perf_counter() - t) * 1000)
        qid = q.get("id", q["question"][:20])
        dropped += a.dropped
        supports.append((bool(q["gold"]), a.support))
        for c in a.citations:
            cites += 1
            why = verbatim(speeches, c.speech, c.paragraph, c.quote)
            cites_ok += not why
            if why:
                problems.append({"id": qid, "problem": f"citation not verbatim: {why}"})
        if not q["gold"]:
            none_total += 1
            none_refused += a.abstained
            if not a.abstained:
                problems.append({"id": qid, "problem": "answered a question the speeches do not answer"})
            continue
        answerable += 1
        if a.abstained:
            answerable_refused += 1
            problems.append({"id": qid, "problem": "refused an answerable question"})
        text = fold(a.text)
        hits = [k for k in q["keys"] if fold(k) in text]
        key_hits += len(hits)
        key_total += len(q["keys"])
        if len(hits) < len(q["keys"]):
            problems.append({"id": qid, "problem": "missing keys " + ", ".join(k for k in q["keys"] if k not in hits)})
        gold = {(g["speech"], g["paragraph"]) for g in q["gold"]}
        if any((c.speech, c.paragraph) in gold for c in a.citations):
            gold_cited += 1
        elif not a.abstained:
            problems.append({"id": qid, "problem": "cites no gold paragraph"})
    return {
        "questions": len(questions), "unanswerable": none_total, "mode": mode or "default",
        "refusal_accuracy": none_refused / none_total if none_total else 1.0,
        "answerable_refused": answerable_refused,
        "key_coverage": key_hits / key_total if key_total else 1.0,
        "citations_verbatim": cites_ok / cites if cites else 1.0,
        "cites_gold": gold_cited / answerable if answerable else 1.0,
        "dropped_per_answer": dropped / max(len(questions), 1),
        "risk_coverage": risk_coverage(supports),
        "ask_p50_ms": percentile(latencies, 50),
        "problems": problems,
    }
