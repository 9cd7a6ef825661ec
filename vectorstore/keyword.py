"""Keyword index: BM25 over jieba tokens of chunk-sized windows; a paragraph scores as its best window.

Terms the speeches put in quotes (“四风”, “三会一课”, “一岗双责”) are words of the index's own tokenizer
(ingest.text.Tokenizer), so such a term is one token and not scattered characters; the process-wide
jieba dictionary is never changed, and questions are cut with `KeywordIndex.tokenizer`.

BM25 is the Okapi formula with Lucene's idf, log(1 + (N - n + 0.5) / (n + 0.5)), which stays positive
for a term in half the chunks of a small upload. The weights are precomputed into a sparse matrix
(scipy), so a query costs its terms' postings, not a pass over every document as rank-bm25's
`get_scores` does (tests check both give the same scores). The built index is saved beside the store and
reloaded on the next start; tokens are cached per speech, so a changed corpus re-tokenises only the new
speeches. Nothing on disk is pickled (anyone who can write the index folder could otherwise run code as
the app): arrays go in an .npz read with allow_pickle=False, the rest is JSON.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from pathlib import Path

import numpy as np
from scipy import sparse

from ingest.chunking import chunk_paragraph
from ingest.model import Paragraph, Speech
from ingest.text import Tokenizer, quoted_terms

BM25_CHUNK = 240  # characters of a keyword window
K1, B = 1.5, 0.75  # Okapi BM25 term-frequency saturation and length normalisation


def bm25_weights(rows: np.ndarray, cols: np.ndarray, tf: np.ndarray, lengths: np.ndarray, n_terms: int,
                 k1: float = K1, b: float = B) -> sparse.csc_matrix:
    """Each (document, term)'s BM25 weight from its term frequency, precomputed so that a query costs
    only its terms' postings (sum the query's columns)."""
    n_docs = len(lengths)
    avgdl = lengths.mean() if n_docs else 1.0
    df = np.bincount(cols, minlength=n_terms).astype(np.float64)
    idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5))
    w = idf[cols] * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[rows] / max(avgdl, 1e-9)))
    return sparse.csc_matrix((w, (rows, cols)), shape=(n_docs, n_terms))


def speech_tokens(speech: Speech, tokenizer: Tokenizer | None = None) -> list[tuple[int, list[str]]]:
    """(paragraph number, tokens) for each keyword window of a speech; a heading line is one window."""
    tokenize = (tokenizer or Tokenizer()).tokenize
    out = []
    for p in speech.paragraphs:
        if p.is_heading:
            out.append((p.number, tokenize(p.text)))
        else:
            out.extend((p.number, tokenize(f"{p.heading} {c.text}")) for c in chunk_paragraph(p, BM25_CHUNK))
    return out


INDEX_FORMAT = 2  # of the saved keyword index; 1 was a pickle (keyword-*.pkl), never read again
LEGACY_TOKEN_TABLE = "tokens"  # format 1 kept pickled rows here; dropped unread


class TokenCache:
    """Tokens per speech content hash, as JSON in SQLite: unchanged speeches are never tokenised twice."""

    def __init__(self, path: Path | None) -> None:
        self._db = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
            self._db.execute(f"DROP TABLE IF EXISTS {LEGACY_TOKEN_TABLE}")
            self._db.execute("CREATE TABLE IF NOT EXISTS tokens_json (hash TEXT PRIMARY KEY, data TEXT)")
            self._db.commit()

    def get(self, speech: Speech, tokenizer: Tokenizer) -> list[tuple[int, list[str]]]:
        # Keyed by the speech and the corpus terms it was cut with: a new quoted term re-cuts every speech.
        key = speech.hash if not tokenizer.terms else f"{speech.hash}:{_terms_key(tokenizer.terms)}"
        if self._db is not None:
            row = self._db.execute("SELECT data FROM tokens_json WHERE hash = ?", (key,)).fetchone()
            if row:
                try:
                    return [(int(n), [str(t) for t in toks]) for n, toks in json.loads(row[0])]
                except (ValueError, TypeError):
                    pass  # a damaged row: tokenise again
        toks = speech_tokens(speech, tokenizer)
        if self._db is not None:
            self._db.execute("INSERT OR REPLACE INTO tokens_json VALUES (?, ?)",
                             (key, json.dumps(toks, ensure_ascii=False)))
            self._db.commit()
        return toks

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _terms_key(terms) -> str:
    return hashlib.sha256("|".join(sorted(terms)).encode()).hexdigest()[:16]


def signature(speeches: dict[str, Speech]) -> str:
    return hashlib.sha256("|".join(sorted(f"{s.id}@{s.hash}" for s in speeches.values())).encode()).hexdigest()[:16]


class KeywordIndex:
    def __init__(self, speeches: dict[str, Speech], cache: TokenCache | None = None) -> None:
        ordered = sorted(speeches.values(), key=lambda s: s.id)
        self.terms = quoted_terms(p.text for s in ordered for p in s.paragraphs)
        self.tokenizer = Tokenizer(self.terms)
        self._set_paragraphs([p for s in ordered for p in s.paragraphs])
        cache = cache or TokenCache(None)
        vocab: dict[str, int] = {}
        rows, cols, tfs, owner, lengths = [], [], [], [], []
        p_rows, p_cols = [], []
        for s in ordered:
            seen_par: dict[int, set[int]] = {}
            for number, toks in cache.get(s, self.tokenizer):
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
        n_terms = len(vocab)
        rows_a, cols_a, tf = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(tfs, dtype=np.float64)
        self._w = bm25_weights(rows_a, cols_a, tf, np.array(lengths, dtype=np.float64), n_terms)
        # Paragraph postings, for coverage and for the idf that weighs question words.
        n_par = max(len(self.paragraphs), 1)
        self._p = sparse.csc_matrix((np.ones(len(p_rows)), (np.array(p_rows, dtype=np.int64), np.array(p_cols, dtype=np.int64))),
                                    shape=(len(self.paragraphs), n_terms))
        self._pidf = np.log((n_par + 1) / (np.diff(self._p.indptr) + 0.5))
        self.idf = {t: float(self._pidf[c]) for t, c in vocab.items()}

    def _set_paragraphs(self, paragraphs: list[Paragraph]) -> None:
        self.paragraphs: list[Paragraph] = paragraphs
        self.position = {(p.speech, p.number): i for i, p in enumerate(paragraphs)}
        by_speech: dict[str, list[int]] = {}
        for i, p in enumerate(paragraphs):
            by_speech.setdefault(p.speech, []).append(i)
        self._by_speech = {k: np.array(v) for k, v in by_speech.items()}

    # -- persistence: the built index is saved beside the store and reused while the corpus is unchanged --
    @classmethod
    def load(cls, path: Path, speeches: dict[str, Speech]) -> "KeywordIndex":
        """Read a saved index (no pickle); ValueError when it is damaged or of another format."""
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(bytes(z["meta"]).decode("utf-8"))
            if meta.get("format") != INDEX_FORMAT:
                raise ValueError(f"keyword index format {meta.get('format')!r}, expected {INDEX_FORMAT}")
            obj = cls.__new__(cls)
            obj._w = sparse.csc_matrix((z["w_data"], z["w_indices"], z["w_indptr"]), shape=tuple(z["w_shape"]))
            obj._p = sparse.csc_matrix((z["p_data"], z["p_indices"], z["p_indptr"]), shape=tuple(z["p_shape"]))
            obj._owner, obj._pidf = z["owner"], z["pidf"]
        obj.terms = meta["terms"]
        obj.vocab = {t: i for i, t in enumerate(meta["vocab"])}
        obj.idf = {t: float(obj._pidf[c]) for t, c in obj.vocab.items()}
        try:
            obj._set_paragraphs([speeches[sid].paragraphs[n - 1] for sid, n in meta["paragraphs"]])
        except (KeyError, IndexError) as e:
            raise ValueError("the saved keyword index does not match the store") from e
        obj.tokenizer = Tokenizer(obj.terms)
        return obj

    def save(self, path: Path) -> None:
        """Write to a temporary file of its own, then rename: readers and other writers (threads or
        processes) only ever see a complete file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {"format": INDEX_FORMAT, "terms": list(self.terms),
                "vocab": sorted(self.vocab, key=self.vocab.__getitem__),
                "paragraphs": [[p.speech, p.number] for p in self.paragraphs]}
        arrays = {"meta": np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
                  "owner": self._owner, "pidf": self._pidf}
        for name, m in (("w", self._w), ("p", self._p)):
            arrays.update({f"{name}_data": m.data, f"{name}_indices": m.indices, f"{name}_indptr": m.indptr,
                           f"{name}_shape": np.array(m.shape, dtype=np.int64)})
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, **arrays)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

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
