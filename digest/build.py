"""A topic digest (原文摘编): the collected excerpts grouped by speech in date order, then by §, with
near-duplicates across speeches kept once, and a front note on what was searched and found."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ingest.model import Speech
from ingest.text import normalize

from .collect import Collector, Excerpt
from .dates import SpeechDate, by_date

DUPLICATE_RATIO = 0.85  # character similarity at which two excerpts of different speeches are one passage
SHINGLE = 5  # characters per shingle for finding duplicate candidates
SKETCH = 4  # smallest shingle hashes kept per excerpt; candidates share one
_PUNCT = str.maketrans("", "", "，。、；：！？“”‘’（）《》,.;:!?()\"' …")


@dataclass
class Digest:
    topic: str
    excerpts: list[Excerpt]
    speeches: list[tuple[Speech, SpeechDate]] = field(default_factory=list)  # searched, date order

    @property
    def absent(self) -> bool:
        return not self.excerpts

    def note(self) -> str:
        scope = f"检索范围：{len(self.speeches)}篇讲话" + (f"（{_range(self.speeches)}）" if self.speeches else "")
        how = f"；检索方式：逐字查找“{self.topic}”，并按语义查找论及该主题的段落。"
        if self.absent:
            return f"讲话中没有谈到“{self.topic}”。{scope}{how}"
        cited = {e.speech for e in self.excerpts} | {d.speech for e in self.excerpts for d in e.also}
        dated = [sd for sd in self.speeches if sd[0].id in cited]
        count = len(self.excerpts) + sum(len(e.also) for e in self.excerpts)
        dup = sum(len(e.also) for e in self.excerpts)
        merged = f"（其中{dup}段与他篇重复，合并列出）" if dup else ""
        return f"共{count}段{merged}，出自{len(cited)}篇讲话（{_range(dated)}）。{scope}{how}"

    def groups(self) -> list[tuple[Speech, SpeechDate, list[Excerpt]]]:
        """(speech, date, its excerpts by §) for each speech with excerpts, in date order."""
        out = []
        for sp, date in self.speeches:
            mine = sorted((e for e in self.excerpts if e.speech == sp.id), key=lambda e: e.paragraph)
            if mine:
                out.append((sp, date, mine))
        return out

    def ordered(self) -> list[Excerpt]:
        return [e for _, _, group in self.groups() for e in group]

    def to_json(self) -> dict:
        return {"topic": self.topic, "excerpts": [e.to_json() for e in self.ordered()], "note": self.note()}


def _range(dated: list[tuple[Speech, SpeechDate]]) -> str:
    labels = [d.display() for _, d in dated if d.label]
    if not labels:
        return "日期不详"
    return labels[0] if labels[0] == labels[-1] else f"{labels[0]}至{labels[-1]}"


def _plain(text: str) -> str:
    return normalize(text).translate(_PUNCT)


def _sketch(plain: str) -> set[int]:
    grams = {plain[i:i + SHINGLE] for i in range(max(1, len(plain) - SHINGLE + 1))}
    hashes = sorted(int(hashlib.blake2b(g.encode(), digest_size=8).hexdigest(), 16) for g in grams)
    return set(hashes[:SKETCH])


def merge_duplicates(excerpts: list[Excerpt]) -> list[Excerpt]:
    """Keep the first (best) of near-identical excerpts from different speeches; the others become its
    `also`. Candidates share a smallest shingle hash, so the cost stays near linear."""
    plains = [_plain(e.citation.quote) for e in excerpts]
    buckets: dict[int, list[int]] = {}
    kept: list[int] = []
    owner: dict[int, int] = {}
    for i, e in enumerate(excerpts):
        sketch = _sketch(plains[i])
        match = None
        for j in sorted({j for h in sketch for j in buckets.get(h, [])}):
            a, b = plains[i], plains[j]
            if excerpts[j].speech == e.speech or min(len(a), len(b)) < DUPLICATE_RATIO * max(len(a), len(b)):
                continue
            if SequenceMatcher(None, a, b, autojunk=False).ratio() >= DUPLICATE_RATIO:
                match = owner.get(j, j)
                break
        if match is None:
            kept.append(i)
            for h in sketch:
                buckets.setdefault(h, []).append(i)
        else:
            owner[i] = match
            excerpts[match].also.append(e)
    return [excerpts[i] for i in kept]


def build_digest(collector: Collector, topic: str, ids: list[str] | None = None) -> Digest:
    topic = topic.strip()
    speeches = collector.speeches()
    chosen = [speeches[i] for i in (ids or sorted(speeches)) if i in speeches]
    excerpts = merge_duplicates(collector.collect(topic, [s.id for s in chosen]))
    return Digest(topic, excerpts, by_date(chosen))
