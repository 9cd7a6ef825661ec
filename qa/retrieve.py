"""Hybrid retrieval: BM25 over jieba tokens fused with dense chunk similarity, one result per paragraph.

Scoring, per paragraph of the allowed speeches:
- keyword: BM25 of the question's tokens (a paragraph scores as its best window), divided by the best
  score and scaled by how much of the question the best paragraph covers;
- coverage: the idf-weighted share of the question's known tokens the paragraph contains;
- dense: the best cosine of the paragraph's chunks, rescaled between the weakest and strongest dense hit;
- fused = W_KEYWORD * keyword + W_COVER * coverage + W_DENSE * dense.
An English question (no Chinese in it) is weighed otherwise (EN_WEIGHTS): its keywords are dictionary
translations, which seldom are the words the speeches chose, so it leans on the dense side and on BM25
over the paragraphs' English glosses (qa/gloss.py), the weights chosen on the tune half of the structure
questions (eval/dev_structure.jsonl).
The first page (FIRST_PAGE results, or k when more are asked for) then includes the best paragraph of every
speech whose best scores SPEECH_SHARE of the overall best, so a question that several speeches speak to
surfaces each of them instead of ten paragraphs of one. The page stays in score order and `search -k`
cuts it, so the first five results are the same whatever k asks for.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from ingest.text import LIST_QUESTION, Tokenizer, has_cjk
from vectorstore.keyword import KeywordIndex, TokenCache, signature

from .crosslingual import expansions
from .gloss import GlossIndex
from .model import Passage
from .scope import detect_scope
from .units import UnitIndex

W_KEYWORD = 0.6
W_DENSE = 0.4
W_COVER = 0.2
# English: (keyword, coverage, dense, gloss). The tune half scored the same from gloss 0.8 to 1.2 with dense
# 0.4, and keyword 0 to 0.4 changed nothing: its translations are mostly glossed too.
EN_WEIGHTS = (0.2, 0.0, 0.4, 1.0)
SPEECH_SHARE = 0.4  # a speech "speaks to" the question when its best paragraph scores this share of the best
# English scores are flatter (glosses and dense both match loosely): at 0.4 nearly every speech qualified
# and its best paragraph pushed out better ones; the tune half kept the most at 0.9.
EN_SPEECH_SHARE = 0.9
DENSE_CANDIDATES = 64  # chunk hits asked of the vector store per question
DENSE_FLOOR = 0.01  # the weakest dense hit still counts as a candidate
# Guaranteeing each speech a place among the first 5 pushed better paragraphs out (search -k 5 and
# -k 10 also disagreed on their first five); among the first 10, in score order, the tune halves of the
# structure sets gained in every kind (enumerations 0.824 → 0.862 recall@5) and the dev sets kept theirs.
FIRST_PAGE = 10
RANK_LIMIT = 50  # candidates returned by rank()
CANDIDATE_POOL = 3  # candidates kept before diversifying, as a multiple of the limit
_ENCODER = ThreadPoolExecutor(max_workers=4, thread_name_prefix="speechqa-encode")


class Retriever:
    def __init__(self, store, cache_dir: Path | None = None) -> None:
        self.store = store
        self.cache_dir = cache_dir  # where the built keyword index and the token cache are kept
        self._kw: KeywordIndex | None = None
        self._kw_sig: str | None = None
        self._kw_version = -1
        self._lock = threading.Lock()
        self._units: tuple[KeywordIndex, UnitIndex] | None = None
        self._gloss: tuple[KeywordIndex, GlossIndex] | None = None
        self._gloss_lock = threading.Lock()  # its own: a large corpus takes seconds to gloss, searches go on

    def unit_index(self, kw: KeywordIndex) -> UnitIndex:
        """The speeches' enumerations and outlines, in the rows of this keyword index."""
        with self._lock:
            if self._units is None or self._units[0] is not kw:
                self._units = (kw, UnitIndex(self.store.speeches(), kw.position))
            return self._units[1]

    def gloss_index(self, kw: KeywordIndex) -> GlossIndex:
        """The paragraphs' English glosses (built on the first English question), in this index's rows."""
        with self._gloss_lock:
            if self._gloss is None or self._gloss[0] is not kw:
                self._gloss = (kw, GlossIndex(kw.paragraphs, kw.tokenizer))
            return self._gloss[1]

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
        path = self.cache_dir / f"keyword-{sig}.npz"
        if path.exists():
            try:
                return KeywordIndex.load(path, speeches)
            except Exception:  # a stale or damaged file: rebuild it
                path.unlink(missing_ok=True)
        tokens = TokenCache(self.cache_dir / "tokens.sqlite")
        try:
            kw = KeywordIndex(speeches, tokens)
        finally:
            tokens.close()
        kw.save(path)
        # Other corpora's indexes, and pickles of the previous format, which are never unpickled.
        for old in [*self.cache_dir.glob("keyword-*.npz"), *self.cache_dir.glob("keyword-*.pkl")]:
            if old != path:
                old.unlink(missing_ok=True)
        return kw

    # -- what the answerer needs, without reaching into the store or the index ---------------------------
    def idf(self) -> dict[str, float]:
        """Paragraph-level idf of every corpus token."""
        return self.keyword_index().idf

    def tokenizer(self) -> Tokenizer:
        """How this corpus cuts text (its quoted terms are one token each); cut a question with it."""
        return self.keyword_index().tokenizer

    def corpus_text(self, speeches: list[str] | None = None) -> str:
        """The lower-cased text of these speeches (all when None)."""
        return self.keyword_index().text(speeches)

    def embed_query(self, text: str) -> list[float]:
        return self.store.embeddings.embed_query(text)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.store.embeddings.embed_documents(texts)

    def speeches(self):
        return self.store.speeches()

    def clear_query_cache(self) -> None:
        """Forget cached question vectors (the eval times a question's encoding too)."""
        getattr(self.store.embeddings, "clear_query_cache", lambda: None)()

    def scope(self, question: str) -> tuple[list[str] | None, str]:
        """(speech ids the question names, the question without the naming words)."""
        return detect_scope(question, self.store.speeches())

    # -- ranking ------------------------------------------------------------------------------------
    def search(self, question: str, k: int = 5, speeches: list[str] | None = None) -> list[Passage]:
        """The best k paragraphs. A leading list longer than k gives its intro's place to its items: the
        items are the answer, and each result's heading still says where they stand."""
        if k <= 0:
            return []
        res = self.rank(question, speeches, k=k)
        led = sum(1 for p in res if p.unit)
        if led > k and res[0].unit == 1:
            res = res[1:led] + [res[0]] + res[led:]
        return res[:k]

    def rank(self, question: str, speeches: list[str] | None = None, k: int = 5, limit: int = RANK_LIMIT,
             detect: bool = True) -> list[Passage]:
        """Candidate paragraphs best first (up to `limit`); the first max(k, FIRST_PAGE) cover every speech
        that speaks to the question. With `detect`, a question that names a speech is scoped to it."""
        question = question.strip()
        if not question:
            return []
        if speeches is None and detect:
            speeches, question = self.scope(question)
        kw = self.keyword_index()
        if not kw.paragraphs:
            return []
        allowed = None
        if speeches is not None:
            allowed = np.zeros(len(kw.paragraphs), dtype=bool)
            allowed[kw.rows(speeches)] = True
            if not allowed.any():
                return []
        sc = self._score(kw, question, speeches, allowed)
        lead = self.unit_index(kw).lead(sc.fused, listing=bool(LIST_QUESTION.search(question)))
        if lead:
            sc.lead, sc.lead_score = lead, float(sc.fused.max())
        return self._select(kw, sc, k, limit)

    def _score(self, kw: KeywordIndex, question: str, speeches, allowed) -> "_Scores":
        """Fused keyword, coverage and dense scores of every paragraph. The model encodes the question on
        another thread (its C engine releases the GIL) while the keyword side is scored here."""
        n = len(kw.paragraphs)
        vec_future = _ENCODER.submit(self.store.embeddings.embed_query, question)
        tokens = kw.tokenizer.tokenize(question)
        english = not has_cjk(question)
        gloss = np.zeros(n)
        if english:  # add the dictionary translations the corpus uses; score the glosses
            tokens += kw.tokenizer.tokenize(" ".join(expansions(question, kw.text(None))))
            gloss = self.gloss_index(kw).scores(question)
        bm = kw.scores(tokens)
        cov = kw.coverage(tokens)
        if allowed is not None:
            for a in (bm, cov, gloss):
                a[~allowed] = 0.0
        # Scaled by how much of the question the best paragraph covers at all: a keyword channel that
        # matched one minor word must not count as much as one that matched the whole question.
        bm_n = bm / bm.max() * cov.max() if bm.max() > 0 else bm
        sc = _Scores(bm_n, np.zeros(n), np.zeros(n))
        hits = self.store.dense_search(vec_future.result(), DENSE_CANDIDATES, speeches)
        if hits:
            lo, hi = min(h[1] for h in hits), max(h[1] for h in hits)
            for meta, sim in hits:
                i = kw.position.get((meta["speech"], int(meta["paragraph"])))
                if i is None:
                    continue
                span = (int(meta["start"]), int(meta["end"]))
                rel = (sim - lo) / (hi - lo) if hi > lo else 1.0
                sc.spans.setdefault(i, []).append((*span, rel))
                if sim > sc.dense[i]:
                    sc.dense[i] = sim
                    sc.best_chunk[i] = span
                    # Every dense hit stays a candidate (> 0), the weakest just barely.
                    sc.dense_n[i] = DENSE_FLOOR + (1 - DENSE_FLOOR) * rel
        w_kw, w_cov, w_dense, w_gloss = EN_WEIGHTS if english else (W_KEYWORD, W_COVER, W_DENSE, 0.0)
        sc.fused = w_kw * bm_n + w_cov * cov + w_dense * sc.dense_n
        sc.share = EN_SPEECH_SHARE if english else SPEECH_SHARE
        if gloss.max() > 0:
            sc.fused += w_gloss * gloss / gloss.max()
        return sc

    def _select(self, kw: KeywordIndex, sc: "_Scores", k: int, limit: int) -> list[Passage]:
        """The best `limit` candidates as Passages, diversified across speeches in the top k."""
        fused = sc.fused
        cand = np.flatnonzero(fused > 0)
        pool = limit * CANDIDATE_POOL
        if cand.size > pool:
            cand = cand[np.argpartition(-fused[cand], pool)[:pool]]
        cand = cand[np.argsort(-fused[cand], kind="stable")]
        picked = diversify([kw.paragraphs[i].speech for i in cand], fused[cand], max(k, FIRST_PAGE), limit,
                           sc.share)
        # A leading unit comes first, whole and in order; its members carry the unit's score.
        rows = sc.lead + [int(cand[j]) for j in picked if int(cand[j]) not in sc.lead]
        live = self.store.speeches()
        out = []
        for i in rows[:max(limit, len(sc.lead))]:
            p = kw.paragraphs[i]
            score = sc.lead_score if i in sc.lead else float(fused[i])
            out.append(Passage(p.speech, live[p.speech].title if p.speech in live else p.speech, p.number,
                               p.heading, p.text, score, float(sc.keyword[i]), float(sc.dense[i]),
                               sc.best_chunk.get(i), sc.spans.get(i, []),
                               sc.lead.index(i) + 1 if i in sc.lead else 0))
        return out


@dataclass
class _Scores:
    keyword: np.ndarray  # normalised BM25, 0..1
    dense: np.ndarray  # best raw cosine per paragraph
    dense_n: np.ndarray  # rescaled between the weakest and strongest dense hit
    fused: np.ndarray | None = None
    lead: list[int] = field(default_factory=list)  # rows of a unit that leads the results whole
    lead_score: float = 0.0
    share: float = SPEECH_SHARE  # of the best score, for a speech's best paragraph to enter the top k
    best_chunk: dict[int, tuple[int, int]] = field(default_factory=dict)
    spans: dict[int, list[tuple[int, int, float]]] = field(default_factory=dict)


def diversify(speech_of: list[str], fused: np.ndarray, k: int, limit: int, share: float = SPEECH_SHARE) -> list[int]:
    """Indices best first, except that the top k include the best paragraph of every speech whose best
    scores at least `share` of the overall best (as far as k allows)."""
    order = [int(i) for i in np.argsort(-fused, kind="stable") if fused[i] > 0][:limit]
    if not order:
        return []
    floor = share * fused[order[0]]
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
