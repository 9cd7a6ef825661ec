"""The offline answerer: picks the sentences of the retrieved paragraphs that answer the question and
lays them out by speech, each with a citation marker. No LLM; every word shown is the speeches' own.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ingest.text import ANNOUNCES_LIST, ENUM, ENUM_FIRST, PARALLEL_ITEMS, answer_spans, tokenize

from .crosslingual import Keyword, gloss_coverage
from .model import Passage

MAX_PASSAGES = 5
MAX_COVER = 10  # passages an answer may draw on when more than MAX_PASSAGES speak to the question
FRAGMENT_MAX = 130
DENSE_WEIGHT = 0.5  # weight of a sentence's dense similarity (0..1) beside its keyword coverage (0..1)
SENTENCE_SHARE = 0.6  # other sentences of a passage join when they score this share of its best
MAX_SENTENCES = 3
# A sentence that states what a count/date/who question asks for (a number in the unit asked, a date, a
# name: qa.focus.states) gains this much: 多少次、多少钱 wants the sentence with 33次85万元, not the ones
# that repeat the question's words. Chosen on the tune halves of both corpora (docs/evaluation.md).
STATES_BONUS = 0.25
PART_SHARE = 0.5  # a part's best sentence joins when it holds this share of the part's words (by idf)
PASSAGE_BUDGET = 260  # characters one passage may contribute (lists may run a little over)
_CLAUSE = re.compile(r"[^，,；;：:]*[，,；;：:]?")


@dataclass(frozen=True)
class Depth:
    """How much of one passage an answer shows."""
    sentences: int = MAX_SENTENCES
    share: float = SENTENCE_SHARE  # other sentences join when they score this share of the passage's best
    budget: int = PASSAGE_BUDGET


PLAIN = Depth()
# The best passage shows more of itself first ("提出了哪些要求" is answered by most of one paragraph).
# Chosen on the tune halves of three corpora (docs/evaluation.md, tenth session).
LEAD = Depth(sentences=8, share=0.3, budget=400)


@dataclass(frozen=True)
class Reach:
    """How far an answer reaches past its best passage."""
    passage_share: float = 0.4  # a passage joins the answer when it scores this share of the best one
    cover_share: float = 0.85  # past MAX_PASSAGES, a passage joins while it scores this share of the last within
    fragment_share: float = 0.5  # a passage's best sentence must score this share of the best sentence anywhere
    max_chars: int = 600
    lead: Depth | None = None  # the best passage's depth; its fragments come before the others take turns


NEAR = Reach(lead=LEAD)
# A question about several speeches (各篇讲话…, ingest.text.SEVERAL_SPEECHES) wants each one's words, not
# the few nearest the best. Chosen on the tune halves of the structure sets' questions of that kind: the
# share of gold paragraphs cited 0.57 → 0.77, the share of cited paragraphs that are gold 0.94 → 0.89
# (0.25/0.6/0.3/1000 reached 0.84 at 0.83).
ACROSS = Reach(0.3, 0.7, 0.4, 800)


@dataclass
class Fragment:
    passage: Passage
    start: int
    end: int
    score: float

    @property
    def text(self) -> str:
        return self.passage.text[self.start:self.end]


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _similar(a: str, b: str) -> bool:
    x, y = _bigrams(a), _bigrams(b)
    return bool(x and y) and len(x & y) / min(len(x), len(y)) >= 0.6


def _trim(text: str, start: int, end: int, terms: list[str], limit: int = FRAGMENT_MAX) -> tuple[int, int]:
    """Cut a long sentence to whole clauses around its first matching term (still a verbatim substring)."""
    if end - start <= limit:
        return start, end
    clauses = [(start + m.start(), start + m.end()) for m in _CLAUSE.finditer(text[start:end]) if m.end() > m.start()]
    first = next((i for i, (s, e) in enumerate(clauses) if any(t in text[s:e] for t in terms)), 0)
    s, e = clauses[first]
    for cs, ce in clauses[first + 1:]:
        if ce - s > limit:
            break
        e = ce
    if e - s > limit:
        e = s + limit
    return s, e


def _lead_clause(text: str, start: int, end: int, limit: int = 60) -> tuple[int, int]:
    """Whole clauses from the start of a sentence, as many as fit in `limit` (at least one)."""
    e = start
    for m in _CLAUSE.finditer(text, start, end):
        if m.end() == m.start():
            break
        if m.end() - start > limit and e > start:
            break
        e = m.end()
    return start, min(e, start + limit) if e > start else min(end, start + limit)


def _ends_with_colon(text: str) -> bool:
    return text.rstrip("”’）)").endswith(("：", ":"))


Asked = Callable[[str], bool]  # does a sentence state what the question asks for?


def fragments_for(p: Passage, weights: dict[str, float], depth: Depth = PLAIN,
                  asked: Asked | None = None, parts: list[dict[str, float]] = (),
                  keyword: Keyword | None = None) -> list[Fragment]:
    """The sentences of a passage that answer: the best one, others nearly as good, and what an
    introducing sentence announces (a list after "：", or the items 一是…二是… that follow it). An item
    of a list whose intro answers (p.unit ≥ 2) leads with its point, which is at its start (一是…,
    （二）…), scored 0 since it seldom repeats the question's words."""
    frags = _fragments(p, weights, depth, asked, parts, keyword)
    if p.unit < 2 or not frags:
        return frags
    s, e = _lead_clause(p.text, *answer_spans(p.text)[0], limit=80)
    return [Fragment(p, s, e, 0.0)] + [f for f in frags if f.start >= e]


