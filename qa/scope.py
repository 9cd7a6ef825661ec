"""A question that names a speech (by its title or a part of it) is scoped to that speech.

"在“踔厉奋发 笃行不怠”这篇讲话里，…" → only speech 004, and the title words leave the query, so they
do not pull the title line itself to the top.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ingest.model import Speech

_QUOTED = re.compile(r"[“\"《「『]([^”\"》」』]{2,60})[”\"》」』]")
_SEP = re.compile(r"——|—|：|:|\s+|，|,")
_PUNCT = re.compile(r"[\s\W_]+")
MIN_PART = 6  # an unquoted title part must be this long to count as naming the speech
_FILLER = re.compile(r"(在|从)?(这篇|该篇|此篇|这次|本篇)?(讲话|文章|发言)(里|中|中的)?[，,]?")


def _norm(text: str) -> str:
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text)).lower()


@lru_cache(maxsize=65536)
def _parts_of(title: str) -> tuple[str, ...]:
    parts = [title] + _SEP.split(title)
    return tuple(p for p in (_norm(x) for x in parts) if len(p) >= 4)


def title_parts(speech: Speech) -> tuple[str, ...]:
    return _parts_of(speech.title)


def detect_scope(question: str, speeches: dict[str, Speech]) -> tuple[list[str] | None, str]:
    """(speech ids the question names, the question without the naming words); (None, question) if none."""
    named: list[str] = []
    cleaned = question
    for m in _QUOTED.finditer(question):
        q = _norm(m.group(1))
        if len(q) < 4:
            continue
        hits = [s.id for s in speeches.values() if any(q in part or part in q for part in title_parts(s))]
        if hits:
            named.extend(hits)
            cleaned = cleaned.replace(m.group(0), " ")
    if not named:
        nq = _norm(question)
        for s in speeches.values():
            if any(len(part) >= MIN_PART and part in nq for part in title_parts(s)):
                named.append(s.id)
    if not named:
        return None, question
    cleaned = _FILLER.sub(" ", cleaned, count=1).strip() or question
    return sorted(set(named)), cleaned
