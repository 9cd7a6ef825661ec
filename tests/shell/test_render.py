from ingest.model import Paragraph, Speech
from qa.model import Answer, Citation, Passage
from shell.web.render import answer_html, answer_markdown, esc, message_html, speech_html

EVIL = '要求<script>alert(1)</script>和<img src=x onerror="alert(2)">以及**名字**。'


def speeches():
    s = Speech("s", "标题<b>", "", "h", [Paragraph("s", 1, "一、<i>标题</i>", EVIL)])
    return {"s": s}


def test_escape_neutralises_html_and_markdown():
    out = esc(EVIL)
    assert "<script>" not in out and "<img" not in out and "**" not in out
    assert "&lt;script&gt;" in out and "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in out


def test_paragraph_with_script_renders_as_text_in_cards_reader_and_related():
    sp = speeches()
    a = Answer("q", "《标题<b>》\n- 要求<script>alert(1)</script>[1]", [Citation(1, "s", "标题<b>", 1, "一、<i>标题</i>", "<script>alert(1)</script>")],
               related=[Passage("s", "标题<b>", 1, "", EVIL)])
    html = message_html(a, sp) + speech_html(sp["s"])
    for bad in ("<script", "<img", "<b>", "<i>", "onerror=\""):
        assert bad not in html
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in html  # the quote is highlighted, as text
    assert '<sup class="sq-mark">[1]</sup>' in html


def test_answer_html_structure():
    html = answer_html(Answer("q", "共有2篇讲话谈到这个问题：\n\n《甲》\n- 一句。[1]\n- 二句。[2]\n\n《乙》\n- 三句。[3]"))
    assert html.count("<ul>") == 2 and html.count("<li>") == 3
    assert '<p class="sq-speech"><strong>《甲》</strong></p>' in html


def test_markdown_copy_has_sources():
    a = Answer("q", "答案[1]", [Citation(1, "s", "标题", 3, "一、总", "原文")])
    md = answer_markdown(a)
    assert "[1] 《标题》 §3（一、总）" in md and "> 原文" in md


def test_card_names_the_source_file_so_same_named_speeches_are_told_apart():
    s = Speech("讲话-2", "在某会议上的讲话", "/x/other/讲话.docx", "h", [Paragraph("讲话-2", 1, "", "严格落实制度。")])
    a = Answer("q", "- 严格落实制度。[1]", [Citation(1, "讲话-2", s.title, 1, "", "严格落实制度。")])
    html = message_html(a, {"讲话-2": s})
    assert "文件：讲话.docx（讲话-2）" in __import__("html").unescape(html)