def _fragments(p: Passage, weights: dict[str, float], depth: Depth, asked: Asked | None = None,
               parts: list[dict[str, float]] = (), keyword: Keyword | None = None) -> list[Fragment]:
    spans = answer_spans(p.text)
    if not spans:
        return []
    total = sum(weights.values()) or 1.0
    scored = []
    for s, e in spans:
        sent = p.text[s:e]
        score = keyword(sent) if keyword else sum(w for t, w in weights.items() if t in sent) / total
        # Meaning, not just words: the best dense hit among the chunks that hold this sentence.
        score += DENSE_WEIGHT * max((r for cs, ce, r in p.chunks if cs <= s and e <= ce), default=0.0)
        if asked is not None and score > 0 and asked(sent):
            score += STATES_BONUS
        scored.append(score)
    best = max(range(len(spans)), key=lambda i: scored[i])
    good = [i for i in range(len(spans)) if scored[i] >= depth.share * scored[best] > 0]
    good = sorted(sorted(good, key=lambda i: -scored[i])[:depth.sentences]) or [best]
    # A question in parts (…是什么？对…怎么处理？): each part's best sentence here joins, so no part goes
    # unanswered because the other part's words fill the sentences.
    for part in parts:
        cover = [sum(w for t, w in part.items() if t in p.text[s:e]) for s, e in spans]
        i = max(range(len(spans)), key=lambda j: (cover[j], scored[j]))
        if cover[i] >= PART_SHARE * sum(part.values()) and i not in good:
            good = sorted(good + [i])
    terms = sorted(weights, key=lambda t: -weights[t])
    picks: list[tuple[int, int]] = []
    used, budget = 0, depth.budget
    for i in sorted(good, key=lambda j: -scored[j]):  # the budget goes to the best sentences first
        if used >= budget:
            break
        span = _trim(p.text, *spans[i], terms)
        picks.append(span)
        used += span[1] - span[0]
        text = p.text[spans[i][0]:spans[i][1]]
        nxt = i + 1
        if _ends_with_colon(text):  # "…即：甲；乙；丙。" — the list is the answer
            while nxt < len(spans) and used < budget + 150:
                item = _lead_clause(p.text, *spans[nxt], limit=80)
                picks.append(item)
                used += item[1] - item[0]
                if p.text[spans[nxt][0]:spans[nxt][1]].rstrip("”’）)")[-1:] in "。！？":
                    break
                nxt += 1
        elif nxt < len(spans) and ENUM_FIRST.match(p.text[spans[nxt][0]:spans[nxt][1]]):
            # "…要做到以下几点。一是…二是…": the point of each item is at its start.
            while nxt < len(spans) and ENUM.match(p.text[spans[nxt][0]:spans[nxt][1]]) and used < budget + 150:
                item = _lead_clause(p.text, *spans[nxt], limit=80)
                picks.append(item)
                used += item[1] - item[0]
                nxt += 1
        elif ANNOUNCES_LIST.search(text) and (items := _parallel(p.text, spans, nxt)):
            # "…需要遵循的“六个坚持”原则…。坚持党的全面领导，…。坚持以人民为中心，…": unnumbered items
            for k in items:
                if used >= budget + 150:
                    break
                item = _lead_clause(p.text, *spans[k], limit=40)  # the point opens the item
                picks.append(item)
                used += item[1] - item[0]
    return [Fragment(p, s, e, scored[best]) for s, e in sorted(set(picks))]


def _parallel(text: str, spans: list[tuple[int, int]], start: int) -> list[int]:
    """The sentences from `start` on that open with the same two characters, when at least
    PARALLEL_ITEMS of them stand in a row; [] otherwise."""
    head = text[spans[start][0]:spans[start][0] + 2] if start < len(spans) else ""
    run = []
    for k in range(start, len(spans)):
        if len(head) < 2 or text[spans[k][0]:spans[k][0] + 2] != head:
            break
        run.append(k)
    return run if len(run) >= PARALLEL_ITEMS else []


