"""Keyword index: BM25 over jieba tokens of chunk-sized windows; a paragraph scores as its best window.

Terms the speeches put in quotes (“四风”, “三会一课”, “一岗双责”) are added to jieba's dictionary first, so
such a term is one token and not scattered characters.

BM25 is the Okapi formula with Lucene's idf, log(1 + (N - n + 0.5) / (n + 0.5)), which stays positive
for a term in half the chunks of a small upload. The weights are precomputed into a sparse matrix
(scipy), so a query costs its terms' postings, not a pass over every document as rank-bm25's
`get_scores` does (tests check both give the same scores). The built index is saved beside the store and
reloaded on the next start; tokens are cached per speech, so a changed corpus re-tokenises only the new
speeches.
"""
from __future__ import annotations

import hashlib
import pickle
import sqlite3
from pathlib import Path

import numpy as np
from scipy import sparse

from ingest.chunking import chunk_paragraph
from ingest.model import Paragraph, Speech
from ingest.text import quoted_terms, register_terms, tokenize

BM25_CHUNK = 240  # characters of a keyword window
K1, B = 1.5, 0.75  # Okapi BM25 term-frequency saturation and length normalisation


def speech_tokens(speech: Speech) -> list[tuple[int, list[str]]]:
    """(paragraph number, tokens) for each keyword window of a speech; a heading line is one window."""
    out = []
    for p in speech.paragraphs:
        if p.is_heading:
            out.append((p.number, tokenize(p.text)))
        else:
            out.extend((p.number, tokenize(f"{p.heading} {c.text}")) for c in chunk_paragraph(p, BM25_CHUNK))
    return out


class TokenCache:
    """Tokens per speech content hash, in SQLite: unchanged speeches are never tokenised twice."""

    def __init__(self, path: Path | None) -> None:
        self._db = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
            self._db.execute("CREATE TABLE IF NOT EXISTS tokens (hash TEXT PRIMARY KEY, data BLOB)")

    def get(self, speech: Speech) -> list[tuple[int, list[str]]]:
        if self._db is not None:
            row = self._db.execute("SELECT data FROM tokens WHERE hash = ?", (speech.hash,)).fetchone()
            if row:
                return pickle.loads(row[0])
        toks = speech_tokens(speech)
        if self._db is not None:
            self._db.execute("INSERT OR REPLACE INTO tokens VALUES (?, ?)", (speech.hash, pickle.dumps(toks, 5)))
            self._db.commit()
        return toks


def signature(speeches: dict[str, Speech]) -> str:
    return hashlib.sha256("|".join(sorted(f"{s.id}@{s.hash}" for s in speeches.values())).encode()).hexdigest()[:16]


