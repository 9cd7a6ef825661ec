"""From paragraphs to checked items: every maker's candidates, in the paragraphs' order of relevance,
checked, de-duplicated, and shared out over the requested types."""
from __future__ import annotations

from collections import Counter

from ingest.model import Paragraph, Speech

from .checks import check_item
from .corpus import corpus_of
from .makers import blanks, judge, multi, short
from .model import TYPES, StudyError, StudyItem, answer_term

MAX_SAME_ANSWER = 2  # not the same blank over and over
TOPIC_K, TOPIC_LIMIT, TOPIC_FLOOR = 10, 40, 0.25  # a topic's paragraphs: retrieved, down to a share of the best


def candidates(speeches: dict[str, Speech], paragraphs: list[Paragraph], types, seed=0) -> dict[str, list[StudyItem]]:
    """Unchecked items per type, most relevant paragraph first."""
    corpus = corpus_of(speeches)
    by_type: dict[str, list[StudyItem]] = {t: [] for t in TYPES}
    for speech_id in dict.fromkeys(p.speech for p in paragraphs):
        sp = speeches[speech_id]
        paras = [p for p in paragraphs if p.speech == speech_id and not p.is_heading]
        if "简答" in types:
            by_type["简答"] += short.make(sp, paras, speeches, corpus, seed)
        if "填空" in types or "选择" in types:
            fills, choices = blanks.make(sp, paras, speeches, corpus, seed)
            by_type["填空"] += fills
            by_type["选择"] += choices
        if "判断" in types:
            by_type["判断"] += judge.make(sp, paras, speeches, corpus, seed)
        if "多选" in types:
            by_type["多选"] += multi.make(sp, paras, speeches, corpus, seed)
    order = {(p.speech, p.number): i for i, p in enumerate(paragraphs)}
    for items in by_type.values():
        items.sort(key=lambda it: min(order.get((c.speech, c.paragraph), 1 << 30) for c in it.citations))
    return by_type


class Picker:
    """Accepts checked items that repeat nothing: a sentence is used once (as 填空, 选择 or 判断), an
    enumeration once (as 简答 or 多选), a question once, an answer term at most twice."""

    def __init__(self, speeches):
        self.speeches, self.corpus = speeches, corpus_of(speeches)
        self.questions: set[str] = set()
        self.keys: set[tuple] = set()
        self.answers: Counter = Counter()

    def _key(self, item: StudyItem) -> tuple:
        c = item.citations[0]
        if item.type in ("简答", "多选"):
            return ("enum", c.speech, c.paragraph)
        return ("sentence", c.quote)

    def take(self, item: StudyItem) -> bool:
        key = self._key(item)
        if item.question in self.questions or key in self.keys:
            return False
        term = answer_term(item) if item.type in ("填空", "选择") else None
        if term and self.answers[term] >= MAX_SAME_ANSWER:
            return False
        try:
            check_item(item, self.speeches, self.corpus)
        except StudyError:
            return False
        self.questions.add(item.question)
        self.keys.add(key)
        if term:
            self.answers[term] += 1
        return True


def generate(speeches: dict[str, Speech], paragraphs: list[Paragraph], n: int, types: list[str],
             seed: int = 0) -> list[StudyItem]:
    """Up to n checked, distinct items of the given types from these paragraphs (in their order of
    relevance), the types shared out evenly (round-robin)."""
    pools = candidates(speeches, paragraphs, types, seed)
    queues = {t: list(pools[t]) for t in types}
    picker, out = Picker(speeches), []
    while len(out) < n and any(queues.values()):
        for t in types:
            while queues[t]:
                item = queues[t].pop(0)
                if picker.take(item):
                    out.append(item)
                    break
            if len(out) >= n:
                break
    return out


def source_paragraphs(speeches: dict[str, Speech], retriever=None, topic: str | None = None,
                      speech: str | None = None) -> list[Paragraph]:
    """The paragraphs to draw from, most relevant first: a topic's retrieved paragraphs, one speech's
    paragraphs, or the whole corpus taken speech by speech in turn."""
    if topic:
        ranked = retriever.rank(topic, [speech] if speech else None, k=TOPIC_K, limit=TOPIC_LIMIT)
        if not ranked:
            return []
        floor = TOPIC_FLOOR * ranked[0].score
        return [speeches[p.speech].paragraphs[p.paragraph - 1] for p in ranked if p.score >= floor]
    if speech:
        return list(speeches[speech].paragraphs)
    lists = [list(s.paragraphs) for s in sorted(speeches.values(), key=lambda s: s.id)]
    out = []
    for i in range(max((len(x) for x in lists), default=0)):
        out += [x[i] for x in lists if i < len(x)]
    return out
