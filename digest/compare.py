"""How the speeches' treatment of a topic changed over time (对比).

- Each speech is searched on its own with the same budget (PER_SPEECH excerpts shown), so one speech
  cannot take every slot; a speech with nothing on the topic is listed as silent (未涉及), never dropped.
- 新提法: quoted formulations and topic words in a speech's excerpts that no earlier speech uses anywhere.
- Pairs: a sentence that continues an earlier speech's point (character similarity ≥ PAIR_RATIO with a
  sentence of an earlier speech's excerpts), with a character-level diff classified 新增 / 删去 / 改写 / 延续.
  Both sides are verbatim sentences, checked like citations.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ingest.model import Speech
from ingest.text import QUOTED, STOPWORDS, Tokenizer, has_cjk, normalize, sentence_spans, tokenize, words

from qa.citations import make_citation
from qa.model import Citation

from .collect import Collector, Excerpt
from .dates import SpeechDate, by_date

PER_SPEECH = 6  # excerpts shown per speech: the same budget for every speech
PAIR_RATIO = 0.5  # a later sentence this similar to an earlier one continues its point
SAME_RATIO = 0.9  # …and this similar, it says the same thing again (延续)
MAX_PAIRS = 4  # aligned pairs shown per speech, most similar first
MIN_SENTENCE = 8  # characters: shorter sentences are not aligned
SKETCH = 8  # smallest trigram hashes per sentence; alignment candidates share one
TOKEN_IDF_SHARE = 0.6  # a topic token counts when its idf is at least this share of the topic's rarest
MAX_TERM = 20  # characters of a quoted formulation counted as a 新提法
_MASKED = re.compile(r"[*＊xX×]{1,}|\d")


@dataclass
class Column:
    speech: Speech
    date: SpeechDate
    excerpts: list[Excerpt]  # shown (at most PER_SPEECH), by §
    found: int  # paragraphs on the topic in this speech (before the budget)
    new_terms: list[str] = field(default_factory=list)
    first: bool = False  # the earliest speech on the topic: nothing earlier to compare with

    @property
    def silent(self) -> bool:
        return not self.excerpts

    def to_json(self) -> dict:
        return {"speech": self.speech.id, "title": self.speech.title, "date": self.date.label,
                "date_inferred": self.date.inferred, "date_evidence": self.date.evidence, "silent": self.silent,
                "found": self.found, "excerpts": [e.to_json() for e in self.excerpts], "new_terms": self.new_terms}


@dataclass
class Pair:
    old: Citation  # the earlier speech's sentence
    new: Citation  # the later speech's sentence
    old_date: SpeechDate
    new_date: SpeechDate
    kind: str  # 新增 | 删去 | 改写 | 延续
    diff: list[dict]  # {"op": equal|insert|delete|replace, "from": …, "to": …}

    def to_json(self) -> dict:
        def side(c: Citation, d: SpeechDate) -> dict:
            return {"speech": c.speech, "title": c.title, "date": d.label, "paragraph": c.paragraph, "text": c.quote}

        return {"from": side(self.old, self.old_date), "to": side(self.new, self.new_date), "kind": self.kind,
                "diff": self.diff}


@dataclass
class Comparison:
    topic: str
    columns: list[Column]  # date order
    pairs: list[Pair]

    def to_json(self) -> dict:
        return {"topic": self.topic, "speeches": [c.to_json() for c in self.columns],
                "pairs": [p.to_json() for p in self.pairs]}


def compare(collector: Collector, topic: str, ids: list[str] | None = None) -> Comparison:
    topic = topic.strip()
    speeches = collector.speeches()
    chosen = [speeches[i] for i in (ids or sorted(speeches)) if i in speeches]
    everything = collector.collect(topic, [s.id for s in chosen])  # the digest's collection, best first
    columns = []
    for sp, date in by_date(chosen):
        found = [e for e in everything if e.speech == sp.id]
        if not found:  # a speech silent in the joint ranking is searched on its own before it is called so
            found = collector.collect(topic, [sp.id])
        shown = sorted(found[:PER_SPEECH], key=lambda e: e.paragraph)
        columns.append(Column(sp, date, shown, len(found)))
    _mark_new_terms(topic_tokens(topic, collector.retriever.idf(), collector.retriever.tokenizer()), columns)
    return Comparison(topic, columns, align(speeches, columns))


# -- 新提法 -----------------------------------------------------------------------------------------------
def topic_tokens(topic: str, idf: dict[str, float], tokenizer: Tokenizer | None = None) -> list[str]:
    """The topic's distinctive tokens: 作风建设 → [作风] (建设 is in too many paragraphs to say much)."""
    tokens = [t for t in dict.fromkeys(tokenize(topic, tokenizer)) if len(t) >= 2]
    top = max((idf.get(t, 0.0) for t in tokens), default=0.0)
    return [t for t in tokens if idf.get(t, top) >= TOKEN_IDF_SHARE * top]


