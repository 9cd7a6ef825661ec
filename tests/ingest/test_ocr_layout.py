"""OCR layout rules on synthetic boxes (no model): lines, frame, headers and page numbers, paragraphs."""
from __future__ import annotations

from ingest.ocr_layout import Box, TextLine, dash_lead, full_width, group_lines, judge, paragraphs, strip_edges

C = 30.0  # character size in pixels
LEFT, WIDTH = 100.0, 28  # left edge, characters a full line holds


def line(text: str, row: int, indent: float = 0, size: float = C, width: float | None = None) -> TextLine:
    """A line of text at row (line pitch 1.6 characters), indent characters in; width in characters
    (default: as many as it has, CJK)."""
    x0, y0 = LEFT + indent * C, 100 + row * 1.6 * C
    return TextLine(text, x0, y0, x0 + (width if width is not None else len(text)) * size, y0 + size)


def full(text: str, row: int) -> TextLine:
    return line(text, row, width=WIDTH)


def body_page(first_row: int = 0) -> list[TextLine]:
    """Ten lines: two paragraphs, each an indented first line, full lines and a short last line."""
    rows = [line("壹" * 26, 0, indent=2), full("二" * 28, 1), full("三" * 28, 2), line("四" * 10 + "。", 3),
            line("五" * 26, 4, indent=2), full("六" * 28, 5), full("七" * 28, 6), full("八" * 28, 7),
            full("九" * 28, 8), line("十" * 5 + "。", 9)]
    return [TextLine(t.text, t.x0, t.y0 + first_row * 48, t.x1, t.y1 + first_row * 48) for t in rows]


def test_boxes_on_one_row_join_left_to_right_rows_top_to_bottom():
    boxes = [Box("第二行", 0.9, 100, 150, 190, 180), Box("右边", 0.9, 300, 102, 360, 131),
             Box("左边", 0.9, 100, 100, 160, 130)]
    assert [ln.text for ln in group_lines(boxes)] == ["左边右边", "第二行"]


def test_latin_words_on_one_row_keep_a_space():
    boxes = [Box("PP-OCR", 0.9, 100, 100, 200, 130), Box("v4", 0.9, 240, 100, 270, 130)]
    assert group_lines(boxes)[0].text == "PP-OCR v4"


def test_indent_and_short_lines_make_paragraphs():
    paras = paragraphs([body_page()], [1])
    assert [p.text for p in paras] == ["壹" * 26 + "二" * 28 + "三" * 28 + "四" * 10 + "。",
                                       "五" * 26 + "六" * 28 + "七" * 28 + "八" * 28 + "九" * 28 + "十" * 5 + "。"]
    assert [p.page for p in paras] == [1, 1]


def test_without_indents_a_short_line_ends_the_paragraph():
    page = [full("甲" * 28, 0), line("乙" * 12, 1), full("丙" * 28, 2), full("丁" * 28, 3), line("戊" * 3, 4)]
    page += [full("己" * 28, r) for r in range(5, 10)]
    assert [p.text[0] for p in paragraphs([page])] == ["甲", "丙", "己"]


def test_with_indents_a_line_short_by_digits_does_not_end_the_paragraph():
    # Wrapped by character count: four digits make the line two characters shorter, mid-sentence.
    page = body_page()
    page[1] = line("二" * 22 + "2022", 1, width=24)
    paras = paragraphs([page])
    assert len(paras) == 2 and paras[0].text.startswith("壹" * 26 + "二" * 22 + "2022三")


def test_heading_without_punctuation_is_its_own_paragraph():
    page = [line("一、提高认识", 0, indent=2), line("要" * 26, 1, indent=2), full("严" * 28, 2), line("格。", 3)]
    page += [line("二、抓好落实", 4, indent=2)] + [full("落" * 28, r) for r in range(5, 9)]
    assert [p.text[:3] for p in paragraphs([page])] == ["一、提", "要要要", "二、抓", "落落落"]


