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

from ingest.model import Paragraph, Speech

jieba.setLogLevel(logging.WARNING)

_QUOTED = re.compile(r"[“\"「『]([^”\"」』“]{2,8})[”\"」』]")
_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z0-9]")
# Function words and question words: they say how a thing is asked, not what is asked about.
STOPWORDS = frozenset("""
的 了 和 与 及 或 是 在 对 把 被 从 向 于 以 为 就 都 也 还 又 而 并 等 这 那 其 之 个 些 上 下 中 里 着 过 吗 呢 吧 啊
什么 哪些 哪个 哪里 哪 怎样 怎么 怎么样 如何 为何 为什么 是否 有没有 多少 几 几个 谁 何 具体 指 是什么 有何 有哪些
我们 你们 他们 大家 要 有 提出 提到 说 讲 讲话 讲到 一下 方面 关于 怎么办 应该 应当 可以 需要 能够 哪几 呀 请问
""".split())
_lock = threading.Lock()


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
        self.paragraphs: list[Paragraph] = [p for s in speeches.values() for p in s.paragraphs if not p.is_heading]
        register_terms([p.text for p in self.paragraphs] + [p.heading for p in self.paragraphs])
        docs = [tokenize(f"{p.heading} {p.text}") for p in self.paragraphs]
        self.vocab = {t for d in docs for t in d}
        self._bm25 = BM25Okapi(docs) if docs else None
        self._by_speech: dict[str, np.ndarray] = {}
        for i, p in enumerate(self.paragraphs):
            self._by_speech.setdefault(p.speech, []).append(i)  # type: ignore[arg-type]
        self._by_speech = {k: np.array(v) for k, v in self._by_speech.items()}

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        if self._bm25 is None or not query_tokens:
            return np.zeros(len(self.paragraphs))
        return self._bm25.get_scores(query_tokens)

    def rows(self, speeches: list[str] | None) -> np.ndarray:
        if speeches is None:
            return np.arange(len(self.paragraphs))
        parts = [self._by_speech[s] for s in speeches if s in self._by_speech]
        return np.concatenate(parts) if parts else np.array([], dtype=int)
