"""Digests and comparisons out: Markdown, and printable Word documents (python-docx) with a title page,
one heading per speech, each excerpt followed by its source line, and page numbers in the footer.

Word's XML cannot hold control characters, so they are dropped from what is written to .docx (they are
invisible in the speeches anyway); every other character is written as the speech has it.
"""
from __future__ import annotations

import re
from datetime import date as _date

from .build import Digest
from .collect import Excerpt
from .compare import Comparison

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_MD_SPECIAL = re.compile(r"[\\`*_\[\]#<>~|]")
BAR_CHAR = "█"
BAR_MAX = 30  # characters of the longest bar in the text chart


def clean(text: str) -> str:
    return _CONTROL.sub("", text)


def md(text: str) -> str:
    """Speech text for Markdown: the characters Markdown acts on are backslash-escaped, so the masked
    names ("**") and the like show as written."""
    return _MD_SPECIAL.sub(r"\\\g<0>", text)


def _md_quote(text: str) -> str:
    return "\n".join("> " + md(line) for line in text.splitlines() or [""])


# -- Markdown --------------------------------------------------------------------------------------------
def digest_markdown(d: Digest, excerpts: list[Excerpt] | None = None) -> str:
    """The digest, or the given excerpts of it in the given order (what the user kept in the app)."""
    chosen = d.ordered() if excerpts is None else excerpts
    out = [f"# 原文摘编：{md(d.topic)}", "", md(d.note()), ""]
    current = None
    for e in chosen:
        if e.speech != current:
            current = e.speech
            out += [f"## 《{md(e.citation.title)}》（{e.date.display()}）", ""]
        out += [_md_quote(e.text), "", f"——{md(e.source())}", ""]
    return "\n".join(out).rstrip() + "\n"


def chart_lines(c: Comparison) -> list[str]:
    """A text bar chart: paragraphs on the topic per speech, in date order."""
    top = max((col.found for col in c.columns), default=0) or 1
    return [f"{col.date.display():<16} {BAR_CHAR * round(BAR_MAX * col.found / top):<{BAR_MAX}} {col.found}"
            f"  《{col.speech.title}》" for col in c.columns]


def diff_markdown(diff: list[dict]) -> str:
    parts = []
    for op in diff:
        if op["op"] == "equal":
            parts.append(md(op["from"]))
        if op["op"] in ("delete", "replace") and op["from"]:
            parts.append(f"~~{md(op['from'])}~~")
        if op["op"] in ("insert", "replace") and op["to"]:
            parts.append(f"**{md(op['to'])}**")
    return "".join(parts)


def compare_markdown(c: Comparison) -> str:
    out = [f"# 对比：{md(c.topic)}", "", "各篇讲话论及该主题的段落数（按日期）：", "", "```", *chart_lines(c), "```", ""]
    for col in c.columns:
        out += [f"## 《{md(col.speech.title)}》（{col.date.display()}）", ""]
        if col.date.inferred and col.date.evidence:
            out += [f"日期依据：{md(col.date.evidence)}", ""]
        if col.silent:
            out += ["未涉及。", ""]
            continue
        if col.new_terms:
            out += ["新提法：" + "、".join(f"**{md(t)}**" for t in col.new_terms), ""]
        for e in col.excerpts:
            out += [_md_quote(e.text), "", f"——{md(e.source())}", ""]
        if col.found > len(col.excerpts):
            out += [f"（共{col.found}段，列出{len(col.excerpts)}段）", ""]
    if c.pairs:
        out += ["## 前后对照", ""]
        for p in c.pairs:
            out += [f"- 【{p.kind}】《{md(p.old.title)}》§{p.old.paragraph} → 《{md(p.new.title)}》§{p.new.paragraph}",
                    f"  - 前：{md(p.old.quote)}", f"  - 后：{md(p.new.quote)}", f"  - 差异：{diff_markdown(p.diff)}"]
    return "\n".join(out).rstrip() + "\n"