def _answering(frags: list[Fragment], floor: float) -> list[Fragment]:
    """A passage's fragments if its best reaches the floor. The items of a leading list stay with their
    intro whatever they score; what more an item says must reach the floor like the rest."""
    if frags[0].passage.unit >= 2:
        return frags[:1] + [f for f in frags[1:] if f.score >= floor]
    return frags if frags[0].score >= floor else []


def select_passages(passages: list[Passage], reach: Reach = NEAR) -> list[Passage]:
    """The passages the answer draws on: those near the best, MAX_PASSAGES of them — or more, up to
    MAX_COVER, while the scores past the MAX_PASSAGES-th do not fall away from it (no gap yet: more
    paragraphs speak to the question than k holds, e.g. a whole enumeration or many speeches)."""
    if not passages:
        return []
    floor = reach.passage_share * passages[0].score
    kept = [p for p in passages if p.score >= floor]
    out = kept[:MAX_PASSAGES]
    for p in kept[MAX_PASSAGES:MAX_COVER]:
        if p.score < reach.cover_share * out[MAX_PASSAGES - 1].score:
            break
        out.append(p)
    return out


_PARTS = re.compile(r"[？?；;。!！]+")


def _weights(text: str, idf: dict[str, float]) -> dict[str, float]:
    return {t: idf.get(t, 0.0) for t in dict.fromkeys(tokenize(text)) if idf.get(t, 0.0) > 0}


def compose(question: str, passages: list[Passage], idf: dict[str, float], english: bool = False,
            reach: Reach = NEAR, asked: Asked | None = None) -> tuple[str, list[Fragment]]:
    """Answer text with [n] markers, and the fragments the markers stand for (n = index + 1). `asked`
    marks the sentences that state what a count/date/who question asks for."""
    weights = _weights(question, idf)
    parts = [w for w in (_weights(q, idf) for q in _PARTS.split(question)) if w]
    parts = parts if len(parts) > 1 else []
    keyword = gloss_coverage(question) if english else None
    led = reach.lead is not None
    per_passage = [f for f in (fragments_for(p, weights, reach.lead if led and i == 0 else PLAIN, asked=asked,
                                             parts=parts, keyword=keyword)
                               for i, p in enumerate(select_passages(passages, reach))) if f]
    # A passage whose best sentence is much weaker than the best sentence anywhere adds noise, not answer.
    top = max((f[0].score for f in per_passage), default=0.0)
    per_passage = [kept for f in per_passage if (kept := _answering(f, reach.fragment_share * top))]
    led = led and bool(per_passage) and per_passage[0][0].passage is passages[0]
    room = reach.max_chars + (max(reach.lead.budget - PLAIN.budget, 0) if led else 0)  # the others keep theirs
    chosen, used = [], 0
    for f in _turns(per_passage, led):
        if any(_similar(f.text, c.text) for c in chosen):
            continue
        if chosen and used + len(f.text) > room:
            continue
        chosen.append(f)
        used += len(f.text)
    return _layout(chosen, passages, english)


def _turns(per_passage: list[list[Fragment]], led: bool) -> list[Fragment]:
    """The order fragments are offered in: round-robin, every passage's first before any passage's second;
    when `led`, the best passage offers all of its fragments in the first turn."""
    order = list(per_passage[0]) if led else []
    rest = per_passage[1:] if led else per_passage
    for depth in range(max((len(f) for f in rest), default=0)):
        order += [f[depth] for f in rest if depth < len(f)]
    return order


def _layout(chosen: list[Fragment], passages: list[Passage], english: bool) -> tuple[str, list[Fragment]]:
    """The answer text: a lead line, then each speech's fragments in the passages' order, marked [n]."""
    if not chosen:
        return "", []
    order = {id(p): i for i, p in enumerate(passages)}
    chosen.sort(key=lambda f: (order[id(f.passage)], f.start))
    speeches = list(dict.fromkeys(f.passage.speech for f in chosen))
    titles = {f.passage.speech: f.passage.title for f in chosen}
    if english:
        lead = (f"{len(speeches)} speeches address this; their own words (in Chinese):" if len(speeches) > 1
                else f"“{titles[speeches[0]]}” addresses this; its own words (in Chinese):")
    else:
        lead = (f"共有{len(speeches)}篇讲话谈到这个问题，原文要点如下：" if len(speeches) > 1
                else f"《{titles[speeches[0]]}》谈到这个问题，原文要点如下：")
    lines = [lead]
    ordered: list[Fragment] = []
    for sid in speeches:
        lines.append("")
        if len(speeches) > 1:  # one speech: the lead already names it
            lines.append(f"《{titles[sid]}》")
        for f in chosen:
            if f.passage.speech == sid:
                ordered.append(f)
                tail = "" if f.end >= len(f.passage.text) or f.text[-1] in "。！？；”" else "……"
                lines.append(f"- {f.text}{tail}[{len(ordered)}]")
    return "\n".join(lines), ordered
