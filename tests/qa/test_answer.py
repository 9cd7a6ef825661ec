import pytest

from ingest.pipeline import ingest_paths
from qa.citations import verify
from qa.evidence import specifics
from qa.model import Answer


@pytest.fixture
def loaded(engine, speeches_copy):
    ingest_paths([speeches_copy], engine.store)
    return engine


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


def test_specifics():
    assert specifics("2024年第二季度的GDP目标和“三会一课”") == ["2024", "第二季度", "GDP", "三会一课"]
    assert specifics("怎样落实一岗双责？") == []


def test_loosely_quoted_phrase_is_not_a_missing_specific(loaded):
    a = loaded.answerer.ask("讲话对“四风问题”有什么要求？")  # the speeches write 四风 and 问题, not “四风问题”
    assert not a.abstained
    b = loaded.answerer.ask("讲话对“共享单车”有什么要求？")
    assert b.abstained and "共享单车" in b.text
