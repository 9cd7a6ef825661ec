"""Digest and compare: the related-paragraph cut calibrated on topics with known paragraphs, and speed.

    python bench/digest.py --calibrate [--index DIR]   # grid over RelatedCuts on the dev topics of
                                                       # eval/digest_topics.jsonl; precision/recall on
                                                       # the held-out test topics with the chosen cut
    python bench/digest.py [--index DIR] [--sizes 10000]  # time per topic: bundled speeches, then a
                                                          # synthetic corpus built as bench/scale.py does

The index (default data/index) must hold the bundled speeches ingested with e5-small. The synthetic
corpus reuses bench/scale.py's builder (real sentences, real e5 vectors, every topic encoded by the model).
The last line is one JSON object.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.build import build_digest  # noqa: E402
from digest.collect import CUTS, Collector, RelatedCuts  # noqa: E402
from digest.compare import compare  # noqa: E402

TOPICS = ROOT / "eval" / "digest_topics.jsonl"
GRID = {"heading": [True, False], "min_cover": [0.5, 0.75, 1.0], "min_share": [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.1]}
SPEED_TOPICS = ["四风", "作风建设", "一岗双责", "意识形态", "年轻干部", "基层党组织", "公共租赁住房"]


def load_topics(split: str | None = None) -> list[dict]:
    rows = [json.loads(line) for line in TOPICS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split is None or r["split"] == split]


def collected(collector: Collector, topic: str) -> set[str]:
    d = build_digest(collector, topic)
    return {f"{e.speech}§{e.paragraph}" for e in d.excerpts} | {f"{a.speech}§{a.paragraph}" for e in d.excerpts for a in e.also}


def score(collector: Collector, topics: list[dict]) -> dict:
    """Micro precision/recall over all expected paragraphs, and over the related (non-literal) ones."""
    tp = fp = fn = rtp = rfp = rfn = 0
    absent_ok = absent = 0
    for t in topics:
        expected = set(t["literal"]) | set(t["related"])
        got = collected(collector, t["topic"])
        tp += len(got & expected)
        fp += len(got - expected)
        fn += len(expected - got)
        related, lit = set(t["related"]), set(t["literal"])
        rtp += len((got - lit) & related)
        rfp += len((got - lit) - related)
        rfn += len(related - got)
        if not expected:
            absent += 1
            absent_ok += not got
    def pr(a, b, c):
        p = a / (a + b) if a + b else 1.0
        r = a / (a + c) if a + c else 1.0
        return round(p, 3), round(r, 3), round(2 * p * r / (p + r), 3) if p + r else 0.0
    p, r, f = pr(tp, fp, fn)
    rp, rr, rf = pr(rtp, rfp, rfn)
    return {"precision": p, "recall": r, "f1": f, "related_precision": rp, "related_recall": rr, "related_f1": rf,
            "absent_topics_empty": f"{absent_ok}/{absent}"}


def calibrate(engine) -> dict:
    dev, test = load_topics("dev"), load_topics("test")
    results = []
    for heading, cover, share in itertools.product(*GRID.values()):
        cuts = RelatedCuts(heading, cover, share)
        s = score(Collector(engine.retriever, cuts), dev)
        results.append((s["f1"], s["related_f1"], cuts, s))
    results.sort(key=lambda r: (r[0], r[1]), reverse=True)
    best = results[0][2]
    print("dev, best five cuts:")
    for f1, rf1, cuts, s in results[:5]:
        print(f"  {cuts}  {s}")
    held = score(Collector(engine.retriever, best), test)
    current = score(Collector(engine.retriever, CUTS), test)
    print(f"chosen on dev: {best}\n  test (held out): {held}\n  test with digest.collect.CUTS {CUTS}: {current}")
    return {"chosen": best.__dict__, "dev": results[0][3], "test": held, "test_with_CUTS": current}


def timed(collector: Collector, topics: list[str]) -> dict:
    build_digest(collector, "作风建设")  # warm-up: model, keyword index, normal forms
    compare(collector, "作风建设")
    dig, cmp_ = [], []
    for t in topics:
        collector.retriever.clear_query_cache()
        t0 = time.perf_counter()
        build_digest(collector, t)
        dig.append(time.perf_counter() - t0)
        collector.retriever.clear_query_cache()
        t0 = time.perf_counter()
        compare(collector, t)
        cmp_.append(time.perf_counter() - t0)
    return {"digest_median_s": round(statistics.median(dig), 3), "digest_max_s": round(max(dig), 3),
            "compare_median_s": round(statistics.median(cmp_), 3), "compare_max_s": round(max(cmp_), 3)}


def synthetic_retriever(n: int):
    sys.path.insert(0, str(ROOT / "bench"))
    from scale import Precomputed, real_sentences, sentence_vectors, synthetic  # bench/scale.py

    from ingest.chunking import chunk_speech
    from qa.retrieve import Retriever
    from vectorstore.cache import CachedEmbeddings
    from vectorstore.chroma import Store, open_client

    sentences = real_sentences()
    speeches, table = synthetic(n, sentences, sentence_vectors(sentences))
    index = Path(tempfile.mkdtemp(prefix=f"speechqa-digest-{n}-"))
    store = Store(open_client(index), CachedEmbeddings(Precomputed(table), None, name="e5-small"), "e5-small",
                  lock_path=index / "ingest.lock")
    for sp in speeches:
        store.put_speech(sp, chunk_speech(sp.paragraphs))
    return Retriever(store, index / "keyword")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", default=str(ROOT / "data" / "index"))
    ap.add_argument("--calibrate", action="store_true")
    ap.add_argument("--sizes", default="10000", help="synthetic corpus sizes in paragraphs ('' for none)")
    args = ap.parse_args()
    from shell.engine import Engine
    from shell.settings import Settings

    engine = Engine(Settings.load(index=args.index, embeddings="e5-small"))
    if not engine.store.speeches():
        raise SystemExit(f"{args.index} holds no speeches: run 'speechqa ingest --index {args.index}' first")
    if args.calibrate:
        print(json.dumps(calibrate(engine), ensure_ascii=False))
        return
    out = {"bundled": timed(Collector(engine.retriever), SPEED_TOPICS)}
    print(f"bundled speeches: {out['bundled']}")
    for n in [int(x) for x in args.sizes.split(",") if x.strip()]:
        t0 = time.perf_counter()
        retriever = synthetic_retriever(n)
        print(f"{n} paragraphs built in {time.perf_counter() - t0:.0f} s")
        out[str(n)] = timed(Collector(retriever), SPEED_TOPICS)
        print(f"{n} paragraphs: {out[str(n)]}")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
