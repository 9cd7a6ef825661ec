"""The checks on an LLM's reply (no network: the reply text is given)."""
import pytest

from ingest.model import Paragraph, Speech
from qa.chain import PROMPT, format_passages
from qa.model import Passage
from qa.reply import check_reply, split_sentences
from qa.support import support

P1 = "各单位班子成员要履行“一岗双责”，对分管领域的党风廉政建设切实负起责任。要加强日常监督。"
P2 = "完善制度，织密“不能腐”的笼子。从源头上扎牢制度“笼子”。严禁违规接受宴请。"
# Corpus-like weights: generic words light, topic words heavy; words absent here weigh the most (6.0).
IDF = {"要": 0.2, "加强": 0.5, "制度": 1.0, "监督": 1.5, "日常": 2.5, "完善": 1.5, "笼子": 3.0,
       "一岗双责": 4.0, "班子": 2.5, "成员": 2.0, "履行": 2.0, "宴请": 4.5, "接受": 2.0, "6.0": 6.0}


@pytest.fixture
def world():
    s = Speech("a", "讲话甲", "", "h", [Paragraph("a", 1, "", "同志们："), Paragraph("a", 2, "一、责任", P1),
                                     Paragraph("a", 3, "二、制度", P2)])
    passages = [Passage("a", "讲话甲", 2, "一、责任", P1), Passage("a", "讲话甲", 3, "二、制度", P2)]
    return {"a": s}, passages


def check(world, raw, question="怎样？"):
    speeches, passages = world
    return check_reply(question, raw, passages, speeches, IDF)


def test_supported_points_keep_verified_quotes_and_renumbered_markers(world):
    raw = ("1. 要从源头上扎牢制度笼子。[2]\n2. 班子成员要履行一岗双责。[1]\n"
           "引用：\n[2] “从源头上扎牢制度“笼子”。”\n[1] “各单位班子成员要履行“一岗双责””")
    a = check(world, raw)
    assert not a.abstained and a.dropped == 0
    assert a.text == "1. 要从源头上扎牢制度笼子。[1]\n2. 班子成员要履行一岗双责。[2]"
    assert [(c.marker, c.paragraph) for c in a.citations] == [(1, 3), (2, 2)]
    assert a.citations[0].quote == "从源头上扎牢制度“笼子”。"  # the model's own quote: verbatim and supporting


def test_invented_point_with_invented_quote_is_dropped_and_counted(world):
    raw = ("1. 班子成员要履行一岗双责，对分管领域的党风廉政建设负起责任。[1]\n"
           "2. 要建立党员积分制考核平台，每月通报排名。[2]\n"
           "引用：\n[1] “各单位班子成员要履行“一岗双责””\n[2] “建立党员积分制考核平台”")
    a = check(world, raw)
    assert "积分制" not in a.text and "考核平台" not in a.text
    assert a.dropped == 1 and "模型回答中有 1 句无法在原文中核对，已删除" in a.text
    assert [c.paragraph for c in a.citations] == [2]
    assert a.citations[0].quote == "各单位班子成员要履行“一岗双责”，对分管领域的党风廉政建设切实负起责任。"


def test_a_numbered_quotes_head_is_still_the_quotes_head(world):
    a = check(world, "1. 要加强日常监督。[1]\n2. 引用：\n[1] “要加强日常监督。”")
    assert a.text == "1. 要加强日常监督。[1]" and a.dropped == 0


def test_failing_quote_gives_way_to_the_supporting_sentence(world):
    a = check(world, "要加强日常监督。[1]\n引用：\n[1] “要加强日常监督和巡视巡察”")
    assert a.text == "要加强日常监督。[1]" and a.citations[0].quote == "要加强日常监督。"


def test_marker_without_quote_attaches_only_to_a_sentence_that_supports_it(world):
    a = check(world, "1. 要加强日常监督。[1]\n2. 要全面推进乡村振兴，加强日常管理。[1]")
    assert "乡村振兴" not in a.text and a.dropped == 1
    assert [c.quote for c in a.citations] == ["要加强日常监督。"]


def test_claim_sharing_only_generic_words_is_not_attached(world):
    # The old "closest sentence" rule tied this to §3 because both say 制度.
    a = check(world, "要建立健全干部休假制度。[2]")
    assert a.abstained and a.citations == [] and a.dropped == 1


def test_a_point_citing_the_wrong_passage_is_dropped_unless_another_holds_it_verbatim(world):
    a = check(world, "班子成员要履行一岗双责，做好廉政建设。[2]")  # supported by [1] only loosely: dropped
    assert a.abstained and a.dropped == 1
    a = check(world, "要加强日常监督。[2]")  # [1]'s own words under a mistyped number: cited to [1]
    assert a.text == "要加强日常监督。[1]" and a.citations[0].paragraph == 2


def test_quoted_words_must_be_in_the_supporting_sentence(world):
    claim = "各单位班子成员要履行{}，对分管领域的党风廉政建设切实负起责任。[1]"
    assert not check(world, claim.format("一岗双责")).abstained
    a = check(world, claim.format("“两个责任”"))
    assert a.abstained and a.dropped == 1


