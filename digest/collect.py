"""Collect every paragraph on a topic (原文摘编), not the top k.

Two channels:
- literal: every paragraph that contains the topic as written (each unit of the topic matched whole, so
  “作风建设” is not found in "作风…建设"), compared in ingest.text's normal form;
- related: paragraphs that speak to it in other words, from the hybrid ranking (Retriever.rank): under a
  section whose heading names the topic, or covering the topic's words with a fused score near the
  literal paragraphs' own (cuts in RelatedCuts, calibrated on eval/digest_topics.jsonl by
  `python bench/digest.py --calibrate`).
The dense channel alone never adds a paragraph: e5 puts every in-domain pair close together. When no
paragraph has the topic as written, a related one must also hold all the topic's words within one
sentence, so "公共租赁住房" finds nothing rather than paragraphs that mention 住房 in passing.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from ingest.model import Speech
from ingest.structure import SALUTATION
from ingest.text import normalize, sentence_spans

from qa.citations import make_citation
from qa.model import Citation, Passage

from .dates import SpeechDate, infer_date

LONG_PARAGRAPH = 360  # characters: a longer paragraph is excerpted as the sentences on the topic
MIN_EXCERPT = 80  # characters: a span of a long paragraph grows by whole sentences to at least this
RANK_LIMIT = 400  # candidates asked of the ranking per collection
MAX_TOPIC_CHARS = 40
_SEPARATORS = re.compile(r"[\s、,，;；/|]+")
_QUOTES = re.compile(r"[“”\"「」『』《》‘’']")


@dataclass(frozen=True)
class RelatedCuts:
    """When a paragraph without the topic's words as written still speaks to it."""
    heading: bool = True  # under a section whose heading names the topic
    min_cover: float = 0.5  # idf-weighted share of the topic's tokens in the paragraph
    min_share: float = 0.5  # fused score as a share of the best literal paragraph's


# Chosen by F1 on the dev half of eval/digest_topics.jsonl (dev P 0.968 R 0.968); on the held-out half
# P 0.884 R 0.953 over all paragraphs, 0.53 / 0.75 over the related (non-literal) ones; absent topics 4/4.
CUTS = RelatedCuts()


@dataclass
class Excerpt:
    citation: Citation  # the verbatim text (checked by qa.citations)
    date: SpeechDate
    cut_before: bool = False  # a span of a long paragraph: text before it left out (…)
    cut_after: bool = False
    how: str = "literal"  # literal | heading | related
    score: float = 0.0
    also: list["Excerpt"] = field(default_factory=list)  # the same passage in other speeches

    @property
    def speech(self) -> str:
        return self.citation.speech

    @property
    def paragraph(self) -> int:
        return self.citation.paragraph

    @property
    def key(self) -> str:
        return f"{self.speech}§{self.paragraph}"

    @property
    def text(self) -> str:
        return ("…" if self.cut_before else "") + self.citation.quote + ("…" if self.cut_after else "")

    def source(self) -> str:
        """The source line printed under an excerpt: 《title》（date）§n · heading."""
        c = self.citation
        line = f"《{c.title}》（{self.date.display()}）§{c.paragraph}" + (f" · {c.heading}" if c.heading else "")
        for d in self.also:
            line += f"；又见《{d.citation.title}》（{d.date.display()}）§{d.paragraph}"
        return line

    def to_json(self) -> dict:
        c = self.citation
        out = {"speech": c.speech, "title": c.title, "date": self.date.label, "paragraph": c.paragraph,
               "heading": c.heading, "text": self.text}
        if self.also:
            out["also"] = [{"speech": d.speech, "title": d.citation.title, "date": d.date.label,
                            "paragraph": d.paragraph} for d in self.also]
        return out


def topic_terms(topic: str) -> list[str]:
    """The units of a topic in normal form: “作风建设” → [作风建设]; "四风、一岗双责" → [四风, 一岗双责]."""
    plain = _QUOTES.sub(" ", topic)
    return list(dict.fromkeys(normalize(t) for t in _SEPARATORS.split(plain) if t.strip()))


