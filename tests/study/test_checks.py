"""Mutated items are rejected: each mutation breaks one promise an item makes."""
from dataclasses import replace

import pytest

from qa.model import Citation
from study.checks import check_item
from study.model import FALSE, TRUE, StudyError, StudyItem
from tests.study.conftest import items_for

ALL = ("判断", "多选", "填空", "选择", "简答")


@pytest.fixture(scope="module")
def pool(world):
    items = items_for(world, n=60, types=ALL, seed=2)
    return {t: [it for it in items if it.type == t] for t in ALL}


def test_tampered_quote_and_blank_items(world, pool):
    speeches = world[1]
    item = pool["填空"][0]
    c = item.citations[0]
    bad_quote = replace(item, citations=[replace(c, quote=c.quote.replace("“", "「", 1))])
    with pytest.raises(StudyError, match="citation rejected"):
        check_item(bad_quote, speeches)
    with pytest.raises(StudyError, match="gives the answer away"):
        check_item(replace(item, question=item.question + item.answer), speeches)
    with pytest.raises(StudyError):
        check_item(replace(item, answer="不在原文里的词"), speeches)
    choice = pool["选择"][0]
    wrong = "ABCD"[("ABCD".index(choice.answer) + 1) % 4]
    with pytest.raises(StudyError):
        check_item(replace(choice, answer=wrong), speeches)


@pytest.mark.parametrize("kind", ALL)
def test_missing_or_unsourced_explanation_is_rejected(world, pool, kind):
    item = pool[kind][0]
    check_item(item, world[1])
    with pytest.raises(StudyError, match="no 解析"):
        check_item(replace(item, explanation=""), world[1])
    with pytest.raises(StudyError, match="does not quote its source"):
        check_item(replace(item, explanation=item.explanation.replace(item.citations[0].quote, "")), world[1])


def test_false_judgement_whose_change_is_not_verifiable(world, pool):
    speeches = world[1]
    true = next(it for it in pool["判断"] if it.answer == TRUE)
    quote = true.citations[0].quote
    # a change that is not an element: two characters of plain text swapped for invented ones
    i = next(k for k, ch in enumerate(quote) if "\u4e00" <= ch <= "\u9fff" and ch not in "一二三四五六七八九十两")
    garbled = quote[:i] + "某某" + quote[i + 2:]
    bad = replace(true, question=garbled, answer=FALSE, explanation=true.explanation)
    with pytest.raises(StudyError, match="not one verifiable element"):
        check_item(bad, speeches)
    false = next(it for it in pool["判断"] if it.answer == FALSE)
    q = false.citations[0].quote
    # a term changed to an invented one (not used anywhere in the speeches)
    from study.checks import find_change
    from study.corpus import corpus_of

    old, _ = find_change(q, false.question, corpus_of(speeches))
    invented = replace(false, question=q.replace(old, "九天揽月", 1))
    with pytest.raises(StudyError, match="not one verifiable element"):
        check_item(invented, speeches)
    # two elements changed at once
    twice = replace(false, question=false.question + "“四风”")
    with pytest.raises(StudyError):
        check_item(twice, speeches)
    # a "false" statement that is the source sentence itself
    with pytest.raises(StudyError):
        check_item(replace(false, question=q), speeches)
    # the 解析 must quote the original element
    with pytest.raises(StudyError, match="name the original"):
        check_item(replace(false, explanation=false.explanation.replace(f"“{old}”", "")), speeches)


def test_multi_choice_whose_answer_set_is_not_in_the_text(world, pool):
    speeches = world[1]
    item = pool["多选"][0]
    wrong_letters = [ch for ch in "ABCDE"[:len(item.options)] if ch not in item.answer]
    # a distractor's letter added to the answer
    with pytest.raises(StudyError, match="not in the cited text"):
        check_item(replace(item, answer="".join(sorted(item.answer + wrong_letters[0]))), speeches)
    # a right option left out of the answer
    three = next(it for it in pool["多选"] if len(it.answer) >= 3)
    with pytest.raises(StudyError, match="not a real distractor"):
        check_item(replace(three, answer=three.answer[1:]), speeches)
    # a distractor that no speech contains
    i = "ABCDE".index(wrong_letters[0])
    opts = list(item.options)
    opts[i] = opts[i][:3] + "编造的一条要求"
    with pytest.raises(StudyError, match="not a real distractor"):
        check_item(replace(item, options=opts), speeches)
    with pytest.raises(StudyError):
        check_item(replace(item, answer="A"), speeches)


def test_short_answer_points_must_be_in_the_cited_text(world, pool):
    item = pool["简答"][0]
    bad = replace(item, points=item.points + ["凭空的采分点"], explanation=item.explanation + "凭空的采分点")
    with pytest.raises(StudyError, match="采分点"):
        check_item(bad, world[1])


def test_unknown_type(world):
    c = Citation(1, "x", "t", 1, "", "q")
    with pytest.raises(StudyError):
        check_item(StudyItem("论述", "q", "a", [], [c], "e"), world[1])
