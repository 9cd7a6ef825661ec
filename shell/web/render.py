"""HTML and Markdown views of answers and speeches for the chat UI.

Everything that comes from a speech or an upload goes through `esc()`: HTML-escaped, and the characters
Markdown would act on turned into entities, so no text can inject markup, script or formatting (the
masked names in the speeches are written "**", which Markdown would otherwise turn into bold).
"""
from __future__ import annotations

import html
import re
from urllib.parse import quote as urlquote

from ingest.model import Speech

from qa.citations import locate
from qa.model import Answer, Citation, Passage

_MD = {c: f"&#{ord(c)};" for c in "*_`[]#~|\\$!{}+-"}


def esc(text: str) -> str:
    return "".join(_MD.get(ch) or html.escape(ch, quote=True) for ch in text)


def _marker_html(text: str) -> str:
    # Markers were escaped to &#91;n&#93; — turn them back into superscript links to the cards.
    return re.sub(r"&#91;(\d+)&#93;", r'<sup class="sq-mark">[\1]</sup>', text)


def answer_html(answer: Answer) -> str:
    """The answer text: lead, speech titles as headers, bullets, markers as superscripts."""
    out, items = [], []

    def flush():
        if items:
            out.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()

    for line in answer.text.splitlines():
        s = line.strip()
        if not s:
            continue
        if s.startswith("- "):
            items.append(_marker_html(esc(s[2:])))
            continue
        flush()
        if s.startswith("《") and s.endswith("》"):
            out.append(f'<p class="sq-speech"><strong>{esc(s)}</strong></p>')
        else:
            out.append(f"<p>{_marker_html(esc(s))}</p>")
    flush()
    return "\n".join(out)


def reader_link(speech: str, paragraph: int) -> str:
    return f"?speech={urlquote(speech)}&p={paragraph}#p-{paragraph}"


def highlighted(text: str, quotes: list[str]) -> str:
    """The paragraph, escaped, with every quoted span marked."""
    spans = sorted(sp for sp in (locate(q, text) for q in quotes) if sp)
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, pos = [], 0
    for s, e in merged:
        out.append(esc(text[pos:s]) + f"<mark>{esc(text[s:e])}</mark>")
        pos = e
    return "".join(out) + esc(text[pos:])


def card_html(cites: list[Citation], speeches: dict[str, Speech], open_: bool = False) -> str:
    """One card per cited paragraph; all its markers in the summary, all its quotes highlighted."""
    c = cites[0]
    sp = speeches.get(c.speech)
    para = sp.paragraphs[c.paragraph - 1].text if sp and 0 < c.paragraph <= len(sp.paragraphs) else c.quote
    marks = "".join(f"[{x.marker}]" for x in cites)
    head = f"{marks} {esc(c.title)} · §{c.paragraph}" + (f" · {esc(c.heading)}" if c.heading else "")
    origin = f'<span class="sq-origin">文件：{esc(sp.origin)}（{esc(c.speech)}）</span> ' if sp and sp.origin else ""
    return (f'<details class="sq-card"{" open" if open_ else ""}><summary>{head}</summary>'
            f'<div class="sq-para">{highlighted(para, [x.quote for x in cites])}</div>'
            f'{origin}<a class="sq-link" href="{reader_link(c.speech, c.paragraph)}" target="_blank">在原文中查看 §{c.paragraph}</a>'
            f"</details>")


def cards_html(citations: list[Citation], speeches: dict[str, Speech]) -> str:
    groups: dict[tuple[str, int], list[Citation]] = {}
    for c in citations:
        groups.setdefault((c.speech, c.paragraph), []).append(c)
    return "".join(card_html(g, speeches) for g in groups.values())


def related_html(passages: list[Passage]) -> str:
    if not passages:
        return ""
    rows = "".join(
        f'<li>{esc(p.title)} · §{p.paragraph}：{esc(p.text[:80])}{"…" if len(p.text) > 80 else ""} '
        f'<a class="sq-link" href="{reader_link(p.speech, p.paragraph)}" target="_blank">查看</a></li>'
        for p in passages)
    return f'<div class="sq-related"><p><strong>可能相关（不是答案，仅供参考）</strong></p><ul>{rows}</ul></div>'


def message_html(answer: Answer, speeches: dict[str, Speech]) -> str:
    """One assistant message: the answer, then its source cards (or the possibly related paragraphs)."""
    parts = [answer_html(answer)]
    if answer.citations:
        parts.append('<div class="sq-sources"><p><strong>来源</strong></p>'
                     + cards_html(answer.citations, speeches) + "</div>")
    parts.append(related_html(answer.related))
    # The wrapper marks a finished answer (a streaming one is plain text): the page and its tests can tell.
    return '<div class="sq-answer">' + "\n".join(p for p in parts if p) + "</div>"


def answer_markdown(answer: Answer) -> str:
    """Answer with its sources as Markdown, for pasting into a report."""
    lines = [answer.text]
    if answer.citations:
        lines += ["", "来源："]
        for c in answer.citations:
            lines.append(f"[{c.marker}] 《{c.title}》 §{c.paragraph}" + (f"（{c.heading}）" if c.heading else ""))
            lines.append(f"> {c.quote}")
    if answer.related:
        lines += ["", "可能相关（不是答案）："]
        lines += [f"- 《{p.title}》 §{p.paragraph}" for p in answer.related]
    return "\n".join(lines)


def speech_html(speech: Speech, highlight: int | None = None) -> str:
    """A whole speech, paragraph by paragraph, with § numbers and headings; anchors p-<n>."""
    rows = [f'<h3 class="sq-title">{esc(speech.title)}</h3>']
    date = f"{speech.date}（推断）" if speech.date and speech.date_basis == "inferred" else speech.date
    meta = " · ".join(x for x in (date, speech.speaker, f"{len(speech.paragraphs)} 段") if x)
    rows.append(f'<p class="sq-meta">{esc(meta)}</p>')
    for p in speech.paragraphs:
        cls = "sq-p sq-h" if p.is_heading else "sq-p"
        if highlight == p.number:
            cls += " sq-hit"
        rows.append(f'<p id="p-{p.number}" class="{cls}"><span class="sq-no">§{p.number}</span> {esc(p.text)}</p>')
    return "\n".join(rows)


def study_html(items) -> str:
    """A preview of study items; answers and sources folded under each question."""
    if not items:
        return "<p>没有生成题目：请换一个主题或讲话。</p>"
    rows = []
    for n, it in enumerate(items, start=1):
        opts = "".join(f"<li>{esc(o)}</li>" for o in it.options)
        links = " ".join(f'<a class="sq-link" href="{reader_link(c.speech, c.paragraph)}" target="_blank">§{c.paragraph}</a>'
                         for c in {(c.speech, c.paragraph): c for c in it.citations}.values())
        rows.append(f'<div class="sq-item"><p><strong>{n}. 【{esc(it.type)}】</strong>'
                    f'{esc(it.question).replace(chr(10), "<br>")}</p>'
                    + (f"<ul>{opts}</ul>" if opts else "")
                    + f"<details><summary>答案与解析</summary><p>答案：{esc(it.answer)}</p>"
                    f'<p class="sq-expl">{esc(it.explanation)}</p><p>{links}</p></details></div>')
    return "\n".join(rows)
