"""What the item makers and checks need to know about the whole corpus, computed once per set of speeches:
the quoted key terms, the counted number words, the enumerations (一是…二是…), and the folded text of
every paragraph (to tell whether a statement or a distractor occurs anywhere in the speeches).
"""
from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field

from ingest.model import Paragraph, Speech
from ingest.text import CN_DIGITS, ITEM, NUMBER_WORD, answer_spans, key_terms
from qa.citations import fold

_CLAUSE_END = re.compile(r"[，,；;。！？：:]")
LEAD_LIMIT = 40  # the lead clause of an enumeration point: up to its first comma, at most this long


def lead_clause(text: str, start: int, limit: int = LEAD_LIMIT) -> str:
    m = _CLAUSE_END.search(text, start)
    end = m.start() if m else len(text)
    return text[start:min(end, start + limit)]


def enumeration_items(p: Paragraph) -> tuple[str, list[tuple[int, str]]] | None:
    """(intro sentence, [(offset, lead clause)]) when the paragraph lists 一是…二是… (two or more)."""
    spans = answer_spans(p.text)
    items, intro = [], ""
    for i, (s, e) in enumerate(spans):
        m = ITEM.match(p.text[s:e])
        if m and m.group(1) and len(items) < len(CN_DIGITS) and m.group(1) == CN_DIGITS[len(items)]:
            if not items and i > 0:
                intro = p.text[spans[i - 1][0]:spans[i - 1][1]]
            items.append((s, lead_clause(p.text, s)))
    return (intro, items) if len(items) >= 2 else None


NUMBERED = re.compile(rf"^(?:[{CN_DIGITS}]+、|[（(][{CN_DIGITS}\d]+[）)]\s*)")
SUBJECT_LIMIT = 40


def subject_of(p: Paragraph, intro: str) -> str:
    """What an enumeration is about: the paragraph's innermost heading, else its intro sentence."""
    subject = (p.heading_path[-1] if p.heading else "") or intro.rstrip("。：:；")
    return NUMBERED.sub("", subject).strip()[:SUBJECT_LIMIT]


def point_text(lead: str) -> str:
    """"二是思想政治建设不够深入" → "思想政治建设不够深入": the point without its 一是/二要 marker."""
    m = ITEM.match(lead)
    return lead[m.end():] if m else lead


@dataclass
class Enumeration:
    paragraph: Paragraph
    intro: str
    leads: list[str]  # with their markers, verbatim

    @property
    def points(self) -> list[str]:
        return [point_text(x) for x in self.leads]


@dataclass
class Corpus:
    terms: Counter = field(default_factory=Counter)  # quoted key term → paragraphs using it
    numbers: Counter = field(default_factory=Counter)  # counted number word → occurrences
    enumerations: list[Enumeration] = field(default_factory=list)
    folded: str = ""  # every paragraph, folded like citations are, one per line

    def occurs(self, text: str) -> bool:
        """The text occurs in some paragraph (whitespace and width folded, as quotes are matched)."""
        f, _ = fold(text)
        return bool(f) and f in self.folded


def build(speeches: dict[str, Speech]) -> Corpus:
    c = Corpus()
    lines = []
    for sid in sorted(speeches):
        for p in speeches[sid].paragraphs:
            c.terms.update(set(key_terms(p.text)))
            c.numbers.update(m.group(0) for m in NUMBER_WORD.finditer(p.text))
            lines.append(fold(p.text)[0])
            if not p.is_heading and (found := enumeration_items(p)):
                c.enumerations.append(Enumeration(p, found[0], [lead for _, lead in found[1]]))
    c.folded = "\n".join(lines)
    return c


_cache: dict[tuple, Corpus] = {}
_lock = threading.Lock()


def corpus_of(speeches: dict[str, Speech]) -> Corpus:
    """The corpus facts, cached while the speeches are unchanged (an upload gives a new key)."""
    key = tuple(sorted((sid, s.hash, len(s.paragraphs)) for sid, s in speeches.items()))
    with _lock:
        if key not in _cache:
            _cache.clear()
            _cache[key] = build(speeches)
        return _cache[key]
