"""Study Q&A from the speeches: 简答 (short answer), 填空 (fill in the blank) and 选择 (multiple choice).

Every item carries the citations it came from and passes `check_item` before it is returned: its quotes
occur verbatim in the cited paragraphs, its answer occurs in its quotes, and it does not give its answer
away. Items are built offline from the speeches' own structure: enumerations (一是…二是…), sections and
their sub-headings, and the quoted key terms (“四风”, “三会一课”…) that make natural blanks.
"""
from __future__ import annotations

import hashlib
import random
import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.model import Paragraph, Speech
from ingest.text import ITEM, SUB_MARK, answer_spans, key_terms
from qa.citations import CitationError, make_citation, verify
from qa.model import Citation

TYPES = ("简答", "填空", "选择")
BLANK = "____"
_CLAUSE_END = re.compile(r"[，,；;。！？：:]")


@dataclass
class StudyItem:
    type: str
    question: str
    answer: str
    options: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"type": self.type, "question": self.question, "answer": self.answer, "options": self.options,
                "citations": [c.to_json() for c in self.citations]}


def answer_term(item: StudyItem) -> str:
    """The words that are the answer: the option text for 选择, else the answer itself."""
    if item.type == "选择":
        i = ord(item.answer) - ord("A") if len(item.answer) == 1 else -1
        if not 0 <= i < len(item.options):
            raise StudyError(f"answer letter {item.answer!r} names no option")
        return item.options[i][3:]
    return item.answer


class StudyError(ValueError):
    """An item that fails its checks; str() says which."""


def check_item(item: StudyItem, speeches: dict[str, Speech]) -> None:
    if item.type not in TYPES:
        raise StudyError(f"unknown type {item.type}")
    if not item.citations or not item.answer.strip():
        raise StudyError("an item needs an answer and at least one citation")
    for c in item.citations:
        try:
            verify(speeches, c.speech, c.paragraph, c.quote)
        except CitationError as e:
            raise StudyError(f"citation rejected: {e}") from e
    quotes = "".join(c.quote for c in item.citations)
    if item.type == "简答":
        paras = "".join(speeches[c.speech].paragraphs[c.paragraph - 1].text for c in item.citations)
        parts = [p for p in item.answer.split("；") if p]
        if not all(p in paras for p in parts):
            raise StudyError("the answer is not in the cited paragraphs")
        if len(parts) < 2:
            raise StudyError("a short-answer item needs at least two points")
        return
    term = answer_term(item)
    if term not in quotes:
        raise StudyError("the answer is not in the quote")
    if term in item.question.replace(BLANK, ""):
        raise StudyError("the question gives the answer away")
    if BLANK not in item.question:
        raise StudyError("no blank in the question")
    filled = item.question.split("\n")[-1].replace(BLANK, term, 1)
    if filled not in quotes:
        raise StudyError("the question with its blank filled is not the quote")
    if item.type == "选择":
        if len(item.options) != 4 or len({o[3:] for o in item.options}) != 4:
            raise StudyError("a choice item needs four different options")


# -- building blocks ---------------------------------------------------------------------------------

def corpus_terms(speeches: dict[str, Speech]) -> Counter:
    """Quoted key terms and how many paragraphs use each (the natural blanks, and their distractors)."""
    c: Counter[str] = Counter()
    for s in speeches.values():
        for p in s.paragraphs:
            c.update(set(key_terms(p.text)))
    return c


def _lead(text: str, start: int, limit: int = 40) -> str:
    m = _CLAUSE_END.search(text, start)
    end = m.start() if m else len(text)
    return text[start:min(end, start + limit)]


def enumeration_items(p: Paragraph) -> tuple[str, list[tuple[int, str]]] | None:
    """(intro sentence, [(offset, lead clause)]) when the paragraph lists 一是…二是… (two or more)."""
    spans = answer_spans(p.text)
    items, intro = [], ""
    expected = "一二三四五六七八九十"
    for i, (s, e) in enumerate(spans):
        m = ITEM.match(p.text[s:e])
        if m and m.group(1) and len(items) < len(expected) and m.group(1) == expected[len(items)]:
            if not items and i > 0:
                intro = p.text[spans[i - 1][0]:spans[i - 1][1]]
            items.append((s, _lead(p.text, s)))
    return (intro, items) if len(items) >= 2 else None


def short_answer_items(speech: Speech, paras: list[Paragraph], speeches) -> list[StudyItem]:
    out = []
    for p in paras:
        found = enumeration_items(p)
        if not found:
            continue
        intro, items = found
        subject = (p.heading.split(" / ")[-1] if p.heading else "") or intro.rstrip("。：:；")
        subject = re.sub(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]\s*)", "", subject)
        if not subject:
            continue
        q = f"《{speech.title}》在“{subject[:40]}”方面提出了哪几点要求？"
        answer = "；".join(lead for _, lead in items)
        cites = [make_citation(speeches, i, p.speech, p.number, lead) for i, (_, lead) in enumerate(items, 1)]
        out.append(StudyItem("简答", q, answer, [], cites))
    # A top-level section with sub-sections (（一）…（二）…): name its parts.
    sections: dict[str, list[Paragraph]] = {}
    for p in speech.paragraphs:
        if not p.is_heading and SUB_MARK.match(p.text) and " / " in p.heading:
            sections.setdefault(p.heading.split(" / ")[0], []).append(p)
    wanted = {p.number for p in paras}
    for head, subs in sections.items():
        if len(subs) < 2 or not any(s.number in wanted for s in subs):
            continue
        labels = [s.heading.split(" / ")[1] for s in subs]
        title = re.sub(r"^[一二三四五六七八九十]+、\s*", "", head)
        q = f"《{speech.title}》“{title}”部分从哪几个方面作了部署？"
        cites = [make_citation(speeches, i, s.speech, s.number, lab) for i, (s, lab) in enumerate(zip(subs, labels), 1)]
        out.append(StudyItem("简答", q, "；".join(labels), [], cites))
    return out


