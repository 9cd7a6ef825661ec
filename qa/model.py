"""Plain data types of the question-answering stage (Passage, Citation, Answer)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Passage:
    """A retrieved paragraph with the scores that ranked it."""
    speech: str
    title: str
    paragraph: int
    heading: str
    text: str
    score: float = 0.0
    keyword: float = 0.0  # normalised BM25 score, 0..1
    dense: float = 0.0  # best cosine similarity of the paragraph's chunks
    chunk: tuple[int, int] | None = None  # offsets of the best matching chunk in the paragraph
    chunks: list[tuple[int, int, float]] = field(default_factory=list)  # dense hits: start, end, 0..1
    unit: int = 0  # in an enumeration that leads the results: 1 its intro, 2… its items; else 0

    def to_json(self) -> dict:
        return {"speech": self.speech, "paragraph": self.paragraph, "heading": self.heading,
                "text": self.text, "score": round(self.score, 4)}


@dataclass
class Citation:
    marker: int  # [1], [2]… in the answer text
    speech: str
    title: str
    paragraph: int
    heading: str
    quote: str  # verbatim in the paragraph (checked by qa.citations)

    def to_json(self) -> dict:
        return {"speech": self.speech, "paragraph": self.paragraph, "quote": self.quote,
                "title": self.title, "heading": self.heading, "marker": self.marker}


@dataclass
class Answer:
    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    related: list[Passage] = field(default_factory=list)  # "possibly related" after a refusal
    dropped: int = 0  # model sentences or quotes that could not be checked against the speeches
    support: float = 1.0  # share of the question's focus found in the passages (see qa.evidence)
    hedged: bool = False  # the question's words are not the speeches'; answered from passages that mean them

    def to_json(self) -> dict:
        out = {"question": self.question, "answer": self.text, "abstained": self.abstained,
               "citations": [c.to_json() for c in self.citations]}
        if self.hedged:
            out["hedged"] = True
        return out
