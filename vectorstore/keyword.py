"""Keyword index: BM25 (rank-bm25) over jieba tokens, one document per paragraph.

Built from the speeches the store holds. Terms the speeches put in quotes (“四风”, “三会一课”, “一岗双责”)
are added to jieba's dictionary first, so such a term is one token and not scattered characters.
"""
from __future__ import annotations

import logging
import re
import threading

import jieba
import numpy as np
from rank_bm25 import BM25Okapi

from ingest.chunking import chunk_paragraph
from ingest.model import Paragraph, Speech

jieba.setLogLevel(logging.WARNING)

_QUOTED = re.compile(r"[“\"「『]([^”\"」』“]{2,8})[”\"」』]")
_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z0-9]")
# Function words and question words: they say how a thing is asked, not what is asked about.
STOPWORDS = frozenset("""
的 了 和 与 及 或 是 在 对 把 被 从 向 于 以 为 就 都 也 还 又 而 并 等 这 那 其 之 个 些 上 下 中 里 着 过 吗 呢 吧 啊
什么 哪些 哪个 哪里 哪 怎样 怎么 怎么样 如何 为何 为什么 是否 有没有 多少 几 几个 谁 何 具体 指 是什么 有何 有哪些
这篇 该篇 本篇 a an the of to in on for and or is are was were be been do does did what which who whom how why when where
whether should shall would could can may might must about with by from as at this that these those it its
speech speeches say says said tell me please there their them they we our you your i
我们 你们 他们 大家 要 有 提出 提到 说 讲 讲话 讲到 一下 方面 关于 怎么办 应该 应当 可以 需要 能够 哪几 呀 请问
""".split())
_lock = threading.Lock()
BM25_CHUNK = 240


class LuceneBM25(BM25Okapi):
    """BM25Okapi with Lucene's idf, log(1 + (N - n + 0.5) / (n + 0.5)): always positive, so a term that
    occurs in half the chunks of a small upload still counts (Okapi's idf is 0 or negative there)."""

    def _calc_idf(self, nd):
        self.idf = {w: float(np.log(1 + (self.corpus_size - f + 0.5) / (f + 0.5))) for w, f in nd.items()}


def register_terms(texts: list[str]) -> None:
    """Teach jieba the quoted terms of the corpus (idempotent)."""
    with _lock:
        for text in texts:
            for term in _QUOTED.findall(text):
                if not re.search(r"[，。、；：！？\s]", term):
                    jieba.add_word(term, freq=2000)


def tokenize(text: str) -> list[str]:
    toks = []
    for tok in jieba.cut_for_search(text):
        tok = tok.strip().lower()
        if tok and tok not in STOPWORDS and _WORD.search(tok):
            toks.append(tok)
    return toks


class KeywordIndex:
    def __init__(self, speeches: dict[str, Speech]) -> None:
        self.paragraphs: list[Paragraph] = [p for s in speeches.values() for p in s.paragraphs]
        register_terms([p.text for p in self.paragraphs] + [p.heading for p in self.paragraphs])
        docs = [tokenize(p.text if p.is_heading else f"{p.heading} {p.text}") for p in self.paragraphs]
        self.vocab = {t for d in docs for t in d}
        # BM25 runs over chunks, not whole paragraphs: a 1,500-character paragraph that treats a topic in
        # one passage is not drowned by its own length. A paragraph scores as its best chunk.
        owner, chunk_docs = [], []
        for i, p in enumerate(self.paragraphs):
            for c in (chunk_paragraph(p, BM25_CHUNK) if not p.is_heading else [p]):
                owner.append(i)
                chunk_docs.append(tokenize(p.text if p.is_heading else f"{p.heading} {c.text}"))
        self._owner = np.array(owner, dtype=int)
        self._bm25 = LuceneBM25(chunk_docs) if chunk_docs else None
        # Postings and idf for "coverage": how much of the question's content a paragraph contains at all.
        self._postings: dict[str, np.ndarray] = {}
        for i, d in enumerate(docs):
            for t in set(d):
                self._postings.setdefault(t, []).append(i)  # type: ignore[arg-type]
        self._postings = {t: np.array(v) for t, v in self._postings.items()}
        n = max(len(docs), 1)
        self.idf = {t: float(np.log((n + 1) / (len(v) + 0.5))) for t, v in self._postings.items()}
        self._by_speech: dict[str, np.ndarray] = {}
        for i, p in enumerate(self.paragraphs):
            self._by_speech.setdefault(p.speech, []).append(i)  # type: ignore[arg-type]
        self._by_speech = {k: np.array(v) for k, v in self._by_speech.items()}

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        if self._bm25 is None or not query_tokens:
            return np.zeros(len(self.paragraphs))
        per_chunk = self._bm25.get_scores(query_tokens)
        out = np.zeros(len(self.paragraphs))
        np.maximum.at(out, self._owner, per_chunk)
        return out

    def coverage(self, query_tokens: list[str]) -> np.ndarray:
        """Share of the question's distinct tokens known to the corpus (idf-weighted) that each
        paragraph contains, 0..1. Unknown tokens are left out: they rank nothing (whether the speeches
        can answer at all is qa.evidence's question)."""
        cov = np.zeros(len(self.paragraphs))
        toks = [t for t in set(query_tokens) if t in self._postings]
        total = sum(self.idf[t] for t in toks)
        for t in toks:
            cov[self._postings[t]] += self.idf[t]
        return cov / total if total > 0 else cov

    def rows(self, speeches: list[str] | None) -> np.ndarray:
        if speeches is None:
            return np.arange(len(self.paragraphs))
        parts = [self._by_speech[s] for s in speeches if s in self._by_speech]
        return np.concatenate(parts) if parts else np.array([], dtype=int)
