"""解析: the verbatim source sentence(s) with speech title, §n and heading; what each type adds to it."""
from __future__ import annotations

import re

from ingest.text import STOPWORDS, key_terms, words
from qa.model import Citation

POINTS_PER_ITEM = 2  # 采分点 taken from each point of a 简答
MIN_POINT_WORD = 2  # a 采分点 word has at least this many characters
MAX_CLAUSE = 12  # a point's first clause up to this long is itself the 采分点


def where(c: Citation) -> str:
    return f"《{c.title}》§{c.paragraph}" + (f"（{c.heading}）" if c.heading else "")


def source_line(c: Citation) -> str:
    return f"{where(c)}：“{c.quote}”"


def sources(cites: list[Citation]) -> str:
    return "；".join(source_line(c) for c in cites)


def key_phrases(text: str, limit: int = POINTS_PER_ITEM) -> list[str]:
    """What a grader looks for in an answer point: its quoted terms, else its first clause when short,
    else its longest content words."""
    terms = key_terms(text)
    if terms:
        return list(dict.fromkeys(terms))[:limit]
    clause = re.split(r"[，,；;。：:]", text.strip())[0]
    if MIN_POINT_WORD <= len(clause) <= MAX_CLAUSE:
        return [clause]
    ws = [w for w in dict.fromkeys(words(text)) if len(w) >= MIN_POINT_WORD and w not in STOPWORDS]
    longest = sorted(ws, key=len, reverse=True)[:limit]
    return [w for w in ws if w in longest]


def explain(kind: str, cites: list[Citation], answer: str = "", points: list[str] | None = None,
            changed: tuple[str, str] | None = None) -> str:
    src = "原文：" + sources(cites)
    if kind == "简答":
        return f"采分点：{'；'.join(points or [])}。{src}"
    if kind == "判断" and changed:
        return f"{answer}。原文是“{changed[0]}”，题中改成了“{changed[1]}”。{src}"
    if kind in ("判断", "选择", "多选"):
        return f"答案：{answer}。{src}"
    return src
