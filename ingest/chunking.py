"""Split long paragraphs into sentence-aligned chunks with a little overlap.

Dense models see at most ~512 tokens and blur long texts, so a 1,500-character paragraph is embedded
as several windows; every chunk keeps exact character offsets into its paragraph.
"""
from __future__ import annotations

from .model import Chunk, Paragraph
from .text import sentence_spans

MAX_CHARS = 160  # ~110 tokens: sentence-sized windows keep dense matches sharp (also across languages)
OVERLAP_SENTENCES = 1


def _split_long(start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    # A single sentence longer than the window is cut into equal pieces (rare: lists without 。).
    n = -(-(end - start) // max_chars)
    step = -(-(end - start) // n)
    return [(s, min(s + step, end)) for s in range(start, end, step)]


def chunk_paragraph(p: Paragraph, max_chars: int = MAX_CHARS, overlap: int = OVERLAP_SENTENCES) -> list[Chunk]:
    text = p.text
    if len(text) <= max_chars:
        return [Chunk(p.speech, p.number, 0, len(text), text)]
    spans: list[tuple[int, int]] = []
    for s, e in sentence_spans(text):
        spans.extend(_split_long(s, e, max_chars) if e - s > max_chars else [(s, e)])
    chunks: list[Chunk] = []
    i = 0
    while i < len(spans):
        j = i
        while j + 1 < len(spans) and spans[j + 1][1] - spans[i][0] <= max_chars:
            j += 1
        s, e = spans[i][0], spans[j][1]
        chunks.append(Chunk(p.speech, p.number, s, e, text[s:e]))
        if j + 1 >= len(spans):
            break
        # Step forward, repeating the last `overlap` sentences, but always make progress.
        i = max(j + 1 - overlap, i + 1)
    return chunks


def chunk_speech(paragraphs: list[Paragraph], max_chars: int = MAX_CHARS) -> list[Chunk]:
    # Heading and title lines get no vectors of their own: short lines sit close to every query in
    # embedding space and crowd out content. They stay searchable by keyword.
    return [c for p in paragraphs if not p.is_heading for c in chunk_paragraph(p, max_chars)]
