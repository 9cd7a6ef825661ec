"""Does a passage support a sentence the LLM wrote? The test every LLM sentence must pass to be shown.

The test (`support`): the sentence's content words — jieba search tokens with stop words out, the same
tokens the retriever ranks by — weighted by their idf over the corpus, must occur in ONE sentence of the
cited paragraph (ingest.text.answer_spans) for at least SUPPORTED of their weight; and no heavy shared word
may be negated on one side only. Why this shape:
- one sentence, not the whole paragraph: a claim stitched from words scattered over a long paragraph is
  exactly how a small model invents a requirement; the supporting sentence also becomes the verified
  quote, so the user can see the claim next to the words it rests on;
- idf weights: 加强、工作、要求 occur everywhere and prove nothing; 积分制、网格化 are what a claim is about;
  a word the corpus never uses gets the highest idf, so an invented topic sinks the claim by itself;
- SUPPORTED = 0.8: a faithful restatement keeps the paragraph's content words and changes the glue
  (the prompt asks for the paragraph's own wording), while an invented point tied to a passage number
  shares its generic words only. Seen with the bundled model on the public questions: its faithful
  points scored 0.8–1.0 against their sentence, while points that welded one sentence's subject to
  another's object (领导干部个人有关事项报告必须严格执行述职述廉制度) scored 0.68–0.78; so 0.8 (a small
  sample: a stricter bar costs a paraphrased point, a looser one shows a false requirement);
- polarity: word overlap cannot see 不得 turned into 要, so a shared word that is negated in the claim but
  not in the sentence (or the reverse) counts against the claim (POLARITY_SHARE of the weight rejects it);
- quoted words: a claim that puts words in quotes (“三会一课”) says the speech uses them; the supporting
  sentence must contain each of them (seen with the local model: a sentence about 党建联系点制度 restated
  as one about “三会一课”制度 kept 0.6 of its weight);
- words no speech uses: a word of two or more characters that occurs nowhere in the corpus (it has no
  idf) must occur in the supporting sentence. Such a word is a mistyped term (seen: 责干导向 for 实干导向,
  which kept 0.6 of its weight), an invented label (用好第二种形态 over a sentence on the first), or a
  paraphrase; the first two cannot be told from the third cheaply, and dropping a paraphrase costs one
  sentence, while showing a wrong term costs the user's trust in every quote.
A sentence whose cited passage does not support it may still be shown with another passage's citation,
but only when that passage holds it nearly word for word (MISNUMBERED): small models mistype numbers.
Tokens are matched as substrings of the sentence in normal form (ingest.text.normalize: widths and small
Chinese numerals), so jieba cutting a compound differently in the two texts does not matter.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from langchain_core.runnables.utils import AddableDict

from ingest.text import ENUM, QUOTED, answer_spans, has_cjk, negated_at, normalize, sentence_spans, tokenize

from .citations import CitationError, locate, make_citation
from .model import Answer, Citation, Passage

log = logging.getLogger(__name__)

SUPPORTED = 0.8  # share of the claim's idf weight that must occur in one sentence of the passage
POLARITY_SHARE = 0.2  # share of the claim's weight negated on one side only that rejects it
DEFAULT_IDF = 1.0  # every token's weight when no corpus idf is known
MISNUMBERED = 0.9  # support that lets a sentence cite another passage than the one the model named


@dataclass(frozen=True)
class Support:
    """The sentence of a passage that supports a claim: its span in the paragraph text, and the score."""
    start: int
    end: int
    score: float


def weights(claim: str, idf: dict[str, float]) -> dict[str, float]:
    """The claim's content tokens (in normal form) and their weights; unknown words weigh the most.
    A leading enumeration marker (二是, 第三，) is structure, not content: the model renumbers points."""
    rare = max(idf.values(), default=DEFAULT_IDF)
    claim = ENUM.sub("", claim.strip())
    return {t: idf.get(t, rare) for t in dict.fromkeys(tokenize(normalize(claim)))}


def score(claim: str, w: dict[str, float], sentence: str) -> float:
    """The share of the claim's weight found in the sentence; 0 when the polarity of its words flips."""
    total = sum(w.values())
    if total <= 0:
        return 0.0
    sent = normalize(sentence).lower()
    text = normalize(claim).lower()
    found = flipped = 0.0
    for tok, wt in w.items():
        at = sent.find(tok)
        if at < 0:
            continue
        found += wt
        if negated_at(sent, at) != negated_at(text, text.find(tok)):
            flipped += wt
    if flipped >= POLARITY_SHARE * total:
        return 0.0
    return found / total


def _squash(text: str) -> str:
    return "".join(normalize(text).split()).lower()


def support(claim: str, passage_text: str, idf: dict[str, float]) -> Support | None:
    """The best supporting sentence of the passage, or None. Never two sentences together: that is how
    a claim welds one sentence's subject to the next one's requirement."""
    w = weights(claim, idf)
    if not w:
        return None
    # Words the claim must share verbatim with its sentence: quoted ones, and ones no speech uses.
    quoted = [_squash(q) for q in QUOTED.findall(claim)]
    quoted += [t for t in w if idf and t not in idf and len(t) >= 2]
    best: Support | None = None
    for s, e in answer_spans(passage_text):
        sent = passage_text[s:e]
        if any(q not in _squash(sent) for q in quoted):
            continue
        sc = score(claim, w, sent)
        if sc >= SUPPORTED and (best is None or sc > best.score):
            best = Support(s, e, sc)
    return best


def has_content(claim: str) -> bool:
    """Whether a sentence says anything checkable (a bare "综上：" or "1." does not)."""
    return bool(tokenize(claim))


# -- the model's reply, checked sentence by sentence as it streams -----------------------------------------
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
        key = _squash(MARKS.sub("", sentence))
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