class Collector:
    """Collects excerpts through a Retriever; keeps the normal forms of the speeches it has seen."""

    def __init__(self, retriever, cuts: RelatedCuts = CUTS) -> None:
        self.retriever = retriever
        self.cuts = cuts
        self._norm: dict[str, list[str]] = {}  # speech content hash → normal form of each paragraph
        self._lock = threading.Lock()

    def speeches(self) -> dict[str, Speech]:
        return self.retriever.speeches()

    def normal_forms(self, speech: Speech) -> list[str]:
        with self._lock:
            got = self._norm.get(speech.hash)
        if got is None:
            got = [normalize(p.text) for p in speech.paragraphs]
            with self._lock:
                self._norm[speech.hash] = got
        return got

    def literal(self, terms: list[str], speeches: list[Speech]) -> set[tuple[str, int]]:
        return {(s.id, i) for s in speeches for i, t in enumerate(self.normal_forms(s), start=1)
                if any(term in t for term in terms)}

    def collect(self, topic: str, ids: list[str] | None = None) -> list[Excerpt]:
        """Every excerpt on the topic in these speeches (all when None), best first."""
        all_speeches = self.speeches()
        chosen = [all_speeches[i] for i in (ids or sorted(all_speeches)) if i in all_speeches]
        terms = topic_terms(topic)
        if not terms or not chosen:
            return []
        literal = self.literal(terms, chosen)
        ranked = self.retriever.rank(topic, [s.id for s in chosen], k=len(chosen), limit=RANK_LIMIT, detect=False)
        by_key = {(p.speech, p.paragraph): p for p in ranked}
        picked = {key: "literal" for key in literal}
        picked.update(self._related(topic, terms, ranked, literal))
        dates = {s.id: infer_date(s) for s in chosen}
        out = []
        for (sid, n), how in picked.items():
            p = by_key.get((sid, n))
            out.append(self._excerpt(all_speeches, sid, n, terms, how, p, dates[sid]))
        out.sort(key=lambda e: (-int(e.how == "literal"), -e.score, e.speech, e.paragraph))
        return out

    def _related(self, topic: str, terms: list[str], ranked: list[Passage], literal) -> dict:
        cuts = self.cuts
        tokens = list(dict.fromkeys(self.retriever.tokenizer().tokenize(topic)))
        idf = self.retriever.idf()
        weight = {t: idf.get(t, 0.0) for t in tokens}
        total = sum(weight.values())
        best = max((p.score for p in ranked if (p.speech, p.paragraph) in literal), default=0.0)
        if best <= 0:
            best = ranked[0].score if ranked else 0.0
        out = {}
        for p in ranked:
            key = (p.speech, p.paragraph)
            if key in literal or SALUTATION.match(p.text) or len(p.text) < 2:
                continue
            if not literal and not _in_one_sentence(p.text, tokens):
                continue
            if cuts.heading and any(t in normalize(p.heading) for t in terms):
                out[key] = "heading"
                continue
            low = p.text.lower()
            cover = sum(w for t, w in weight.items() if t in low) / total if total > 0 else 0.0
            if cover >= cuts.min_cover and best > 0 and p.score >= cuts.min_share * best:
                out[key] = "related"
        return out

    def _excerpt(self, speeches, sid: str, n: int, terms: list[str], how: str, p: Passage | None,
                 date: SpeechDate) -> Excerpt:
        text = speeches[sid].paragraphs[n - 1].text
        start, end = _span(text, terms, p)
        cite = make_citation(speeches, 0, sid, n, text[start:end])  # raises if it were not verbatim
        return Excerpt(cite, date, start > 0, end < len(text.rstrip()), how, p.score if p else 0.0)


def _in_one_sentence(text: str, tokens: list[str]) -> bool:
    low = text.lower()
    return bool(tokens) and any(all(t in low[s:e] for t in tokens) for s, e in sentence_spans(low))


def _span(text: str, terms: list[str], p: Passage | None) -> tuple[int, int]:
    """The whole paragraph, or for a long one the sentences on the topic: from the first to the last
    sentence naming it, else the sentences around the best matching chunk."""
    whole = (0, len(text.rstrip()))
    if len(text) <= LONG_PARAGRAPH:
        return whole
    spans = sentence_spans(text)
    hits = [(s, e) for s, e in spans if any(t in normalize(text[s:e]) for t in terms)]
    if not hits and p is not None and p.chunk:
        cs, ce = p.chunk
        hits = [(s, e) for s, e in spans if s < ce and e > cs]
    if not hits:
        return whole
    first = spans.index(hits[0])
    last = spans.index(hits[-1])
    while spans[last][1] - spans[first][0] < MIN_EXCERPT and (first > 0 or last < len(spans) - 1):
        first, last = (first - 1, last) if last == len(spans) - 1 else (first, last + 1)
    start, end = spans[first][0], spans[last][1]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else whole
