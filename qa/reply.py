"""The model's reply, checked sentence by sentence as it streams: its sentences and [n] marks split
apart, each kept only when qa.support finds a passage sentence that supports it, and the quotes it
lists verified (qa.citations). The claim scoring itself lives in qa.support.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from langchain_core.runnables.utils import AddableDict

from ingest.text import has_cjk, sentence_spans

from .citations import CitationError, locate, make_citation
from .model import Answer, Citation, Passage
from .support import MISNUMBERED, SUPPORTED, has_content, score, squash, support, weights

log = logging.getLogger(__name__)

QUOTES_HEAD = re.compile(r"^\s*(?:\*\*)?(?:引用|引文|Quotes?|Citations?)(?:\*\*)?\s*[：:]\s*", re.I)
QUOTE_LINE = re.compile(r"^\s*[-*]?\s*[\[【](\d+)[\]】]\s*[:：]?\s*[“\"「『]?(.+?)[”\"」』]?\s*$")
MARKS = re.compile(r"[\[【](\d+(?:\s*[,，、]\s*\d+)*)[\]】]")
LEAD_MARKS = re.compile(r"^(?:\s*[\[【]\d+(?:\s*[,，、]\s*\d+)*[\]】])+")
BULLET = re.compile(r"^\s*(?:\d{1,2}\s*[.、)）]|[-*•·]|[（(]\d{1,2}[）)]|[（(]?[一二三四五六七八九十]{1,2}[）)、])\s*")
CANNOT = re.compile(r"无法回答|不能回答|无法从.*?(?:找到|回答)|没有(?:提到|涉及)|未(?:提到|涉及)"
                    r"|cannot (?:be )?answer|not (?:mentioned|addressed)", re.I)
LEAD_IN_END = ("：", ":")  # "讲话提出了以下要求：" introduces points; unsupported, it is left out, not counted
EN_LEAD = "From the speeches (in Chinese; every sentence checked against the original):"


def dropped_note(n: int, english: bool) -> str:
    if english:
        return f"({n} sentence(s) of the model's answer could not be checked against the speeches and were removed.)"
    return f"（模型回答中有 {n} 句无法在原文中核对，已删除。）"


def unverified_note(english: bool) -> str:
    return ("The model's answer could not be checked against the speeches." if english
            else "大模型的回答未能在原文中核对。")


def _numbers(marks: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", marks)]


def split_sentences(body: str) -> list[tuple[str, list[int]]]:
    """(sentence without markers, the passage numbers it cites) for each sentence of a point. A marker
    right after a sentence end (。[1]) belongs to that sentence; an unmarked sentence takes the markers of
    the next marked sentence of the point (a point's markers usually close it), else of the previous one."""
    parts: list[list] = []
    for s, e in sentence_spans(body):
        seg = body[s:e]
        lead = LEAD_MARKS.match(seg)
        if lead and parts:
            parts[-1][1] += _numbers(lead.group())
            seg = seg[lead.end():]
        marks = [n for m in MARKS.finditer(seg) for n in _numbers(m.group(1))]
        clean = MARKS.sub("", seg).strip()
        if clean:
            parts.append([clean, marks])
        elif parts:
            parts[-1][1] += marks
    for i, part in enumerate(parts):
        if not part[1]:
            later = next((p[1] for p in parts[i + 1:] if p[1]), None)
            earlier = next((p[1] for p in reversed(parts[:i]) if p[1]), [])
            part[1] = list(later if later is not None else earlier)
    return [(clean, marks) for clean, marks in parts]


class ReplyChecker:
    """Reads a model's reply as it streams and lets through only checked text. Each complete line (a
    point) is split into sentences; a sentence is shown only when `support` finds a sentence of a passage
    it cites (any passage when it cites none) that supports it, which becomes its verified citation.
    Everything after 引用： is read for the model's own quotes and never shown."""

    def __init__(self, question: str, passages: list[Passage], speeches: dict, idf: dict[str, float]) -> None:
        self.question = question
        self.english = not has_cjk(question)
        self.passages, self.speeches, self.idf = passages, speeches, idf
        self.keys: dict[tuple[int, int, int], int] = {}  # (passage number, sentence span) → marker
        self.citations: dict[int, Citation] = {}
        self.claims: dict[int, str] = {}  # marker → the first sentence it supports
        self.quotes: dict[int, list[str]] = {}  # passage number → the model's quotes of it
        self.points = 0
        self.seen: set[str] = set()  # sentences the model wrote, in squashed form
        self.dropped = 0
        self.quoting = False
        self.shown = ""

    def transform(self, chunks: Iterator[str]) -> Iterator[AddableDict]:
        """Text pieces ({"text": …}) as points pass their checks, then {"answer": Answer}."""
        buf = ""
        for chunk in chunks:
            buf += chunk
            *complete, buf = buf.split("\n")
            for line in complete:
                if piece := self.read(line):
                    yield AddableDict(text=piece)
        if piece := self.read(buf):
            yield AddableDict(text=piece)
        if self.shown and self.dropped:
            self.shown += (piece := "\n\n" + dropped_note(self.dropped, self.english))
            yield AddableDict(text=piece)
        answer = self.answer()
        yield AddableDict(answer=answer, citations=[c.to_json() for c in answer.citations])

    def read(self, line: str) -> str:
        """The checked text this line adds to the answer ("" when none of it is shown)."""
        bare = line[b.end():] if (b := BULLET.match(line)) else line  # "4. 引用：" heads the quotes too
        head = None if self.quoting else QUOTES_HEAD.match(bare)
        if self.quoting or head:
            self.quoting = True
            if q := QUOTE_LINE.match(bare[head.end():] if head else line):
                self.quotes.setdefault(int(q.group(1)), []).append(q.group(2).strip().strip("“”\""))
            return ""
        text = self.check_point(line)
        if not text:
            return ""
        piece = ("\n" if self.shown else (EN_LEAD + "\n" if self.english else "")) + text
        self.shown += piece
        return piece

    def check_point(self, line: str) -> str:
        bullet = BULLET.match(line)
        body = (line[bullet.end():] if bullet else line).replace("**", "").strip()
        if not body or (CANNOT.search(body) and not MARKS.search(body)):
            return ""  # the model's "not mentioned": the evidence says otherwise, so it is not shown
        kept = [(sent, m) for sent, marks in split_sentences(body)
                if not self._repeated(sent) and (m := self.check(sent, marks))]
        if not kept:
            return ""
        text = "".join(sent + ("" if i + 1 < len(kept) and kept[i + 1][1] == m else f"[{m}]")
                       for i, (sent, m) in enumerate(kept))
        if bullet:
            self.points += 1
            text = f"{self.points}. " + text  # renumbered: dropped points leave no gaps
        return text

    def _repeated(self, sentence: str) -> bool:
        """Whether the model already wrote this sentence (small models loop); a repeat is not shown again."""
        key = squash(MARKS.sub("", sentence))
        seen = key in self.seen
        self.seen.add(key)
        return seen

    def check(self, sentence: str, marks: list[int]) -> int:
        """The marker of the citation that supports the sentence, or 0 (then it is not shown)."""
        if not has_content(sentence):
            return 0
        cands = [n for n in marks if 1 <= n <= len(self.passages)] if marks else range(1, len(self.passages) + 1)
        found = [(n, s) for n in cands if (s := support(sentence, self.passages[n - 1].text, self.idf))]
        if not found and marks:  # a mistyped number: another passage holding the sentence nearly verbatim
            found = [(n, s) for n in range(1, len(self.passages) + 1) if n not in cands
                     and (s := support(sentence, self.passages[n - 1].text, self.idf)) and s.score >= MISNUMBERED]
        if not found:
            lead_in = not marks and sentence.endswith(LEAD_IN_END)
            self.dropped += not lead_in
            log.info("LLM sentence %s (cites %s): %s", "left out" if lead_in else "dropped", marks or "none", sentence)
            return 0
        n, sup = max(found, key=lambda f: f[1].score)
        key = (n, sup.start, sup.end)
        if key not in self.keys:
            p = self.passages[n - 1]
            try:
                c = make_citation(self.speeches, len(self.keys) + 1, p.speech, p.paragraph, p.text[sup.start:sup.end].strip())
            except CitationError:  # the speech changed since it was retrieved: nothing to show it against
                self.dropped += 1
                return 0
            self.keys[key] = c.marker
            self.citations[c.marker] = c
            self.claims[c.marker] = sentence
        return self.keys[key]

    def answer(self) -> Answer:
        if not self.shown:
            return Answer(self.question, unverified_note(self.english), abstained=True, dropped=self.dropped)
        for (n, start, end), marker in self.keys.items():
            self.citations[marker] = self._model_quote(n, start, end, marker) or self.citations[marker]
        return Answer(self.question, self.shown, [self.citations[m] for m in sorted(self.citations)],
                      dropped=self.dropped)

    def _model_quote(self, n: int, start: int, end: int, marker: int) -> Citation | None:
        """The model's own quote of passage n when it is verbatim, lies in the supporting sentence and
        supports the claim by itself."""
        p = self.passages[n - 1]
        claim = self.claims[marker]
        for quote in self.quotes.get(n, []):
            span = locate(quote, p.text)
            if span and start <= span[0] and span[1] <= end and score(claim, weights(claim, self.idf), quote) >= SUPPORTED:
                try:
                    return make_citation(self.speeches, marker, p.speech, p.paragraph, quote)
                except CitationError:
                    continue
        return None


def check_reply(question: str, raw: str, passages: list[Passage], speeches: dict, idf: dict[str, float]) -> Answer:
    """The checked Answer of a whole reply (what the stream ends with)."""
    *_, last = ReplyChecker(question, passages, speeches, idf).transform(iter([raw]))
    return last["answer"]
