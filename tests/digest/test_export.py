"""Markdown and Word exports: they open, carry every excerpt with its source, and survive control characters."""
from __future__ import annotations

import docx

from digest.build import Digest
from digest.collect import Excerpt
from digest.compare import Column, Comparison, Pair, classify
from digest.dates import SpeechDate
from digest.export import compare_docx, compare_markdown, digest_docx, digest_markdown
from ingest.model import Paragraph, Speech
from qa.model import Citation

DATE = SpeechDate("2022年初", (2022, 1, 0), True, "2022年是…")


def _speech(sid: str, texts: list[str]) -> Speech:
    sp = Speech(sid, f"讲话{sid}\x07", f"/{sid}.txt", sid)
    sp.paragraphs = [Paragraph(sid, i, "一、标题", t) for i, t in enumerate(texts, start=1)]
    return sp


def _digest() -> Digest:
    a = _speech("a", ["要加强作风建设，\x0b刚才**汇报了情况。", "作风建设永远在路上。"])
    b = _speech("b", ["其他内容。"])
    ex = [Excerpt(Citation(0, "a", a.title, n, "一、标题", a.paragraphs[n - 1].text), DATE) for n in (1, 2)]
    return Digest("作风建设", ex, [(a, DATE), (b, DATE)])


def _texts(path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_digest_docx_has_title_page_headings_sources_and_page_numbers(tmp_path):
    d = _digest()
    path = tmp_path / "d.docx"
    digest_docx(d, path)
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert "原文摘编：作风建设" in texts
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["《讲话a》（2022年初（推断））"]  # the control character is dropped, not fatal
    assert "要加强作风建设，刚才**汇报了情况。" in texts and "作风建设永远在路上。" in texts
    src = texts.index("作风建设永远在路上。") + 1
    assert texts[src].startswith("——《讲话a》（2022年初（推断））§2")
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "fldChar" in footer


def test_digest_docx_of_a_chosen_order(tmp_path):
    d = _digest()
    path = tmp_path / "d.docx"
    digest_docx(d, path, [d.excerpts[1]])
    texts = _texts(path)
    assert "作风建设永远在路上。" in texts and not any("要加强作风建设" in t for t in texts)


def test_digest_markdown_escapes_markup():
    md = digest_markdown(_digest())
    assert md.startswith("# 原文摘编：作风建设")
    assert "刚才\\*\\*汇报了情况" in md and "——《讲话a" in md


def test_compare_exports(tmp_path):
    d = _digest()
    a, b = d.speeches[0][0], d.speeches[1][0]
    old, new = "坚持纠治四风。", "坚持不懈纠治四风顽疾。"
    kind, ops, _ = classify(old, new)
    pair = Pair(Citation(0, "b", b.title, 1, "", old), Citation(0, "a", a.title, 1, "", new), DATE, DATE, kind, ops)
    c = Comparison("作风建设", [Column(b, DATE, [], 0), Column(a, DATE, d.excerpts, 2, ["作风建设年\x01"])], [pair])
    path = tmp_path / "c.docx"
    compare_docx(c, path)
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert "未涉及。" in texts and any(t.startswith("新提法：作风建设年") for t in texts)
    assert any(t.startswith("【新增】") for t in texts)
    chart = document.tables[0]
    assert [row.cells[2].text for row in chart.rows] == ["未涉及", "2段"]
    md = compare_markdown(c)
    assert "未涉及。" in md and "【新增】" in md and "**不懈**" in md
