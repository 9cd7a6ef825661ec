"""Do the speeches speak to the question? The evidence behind answering or refusing.

The best dense cosine alone does not separate answerable from unanswerable questions on this corpus
(e5 similarities crowd into 0.85–0.93), so three kinds of evidence are combined:
- specifics: a year, a date, an ordinal period (第二季度), a Latin acronym or a quoted term the question
  asks about must occur in the speeches searched; if not, the speeches cannot answer it;
- support: the idf-weighted share of the question's content words found in the best passages;
- margin: how much closer the question is to the best chunk than to a fixed set of off-topic texts
  (weather, cooking, sport…). Subtracting this background cancels the offset that e5 gives every pair
  of a given question, including the cross-language offset of English questions.
A Chinese question is refused when the words are missing AND the meaning is not close; an English one
(no Chinese content words) when the meaning is not close.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import jieba
import numpy as np

from ingest.text import STOPWORDS

from .model import Passage

BACKGROUND = [
    "今天天气晴朗，气温适宜，适合外出散步和运动。",
    "这道菜需要先把肉切块焯水，再加酱油和糖小火慢炖。",
    "比赛进行到下半场，主队依靠一记远射扳平了比分。",
    "这款手机的电池续航时间长，屏幕显示效果清晰。",
    "旅客可以在车站售票窗口或者网上购买火车票。",
    "孩子们在公园里放风筝，玩得非常开心。",
    "Quarterly sales grew as the company launched new products.",
    "The recipe calls for two cups of flour and a pinch of salt.",
]
MIN_SUPPORT = 0.5  # share of the question's content words found in the best passages
MIN_MARGIN_WITH_WORDS_MISSING = 0.05
MIN_MARGIN_ENGLISH = 0.02
MIN_MARGIN = 0.0  # below the background: never an answer

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SPECIFIC = re.compile(
    r"(?<!\d)(?:19|20)\d{2}(?!\d)|\d{1,2}月(?:\d{1,2}日)?|第[一二三四五六七八九十百\d]+(?:季度|次|届|批|轮|期)"
    r"|[一二三四五六七八九十]季度|[A-Za-z]{2,}(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])[A-Za-z]{2,}")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{1,30})[”\"」』]")


@dataclass
class Evidence:
    answerable: bool
    reason: str = ""
    support: float = 0.0
    margin: float = 0.0
    missing: list[str] = field(default_factory=list)


def content_terms(question: str) -> list[str]:
    return [t for t in dict.fromkeys(jieba.lcut(question))
            if _CJK.search(t) and len(t) >= 2 and t not in STOPWORDS]


def specifics(question: str) -> list[str]:
    found = [m.group(0) for m in _SPECIFIC.finditer(question)]
    found += [q.strip() for q in _QUOTED.findall(question) if q.strip()]
    return list(dict.fromkeys(found))


def _mentioned(specific: str, corpus_lower: str) -> bool:
    """A year, period or acronym must occur as written. A quoted phrase may be quoted loosely
    (“四风问题”): it counts when each of its words occurs."""
    if specific.lower() in corpus_lower:
        return True
    if _SPECIFIC.fullmatch(specific):
        return False
    words = [w for w in jieba.lcut(specific) if len(w) >= 2 and (_CJK.search(w) or w.isalnum())]
    return bool(words) and all(w.lower() in corpus_lower for w in words)


class EvidenceJudge:
    def __init__(self, retriever) -> None:
        self.embeddings = retriever  # embed_query / embed_documents
        self._background: np.ndarray | None = None

    def background(self) -> np.ndarray:
        if self._background is None:
            self._background = np.array(self.embeddings.embed_documents(BACKGROUND))
        return self._background

    def judge(self, question: str, passages: list[Passage], corpus_text: str, idf: dict[str, float]) -> Evidence:
        """corpus_text: the lower-cased text of the speeches searched."""
        if not passages:
            return Evidence(False, "no passage matched")
        missing = [s for s in specifics(question) if not _mentioned(s, corpus_text)]
        qvec = np.array(self.embeddings.embed_query(question))
        margin = float(max(p.dense for p in passages) - (self.background() @ qvec).max())
        if missing:
            return Evidence(False, "specifics not in the speeches", margin=margin, missing=missing)
        terms = content_terms(question)
        top = "".join(p.heading + p.text for p in passages[:3])
        if terms:
            unknown = max(idf.values(), default=1.0) + 1.0
            w = {t: idf.get(t, unknown) for t in terms}
            support = sum(w[t] for t in terms if t in top) / sum(w.values())
        else:
            support = 0.0
        if margin < MIN_MARGIN:
            return Evidence(False, "far from every passage", support, margin)
        if not terms:  # no Chinese content words: English or another language
            ok = margin >= MIN_MARGIN_ENGLISH
        else:
            ok = support >= MIN_SUPPORT or margin >= MIN_MARGIN_WITH_WORDS_MISSING
        missing_terms = [t for t in terms if t not in top]
        return Evidence(ok, "" if ok else "the question's words and meaning are not in the speeches",
                        support, margin, missing_terms)
