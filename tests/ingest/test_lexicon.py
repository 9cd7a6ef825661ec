"""The shared word lists (ingest/lexicon.py) and the text rules built from them: one table per list."""
import re

import pytest

from ingest import lexicon
from ingest.text import LIST_QUESTION, STOPWORDS, cn_small_number, tokenize


@pytest.mark.parametrize("text, value", [
    ("一", 1), ("两", 2), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("九十九", 99),
    ("", None), ("百", None), ("十百", None),
])
def test_small_chinese_numbers(text, value):
    assert cn_small_number(text) == value


@pytest.mark.parametrize("question, is_list", [
    ("提出了哪几项要求？", True), ("讲了三点意见", True), ("从五个方面部署", True), ("分别是什么？", True),
    ("开了几次会？", False), ("什么时候召开？", False),
])
def test_a_list_question_is_counted_in_a_list_measure(question, is_list):
    assert bool(LIST_QUESTION.search(question)) is is_list


@pytest.mark.parametrize("word", ["的", "哪些", "怎么", "讲话", "这篇", "what", "speech"])
def test_stop_words_are_never_search_tokens(word):
    assert word in STOPWORDS and word not in tokenize(f"{word}党风廉政建设")


@pytest.mark.parametrize("name, chars", [
    ("MEASURES", "场项户%"), ("LIST_MEASURES", "项点条"), ("CN_DIGITS", "一十"), ("COUNT_WORDS", "几"),
])
def test_character_lists_hold_their_members_once(name, chars):
    value = getattr(lexicon, name)
    assert all(c in value for c in chars) and len(set(value)) == len(value)


@pytest.mark.parametrize("text, found", [
    ("**书记强调", "书记"), ("xx副书记指出", "副书记"), ("张主任", "主任"), ("工作要求", None),
])
def test_role_words_match_longest_first(text, found):
    m = re.search(lexicon.one_of(lexicon.ROLE_WORDS), text)
    assert (m.group(0) if m else None) == found


@pytest.mark.parametrize("word", ["讲话", "报告", "文章", "说明"])
def test_document_words(word):
    assert word in lexicon.DOCUMENT_WORDS


@pytest.mark.parametrize("text, number", [
    ("增长5.5%左右", "5.5"), ("1.2万名干部", "1.2万"), ("三十多个单位", "三十多"), ("百分之五的增幅", "百分之五"),
    ("1,200户", "1,200"), ("两项制度", "两"), ("95.3万辆", "95.3万"),
])
def test_the_number_pattern_reads_every_form_a_text_writes_a_number_in(text, number):
    m = re.search(lexicon.NUMBER, text)
    assert m and m.group(0).strip() == number
