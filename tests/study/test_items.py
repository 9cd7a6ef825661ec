import csv
import io
import json

import pytest

from ingest.pipeline import ingest_paths
from study import export
from study.items import StudyError, StudyItem, check_item, generate, source_paragraphs


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from tests.conftest import SPEECHES, make_engine

    engine = make_engine(tmp_path_factory.mktemp("study") / "index")
    ingest_paths([SPEECHES], engine.store)
    return engine, engine.store.speeches()


def items_for(world, n=10, types=("简答", "填空", "选择"), **kw):
    engine, speeches = world
    return generate(speeches, source_paragraphs(speeches, engine.retriever, **kw), n, list(types))


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
    assert all("____" in it.question and it.answer not in it.question for it in fills)
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


def test_tampered_items_fail_the_check(world):
    speeches = world[1]
    item = next(it for it in items_for(world, topic="四风") if it.type == "填空")
    c = item.citations[0]
    bad_quote = StudyItem(item.type, item.question, item.answer, [], [type(c)(1, c.speech, c.title, c.paragraph, c.heading, c.quote.replace("“", "「", 1))])
    with pytest.raises(StudyError, match="citation rejected"):
        check_item(bad_quote, speeches)
    with pytest.raises(StudyError, match="gives the answer away"):
        check_item(StudyItem("填空", item.question + item.answer, item.answer, [], item.citations), speeches)
    with pytest.raises(StudyError):
        check_item(StudyItem("填空", item.question, "不在原文里的词", [], item.citations), speeches)
    choice = next(it for it in items_for(world, topic="四风") if it.type == "选择")
    wrong = "ABCD"[("ABCD".index(choice.answer) + 1) % 4]
    with pytest.raises(StudyError):
        check_item(StudyItem("选择", choice.question, wrong, choice.options, choice.citations), speeches)


def test_exports(world, tmp_path):
    items = items_for(world, topic="三会一课")
    md = export.to_markdown(items, "学习题库：三会一课")
    assert md.startswith("# 学习题库：三会一课") and "## 参考答案" in md
    assert md.index("## 参考答案") > md.index(items[-1].question.split("\n")[-1])

    rows = list(csv.reader(io.StringIO(export.to_csv(items))))
    assert rows[0] == ["front", "back", "source"] and len(rows) == len(items) + 1
    assert rows[1][1] == items[0].answer and f"§{items[0].citations[0].paragraph}" in rows[1][2]

    import docx

    path = tmp_path / "tiku.docx"
    export.to_docx(items, "学习题库：三会一课", path)
    text = [p.text for p in docx.Document(str(path)).paragraphs]
    assert text[0] == "学习题库：三会一课"
    key = text.index("参考答案")
    assert any(items[0].question.split("\n")[-1] in t for t in text[:key])
    assert any(t == f"1. {items[0].answer}" for t in text[key:])
    assert any(t.startswith("出处：") for t in text[key:])

    data = json.loads(export.to_json(items))
    assert set(data[0]) == {"type", "question", "answer", "options", "citations"}