def blank_candidates(p: Paragraph, terms: Counter) -> list[tuple[str, str]]:
    """(sentence, term) pairs: a sentence of the paragraph with a key term worth blanking out."""
    out = []
    for s, e in answer_spans(p.text):
        sent = p.text[s:e].strip()
        if not 12 <= len(sent) <= 110:
            continue
        for term in dict.fromkeys(key_terms(sent)):
            if terms.get(term, 0) >= 1 and sent.count(term) == 1:
                out.append((sent, term))
    return out


def _shape(term: str) -> str:
    return "num" if term[0] in "一二三四五六七八九十两" else "word"


def distractors(term: str, terms: Counter, sentence: str, rng: random.Random) -> list[str]:
    pool = [t for t in terms if t != term and t not in sentence and term not in t and t not in term
            and _shape(t) == _shape(term) and abs(len(t) - len(term)) <= 1]
    pool.sort(key=lambda t: (-terms[t], t))
    pick = pool[:12]
    rng.shuffle(pick)
    return pick[:3]


def _seed(*parts) -> random.Random:
    return random.Random(int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:12], 16))


def blank_items(speech: Speech, paras: list[Paragraph], speeches, terms: Counter) -> tuple[list, list]:
    fills, choices = [], []
    for p in paras:
        for sent, term in blank_candidates(p, terms):
            q = sent.replace(term, BLANK, 1)
            cite = [make_citation(speeches, 1, p.speech, p.number, sent)]
            fills.append(StudyItem("填空", q, term, [], cite))
            rng = _seed(p.speech, p.number, sent, term)
            wrong = distractors(term, terms, sent, rng)
            if len(wrong) == 3:
                opts = [term] + wrong
                rng.shuffle(opts)
                letters = "ABCD"
                options = [f"{letters[i]}. {o}" for i, o in enumerate(opts)]
                question = f"下列哪一项填入横线最恰当？\n{q}"
                choices.append(StudyItem("选择", question, letters[opts.index(term)], options, cite))
    return fills, choices


# -- the generator -----------------------------------------------------------------------------------

def generate(speeches: dict[str, Speech], paragraphs: list[Paragraph], n: int, types: list[str]) -> list[StudyItem]:
    """Up to n checked, distinct items of the given types from these paragraphs (in their order of
    relevance), the types shared out evenly."""
    terms = corpus_terms(speeches)
    by_type: dict[str, list[StudyItem]] = {t: [] for t in TYPES}
    for speech_id in dict.fromkeys(p.speech for p in paragraphs):
        sp = speeches[speech_id]
        paras = [p for p in paragraphs if p.speech == speech_id and not p.is_heading]
        by_type["简答"] += short_answer_items(sp, paras, speeches)
        fills, choices = blank_items(sp, paras, speeches, terms)
        by_type["填空"] += fills
        by_type["选择"] += choices
    order = {(p.speech, p.number): i for i, p in enumerate(paragraphs)}
    for items in by_type.values():
        items.sort(key=lambda it: min(order.get((c.speech, c.paragraph), 1 << 30) for c in it.citations))

    out: list[StudyItem] = []
    seen_q: set[str] = set()
    # 填空 and 选择 share one pool of sentences: the same sentence twice in a test is one question.
    used_sentences: dict[str, set[str]] = {"简答": set()}
    used_sentences["填空"] = used_sentences["选择"] = set()
    used_answers: Counter = Counter()
    queues = {t: list(by_type[t]) for t in types}
    while len(out) < n and any(queues.values()):
        for t in types:  # round-robin keeps the requested types in balance
            while queues[t]:
                item = queues[t].pop(0)
                key = item.citations[0].quote if t != "简答" else item.question
                if item.question in seen_q or key in used_sentences[t]:
                    continue
                if t != "简答" and used_answers[answer_term(item)] >= 2:
                    continue  # not the same blank over and over
                try:
                    check_item(item, speeches)
                except StudyError:
                    continue
                seen_q.add(item.question)
                used_sentences[t].add(key)
                if t != "简答":
                    used_answers[answer_term(item)] += 1
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
        ranked = retriever.rank(topic, [speech] if speech else None, k=10, limit=40)
        if not ranked:
            return []
        floor = 0.25 * ranked[0].score
        return [speeches[p.speech].paragraphs[p.paragraph - 1] for p in ranked if p.score >= floor]
    if speech:
        return list(speeches[speech].paragraphs)
    lists = [list(s.paragraphs) for s in sorted(speeches.values(), key=lambda s: s.id)]
    out = []
    for i in range(max((len(x) for x in lists), default=0)):
        out += [x[i] for x in lists if i < len(x)]
    return out
