"""English questions over Chinese paragraphs: BM25 in the space of the corpus's English glosses.

Each paragraph's words are replaced by the English words of their CC-CEDICT senses (qa.crosslingual.glosses),
so 提醒 counts as "remind", 少数 as "few", "minority", "small", "number", and a coinage the dictionary
lacks (领头雁) by its characters' senses ("lead", "head", "goose"). An English question is then scored
by plain BM25 over those words. Unlike expanding the question into Chinese words, the synonyms of one
English word fold into one term with one idf, so a rare, loosely related Chinese word does not outweigh
the common words the paragraph actually uses; and a paraphrase matches on its words without having to
equal a dictionary sense.

Built from the paragraphs' text on the first English question and kept while the corpus is unchanged.
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from ingest.model import Paragraph
from ingest.text import Tokenizer, tokenize
from vectorstore.keyword import bm25_weights

from .crosslingual import glosses, question_words

K1, B = 1.2, 0.75  # Okapi BM25 defaults; the tune half showed no better pair worth departing for


class GlossIndex:
    def __init__(self, paragraphs: list[Paragraph], tokenizer: Tokenizer | None = None) -> None:
        cut = tokenizer.tokenize if tokenizer else tokenize
        self.n = len(paragraphs)
        self.vocab: dict[str, int] = {}
        rows, cols, tfs = [], [], []
        memo: dict[str, frozenset[str]] = {}
        for i, p in enumerate(paragraphs):
            counts: Counter[str] = Counter()
            for tok in cut(p.text):
                if tok not in memo:
                    memo[tok] = glosses(tok)
                counts.update(memo[tok])  # a Chinese word counts once per English word it glosses to
            for w, c in counts.items():
                rows.append(i)
                cols.append(self.vocab.setdefault(w, len(self.vocab)))
                tfs.append(c)
        r, c, tf = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(tfs, dtype=np.float64)
        lengths = np.bincount(r, weights=tf, minlength=self.n)  # a paragraph's length: its gloss words
        self._w = bm25_weights(r, c, tf, lengths, len(self.vocab), K1, B)

    def words(self, question: str) -> list[str]:
        """The question's words as this index knows them: per word, its first form the glosses use."""
        found = (next((f for f in forms if f in self.vocab), None) for forms in question_words(question))
        return list(dict.fromkeys(w for w in found if w is not None))

    def scores(self, question: str) -> np.ndarray:
        """BM25 of each paragraph for the question's English words, each word counted once."""
        cols = [self.vocab[w] for w in self.words(question)]
        if not cols:
            return np.zeros(self.n)
        sub = self._w[:, cols]
        return np.bincount(sub.indices, weights=sub.data, minlength=self.n)
