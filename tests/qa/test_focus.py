"""Question focus and the corpus facts it is checked against (no model, no store)."""
import pytest

from ingest.text import contains_number, normalize
from qa.focus import Lexicon, analyse, contains, states

CORPUS = "\n".join([
    "严格落实“三会一课”制度，开展主题党日。",
    "今天召开2022年第一季度党建工作例会，总结工作。",
    "11月以来，市委巡察组进驻，工作要求严格。",
    "共处置问题线索x个，**同志传达了会议精神。",
    "政务服务要规范。公开栏要及时更新。",
    "全年组织观看警示教育片3场，提醒400余人。",
])


@pytest.fixture
def lex():
    return Lexicon(CORPUS, ["三会一课"])


def test_numbers_are_compared_in_normal_form():
    assert normalize("第1季度") == normalize("第一季度") == "第1季度"
    assert normalize("２０２４年") == normalize("二〇二四年") == "2024年"
    assert analyse("24年的重点工作").specifics == ["2024"]
    assert analyse("24年来的变化").specifics == []  # a duration, not a year


def test_a_two_digit_year_of_the_last_century_is_read_as_19xx():
    assert analyse("98年的重点工作").specifics == ["1998"]
    assert analyse("80年代的情况").specifics == []  # a decade, not a year


def test_numbers_match_within_boundaries():
    assert not contains_number("11月以来", "1月")
    assert contains_number("11月以来", "11月")
    assert not contains_number("20221", "2022")


def test_typo_in_a_quoted_term_is_corrected_to_the_speeches_term(lex):
    assert lex.correct("三会一棵") == "三会一课"
    assert lex.correct("三会一课") is None  # nothing to correct
    assert lex.correct("四风问题") is None  # nothing within one character


def test_compound_is_one_unit_but_close_variants_count(lex):
    text = lex.text
    assert not contains(text, ["政务", "公开"])  # each word occurs, the compound does not
    assert contains(text, ["党建", "例会"])  # 党建工作例会: the words in order, two characters apart
    assert contains(text, ["警示", "教育片"])


def test_what_is_asked_for():
    assert analyse("驻局纪检监察组组长叫什么名字？").asks == "who"
    assert analyse("全市建成了多少家社工站？").asks == "count"
    assert analyse("例会是哪一天召开的？").asks == "date"
    assert analyse("节假日期间怎样开展廉洁提醒？").asks is None  # 日期 inside 节假日|期间 is no date question
    assert analyse("提出了哪几个要求？").asks is None  # a list, not a count
    assert analyse("提出了哪几项要求？").asks is None  # LAC reads 哪|几项: still which ones
    assert analyse("具体体现在哪几个方面？").asks is None
    assert analyse("这几项工作怎么抓？").asks is None  # these few, not how many
    assert analyse("有一条是打太极，其他几条是什么？").asks is None  # the others, not how many
    assert analyse("几次会议上都讲到作风建设，各自怎么要求？").asks is None  # several meetings
    assert analyse("开了几次会，都讲了什么？").asks == "count"
    assert analyse("一共开了几次会？").asks == "count"


def test_masked_names_and_numbers_do_not_answer(lex):
    who = analyse("传达会议精神的是哪位同志？")
    assert not states(who, "共处置问题线索x个，**同志传达了会议精神。")
    count = analyse("处置了多少个问题线索？")
    assert not states(count, "共处置问题线索x个")
    assert states(count, "共处置问题线索12个")
    assert not states(analyse("观看了多少场警示教育片？"), "观看警示教育片xx场，提醒400余人")
    date = analyse("2022年第一季度例会是哪一天召开的？")
    assert not states(date, "今天召开2022年第一季度党建工作例会")


def test_generic_words_are_stripped_from_a_topic(lex):
    # 工作 is in half the paragraphs of this corpus: it frames the question, the topic is 河长制.
    assert lex.core(["河长制", "工作"]) == ["河长制"]


def test_a_phrase_variant_leaves_out_one_word_only():
    text = "个人有关事项报告制度。\n领导干部要带头。\n纪检监察。"
    assert contains(text, ["领导干部", "个人", "有关", "事项", "报告"])  # 领导干部 left out, used elsewhere
    assert not contains(text, ["领导干部", "纪检", "事项", "报告"])  # two words left out: no variant


def test_the_noun_an_interrogative_determines_names_the_kind_of_answer():
    f = analyse("“模范党支部”创建活动要聚焦哪些基本内容？")
    assert ["内容"] not in f.units and f.kinds == [["内容"]]  # 内容 says what kind of answer, not what about
    assert analyse("有哪些防汛措施？").units == [["防汛"]]  # the topic before the kind stays
    assert analyse("讲话中提到了哪些河长制").units == [["河长"]]  # a rare word is a topic even there
    assert analyse("要抓住哪几个关键环节？").units == [["环节"]]  # the kind is all there is: it is checked


def test_a_single_character_noun_stays_a_topic():
    # 干部的钱怎么管 is about 钱: dropping everyday characters answered it from passages on 资金
    assert ["钱"] in analyse("干部的钱怎么管？").units
    assert any("厕" in u for u in analyse("农村改厕工作推进得怎么样了？").units)


def test_a_compound_may_lose_one_inner_character_only():
    text = "防止领导干部违规参与民间贷行为。\n消费透明。\n节日期间。"
    assert contains(text, ["民间", "借贷"])  # 民间借贷 ≈ 民间贷
    assert not contains(text, ["消费券"])  # the last character stays: 消费券 is not 消费
    assert contains(text, ["节假日"])  # 节假日 ≈ 节日
    assert not contains("长制改革", ["河长制"])  # the first character stays


def test_a_question_with_no_noun_is_about_its_adjectives_and_verbs():
    units = analyse("怎样保持清正廉洁？").units
    assert ["清正廉洁"] in units  # not "names nothing": the speeches can be searched for it
    assert analyse("这是什么？").units == []  # stop words only: nothing to look for
    assert analyse("讲话说不打“擦边球”是什么意思？").units == []  # the quoted term is the focus
