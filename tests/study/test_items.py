
from study.checks import check_item
from study.explain import where
from study.model import BLANK, FALSE, TRUE, TYPES
from tests.study.conftest import items_for

ALL = ("判断", "多选", "填空", "选择", "简答")


def test_topic_items_are_distinct_balanced_and_checked(world):
    items = items_for(world, topic="四风")
    assert len(items) == 10
    assert len({it.question for it in items}) == 10
    counts = {t: sum(it.type == t for it in items) for t in ("简答", "填空", "选择")}
    assert min(counts.values()) >= 3
    for it in items:
        check_item(it, world[1])  # raises if anything is off
        assert it.citations
    fills = [it for it in items if it.type == "填空"]
    assert all(BLANK in it.question and it.answer not in it.question for it in fills)
    choices = [it for it in items if it.type == "选择"]
    assert all(len(it.options) == 4 and it.answer in "ABCD" for it in choices)
    # 填空 and 选择 never reuse one sentence
    quotes = [it.citations[0].quote for it in items if it.type != "简答"]
    assert len(quotes) == len(set(quotes))


def test_whole_speech_and_corpus(world):
    speech_items = items_for(world, n=12, speech="001_ce92dc7b0f296d48")
    assert len(speech_items) == 12
    assert {c.speech for it in speech_items for c in it.citations} == {"001_ce92dc7b0f296d48"}
    corpus_items = items_for(world, n=20, types=("填空",))
    assert len(corpus_items) == 20 and {it.type for it in corpus_items} == {"填空"}
    assert len({c.speech for it in corpus_items for c in it.citations}) >= 4  # spread over the corpus


def test_all_five_types_with_explanations(world):
    # (how fast: bench/, not a test — a wall-clock bound fails on a loaded machine, not on slow code)
    items = items_for(world, n=30, types=ALL, seed=3)
    assert len(items) == 30 and {it.type for it in items} == set(TYPES)
    speeches = world[1]
    for it in items:
        check_item(it, speeches)
        c = it.citations[0]
        assert where(c) in it.explanation and c.quote in it.explanation  # 解析 quotes its source
    judges = [it for it in items if it.type == "判断"]
    assert len(judges) >= 4 and {TRUE, FALSE} <= {it.answer for it in judges}  # both kinds (seed 3)
    for it in judges:
        if it.answer == TRUE:
            assert it.question == it.citations[0].quote
        else:
            assert it.question != it.citations[0].quote and "原文是“" in it.explanation
    for it in (x for x in items if x.type == "多选"):
        assert len(it.answer) >= 2 and it.answer == "".join(sorted(it.answer))
        right = [it.options["ABCDEFGH".index(ch)][3:] for ch in it.answer]
        assert all(r in speeches[it.citations[0].speech].paragraphs[it.citations[0].paragraph - 1].text
                   for r in right)
    shorts = [it for it in items if it.type == "简答"]
    assert shorts and all(it.points and "采分点" in it.explanation for it in shorts)


def test_same_seed_same_items_other_seed_differs(world):
    a = [it.to_json() for it in items_for(world, n=15, types=ALL, seed=7)]
    b = [it.to_json() for it in items_for(world, n=15, types=ALL, seed=7)]
    c = [it.to_json() for it in items_for(world, n=15, types=ALL, seed=8)]
    assert a == b and a != c


def test_false_judgements_change_one_real_element(world):
    from study.checks import find_change
    from study.corpus import corpus_of

    speeches = world[1]
    corpus = corpus_of(speeches)
    falses = [it for it in items_for(world, n=40, types=("判断",), seed=1) if it.answer == FALSE]
    assert len(falses) >= 5
    for it in falses:
        old, new = find_change(it.citations[0].quote, it.question, corpus)
        assert it.question == it.citations[0].quote.replace(old, new, 1)
        assert new in corpus.terms or new in corpus.numbers  # a real alternative from the speeches
        assert not corpus.occurs(it.question)
