"""Structure-aware units: an enumeration (intro + items) or an outline comes back whole and in order."""
from ingest.pipeline import ingest_paths
from ingest.structure import parse_speech, split_lines
from qa.units import enumerations, outlines, speech_units

SPEECH = """同志们：
下面，我讲三点意见。
一、抓好学习
关于冰糖葫芦的制作工艺，存在的问题主要有：
一是山楂挑选不严，个别果子有虫眼。
二是熬糖火候不稳，糖衣时厚时薄。
三是竹签规格不一，售卖时容易折断。
二、抓好队伍
（一）选好带头人。要把懂行的师傅放到关键岗位。
（二）带好新学员。要手把手教，老带新、传帮带。
一是每周集中培训一次。
二是每月考核一次。
三、抓好作风
要坚持天天打扫，保持店面整洁。
"""


def _speech(text=SPEECH, sid="s1"):
    return parse_speech(sid, split_lines(text))


def test_enumeration_units_are_intro_plus_items_split_where_numbering_restarts():
    units = {u.members for u in enumerations(_speech())}
    assert (4, 5, 6, 7) in units  # intro §4 + 一是/二是/三是
    assert (8, 9, 10) in units  # （一）（二）under the heading 二、抓好队伍: the heading leads its body
    assert (10, 11, 12) in units  # a new 一是 run after （二）: §10 introduces it
    assert all(len(u) >= 2 for u in units)


def test_outline_unit_is_the_announcement_with_the_section_headings():
    assert [u.members for u in outlines(_speech())] == [(2, 3, 8, 13)]


def test_a_list_without_items_is_no_unit():
    text = "同志们：\n要抓好学习，主要有：\n坚持天天学。\n"
    assert speech_units(_speech(text)) == []


def test_an_enumeration_intro_retrieved_brings_its_items_in_order(engine, tmp_path):
    folder = tmp_path / "speeches"
    folder.mkdir()
    (folder / "s1.txt").write_text(SPEECH, encoding="utf-8")
    (folder / "s2.txt").write_text("同志们：\n今年要把食堂办好，饭菜要可口。\n要把道路修好，方便群众出行。\n",
                                    encoding="utf-8")
    ingest_paths([folder], engine.store)
    res = engine.retriever.search("冰糖葫芦的制作工艺存在哪些问题？", k=5)
    assert [(p.speech, p.paragraph) for p in res[:4]] == [("s1", 4), ("s1", 5), ("s1", 6), ("s1", 7)]
    assert len(res) == 5  # search -k keeps its contract
    assert [p.score for p in res] == sorted((p.score for p in res), reverse=True)
    # The answer lists the items under their intro, in order, though they share no word with the question.
    answer = engine.answerer.ask("冰糖葫芦的制作工艺存在哪些问题？", mode="offline")
    assert [(c.speech, c.paragraph) for c in answer.citations] == [("s1", 4), ("s1", 5), ("s1", 6), ("s1", 7)]
    assert [c.quote[:2] for c in answer.citations[1:]] == ["一是", "二是", "三是"]


def test_answers_cover_more_than_k_passages_until_the_scores_fall_away():
    from qa.compose import MAX_PASSAGES, select_passages
    from qa.model import Passage

    def ps(scores):
        return [Passage("s", "t", i + 1, "", "x", sc) for i, sc in enumerate(scores)]

    plateau = ps([1.0, 0.95, 0.9, 0.9, 0.88, 0.87, 0.86, 0.85, 0.5, 0.49])
    assert [p.paragraph for p in select_passages(plateau)] == [1, 2, 3, 4, 5, 6, 7, 8]  # stops at the gap
    steep = ps([1.0, 0.9, 0.8, 0.7, 0.6, 0.45, 0.44])
    assert len(select_passages(steep)) == MAX_PASSAGES
    assert [p.paragraph for p in select_passages(ps([1.0, 0.3]))] == [1]


def _lead(fused, listing=False):
    import numpy as np

    from qa.units import UnitIndex

    sp = _speech()
    index = UnitIndex({"s1": sp}, {("s1", p.number): p.number - 1 for p in sp.paragraphs})
    n = len(sp.paragraphs)
    rows = index.lead(np.array(fused + [0.3] * (n - len(fused))), listing)
    return [r + 1 for r in rows]  # rows → paragraph numbers


def test_an_item_ranked_first_brings_its_enumeration_when_the_intro_scores_close_to_it():
    # §5 (一是…) is the best paragraph, its intro §4 close behind: the list leads, intro first.
    assert _lead([0.3, 0.3, 0.3, 0.85, 1.0]) == [4, 5, 6, 7]
    # The intro far behind: the question is about that one item, not the list.
    assert _lead([0.3, 0.3, 0.3, 0.5, 1.0]) == []
    # An intro ranked first still leads its own unit.
    assert _lead([0.3, 0.3, 0.3, 1.0, 0.6]) == [4, 5, 6, 7]


