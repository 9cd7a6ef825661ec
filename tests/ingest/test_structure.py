from ingest.pipeline import load_speech
from ingest.structure import Line, lead_label, parse_speech, split_lines


def parse(text, sid="s1", meta=None):
    return parse_speech(sid, split_lines(text), meta=meta)


def test_numbering_counts_non_blank_lines_only():
    text = "标题一\n\n   \n同志们：\n\t\n第一段。\n \n第二段。\n"
    s = parse(text)
    assert [p.number for p in s.paragraphs] == [1, 2, 3, 4]
    assert [p.text for p in s.paragraphs] == ["标题一", "同志们：", "第一段。", "第二段。"]


def test_title_lines_count_and_become_the_title():
    s = parse("踔厉奋发 笃行不怠\n坚定不移推进全面从严治党\n\n同志们：\n正文。")
    assert s.title == "踔厉奋发 笃行不怠——坚定不移推进全面从严治党"
    assert s.paragraphs[0].is_heading and s.paragraphs[1].is_heading
    assert s.paragraphs[3].number == 4 and s.paragraphs[3].text == "正文。"


def test_heading_path_levels():
    text = ("同志们：\n一、强化政治统领\n（一）时刻抓牢思想政治建设。要深刻认识。\n后续段落。\n"
            "二、强化纪律\n一是坚持不懈落实“一岗双责”。内容。\n同志们，让我们努力。")
    s = parse(text)
    h = {p.number: p.heading for p in s.paragraphs}
    assert h[2] == "一、强化政治统领" and s.paragraphs[1].is_heading
    assert h[3] == "一、强化政治统领 / （一）时刻抓牢思想政治建设"
    assert h[4] == "一、强化政治统领 / （一）时刻抓牢思想政治建设"  # sub-section carries on
    assert h[6] == "二、强化纪律 / 一是坚持不懈落实“一岗双责”"  # an item labels only itself
    assert h[7] == "二、强化纪律"  # the closing "同志们，…" leaves the sub-section


def test_long_line_starting_like_a_heading_is_not_a_heading():
    long = "一、" + "很长的正文" * 20 + "。"
    s = parse("同志们：\n" + long)
    assert not s.paragraphs[1].is_heading


def test_no_title_is_assembled_from_the_body_or_the_headings():
    # A file that states no title is called by its file name: never "在…上的讲话" built from "召开…会".
    s = parse("同志们：\n今天，我们召开局2022年第一季度党建工作例会暨党风廉政建设推进会，主要任务是总结。\n"
              "一、强化政治统领\n正文。", sid="局例会讲话")
    assert s.title == "局例会讲话"


def test_metadata_overrides_title_and_adds_date(tmp_path):
    (tmp_path / "a.txt").write_text("同志们：\n正文。", encoding="utf-8")
    (tmp_path / "speeches.toml").write_text('[a]\ntitle = "人工标题"\ndate = "2023-02-01"\nspeaker = "张三"\n', encoding="utf-8")
    speech, _ = load_speech(tmp_path / "a.txt")
    assert (speech.title, speech.date, speech.speaker) == ("人工标题", "2023-02-01", "张三")


def test_markup_levels_become_headings():
    s = parse_speech("m", [Line("同志们："), Line("总标题", 1), Line("正文一。"), Line("小节", 2), Line("正文二。")])
    assert s.paragraphs[2].heading == "总标题"
    assert s.paragraphs[4].heading == "总标题 / 小节"
    assert s.title == "总标题"  # no title lines: the first heading the file marks
    numbered = parse_speech("n", [Line("同志们："), Line("一、总体要求", 1), Line("正文。")])
    assert numbered.title == "n"  # a numbered section heading names a part, not the speech


def test_a_markup_title_line_is_the_title_not_a_heading_of_the_body():
    s = parse_speech("t", [Line("在全市工作会议上的讲话", 1), Line("正文一。"), Line("小节", 2)])
    assert s.title == "在全市工作会议上的讲话" and s.paragraphs[0].is_heading
    assert s.paragraphs[1].heading == "" and s.paragraphs[2].heading == "小节"


def test_lead_label():
    assert lead_label("一是坚持不懈。其后很多字") == "一是坚持不懈"
    assert lead_label("没有句号的短句") == "没有句号的短句"
    assert lead_label("很" * 50 + "。") == ""


def test_bundled_speech_numbering_matches_the_rule():
    from tests.conftest import SPEECHES

    for f in sorted(SPEECHES.glob("*.txt")):
        speech, _ = load_speech(f)
        lines = [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
        assert [p.text for p in speech.paragraphs] == lines


def test_heading_path_is_the_levels_outermost_first():
    s = parse("同志们：\n一、抓好党建\n（一）强化理论武装。要学深悟透。\n二是抓作风。")
    assert all(p.heading_path == tuple(p.heading.split(" / ")) for p in s.paragraphs if p.heading)
    assert s.paragraphs[2].heading_path[0] == "一、抓好党建" and len(s.paragraphs[2].heading_path) == 2
    assert s.paragraphs[0].heading_path == ()
