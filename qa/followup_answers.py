"""Follow-ups answered without a search: a point the last answer listed, shown with the paragraph(s) it
came from in full ("第二点具体怎么说？"), and what the speech records say about a speech itself — its
meeting, date and speaker ("这是在哪次会议上讲的？"). Every quote is checked by qa.citations.
"""
from __future__ import annotations

import re

from ingest.lexicon import CN_DIGITS
from ingest.model import Speech
from ingest.text import ARABIC_ITEM, ITEM, ORDINAL_ITEM, PARTS_ANNOUNCED, SUB_MARK, cn_small_number, sentence_spans

from .citations import CitationError, make_citation
from .model import Answer, Citation
from .units import speech_units

_HEAD_NUM = re.compile(rf"^([{CN_DIGITS}]{{1,3}})\s*、")
_TITLE_MEETING = (re.compile(r"^在(.+?)上的(?:讲话|发言|总结讲话|讲话提纲)$"), re.compile(r"——(.+?会议?)(?:上的)?讲话$"))
# A sentence of the opening that speaks of the meeting being held: 今天，我们召开…, 这次…会议…
_MEETING_CUE = re.compile(r"召开|这次|本次|此次|今天的?会")
MEETING_OVERLAP = 0.7  # share of the title's meeting name (in character pairs) an opening sentence repeats
SECTION_PARAGRAPHS = 3  # body paragraphs shown under a heading point
SECTION_CHARS = 1500
SHORT_POINT = 40  # characters of a point in the "按…理解" line


def point_number(quote: str) -> int | None:
    """The number a listed point carries: 一是 / 第二， / 3. / （四） / 五、."""
    for rx in (ITEM, ORDINAL_ITEM, SUB_MARK, _HEAD_NUM):
        m = rx.match(quote)
        if m and m.group(1):
            return cn_small_number(m.group(1))
    m = ARABIC_ITEM.match(quote)
    return int(m.group(1)) if m else None


def pick_point(points: list[Citation], n: int, speeches: dict[str, Speech] | None = None) -> Citation | None:
    """The n-th point as the answer listed it (n = -1: the last). Numbered items (一是…, （二）…) are
    picked by their number; otherwise the n-th item of a list of the speech's paragraphs that the answer
    drew on (`speeches` given: "…主要有：" with ——… items after it, "从五个方面提出要求" with its section
    headings); otherwise the listed lines in order, an introducing line (…：) left out."""
    if not points or n == 0:
        return None
    numbered = [(point_number(c.quote), c) for c in points]
    group = [(k, c) for k, c in numbered if k is not None and c.speech == next(
        (c2.speech for k2, c2 in numbered if k2 is not None), None)]
    if len({k for k, _ in group}) >= 2:
        if n == -1:
            return max(group, key=lambda kc: kc[0])[1]
        return next((c for k, c in group if k == n), None)
    if speeches is not None and (item := _list_item(speeches, points, n)) is not None:
        return item
    listed = [c for c in points if not c.quote.rstrip().endswith(("：", ":"))] or points
    if n == -1:
        return listed[-1]
    return listed[n - 1] if 1 <= n <= len(listed) else None


def _list_item(speeches: dict[str, Speech], points: list[Citation], n: int) -> Citation | None:
    """The n-th item of the list (qa.units: an enumeration or an outline) the answer cites most — at
    least its intro or two of its items — in the speech of the answer's first point."""
    cited = {(c.speech, c.paragraph) for c in points}
    sp = speeches.get(points[0].speech)
    if sp is None:
        return None
    best, most = None, 0
    for unit in speech_units(sp, PARTS_ANNOUNCED):
        hits = sum((sp.id, m) in cited for m in unit.members)
        intro = unit.intro and (sp.id, unit.members[0]) in cited
        if (intro or hits >= 2) and hits > most and len(unit.items) >= max(n, 2):
            best, most = unit.items, hits
    if best is None:
        return None
    number = best[n - 1] if n > 0 else best[-1]
    try:
        return make_citation(speeches, 1, sp.id, number, sp.paragraphs[number - 1].text)
    except CitationError:
        return None


def _short(text: str) -> str:
    return text if len(text) <= SHORT_POINT else text[:SHORT_POINT] + "…"


def _section(speech: Speech, number: int) -> list[int]:
    """A heading point's paragraphs: its sub-headings when it has them, else its first body paragraphs
    (the paragraphs whose heading path starts with the heading's own)."""
    head = speech.paragraphs[number - 1]
    path = head.heading or head.text
    under = []
    for p in speech.paragraphs[number:]:
        if not p.heading.startswith(path):
            break
        under.append(p)
    subs = [p.number for p in under if p.is_heading]
    if subs:
        return subs
    out, used = [], 0
    for p in under:
        if len(out) >= SECTION_PARAGRAPHS or (out and used + len(p.text) > SECTION_CHARS):
            break
        out.append(p.number)
        used += len(p.text)
    return out