def test_a_question_asking_for_a_list_takes_a_list_whose_intro_is_close_to_the_best():
    # §13 (outside any list) is best; the intro §4 scores 0.9 of it.
    fused = [0.3, 0.3, 0.3, 0.9, 0.2, 0.2, 0.2, 0.3, 0.3, 0.3, 0.3, 0.3, 1.0]
    assert _lead(fused) == []  # a plain question: the best paragraph stays first
    assert _lead(fused, listing=True) == [4, 5, 6, 7]  # 哪几个问题: the list leads
    # The best is an item (§7) and its intro §4 ranks third: the list leads a list question only.
    item_first = [0.3, 0.3, 0.3, 0.5, 0.2, 0.2, 1.0, 0.3, 0.3, 0.3, 0.3, 0.3, 0.6]
    assert _lead(item_first) == []
    assert _lead(item_first, listing=True) == [4, 5, 6, 7]
    # An intro well below the best is no answer to the list question either.
    assert _lead([0.1, 0.1, 0.1, 0.6, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 1.0], listing=True) == []


def test_list_questions_are_told_from_others():
    from ingest.text import LIST_QUESTION

    for q in ("存在哪些问题？", "提出了哪几项要求", "从三个方面部署", "分别是什么", "其他几条是什么", "讲了哪几点"):
        assert LIST_QUESTION.search(q), q
    for q in ("一岗双责是什么意思？", "这是一个什么样的会议", "怎样加强廉洁文化建设？"):
        assert not LIST_QUESTION.search(q), q


def test_a_list_longer_than_k_gives_its_intros_place_to_its_items():
    from types import SimpleNamespace

    from qa.model import Passage
    from qa.retrieve import Retriever

    ranked = [Passage("s", "t", n, "", "x", 1.0, unit=u) for n, u in ((4, 1), (5, 2), (6, 3), (7, 4))]
    ranked.append(Passage("s", "t", 9, "", "x", 0.5))
    fake = SimpleNamespace(rank=lambda question, speeches, k: ranked)
    assert [p.paragraph for p in Retriever.search(fake, "q", k=3)] == [5, 6, 7]  # the items, in order
    assert [p.paragraph for p in Retriever.search(fake, "q", k=5)] == [4, 5, 6, 7, 9]  # room: intro first


def test_parts_are_announced_in_several_ways():
    from ingest.text import OUTLINE, PARTS_ANNOUNCED

    for said in ["下面，我讲三点意见。", "我讲三个方面的意见。", "谈几点体会。"]:
        assert OUTLINE.search(said) and PARTS_ANNOUNCED.search(said), said
    for said in ["下面，从五个方面对下一阶段的工作提出要求。", "对大家提出以下三点要求。"]:
        assert PARTS_ANNOUNCED.search(said) and not OUTLINE.search(said), said  # the follow-up's wording only
    for said in ["这三点很重要。", "从三个方面看，成绩来之不易。"]:
        assert not PARTS_ANNOUNCED.search(said), said


def test_a_follow_up_counts_in_the_sections_a_loosely_worded_announcement_introduces():
    from qa.citations import make_citation
    from qa.followup_answers import pick_point

    sp = _speech("同志们：\n今年任务很重，下面从三个方面对工作提出要求。\n一、抓学习\n要天天学。\n二、抓队伍\n"
                 "要带好人。\n三、抓作风\n要查问题。\n", "s1")
    points = [make_citation({"s1": sp}, 1, "s1", 2, "下面从三个方面对工作提出要求。")]
    assert pick_point(points, 3, {"s1": sp}).paragraph == 7


def test_an_ordinal_after_an_answer_without_numbered_points_takes_the_item_of_the_list_it_cites():
    from qa.citations import make_citation
    from qa.followup_answers import pick_point

    sp = _speech("同志们：\n一年来，我们主要做了以下工作：\n——抓学习，办了十期培训班。\n"
                 "——抓队伍，选了五名带头人。\n——抓作风，查了三起问题。\n要继续努力。\n", "s1")
    speeches = {"s1": sp}
    # The answer cited the intro and one item's words, none of them numbered.
    points = [make_citation(speeches, 1, "s1", 2, "我们主要做了以下工作："),
              make_citation(speeches, 2, "s1", 5, "查了三起问题。")]
    assert pick_point(points, 3, speeches).paragraph == 5
    assert pick_point(points, 2, speeches).paragraph == 4
    assert pick_point(points, 2) is None  # without the speeches: the listed lines, and one is listed
