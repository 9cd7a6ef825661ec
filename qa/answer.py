"""Question → Answer: retrieve, weigh the evidence, then compose offline or ask the LLM; cite verbatim.

`stream()` yields text pieces as they are ready and the finished Answer last, so the chat can show the
answer as it forms; `ask()` returns just the Answer.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ingest.text import SEVERAL_SPEECHES

from .citations import CitationError, make_citation
from .compose import ACROSS, NEAR, compose
from .evidence import Evidence, EvidenceJudge, hedge_text
from .evidence import refusal_text as evidence_refusal
from .focus import analyse, states
from .conversation import Conversation
from .model import Answer, Citation, Passage

_CJK = re.compile(r"[\u4e00-\u9fff]")
RELATED = 3  # possibly related paragraphs shown after a refusal
TOP_K = 5  # passages that must cover every speech that speaks to the question
CANDIDATES = 20  # passages the evidence and the composer look at
MAX_QUESTION_CHARS = 500  # longer input is refused before tokenising, embedding or asking an LLM


def is_english(question: str) -> bool:
    return not _CJK.search(question)


def refusal_text(question: str, missing: list[str]) -> str:
    return evidence_refusal(is_english(question), Evidence(False, missing=missing))


def corrected_note(question: str, corrections: list[tuple[str, str]]) -> str:
    if not corrections:
        return ""
    if is_english(question):
        return "Answered for " + ", ".join(f"“{b}” (asked: “{a}”)" for a, b in corrections) + ".\n"
    return "（" + "；".join(f"按“{b}”回答" for a, b in corrections) + "）\n"


class Answerer:
    def __init__(self, retriever, llm=None) -> None:
        self.retriever = retriever
        self.llm = llm  # qa.llm.LLMAnswerer or None
        self.judge = EvidenceJudge(retriever)

    def ask(self, question: str, speeches: list[str] | None = None, mode: str | None = None,
            history: Conversation | None = None, exclude: set[tuple[str, int]] | None = None) -> Answer:
        answer = None
        for piece in self.stream(question, speeches, mode, history, exclude):
            if isinstance(piece, Answer):
                answer = piece
        assert answer is not None
        return answer

    def stream(self, question: str, speeches: list[str] | None = None, mode: str | None = None,
               history: Conversation | None = None,
               exclude: set[tuple[str, int]] | None = None) -> Iterator[str | Answer]:
        """Text pieces as they are ready, then the finished Answer. Nothing unchecked is ever yielded.
        With a history (qa.conversation), the question is first resolved against the earlier turns and
        the turn is recorded there; `exclude`: (speech, paragraph) pairs already shown, not to cite again."""
        if history is not None:
            yield from history.stream(self, question, speeches, mode)
            return
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise ValueError(f"the question is {len(question)} characters long; the limit is {MAX_QUESTION_CHARS}")
        mode = mode or ("llm" if self.llm is not None else "offline")
        if mode == "llm" and self.llm is None:
            raise ValueError("no LLM is configured (set SPEECHQA_LLM_URL and SPEECHQA_LLM_MODEL)")
        q = self.prepare(question, speeches, exclude)
        if not q.evidence.answerable:
            yield from self._emit(self.refusal(q))
            return
        if mode == "llm":
            yield from self.llm.stream(q, self.offline)
            return
        yield from self._emit(self.offline(q))

    def prepare(self, question: str, speeches: list[str] | None,
                exclude: set[tuple[str, int]] | None = None) -> Question:
        """Scope, retrieval and the evidence for answering, computed once per question."""
        if speeches is None:
            speeches, cleaned = self.retriever.scope(question)
        else:
            cleaned = question
        focus = analyse(cleaned)
        corrections = []
        for term in focus.quoted:  # a quoted term one character off a term of the speeches: read as that
            fixed = self.judge.lexicon(None).correct(term)
            if fixed:
                corrections.append((term, fixed))
                cleaned = cleaned.replace(term, fixed)
        if corrections:
            focus = analyse(cleaned)
        passages = self.retriever.rank(cleaned, speeches, k=TOP_K, limit=CANDIDATES, detect=False)
        if exclude:  # "还有吗？": the passages not yet shown that the full answer would have reached
            floor = NEAR.passage_share * (passages[0].score if passages else 0.0)
            passages = [p for p in passages if (p.speech, p.paragraph) not in exclude and p.score >= floor]
        evidence = self.judge.judge(focus, passages, speeches)
        return Question(question, cleaned, speeches, passages, evidence, self.retriever.idf(),
                        self.retriever.speeches(), corrections)

    def refusal(self, q: Question) -> Answer:
        return Answer(q.text, evidence_refusal(is_english(q.text), q.evidence), abstained=True,
                      related=q.passages[:RELATED], support=q.evidence.support)

    def offline(self, q: Question) -> Answer:
        """The extractive answer: the passages' own sentences, each cited and verified."""
        reach = ACROSS if SEVERAL_SPEECHES.search(q.text) else NEAR  # 各篇讲话都…: each speech's words
        focus = analyse(q.cleaned)
        asked = (lambda sentence: states(focus, sentence)) if focus.asks else None
        text, fragments = compose(q.cleaned, q.passages, q.idf, english=is_english(q.text), reach=reach, asked=asked)
        citations: list[Citation] = []
        for n, f in enumerate(fragments, start=1):
            try:
                citations.append(make_citation(q.speeches, n, f.passage.speech, f.passage.paragraph, f.text))
            except CitationError:  # cannot happen for text cut from the paragraph, but never show an unchecked quote
                continue
        if not citations:
            return self.refusal(q)
        hedge = hedge_text(is_english(q.text), q.evidence) if q.evidence.hedged else ""
        return Answer(q.text, corrected_note(q.text, q.corrections) + hedge + text, citations,
                      support=q.evidence.support, hedged=q.evidence.hedged)

    @staticmethod
    def _emit(answer: Answer) -> Iterator[str | Answer]:
        for line in answer.text.splitlines(keepends=True):
            yield line
        yield answer


@dataclass
class Question:
    """A question on its way to an answer: what was searched, what was found, what the evidence says."""
    text: str
    cleaned: str  # the question without the words that named a speech
    scope: list[str] | None  # speech ids searched (None: all)
    passages: list[Passage]
    evidence: Evidence
    idf: dict[str, float]
    speeches: dict  # the live speech records, for verifying citations
    corrections: list[tuple[str, str]] = field(default_factory=list)  # (quoted typo, the term answered for)
