"""The study item and the names of its types.

An item carries the citations it was made from (verified quotes, never free text) and its 解析
(`explanation`): the verbatim source sentence(s) with speech title, §n and heading, plus the 采分点
(`points`, key phrases of the cited text) for 简答.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from qa.model import Citation

# 选择 is single choice; exams and quotas call it 单选.
TYPES = ("简答", "填空", "选择", "判断", "多选")
ALIASES = {"单选": "选择", "单选题": "选择", "多选题": "多选", "判断题": "判断", "填空题": "填空", "简答题": "简答"}
DISPLAY = {"选择": "单选"}
BLANK = "____"
TRUE, FALSE = "正确", "错误"
LETTERS = "ABCDEFGH"


def canonical_type(name: str) -> str | None:
    name = name.strip()
    return name if name in TYPES else ALIASES.get(name)


class StudyError(ValueError):
    """An item that fails its checks; str() says which."""


@dataclass
class StudyItem:
    type: str
    question: str
    answer: str
    options: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    explanation: str = ""
    points: list[str] = field(default_factory=list)  # 采分点 of a 简答

    def to_json(self) -> dict:
        return {"type": self.type, "question": self.question, "answer": self.answer, "options": self.options,
                "citations": [c.to_json() for c in self.citations], "explanation": self.explanation}

    def to_record(self) -> dict:
        """Everything, for saving and loading (the 错题本)."""
        return {**self.to_json(), "points": self.points}

    @classmethod
    def from_record(cls, d: dict) -> "StudyItem":
        cites = [Citation(c["marker"], c["speech"], c["title"], c["paragraph"], c["heading"], c["quote"])
                 for c in d["citations"]]
        return cls(d["type"], d["question"], d["answer"], list(d.get("options", [])), cites,
                   d.get("explanation", ""), list(d.get("points", [])))

    @property
    def key(self) -> str:
        """Identity of an item across sessions (type and question)."""
        return f"{self.type}|{self.question}"


def option_text(option: str) -> str:
    """"B. 四风" → "四风"."""
    return option[3:] if len(option) > 2 and option[1:3] == ". " else option


def answer_term(item: StudyItem) -> str:
    """The words that are the answer: the option text for 选择, else the answer itself."""
    if item.type == "选择":
        i = LETTERS.find(item.answer) if len(item.answer) == 1 else -1
        if not 0 <= i < len(item.options):
            raise StudyError(f"answer letter {item.answer!r} names no option")
        return option_text(item.options[i])
    return item.answer
