"""Hybrid retrieval: BM25 over jieba tokens fused with dense chunk similarity, one result per paragraph.

Scoring, per paragraph of the allowed speeches:
- keyword: BM25 of the question's tokens (a paragraph scores as its best window), divided by the best
  score and scaled by how much of the question the best paragraph covers;
- coverage: the idf-weighted share of the question's known tokens the paragraph contains;
- dense: the best cosine of the paragraph's chunks, rescaled between the weakest and strongest dense hit;
- fused = W_KEYWORD * keyword + W_COVER * coverage + W_DENSE * dense.
The top k then include the best paragraph of every speech whose best scores SPEECH_SHARE of the overall
best, so a question that several speeches speak to surfaces each of them instead of five paragraphs of one.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from vectorstore.keyword import KeywordIndex, TokenCache, signature, tokenize

from .model import Passage
from .scope import detect_scope

W_KEYWORD = 0.6
W_DENSE = 0.4
W_COVER = 0.2
SPEECH_SHARE = 0.4  # a speech "speaks to" the question when its best paragraph scores this share of the best
DENSE_CANDIDATES = 64
_ENCODER = ThreadPoolExecutor(max_workers=4, thread_name_prefix="speechqa-encode")


class Retriever:
    def __init__(self, store, cache_dir: Path | None = None) -> None:
        self.store = store
        self.cache_dir = cache_dir  # where the built keyword index and the token cache are kept
        self._kw: KeywordIndex | None = None
        self._kw_sig: str | None = None
        self._kw_version = -1
        self._lock = threading.Lock()

    def keyword_index(self) -> KeywordIndex:
        speeches = self.store.speeches()
        with self._lock:
            if self._kw is not None and self._kw_version == self.store.version:
                return self._kw
            sig = signature(speeches)
            if self._kw is None or sig != self._kw_sig:
                self._kw, self._kw_sig = self._open_keyword_index(speeches, sig), sig
            self._kw_version = self.store.version
            return self._kw

    def _open_keyword_index(self, speeches, sig: str) -> KeywordIndex:
        if self.cache_dir is None:
            return KeywordIndex(speeches)
        path = self.cache_dir / f"keyword-{sig}.pkl"
        if path.exists():
            try:
                return KeywordIndex.load(path, speeches)
            except Exception:  # a stale or damaged file: rebuild it
                path.unlink(missing_ok=True)
        kw = KeywordIndex(speeches, TokenCache(self.cache_dir / "tokens.sqlite"))
        kw.save(path)
        for old in self.cache_dir.glob("keyword-*.pkl"):
            if old != path:
                old.unlink(missing_ok=True)
        return kw

    def search(self, question: str, k: int = 5, speeches: list[str] | None = None) -> list[Passage]:
        return self.rank(question, speeches, k=k)[:k] if k > 0 else []

    def rank(self, question: str, speeches: list[str] | None = None, k: int = 5, limit: int = 50) -> list[Passage]:
        """Candidate paragraphs best first (up to `limit`); the first `k` cover every speech that
        speaks to the question. Per-query work is the query terms' postings plus vector operations."""
        question = question.strip()
        if not question:
            return []
        if speeches is None:
            speeches, question = detect_scope(question, self.store.speeches())
        kw = self.keyword_index()
        n = len(kw.paragraphs)
        if n == 0:
            return []
        allowed = None
        if speeches is not None:
            allowed = np.zeros(n, dtype=bool)
            allowed[kw.rows(speeches)] = True
            if not allowed.any():
                return []
        # The model encodes the question on another thread (its C engine releases the GIL) while the
        # keyword side is scored here.
        vec_future = _ENCODER.submit(self.store.embeddings.embed_query, question)
        tokens = tokenize(question)
        bm = kw.scores(tokens)
        cov = kw.coverage(tokens)
        if allowed is not None:
            bm[~allowed] = 0.0
            cov[~allowed] = 0.0
        # Scaled by how much of the question the best paragraph covers at all: a keyword channel that
        # matched one minor word must not count as much as one that matched the whole question.
        bm_n = bm / bm.max() * cov.max() if bm.max() > 0 else bm

        hits = self.store.dense_search(vec_future.result(), DENSE_CANDIDATES, speeches)
        dense = np.zeros(n)
        dense_n = np.zeros(n)
        best_chunk: dict[int, tuple[int, int]] = {}
        spans: dict[int, list[tuple[int, int, float]]] = {}
        if hits:
            lo, hi = min(h[1] for h in hits), max(h[1] for h in hits)
            for meta, sim in hits:
                i = kw.position.get((meta["speech"], int(meta["paragraph"])))
                if i is None:
                    continue
                span = (int(meta["start"]), int(meta["end"]))
                rel = (sim - lo) / (hi - lo) if hi > lo else 1.0
                spans.setdefault(i, []).append((*span, rel))
                if sim > dense[i]:
                    dense[i] = sim
                    best_chunk[i] = span
                    # Every dense hit stays a candidate (> 0), the weakest just barely.
                    dense_n[i] = 0.01 + 0.99 * rel
        fused = W_KEYWORD * bm_n + W_COVER * cov + W_DENSE * dense_n

        cand = np.flatnonzero(fused > 0)
        if cand.size > limit * 3:
            cand = cand[np.argpartition(-fused[cand], limit * 3)[: limit * 3]]
        cand = cand[np.argsort(-fused[cand], kind="stable")]
        picked = diversify([kw.paragraphs[i].speech for i in cand], fused[cand], k, limit)

        live = self.store.speeches()
        out = []
        for j in picked:
            i = int(cand[j])
            p = kw.paragraphs[i]
            out.append(Passage(p.speech, live[p.speech].title if p.speech in live else p.speech, p.number,
                               p.heading, p.text, float(fused[i]), float(bm_n[i]), float(dense[i]),
                               best_chunk.get(i), spans.get(i, [])))
        return out


class HybridRetriever(BaseRetriever):
    """The hybrid search as a LangChain retriever (for chains); metadata carry the citation fields."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    retriever: Retriever
    k: int = 5
    speeches: list[str] | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [Document(page_content=p.text,
                         metadata={"speech": p.speech, "title": p.title, "paragraph": p.paragraph,
                                   "heading": p.heading, "score": p.score})
                for p in self.retriever.search(query, self.k, self.speeches)]


def diversify(speech_of: list[str], fused: np.ndarray, k: int, limit: int) -> list[int]:
    """Indices best first, except that the top k include the best paragraph of every speech whose best
    scores at least SPEECH_SHARE of the overall best (as far as k allows)."""
    order = [int(i) for i in np.argsort(-fused, kind="stable") if fused[i] > 0][:limit]
    if not order:
        return []
    floor = SPEECH_SHARE * fused[order[0]]
    firsts: dict[str, int] = {}
    for i in order:
        if fused[i] < floor:
            break
        firsts.setdefault(speech_of[i], i)
    chosen = list(firsts.values())[:k]
    for i in order:
        if len(chosen) >= k:
            break
        if i not in chosen:
            chosen.append(i)
    head = sorted(chosen, key=lambda i: -fused[i])
    return head + [i for i in order if i not in head]
