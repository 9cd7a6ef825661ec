import pytest

from qa.citations import verify
from qa.focus import analyse
from qa.model import Answer
from tests.conftest import bundled_engine


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The bundled speeches in one store for the whole module: every test here only asks."""
    return bundled_engine(tmp_path_factory.mktemp("answer"))


def test_offline_answer_cites_verbatim_with_markers(loaded):
    a = loaded.answerer.ask("怎样落实“一岗双责”？")
    assert not a.abstained and a.citations
    speeches = loaded.store.speeches()
    for c in a.citations:
        assert verify(speeches, c.speech, c.paragraph, c.quote) == c.quote
        assert f"[{c.marker}]" in a.text
    assert [c.marker for c in a.citations] == list(range(1, len(a.citations) + 1))
    assert "一岗双责" in a.text


def test_stream_yields_text_then_the_answer(loaded):
    pieces = list(loaded.answerer.stream("如何织密“不能腐”的笼子？"))
    assert all(isinstance(p, str) for p in pieces[:-1]) and isinstance(pieces[-1], Answer)
    assert "".join(pieces[:-1]) == pieces[-1].text


def test_refuses_when_a_specific_is_not_in_the_speeches(loaded):
    a = loaded.answerer.ask("2031年的党建工作重点是什么？")
    assert a.abstained and a.citations == []
    assert "2031" in a.text and a.related


def test_english_refusal_is_in_english(loaded):
    a = loaded.answerer.ask("Who won the 1998 World Cup?")
    assert a.abstained and a.text.startswith("The speeches do not address")


def test_scoped_question_answers_from_that_speech(loaded):
    a = loaded.answerer.ask("在“踔厉奋发 笃行不怠”这篇讲话里，对基层组织建设提出了哪些要求？")
    assert {c.speech for c in a.citations} == {"004_9825695c093ec318"}


def test_empty_question_is_an_error(loaded):
    with pytest.raises(ValueError, match="empty"):
        loaded.answerer.ask("  ")


def test_llm_mode_without_llm_is_an_error(loaded):
    with pytest.raises(ValueError, match="no LLM is configured"):
        loaded.answerer.ask("四风", mode="llm")


def test_specifics_in_normal_form():
    f = analyse("2024年第二季度的GDP目标和“三会一课”")
    assert f.specifics == ["2024", "第2季度", "GDP"] and f.quoted == ["三会一课"]
    assert analyse("怎样落实一岗双责？").specifics == []


def test_near_domain_topic_absent_from_the_speeches_is_refused_and_named(loaded):
    # 河长制 occurs nowhere, while 工作 and 要求 occur everywhere.
    a = loaded.answerer.ask("讲话对河长制工作提出了哪些要求？")
    assert a.abstained and a.citations == [] and "河长制" in a.text


def test_a_compound_is_one_unit(loaded):
    # 政务 and 公开 each occur in the speeches, 政务公开 does not.
    a = loaded.answerer.ask("政务公开工作有什么要求？")
    assert a.abstained and "政务公开" in a.text


def test_quoted_term_with_a_typo_is_answered_for_the_speeches_term(loaded):
    a = loaded.answerer.ask("关于“三会一棵”制度，讲话是怎么要求的？")
    assert not a.abstained and a.citations
    assert a.text.startswith("（按“三会一课”回答）")
    assert any("三会一课" in c.quote for c in a.citations)


@pytest.mark.parametrize("year", ["２０３１年", "二〇三一年", "31年"])
def test_other_number_forms_of_an_absent_year_are_refused(loaded, year):
    a = loaded.answerer.ask(f"{year}的党建工作重点是什么？")
    assert a.abstained and "2031" in a.text


def test_ordinal_period_forms_match(loaded):
    # The speeches say 第一季度; the question writes 第1季度.
    a = loaded.answerer.ask("第1季度党建工作例会的主要任务是什么？")
    assert not a.abstained


def test_a_name_asked_for_but_masked_is_refused(loaded):
    a = loaded.answerer.ask("传达十九届中央纪委六次全会精神的同志叫什么名字？")
    assert a.abstained and "人名" in a.text


def test_a_count_asked_for_but_masked_is_refused(loaded):
    a = loaded.answerer.ask("全市建成了多少家社工站？")  # the speech writes **家
    assert a.abstained and "数字" in a.text


def test_a_question_of_stop_words_only_is_chinese_and_refused(loaded):
    a = loaded.answerer.ask("这是什么？")
    assert a.abstained and a.text.startswith("讲话中没有")


def test_loosely_quoted_phrase_is_not_a_missing_specific(loaded):
    a = loaded.answerer.ask("讲话对“四风问题”有什么要求？")  # the speeches write 四风 and 问题, not “四风问题”
    assert not a.abstained
    b = loaded.answerer.ask("讲话对“共享单车”有什么要求？")
    assert b.abstained and "共享单车" in b.text


def test_a_question_about_several_speeches_quotes_more_of_them(loaded):
    # 各篇讲话…: each speech's words are wanted, not only the few passages nearest the best.
    near = loaded.answerer.ask("对廉政风险防控是怎么讲的？", mode="offline")
    across = loaded.answerer.ask("对廉政风险防控，各篇讲话是怎么讲的？", mode="offline")
    assert not near.abstained and not across.abstained
    cited = {(c.speech, c.paragraph) for c in across.citations}
    assert cited > {(c.speech, c.paragraph) for c in near.citations}


def test_reach_across_speeches_takes_passages_the_near_reach_leaves():
    from qa.compose import ACROSS, select_passages
    from qa.model import Passage

    ps = [Passage("s", "t", i + 1, "", "x", sc) for i, sc in enumerate([1.0, 0.8, 0.35, 0.32])]
    assert [p.paragraph for p in select_passages(ps)] == [1, 2]
    assert [p.paragraph for p in select_passages(ps, ACROSS)] == [1, 2, 3, 4]