class KeywordIndex:
    def __init__(self, speeches: dict[str, Speech], cache: TokenCache | None = None) -> None:
        ordered = sorted(speeches.values(), key=lambda s: s.id)
        self.terms = quoted_terms(p.text for s in ordered for p in s.paragraphs)
        register_terms(self.terms)
        self.paragraphs: list[Paragraph] = [p for s in ordered for p in s.paragraphs]
        self.position = {(p.speech, p.number): i for i, p in enumerate(self.paragraphs)}
        cache = cache or TokenCache(None)
        vocab: dict[str, int] = {}
        rows, cols, tfs, owner, lengths = [], [], [], [], []
        p_rows, p_cols = [], []
        for s in ordered:
            seen_par: dict[int, set[int]] = {}
            for number, toks in cache.get(s):
                r = len(owner)
                par = self.position[(s.id, number)]
                owner.append(par)
                lengths.append(len(toks))
                counts: dict[int, int] = {}
                for t in toks:
                    c = vocab.setdefault(t, len(vocab))
                    counts[c] = counts.get(c, 0) + 1
                rows.extend([r] * len(counts))
                cols.extend(counts)
                tfs.extend(counts.values())
                seen_par.setdefault(par, set()).update(counts)
            for par, cs in seen_par.items():
                p_rows.extend([par] * len(cs))
                p_cols.extend(cs)
        self.vocab = vocab
        self._owner = np.array(owner, dtype=np.int64)
        n_chunks, n_terms = len(owner), len(vocab)
        rows_a, cols_a, tf = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(tfs, dtype=np.float64)
        dl = np.array(lengths, dtype=np.float64)
        avgdl = dl.mean() if n_chunks else 1.0
        df = np.bincount(cols_a, minlength=n_terms).astype(np.float64)
        idf = np.log(1 + (n_chunks - df + 0.5) / (df + 0.5))
        w = idf[cols_a] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl[rows_a] / max(avgdl, 1e-9)))
        self._w = sparse.csc_matrix((w, (rows_a, cols_a)), shape=(n_chunks, n_terms))
        # Paragraph postings, for coverage and for the idf that weighs question words.
        n_par = max(len(self.paragraphs), 1)
        self._p = sparse.csc_matrix((np.ones(len(p_rows)), (np.array(p_rows, dtype=np.int64), np.array(p_cols, dtype=np.int64))),
                                    shape=(len(self.paragraphs), n_terms))
        self._pidf = np.log((n_par + 1) / (np.diff(self._p.indptr) + 0.5))
        self.idf = {t: float(self._pidf[c]) for t, c in vocab.items()}
        self._by_speech: dict[str, np.ndarray] = {}
        for i, p in enumerate(self.paragraphs):
            self._by_speech.setdefault(p.speech, []).append(i)  # type: ignore[arg-type]
        self._by_speech = {k: np.array(v) for k, v in self._by_speech.items()}

    # -- persistence: the built index is saved beside the store and reused while the corpus is unchanged --
    def __getstate__(self):
        state = dict(self.__dict__)
        state["paragraphs"] = [(p.speech, p.number) for p in self.paragraphs]
        state.pop("_texts", None)
        del state["position"]
        return state

    @classmethod
    def load(cls, path: Path, speeches: dict[str, Speech]) -> "KeywordIndex":
        with open(path, "rb") as f:
            obj = pickle.load(f)
        obj.paragraphs = [speeches[sid].paragraphs[n - 1] for sid, n in obj.paragraphs]
        obj.position = {(p.speech, p.number): i for i, p in enumerate(obj.paragraphs)}
        register_terms(obj.terms)
        return obj

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as f:
            pickle.dump(self, f, protocol=5)
        tmp.replace(path)

    # -- queries ---------------------------------------------------------------------------------------
    def _columns(self, tokens: list[str], unique: bool = False) -> list[int]:
        toks = dict.fromkeys(tokens) if unique else tokens
        return [self.vocab[t] for t in toks if t in self.vocab]

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 per paragraph (its best window); repeated query tokens count again, as in rank-bm25."""
        out = np.zeros(len(self.paragraphs))
        cols = self._columns(query_tokens)
        if not cols:
            return out
        sub = self._w[:, cols]
        per_chunk = np.bincount(sub.indices, weights=sub.data, minlength=self._w.shape[0])
        hit = np.unique(sub.indices)
        np.maximum.at(out, self._owner[hit], per_chunk[hit])
        return out

    def chunk_scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 per keyword window (for tests against rank-bm25)."""
        cols = self._columns(query_tokens)
        if not cols:
            return np.zeros(self._w.shape[0])
        sub = self._w[:, cols]
        return np.bincount(sub.indices, weights=sub.data, minlength=self._w.shape[0])

    def coverage(self, query_tokens: list[str]) -> np.ndarray:
        """Share of the question's distinct tokens known to the corpus (idf-weighted) that each
        paragraph contains, 0..1. Unknown tokens are left out: they rank nothing (whether the speeches
        can answer at all is qa.evidence's question)."""
        cols = self._columns(query_tokens, unique=True)
        if not cols:
            return np.zeros(len(self.paragraphs))
        weights = self._pidf[cols]
        sub = self._p[:, cols]
        w = np.repeat(weights, np.diff(sub.indptr))
        cov = np.bincount(sub.indices, weights=w, minlength=len(self.paragraphs))
        return cov / weights.sum() if weights.sum() > 0 else cov

    def text(self, speeches: list[str] | None = None) -> str:
        """The lower-cased text of these speeches (all when None), joined; kept for repeat questions."""
        key = None if speeches is None else tuple(sorted(speeches))
        cache = self.__dict__.setdefault("_texts", {})
        if key not in cache:
            if len(cache) > 32:
                cache.clear()
            cache[key] = "\n".join(self.paragraphs[i].text for i in self.rows(speeches)).lower()
        return cache[key]

    def rows(self, speeches: list[str] | None) -> np.ndarray:
        if speeches is None:
            return np.arange(len(self.paragraphs))
        parts = [self._by_speech[s] for s in speeches if s in self._by_speech]
        return np.concatenate(parts) if parts else np.array([], dtype=int)