def ordinal_answer(speeches: dict[str, Speech], point: Citation, label: str) -> Answer:
    """The point as listed, then the paragraph(s) it came from in full, each cited. label: 第二点."""
    resolved = f"{label}“{_short(point.quote)}”的原文"
    sp = speeches.get(point.speech)
    if sp is None:
        return Answer(resolved, "这篇讲话已不在资料库中。", abstained=True)
    numbers = [point.paragraph]
    if sp.paragraphs[point.paragraph - 1].is_heading:
        numbers += _section(sp, point.paragraph)
    lines = [f"{label}：{point.quote}", "", f"原文（《{sp.title}》§{'、§'.join(map(str, numbers))}）："]
    citations = []
    for number in numbers:
        try:
            c = make_citation(speeches, len(citations) + 1, sp.id, number, sp.paragraphs[number - 1].text)
        except CitationError:
            continue
        citations.append(c)
        lines.append(f"{c.quote}[{c.marker}]")
    return Answer(resolved, "\n".join(lines), citations)


def title_meeting(title: str) -> str:
    """The meeting a title names: 在…汇报会上的讲话 → …汇报会; …——全面从严治党工作会议讲话 → 全面从严治党工作会议."""
    for rx in _TITLE_MEETING:
        m = rx.search(title.strip())
        if m:
            return m.group(1)
    return ""


def _pairs(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _opening(speech: Speech) -> tuple[int, str] | None:
    for p in speech.paragraphs:
        if not p.is_heading and len(p.text) > 12:
            return p.number, p.text
    return None


def meeting_sentence(speech: Speech, meeting: str) -> tuple[int, str] | None:
    """The opening's sentence that names or speaks of the meeting: (paragraph, sentence)."""
    found = _opening(speech)
    if found is None:
        return None
    number, text = found
    want = _pairs(re.sub(r"\W", "", meeting))
    for s, e in sentence_spans(text):
        sent = text[s:e]
        if (want and len(want & _pairs(sent)) >= MEETING_OVERLAP * len(want)) or _MEETING_CUE.search(sent):
            return number, sent
    return None


def _title_lines(speech: Speech) -> list[int]:
    """Title lines at the top of the text (踔厉奋发 笃行不怠 / 坚定不移…): the text itself states the title."""
    out = []
    for p in speech.paragraphs:
        if not p.is_heading or p.heading:
            break
        out.append(p.number)
    return out


def about_answer(speeches: dict[str, Speech], targets: list[str], what: str) -> Answer:
    """What the speech records (title, date, speaker) and the text say about the speeches' meeting, date
    or speaker; "讲话中没有写明…" when a speech does not say. Abstained when none of them says."""
    ask = {"meeting": "是在哪次会议上讲的", "date": "是什么时候讲的", "speaker": "是谁讲的",
           "title": "的题目是什么"}[what]
    sps = [speeches[t] for t in targets if t in speeches]
    resolved = "、".join(f"《{s.title}》" for s in sps) + ask + "？"
    lines: list[str] = []
    citations: list[Citation] = []
    stated = False
    for sp in sps:
        head = f"《{sp.title}》：" if len(sps) > 1 else ""
        quotes: list[tuple[int, str]] = []
        if what == "meeting":
            meeting = title_meeting(sp.title)
            sent = meeting_sentence(sp, meeting)
            quotes = [(n, sp.paragraphs[n - 1].text) for n in _title_lines(sp)] if meeting else []
            quotes += [sent] if sent else []
            text = (f"据讲话标题，这是在{meeting}上的讲话。" if meeting
                    else "讲话标题没有写明会议名称。" if sent else "讲话中没有写明是在哪次会议上讲的。")
        elif what == "title":  # the record always has a title; the text states it when it has title lines
            quotes = [(n, sp.paragraphs[n - 1].text) for n in _title_lines(sp)]
            text = f"题目：《{sp.title}》。"
        elif what == "date":  # a date inferred from the body is not one the speech states
            dated = sp.date and getattr(sp, "date_basis", "") != "inferred"
            text = f"讲话日期：{sp.date}。" if dated else "讲话中没有写明讲话的日期" + (
                f"（从内容推断约为{sp.date}）。" if sp.date else "。")
        else:
            text = f"讲话人：{sp.speaker}。" if sp.speaker else "讲话中没有写明讲话人。"
        stated = stated or what == "title" or bool(meeting if what == "meeting" else dated if what == "date" else sp.speaker) \
            or bool(quotes)
        marks = ""
        for number, quote in quotes:
            try:
                c = make_citation(speeches, len(citations) + 1, sp.id, number, quote)
            except CitationError:
                continue
            citations.append(c)
            marks += f"\n- “{c.quote}”[{c.marker}]"
        lines.append(head + text + ("\n原文：" + marks if marks else ""))
    if not sps:
        return Answer(resolved, "请说明您想了解哪篇讲话。", abstained=True)
    return Answer(resolved, "\n".join(lines), citations, abstained=not stated)