def test_two_sentences_together_do_not_support_one_point(world):
    a = check(world, "要从源头上扎牢制度笼子，严禁违规接受宴请。[2]")  # each half from another sentence
    assert a.abstained and a.dropped == 1
    assert support("扎牢制度笼子", P2, IDF).end == P2.index("。严禁") + 1


def test_negation_flipped_is_not_supported(world):
    a = check(world, "1. 可以接受宴请。[2]\n2. 严禁违规接受宴请。[2]")
    assert a.text.startswith("1. 严禁违规接受宴请。[1]") and "可以接受" not in a.text and a.dropped == 1


def test_model_that_cannot_answer_leaves_nothing_to_show(world):
    a = check(world, "无法回答", "谁是讲话人？")
    assert a.abstained and a.citations == [] and a.dropped == 0


def test_nothing_verifiable_abstains(world):
    a = check(world, "巴黎是法国的首都。\n引用：\n[7] “巴黎”")
    assert a.abstained and a.citations == [] and a.dropped == 1


def test_unmarked_claims_are_tied_to_the_passage_that_supports_them(world):
    a = check(world, "讲话的要求如下：\n要加强日常监督，对分管领域的党风廉政建设切实负起责任\n要多读书。")
    assert not a.abstained
    assert a.text.startswith("要加强日常监督，对分管领域的党风廉政建设切实负起责任[1]\n\n（模型回答中有 1 句")
    assert a.citations[0].paragraph == 2 and a.dropped == 1  # the lead-in is left out, "多读书" is dropped


def test_english_question_gets_an_english_frame(world):
    a = check(world, "1. 要加强日常监督。[1]\n2. 要多读书。[1]", "What do the speeches require?")
    assert a.text.startswith("From the speeches (in Chinese") and "要加强日常监督。[1]" in a.text
    assert "could not be checked against the speeches and were removed" in a.text


def test_split_sentences_assigns_markers():
    assert split_sentences("甲要做。[1]乙要做；丙要做。[2][3]") == [("甲要做。", [1]), ("乙要做；", [2, 3]),
                                                               ("丙要做。", [2, 3])]
    assert split_sentences("甲要做。乙要做[1，2]") == [("甲要做。", [1, 2]), ("乙要做", [1, 2])]
    assert split_sentences("没有标记。") == [("没有标记。", [])]


def test_points_are_renumbered_whatever_their_bullets(world):
    a = check(world, "（1）要加强日常监督。[1]\n(2) 要推进乡村振兴。[1]\n- 严禁违规接受宴请。[2]")
    assert a.text.startswith("1. 要加强日常监督。[1]\n2. 严禁违规接受宴请。[2]")


def test_support_weighs_rare_words():
    text = "要加强日常监督。"
    assert support("加强日常监督", text, IDF)
    assert support("要加强宴请监督", text, IDF) is None  # 2 of 3 words, but not the one that matters
    assert support("加强日常监督和网格化积分管理", text, IDF) is None  # invented words weigh most


def test_a_word_no_speech_uses_must_be_in_the_sentence():
    text = "实干导向立起来，坚决干事担事。"
    idf = {"实干": 3.0, "导向": 2.0, "立起来": 2.0, "坚决": 1.0, "干事": 2.0, "担事": 3.0}
    assert support("实干导向立起来，坚决干事担事", text, idf)
    assert support("责干导向立起来，坚决干事担事", text, idf) is None  # 责干: a mistyped term
    assert support("要加强", "要加强日常监督。完善制度。", IDF).start == 0


def test_prompt_shows_numbered_passages_and_the_question():
    p = [Passage("a", "t", 2, "h", P1), Passage("a", "t", 3, "h", P2)]
    msgs = PROMPT.format_messages(question="问题？", passages=format_passages(p))
    assert msgs[0].type == "system" and "[1] " + P1 in msgs[1].content and "[2] " + P2 in msgs[1].content
    assert msgs[1].content.endswith("问题：问题？")


def test_a_looping_model_shows_each_sentence_once(world):
    a = check(world, "1. 要加强日常监督。[1]\n2. 要加强日常监督。[1]\n3. 严禁违规接受宴请。[2]")
    assert a.text == "1. 要加强日常监督。[1]\n2. 严禁违规接受宴请。[2]" and a.dropped == 0


def test_welded_claim_is_not_supported_by_either_half():
    # Seen with the bundled model: one sentence's subject welded to another requirement.
    text = "严格执行个人有关事项报告制度，配合开展有关工作。认真落实述职述廉制度。"
    idf = {"严格执行": 2.65, "严格": 1.5, "执行": 1.67, "个人": 2.0, "有关": 3.53, "事项": 3.0, "报告": 1.5,
           "制度": 1.0, "必须": 1.82, "述职": 3.53, "述廉": 3.87, "领导": 1.14, "干部": 1.0, "领导干部": 2.0,
           "配合": 3.0, "开展": 1.0, "工作": 0.3, "认真": 1.5, "落实": 0.8}
    assert support("领导干部个人有关事项报告必须严格执行述职述廉制度", text, idf) is None
    assert support("二是严格执行个人有关事项报告制度", text, idf).end == text.index("认真")  # 二是: a marker
