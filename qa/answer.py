"""Question → Answer: retrieve, weigh the evidence, then compose offline or ask the LLM; cite verbatim.

`stream()` yields text pieces as they are ready and the finished Answer last, so the chat can show the
answer as it forms; `ask()` returns just the Answer.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .citations import CitationError, make_citation
from .compose import compose
from .evidence import Evidence, EvidenceJudge
from .model import Answer, Citation, Passage

_CJK = re.compile(r"[\u4e00-\u9fff]")
RELATED = 3  # possibly related paragraphs shown after a refusal
TOP_K = 5  # passages that must cover every speech that speaks to the question
CANDIDATES = 20  # passages the evidence and the composer look at


def is_english(question: str) -> bool:
    return not _CJK.search(question)


def refusal_text(question: str, missing: list[str]) -> str:
    if is_english(question):
        text = "The speeches do not address this question."
        if missing:
            text += " They never mention " + ", ".join(f"“{m}”" for m in missing) + "."
        return text
    text = "讲话中没有谈到这个问题。"
    if missing:
        text += "讲话中没有出现" + "、".join(f"“{m}”" for m in missing) + "。"
    return text


class Answerer:
    def __init__(self, retriever, llm=None) -> None:
        self.retriever = retriever
        self.llm = llm  # qa.llm.LLMAnswerer or None
        self.judge = EvidenceJudge(retriever)

    def ask(self, question: str, speeches: list[str] | None = None, mode: str | None = None) -> Answer:
        answer = None
        for piece in self.stream(question, speeches, mode):
            if isinstance(piece, Answer):
                answer = piece
        assert answer is not None
        return answer

    def stream(self, question: str, speeches: list[str] | None = None, mode: str | None = None) -> Iterator[str | Answer]:
        """Text pieces as they are ready, then the finished Answer. Nothing unchecked is ever yielded."""
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        mode = mode or ("llm" if self.llm is not None else "offline")
        if mode == "llm" and self.llm is None:
            raise ValueError("no LLM is configured (set SPEECHQA_LLM_URL and SPEECHQA_LLM_MODEL)")
        q = self.prepare(question, speeches)
        if not q.evidence.answerable:
            yield from self._emit(self.refusal(q))
            return
        if mode == "llm":
            yield from self.llm.stream(q, self.offline)
            return
        yield from self._emit(self.offline(q))

    def prepare(self, question: str, speeches: list[str] | None) -> Question:
        """Scope, retrieval and the evidence for answering, computed once per question."""
        if speeches is None:
            speeches, cleaned = self.retriever.scope(question)
        else:
            cleaned = question
        passages = self.retriever.rank(cleaned, speeches, k=TOP_K, limit=CANDIDATES, detect=False)
        idf = self.retriever.idf()
        evidence = self.judge.judge(cleaned, passages, self.retriever.corpus_text(speeches), idf)
        return Question(question, cleaned, speeches, passages, evidence, idf, self.retriever.speeches())

    def refusal(self, q: Question) -> Answer:
        return Answer(q.text, refusal_text(q.text, q.evidence.missing), abstained=True,
                      related=q.passages[:RELATED])

    def offline(self, q: Question) -> Answer:
        """The extractive answer: the passages' own sentences, each cited and verified."""
        text, fragments = compose(q.cleaned, q.passages, q.idf, english=is_english(q.text))
        citations: list[Citation] = []
        for n, f in enumerate(fragments, start=1):
            try:
                citations.append(make_citation(q.speeches, n, f.passage.speech, f.passage.paragraph, f.text))
            except CitationError:  # cannot happen for text cut from the paragraph, but never show an unchecked quote
                continue
        if not citations:
            return self.refusal(q)
        return Answer(q.text, text, citations)

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
