"""Hybrid retrieval: BM25 over jieba tokens fused with dense chunk similarity, one result per paragraph.

Scoring, per paragraph of the allowed speeches:
- keyword: BM25 of the question's tokens against heading + paragraph, divided by the best score;
- dense: the best cosine of the paragraph's chunks, rescaled between the weakest and strongest dense hit;
- fused = W_KEYWORD * keyword + W_DENSE * dense.
Results are then picked greedily with a per-speech decay, so a question that several speeches speak to
surfaces each of them instead of five paragraphs of one.
"""
from __future__ import annotations

import threading

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from vectorstore.keyword import KeywordIndex, tokenize

from .model import Passage
from .scope import detect_scope

W_KEYWORD = 0.6
W_DENSE = 0.4
W_COVER = 0.2
SPEECH_SHARE = 0.4  # a speech "speaks to" the question when its best paragraph scores this share of the best
DENSE_CANDIDATES = 64


class Retriever:
    def __init__(self, store) -> None:
        self.store = store
        self._kw: KeywordIndex | None = None
        self._kw_sig: tuple | None = None
        self._lock = threading.Lock()

    def keyword_index(self) -> KeywordIndex:
        speeches = self.store.speeches()
        sig = tuple(sorted((s.id, s.hash) for s in speeches.values()))
        with self._lock:
            if self._kw is None or sig != self._kw_sig:
                self._kw, self._kw_sig = KeywordIndex(speeches), sig
            return self._kw

    def search(self, question: str, k: int = 5, speeches: list[str] | None = None) -> list[Passage]:
        return self.rank(question, speeches, k=k)[:k] if k > 0 else []

    def rank(self, question: str, speeches: list[str] | None = None, k: int = 5, limit: int = 50) -> list[Passage]:
        """All candidate paragraphs best first (up to `limit`); the first `k` cover every speech that
        speaks to the question."""
        question = question.strip()
        if not question:
            return []
        if speeches is None:
            speeches, question = detect_scope(question, self.store.speeches())
        kw = self.keyword_index()
        rows = kw.rows(speeches)
        if rows.size == 0:
            return []
        tokens = tokenize(question)
        bm = kw.scores(tokens)[rows]
        cov = kw.coverage(tokens)[rows]
        # Scaled by how much of the question the best paragraph covers at all: a keyword channel that
        # matched one minor word must not count as much as one that matched the whole question.
        bm_n = bm / bm.max() * cov.max() if bm.max() > 0 else np.zeros_like(bm)

        vec = self.store.embeddings.embed_query(question)
        hits = self.store.dense_search(vec, DENSE_CANDIDATES, speeches)
        best: dict[tuple[str, int], tuple[float, tuple[int, int]]] = {}
        spans: dict[tuple[str, int], list[tuple[int, int, float]]] = {}
        lo_hi = (min((h[1] for h in hits), default=0.0), max((h[1] for h in hits), default=0.0))
        for meta, sim in hits:
            key = (meta["speech"], int(meta["paragraph"]))
            if key not in best or sim > best[key][0]:
                best[key] = (sim, (int(meta["start"]), int(meta["end"])))
            rel = (sim - lo_hi[0]) / (lo_hi[1] - lo_hi[0]) if lo_hi[1] > lo_hi[0] else 1.0
            spans.setdefault(key, []).append((int(meta["start"]), int(meta["end"]), rel))
        dense = np.zeros(len(rows))
        dense_n = np.zeros(len(rows))
        if best:
            sims = [v[0] for v in best.values()]
            lo, hi = min(sims), max(sims)
            for j, r in enumerate(rows):
                p = kw.paragraphs[r]
                if (p.speech, p.number) in best:
                    dense[j] = best[(p.speech, p.number)][0]
                    # Every dense hit stays a candidate (> 0), the weakest just barely.
                    dense_n[j] = 0.01 + 0.99 * (dense[j] - lo) / (hi - lo) if hi > lo else 1.0
        fused = W_KEYWORD * bm_n + W_COVER * cov + W_DENSE * dense_n

        picked = diversify([kw.paragraphs[r].speech for r in rows], fused, k, limit)
        titles = {s.id: s.title for s in self.store.speeches().values()}
        out = []
        for j in picked:
            p = kw.paragraphs[rows[j]]
            chunk = best.get((p.speech, p.number), (0.0, None))[1]
            out.append(Passage(p.speech, titles.get(p.speech, p.speech), p.number, p.heading, p.text,
                               float(fused[j]), float(bm_n[j]), float(dense[j]), chunk,
                               spans.get((p.speech, p.number), [])))
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