def candidate_terms(tokens: list[str], texts: list[str]) -> list[str]:
    """Quoted formulations and words containing a topic token (作风 → 作风问题), from the sentences that
    name the topic (all sentences of an excerpt that names it in none)."""
    out = []
    for text in texts:
        spans = [text[s:e] for s, e in sentence_spans(text)]
        on_topic = [x for x in spans if any(t in x.lower() for t in tokens)] or spans
        text = "".join(on_topic)
        for q in QUOTED.findall(text):
            q = q.strip()
            if 2 <= len(q) <= MAX_TERM and has_cjk(q) and not _MASKED.search(q):
                out.append(q)
        for w in words(text):
            if len(w) > 2 and w not in STOPWORDS and any(t in w and t != w for t in tokens):
                out.append(w)
    return list(dict.fromkeys(out))


def _mark_new_terms(tokens: list[str], columns: list[Column]) -> None:
    earlier: list[str] = []  # normal forms of the earlier speeches' whole text
    seen_topic = False
    for col in columns:
        if col.excerpts:
            col.first = not seen_topic
            if seen_topic:
                terms = candidate_terms(tokens, [e.citation.quote for e in col.excerpts])
                col.new_terms = [t for t in terms if not any(normalize(t) in text for text in earlier)]
            seen_topic = True
        earlier.append(normalize("\n".join(p.text for p in col.speech.paragraphs)))


# -- aligned pairs ---------------------------------------------------------------------------------------
@dataclass
class _Sentence:
    excerpt: Excerpt
    text: str
    index: int  # column position (date order)


def _sentences(col_index: int, col: Column) -> list[_Sentence]:
    out = []
    for e in col.excerpts:
        q = e.citation.quote
        for s, t in sentence_spans(q):
            text = q[s:t].strip()
            if len(text) >= MIN_SENTENCE:
                out.append(_Sentence(e, text, col_index))
    return out


def _sketch(text: str) -> set[int]:
    plain = normalize(text)
    grams = {plain[i:i + 3] for i in range(max(1, len(plain) - 2))}
    return set(sorted(int(hashlib.blake2b(g.encode(), digest_size=8).hexdigest(), 16) for g in grams)[:SKETCH])


def classify(a: str, b: str) -> tuple[str, list[dict], float]:
    """(kind, character diff, similarity) of an earlier sentence a and a later sentence b."""
    sm = SequenceMatcher(None, a, b, autojunk=False)
    ops = [{"op": op, "from": a[i1:i2], "to": b[j1:j2]} for op, i1, i2, j1, j2 in sm.get_opcodes()]
    ratio = sm.ratio()
    changed = {o["op"] for o in ops} - {"equal"}
    if not changed or ratio >= SAME_RATIO:
        kind = "延续"
    elif changed == {"insert"}:
        kind = "新增"
    elif changed == {"delete"}:
        kind = "删去"
    else:
        kind = "改写"
    return kind, ops, ratio


def align(speeches: dict[str, Speech], columns: list[Column]) -> list[Pair]:
    """For each later speech, its sentences that continue an earlier speech's point (best match each)."""
    buckets: dict[int, list[_Sentence]] = {}
    pairs: list[Pair] = []
    for ci, col in enumerate(columns):
        mine = _sentences(ci, col)
        found = []
        for s in mine:
            cands = {id(c): c for h in _sketch(s.text) for c in buckets.get(h, [])}.values()
            best = None
            for c in cands:
                kind, ops, ratio = classify(c.text, s.text)
                if ratio >= PAIR_RATIO and (best is None or (ratio, c.index) > (best[2], best[3].index)):
                    best = (kind, ops, ratio, c)
            if best:
                found.append((best, s))
        found.sort(key=lambda f: -f[0][2])
        for (kind, ops, _ratio, c), s in found[:MAX_PAIRS]:
            old = make_citation(speeches, 0, c.excerpt.speech, c.excerpt.paragraph, c.text)
            new = make_citation(speeches, 0, s.excerpt.speech, s.excerpt.paragraph, s.text)
            pairs.append(Pair(old, new, c.excerpt.date, s.excerpt.date, kind, ops))
        for s in mine:
            for h in _sketch(s.text):
                buckets.setdefault(h, []).append(s)
    return pairs
