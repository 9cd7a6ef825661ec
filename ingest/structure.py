"""Lines → numbered paragraphs with heading paths, and a human title for the speech.

Numbering rule (fixed for everyone): paragraph n is the n-th line of the text that is non-empty
after stripping whitespace; title lines count too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Paragraph, Speech, content_hash
from .text import H1_MARK, H2_MARK, ITEM, SENTENCE_END

# "一、强化政治统领…" is a top-level heading when short; "（一）举旗定向…。" a sub-section whose lead
# sentence labels it; "一是…。" an enumerated point that labels only its own paragraph.
H1, H2 = H1_MARK, H2_MARK
SALUTATION = re.compile(r"^(同志们|各位|尊敬的)")
H1_MAX = 60
LABEL_MAX = 40


@dataclass(frozen=True)
class Line:
    text: str
    level: int | None = None  # heading level given by the file's markup (md '#', docx style)
    page: int | None = None


def lead_label(text: str, limit: int = LABEL_MAX) -> str:
    """The paragraph's lead sentence (up to the first 。), when short enough to serve as a label."""
    for i, ch in enumerate(text):
        if ch in SENTENCE_END:
            return text[:i].strip() if i <= limit else ""
    return text.strip() if len(text) <= limit else ""


def split_lines(text: str) -> list[Line]:
    return [Line(s) for s in (raw.strip() for raw in text.splitlines()) if s]


def build_paragraphs(speech_id: str, lines: list[Line]) -> tuple[list[Paragraph], list[str]]:
    """Number the non-blank lines and attach heading paths; also return the title lines."""
    paragraphs: list[Paragraph] = []
    h1 = h2 = ""
    title_lines: list[str] = []
    seen_salutation = any(SALUTATION.match(ln.text) for ln in lines[:6])
    in_title = seen_salutation and not SALUTATION.match(lines[0].text) if lines else False
    for n, line in enumerate(lines, start=1):
        text = line.text
        if in_title and SALUTATION.match(text):
            in_title = False
        if in_title and len(text) <= H1_MAX and (line.level is None or line.level <= 1):
            title_lines.append(text)
            paragraphs.append(Paragraph(speech_id, n, "", text, True, line.page))
            continue
        in_title = False
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
    return paragraphs, title_lines


MEETING = re.compile(r"(?:召开|这次|本次|今天的?)([^，。：:；、“”]{4,40}(?:会议|会))")
THEME = re.compile(r"围绕“([^”]{4,40})”")


def derive_title(paragraphs: list[Paragraph], title_lines: list[str], fallback: str) -> str:
    if title_lines:
        return "——".join(title_lines)
    body = [p.text for p in paragraphs if not p.is_heading][:4]
    for text in body:
        if m := MEETING.search(text):
            return f"在{m.group(1).removeprefix('我们').removeprefix('在')}上的讲话"
    for text in body:
        if m := THEME.search(text):
            return f"讲话：{m.group(1)}"
    heads = [p.text.split("、", 1)[-1] for p in paragraphs if p.is_heading][:3]
    return "讲话：" + "；".join(heads) if heads else fallback


def parse_speech(speech_id: str, lines: list[Line], source: str = "", meta: dict | None = None) -> Speech:
    if not lines:
        raise ValueError("no text: the file has no non-blank lines")
    paragraphs, title_lines = build_paragraphs(speech_id, lines)
    meta = meta or {}
    joined = "\n".join(ln.text for ln in lines)
    title = meta.get("title") or derive_title(paragraphs, title_lines, speech_id)
    return Speech(id=speech_id, title=title, source=source, hash=content_hash(joined),
                  paragraphs=paragraphs, date=str(meta.get("date", "")), speaker=meta.get("speaker", ""))
