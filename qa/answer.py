"""Question → Answer: retrieve, weigh the evidence, then compose offline or ask the LLM; cite verbatim.

`stream()` yields text pieces as they are ready and the finished Answer last, so the chat can show the
answer as it forms; `ask()` returns just the Answer.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from .citations import CitationError, make_citation
from .compose import compose
from .evidence import EvidenceJudge
from .model import Answer, Citation

_CJK = re.compile(r"[\u4e00-\u9fff]")
RELATED = 3


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
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        mode = mode or ("llm" if self.llm is not None else "offline")
        if mode == "llm" and self.llm is None:
            raise ValueError("no LLM is configured (set SPEECHQA_LLM_URL and SPEECHQA_LLM_MODEL)")
        live = self.retriever.speeches()
        if speeches is None:
            speeches, cleaned = self.retriever.scope(question)
        else:
            cleaned = question
        passages = self.retriever.rank(cleaned, speeches, k=5, limit=20, detect=False)
        idf = self.retriever.idf()
        evidence = self.judge.judge(cleaned, passages, self.retriever.corpus_text(speeches), idf)
        if not evidence.answerable:
            answer = Answer(question, refusal_text(question, evidence.missing), abstained=True,
                            related=passages[:RELATED])
            yield answer.text
            yield answer
            return
        if mode == "llm":
            yield from self.llm.stream(question, passages, live, refusal_text(question, []))
            return
        text, fragments = compose(cleaned, passages, idf, english=is_english(question))
        citations: list[Citation] = []
        for n, f in enumerate(fragments, start=1):
            try:
                citations.append(make_citation(live, n, f.passage.speech, f.passage.paragraph, f.text))
            except CitationError:  # cannot happen for text cut from the paragraph, but never show an unchecked quote
                continue
        if not citations:
            answer = Answer(question, refusal_text(question, []), abstained=True, related=passages[:RELATED])
            yield answer.text
            yield answer
            return
        for line in text.splitlines(keepends=True):
            yield line
        yield Answer(question, text, citations)
