"""Lines → numbered paragraphs with heading paths; the speech's title, date and speaker as its file
publishes them (ingest/header.py), speeches.toml overriding.

Numbering rule (fixed for everyone): paragraph n is the n-th line of the text that is non-empty
after stripping whitespace; title and other header lines count too.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass

from .dating import date_of
from .header import Header, read_header, to_iso
from .model import Paragraph, Speech, content_hash
from .text import ARABIC_ITEM, H1_MARK, H2_MARK, ITEM, SENTENCE_END

# "一、强化政治统领…" is a top-level heading when short; "（一）举旗定向…。" a sub-section whose lead
# sentence labels it; "一是…。" an enumerated point that labels only its own paragraph.
H1, H2 = H1_MARK, H2_MARK
SALUTATION = re.compile(r"^(同志们|各位|尊敬的)")
H1_MAX = 60
LABEL_MAX = 40
log = logging.getLogger("speechqa")


@dataclass(frozen=True)
class Line:
    text: str
    level: int | None = None  # heading level given by the file's markup (md '#', docx style)
    page: int | None = None


@dataclass(frozen=True)
class Document:
    """What a reader gives: the lines, and the title and ISO date that the file's own properties name
    (docx core properties, OFD DocInfo). Those are used only where the text states none."""
    lines: list[Line]
    title: str = ""
    date: str = ""


def lead_label(text: str, limit: int = LABEL_MAX) -> str:
    """The paragraph's lead sentence (up to the first 。), when short enough to serve as a label."""
    for i, ch in enumerate(text):
        if ch in SENTENCE_END:
            return text[:i].strip() if i <= limit else ""
    return text.strip() if len(text) <= limit else ""


def split_lines(text: str) -> list[Line]:
    return [Line(s) for s in (raw.strip() for raw in text.splitlines()) if s]


def build_paragraphs(speech_id: str, lines: list[Line], header_end: int = 0) -> list[Paragraph]:
    """Number the non-blank lines and attach heading paths; lines[:header_end] (title, date, speaker…)
    are header lines: marked as headings, under no heading."""
    paragraphs: list[Paragraph] = []
    h1 = h2 = ""
    for n, line in enumerate(lines, start=1):
        text = line.text
        if n <= header_end:
            paragraphs.append(Paragraph(speech_id, n, "", text, True, line.page))
            continue
        if line.level is not None and line.level <= 1 or (line.level is None and H1.match(text) and len(text) <= H1_MAX):
            h1, h2 = text, ""
            paragraphs.append(Paragraph(speech_id, n, h1, text, True, line.page))
            continue
        if line.level is not None and line.level >= 2:
            h2 = text
            paragraphs.append(Paragraph(speech_id, n, " / ".join(x for x in (h1, h2) if x), text, True, line.page))
            continue
        own = ""
        if SALUTATION.match(text):  # a closing "同志们，…" belongs to no sub-section
            h2 = ""
        elif H2.match(text):
            h2 = lead_label(text) or text[:LABEL_MAX]
        elif ITEM.match(text):
            own = lead_label(text)
        heading = " / ".join(x for x in (h1, h2, own) if x)
        paragraphs.append(Paragraph(speech_id, n, heading, text, False, line.page))
    return paragraphs


def first_heading(lines: list[Line]) -> str:
    """The first line the file marks as a top heading (md #, docx Heading 1 or Title), unless it is a
    numbered section (一、… names one part of the speech, not the speech)."""
    for line in lines:
        if line.level is not None and line.level <= 1 and len(line.text) <= H1_MAX:
            if not (H1.match(line.text) or H2.match(line.text) or ARABIC_ITEM.match(line.text)):
                return line.text
    return ""


def derive_title(lines: list[Line], header: Header, fallback: str) -> str:
    """The title lines as published; without them the file's first heading; else the file stem. Never
    words assembled from the body (a title the file does not give is not invented)."""
    return header.title or first_heading(lines) or fallback


def _date(meta: dict, texts: list[str], header: Header, doc_date: str = "") -> tuple[str, str]:
    """(ISO date, basis): given in the metadata, else stated by the file, else named by the file's own
    properties (docx created, OFD CreationDate), else inferred from its body."""
    if given := str(meta.get("date", "")).strip():
        if iso := to_iso(given):
            return iso, "given"
        log.warning("speeches.toml date %r is not a date; the file's own date is used", given)
    found = date_of(texts, header)
    if found.basis != "stated" and (iso := to_iso(doc_date)):
        return iso, "document"
    return found.iso, found.basis if found.iso else ""


def parse_speech(speech_id: str, lines: list[Line] | Document, source: str = "", meta: dict | None = None) -> Speech:
    """The speech in `lines` (or a reader's Document, whose own title and date fill what the text and
    the metadata leave empty)."""
    doc = lines if isinstance(lines, Document) else Document(lines)
    lines = doc.lines
    if not lines:
        raise ValueError("no text: the file has no non-blank lines")
    texts = [ln.text for ln in lines]
    header = read_header(texts)
    paragraphs = build_paragraphs(speech_id, lines, header.end)
    meta = meta or {}
    title = meta.get("title") or derive_title(lines, header, doc.title or speech_id)
    date, basis = _date(meta, texts, header, doc.date)
    return Speech(id=speech_id, title=title, source=source, hash=content_hash("\n".join(texts)),
                  paragraphs=paragraphs, date=date, date_basis=basis,
                  speaker=meta.get("speaker") or header.speaker)


RUNNING_SHARE = 0.6  # a line at a page's edge on this share of the pages is a running head or footer


def running_lines(edges: list[list[str]], share: float = RUNNING_SHARE, least: int = 1) -> set[str]:
    """The texts among each page's edge lines that recur on `share` of the pages (at least `least`), in a
    document of three or more pages: running heads and footers, which every paged reader drops."""
    if len(edges) < 3:
        return set()
    seen = Counter(t for page in edges for t in set(page))
    return {t for t, c in seen.items() if c >= max(least, share * len(edges))}
