"""Scoping: a question is narrowed to a speech only when it names one; a quoted topic is not a name."""
from pathlib import Path

import pytest

from ingest.pipeline import load_speech
from qa.scope import detect_scope

SPEECHES = Path(__file__).resolve().parents[2] / "data" / "speeches"


@pytest.fixture(scope="module")
def speeches():
    out = {}
    for f in sorted(SPEECHES.glob("*.txt")):
        s, _ = load_speech(f)
        out[s.id] = s
    return out


def test_quoted_topic_that_is_part_of_a_title_does_not_scope_and_stays(speeches):
    q = "讲话对“全面从严治党”提出了哪些要求？"
    assert detect_scope(q, speeches) == (None, q)


@pytest.mark.parametrize("question, speech, topic", [
    ("在自评自查汇报会上，讲话对作风建设提出了什么要求？", "000_6117c26b33f13efb", "作风建设"),
    ("二〇二二年第一季度党建例会上，对党务干部有什么要求？", "001_ce92dc7b0f296d48", "党务干部"),
    ("2023年局党建暨党风廉政建设工作会议上，怎样强化政治监督？", "002_d78a8ffa42bed171", "政治监督"),
    ("在“踔厉奋发 笃行不怠”这篇讲话里，对基层组织建设提出了哪些要求？", "004_9825695c093ec318", "基层组织建设"),
    # Named by its opening only (no title word): what the opening can give is all a clause can hold.
    ("传达中央纪委全会和中央和国家机关党风廉政建设会议精神的那次会上，对换届工作有什么要求？", "003_4957c2c23b1f7b8a",
     "换届工作"),
])
def test_a_loosely_named_speech_scopes_the_question(speeches, question, speech, topic):
    ids, cleaned = detect_scope(question, speeches)
    assert ids == [speech]
    assert topic in cleaned
    assert "会上" not in cleaned and "这篇讲话" not in cleaned  # the naming words leave the query


def test_a_meeting_reference_without_distinctive_words_does_not_scope(speeches):
    for q in ("在会议上提出了哪些要求？", "讲话中对党建工作有什么要求？", "在2022年的会议上怎样抓党建工作？"):
        assert detect_scope(q, speeches) == (None, q)


def test_book_title_marks_name_a_speech(speeches):
    ids, cleaned = detect_scope("《落实全面从严治党责任，努力提升党建工作质量》对纪检委员有什么要求？", speeches)
    assert ids == ["003_4957c2c23b1f7b8a"]
    assert cleaned.startswith("对纪检委员")


def test_a_meeting_that_says_something_names_its_speech(speeches):
    ids, cleaned = detect_scope("坚持严的主基调，一季度推进会提了哪几项要求？", speeches)
    assert ids == ["001_ce92dc7b0f296d48"]
    assert "推进会" not in cleaned and "严的主基调" in cleaned


def test_a_number_the_speech_gives_otherwise_names_nothing(speeches):
    q = "第四季度党风廉政建设推进会部署了什么？"  # the speeches hold the 第一季度 meeting only
    assert detect_scope(q, speeches) == (None, q)


def test_naming_words_that_are_all_the_topic_stay_in_the_query(speeches):
    q = "一月十八日总书记在中央纪委全会上讲了什么？"
    assert detect_scope(q, speeches) == (["003_4957c2c23b1f7b8a"], q)


def test_a_question_about_several_meetings_names_none_of_them(speeches):
    # 各次会上 matched the quarterly meeting's opening on 各 and 会上 alone before this rule.
    for q in ("党支部建设，各次会上都怎么要求的？", "这几篇讲话里对巡察整改怎么说？", "历次会议上对作风建设提了什么要求？"):
        assert detect_scope(q, speeches) == (None, q)
    # One meeting named beside a plural elsewhere still scopes: the rule reads the naming clause only.
    ids, _ = detect_scope("在自评自查汇报会上，对几篇文件的学习提了什么要求？", speeches)
    assert ids == ["000_6117c26b33f13efb"]


def _speech(sid: str, title: str, opening: str):
    from ingest.model import Paragraph, Speech

    texts = [title, opening] + [f"第{i}项工作要抓好落实，推动各项任务见到实效。" for i in range(6)]
    paragraphs = [Paragraph(sid, n + 1, "", t, is_heading=n == 0) for n, t in enumerate(texts)]
    return Speech(sid, title, f"{sid}.txt", f"h{sid}", paragraphs)


@pytest.mark.parametrize("question, speech", [
    ("十八大报告里对生态文明建设是怎么讲的？", "r18"),
    ("十九大报告中对乡村振兴有什么部署？", "r19"),
    ("二十届三中全会讲话里对改革提出了哪些原则？", "plenum"),
])
def test_a_meeting_called_for_short_names_the_report_whose_opening_gives_its_full_name(question, speech):
    corpus = {s.id: s for s in [
        _speech("r18", "坚定不移沿着中国特色社会主义道路前进", "中国共产党第十八次全国代表大会，是在我国进入关键阶段召开的。"),
        _speech("r19", "决胜全面建成小康社会", "中国共产党第十九次全国代表大会，是在全面建成小康社会决胜阶段召开的。"),
        _speech("plenum", "在全会第二次全体会议上的讲话", "党的二十届中央委员会第三次全体会议审议通过了《决定》。"),
    ]}
    ids, cleaned = detect_scope(question, corpus)
    assert ids == [speech]
    assert "报告" not in cleaned and "讲话里" not in cleaned