def test_centered_title_is_its_own_paragraph_and_a_wrapped_big_title_is_joined():
    page = [line("关于加强党建的讲话", 0, indent=9.5), line("同志们：", 1)] + [full("文" * 28, r) for r in range(2, 9)]
    assert [p.text for p in paragraphs([page])][:2] == ["关于加强党建的讲话", "同志们："]
    big = 1.35 * C
    title = [TextLine("在" * 20, LEFT, 100, LEFT + 20 * big, 100 + big),
             TextLine("讲话", LEFT + 9 * big, 170, LEFT + 11 * big, 170 + big)]
    page = title + [line("同志们：", 3)] + [full("文" * 28, r) for r in range(4, 12)]
    assert [p.text for p in paragraphs([page])][:2] == ["在" * 20 + "讲话", "同志们："]


def test_paragraph_continues_across_a_page_break_unless_the_next_page_starts_indented():
    p1 = body_page()[:-1]  # ends with a full line mid-paragraph
    p2 = [full("续" * 28, 0), line("完。", 1)] + body_page(2)
    paras = paragraphs([p1, p2], [1, 2])
    assert paras[1].text.endswith("九" * 28 + "续" * 28 + "完。") and paras[1].page == 1
    p2_indented = [line("新" * 26, 0, indent=2), line("完。", 1)] + body_page(2)
    paras = paragraphs([p1, p2_indented], [1, 2])
    assert paras[1].text.endswith("九" * 28) and paras[2].text.startswith("新") and paras[2].page == 2


def test_page_numbers_and_running_headers_are_dropped():
    pages = []
    for n in range(1, 4):
        header = TextLine("机关内部资料注意保存", 300, 40, 300 + 10 * 0.6 * C, 40 + 0.7 * C)  # smaller font
        number = {1: "— 1 —", 2: "-2-", 3: "第3页"}[n]
        pages.append([header] + body_page(1) + [TextLine(number, 500, 1500, 560, 1525)])
    stripped = strip_edges(pages)
    assert all(p[0].text == "壹" * 26 and p[-1].text == "十" * 5 + "。" for p in stripped)
    one = strip_edges([[TextLine("内部资料", 300, 40, 300 + 4 * 0.6 * C, 58)] + body_page(1)
                       + [TextLine("—2一", 500, 1500, 560, 1525)]])[0]  # one page: by font size and shape
    assert one[0].text == "壹" * 26 and one[-1].text == "十" * 5 + "。"
    # A header in 10.5 pt over 12 pt body text: only a little smaller, but centered.
    one = strip_edges([[TextLine("机关内部资料注意保存", 400, 40, 400 + 10 * 0.875 * C, 40 + 0.875 * C)] + body_page(1)])[0]
    assert one[0].text == "壹" * 26


def test_running_header_in_body_font_is_dropped_when_it_repeats():
    pages = [[full("某某市住房和城乡建设局文件", 0)] + body_page(1) for _ in range(3)]
    assert all(p[0].text == "壹" * 26 for p in strip_edges(pages))
    assert strip_edges(pages[:1])[0][0].text == "某某市住房和城乡建设局文件"  # once is no running header


def test_ocr_slips_are_mended():
    assert full_width("同志们:") == "同志们：" and full_width("定位,落实") == "定位，落实"
    assert full_width("9:30 a,b") == "9:30 a,b"
    assert full_width('说"好"的') == "说“好”的" and full_width("质量—全面") == "质量——全面"
    assert full_width("刚才，XXx同志") == "刚才，xxx同志" and full_width("XX局") == "XX局"
    assert dash_lead("一补钙铸魂守初心") == "——补钙铸魂守初心" and dash_lead("—强化服务") == "——强化服务"
    assert dash_lead("一是要") == "一是要" and dash_lead("一、提高认识") == "一、提高认识" and dash_lead("一年来") == "一年来"


def test_judge_refuses_nothing_noise_and_too_little_chinese():
    assert judge([], 0.6, 10) == "no text found in the image"
    noise = [Box("x!", 0.3, 0, 0, 10, 10), Box("口口", 0.5, 0, 20, 10, 30)]
    assert "mostly noise" in judge(noise, 0.6, 10)
    assert "only 3 Chinese characters" in judge([Box("ABC 讲话稿", 0.95, 0, 0, 10, 10)], 0.6, 10)
    assert judge([Box("同志们要严格落实三会一课制度", 0.95, 0, 0, 10, 10)], 0.6, 10) == ""