# -- Word ----------------------------------------------------------------------------------------------------
def _page_numbers(doc) -> None:
    """A centred PAGE field in the footer of every section."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for section in doc.sections:
        p = section.footer.paragraphs[0] if section.footer.paragraphs else section.footer.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run()
        for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            elif text == "PAGE":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = " PAGE "
            else:
                el = OxmlElement("w:t")
                el.text = text
            run._r.append(el)


def _title_page(doc, title: str, lines: list[str]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

    for _ in range(6):
        doc.add_paragraph()
    head = doc.add_heading(clean(title), level=0)
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in lines:
        p = doc.add_paragraph(clean(line))
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _excerpt(doc, e: Excerpt) -> None:
    from docx.shared import Pt

    doc.add_paragraph(clean(e.text))
    src = doc.add_paragraph()
    run = src.add_run(clean("——" + e.source()))
    run.italic = True
    run.font.size = Pt(9)


def digest_docx(d: Digest, path, excerpts: list[Excerpt] | None = None) -> None:
    import docx

    chosen = d.ordered() if excerpts is None else excerpts
    doc = docx.Document()
    _title_page(doc, f"原文摘编：{d.topic}", [d.note(), f"编印日期：{_date.today().isoformat()}"])
    current = None
    for e in chosen:
        if e.speech != current:
            current = e.speech
            doc.add_heading(clean(f"《{e.citation.title}》（{e.date.display()}）"), level=1)
        _excerpt(doc, e)
    if not chosen:
        doc.add_paragraph(clean(d.note() if d.absent else "未选择任何摘录。"))
    _page_numbers(doc)
    doc.save(str(path))


def _chart_table(doc, c: Comparison) -> None:
    from docx.shared import RGBColor

    top = max((col.found for col in c.columns), default=0) or 1
    table = doc.add_table(rows=0, cols=3)
    table.style = "Table Grid"
    for col in c.columns:
        cells = table.add_row().cells
        cells[0].text = clean(f"{col.date.display()}\n《{col.speech.title}》")
        bar = cells[1].paragraphs[0].add_run(BAR_CHAR * round(BAR_MAX * col.found / top) or "—")
        bar.font.color.rgb = RGBColor(0x1A, 0x5F, 0xB4)
        cells[2].text = f"{col.found}段" if col.found else "未涉及"


def _diff_paragraph(doc, diff: list[dict]) -> None:
    from docx.enum.text import WD_COLOR_INDEX

    p = doc.add_paragraph("差异：")
    for op in diff:
        if op["op"] == "equal":
            p.add_run(clean(op["from"]))
            continue
        if op["from"]:
            gone = p.add_run(clean(op["from"]))
            gone.font.strike = True
        if op["to"]:
            added = p.add_run(clean(op["to"]))
            added.font.highlight_color = WD_COLOR_INDEX.BRIGHT_GREEN


def compare_docx(c: Comparison, path) -> None:
    import docx
    from docx.enum.text import WD_COLOR_INDEX

    doc = docx.Document()
    spoken = sum(not col.silent for col in c.columns)
    _title_page(doc, f"对比：{c.topic}", [f"{len(c.columns)}篇讲话，{spoken}篇论及该主题，按日期排列",
                                         f"编印日期：{_date.today().isoformat()}"])
    doc.add_heading("各篇讲话论及该主题的段落数", level=1)
    _chart_table(doc, c)
    for col in c.columns:
        doc.add_heading(clean(f"《{col.speech.title}》（{col.date.display()}）"), level=1)
        if col.date.inferred and col.date.evidence:
            doc.add_paragraph(clean(f"日期依据：{col.date.evidence}"))
        if col.silent:
            doc.add_paragraph("未涉及。")
            continue
        if col.new_terms:
            p = doc.add_paragraph("新提法：")
            for i, t in enumerate(col.new_terms):
                p.add_run("、" if i else "")
                p.add_run(clean(t)).font.highlight_color = WD_COLOR_INDEX.YELLOW
        for e in col.excerpts:
            _excerpt(doc, e)
    if c.pairs:
        doc.add_heading("前后对照", level=1)
        for pair in c.pairs:
            doc.add_paragraph(clean(f"【{pair.kind}】《{pair.old.title}》§{pair.old.paragraph} → "
                                    f"《{pair.new.title}》§{pair.new.paragraph}"))
            doc.add_paragraph(clean(f"前：{pair.old.quote}"))
            doc.add_paragraph(clean(f"后：{pair.new.quote}"))
            _diff_paragraph(doc, pair.diff)
    _page_numbers(doc)
    doc.save(str(path))
