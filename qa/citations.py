"""The one place that decides whether a quote is valid: it must occur verbatim in the cited paragraph.

Matching ignores whitespace and full/half-width differences of ASCII-range characters (，vs , ；vs ;),
nothing else. A valid quote is returned as the paragraph's own characters, so what users copy is exact.
"""
from __future__ import annotations

from ingest.model import Speech

from .model import Citation


class CitationError(ValueError):
    """Why a citation was rejected."""


def _fold_char(ch: str) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII forms → ASCII
        return chr(code - 0xFEE0)
    return ch


def fold(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each folded character, its index in the original."""
    out, index = [], []
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        out.append(_fold_char(ch))
        index.append(i)
    return "".join(out), index


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """(start, end) of the quote in text, or None. Only whitespace and character width may differ."""
    fq, _ = fold(quote)
    if not fq:
        return None
    ft, idx = fold(text)
    pos = ft.find(fq)
    if pos < 0:
        return None
    return idx[pos], idx[pos + len(fq) - 1] + 1


def verify(speeches: dict[str, Speech], speech: str, paragraph: int, quote: str) -> str:
    """The quote exactly as the paragraph has it; raises CitationError when it is not there."""
    if speech not in speeches:
        raise CitationError(f"unknown source '{speech}'")
    sp = speeches[speech]
    if not isinstance(paragraph, int) or not 1 <= paragraph <= len(sp.paragraphs):
        raise CitationError(f"'{speech}' has no paragraph {paragraph}")
    text = sp.paragraphs[paragraph - 1].text
    span = locate(quote, text)
    if span is None:
        raise CitationError(f"the quote is not in {speech} §{paragraph}")
    return text[span[0]:span[1]]


def make_citation(speeches: dict[str, Speech], marker: int, speech: str, paragraph: int, quote: str) -> Citation:
    exact = verify(speeches, speech, paragraph, quote)
    sp = speeches[speech]
    return Citation(marker, speech, sp.title, paragraph, sp.paragraphs[paragraph - 1].heading, exact)
