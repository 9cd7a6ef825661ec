"""Collecting a topic over the real index: literal paragraphs complete, absent topics explicit, text verbatim."""
from __future__ import annotations

from digest.build import build_digest, merge_duplicates
from digest.collect import Excerpt, topic_terms
from digest.dates import SpeechDate
from qa.model import Citation
from tests.digest.conftest import file_paragraphs, grep


def keys(d) -> set[str]:
    return {e.key for e in d.excerpts} | {a.key for e in d.excerpts for a in e.also}


def test_every_literal_paragraph_is_collected(collector):
    for topic in ("四风", "一岗双责", "三会一课", "巡察", "意识形态"):
        expected = grep(topic)
        assert expected, topic
        d = build_digest(collector, topic)
        assert expected <= keys(d), (topic, expected - keys(d))
        literal = {e.key for e in d.excerpts if e.how == "literal"} | {a.key for e in d.excerpts for a in e.also}
        assert literal == expected, topic


def test_a_compound_is_matched_as_one_unit(collector):
    d = build_digest(collector, "作风建设")
    assert {e.key for e in d.excerpts if e.how == "literal"} == grep("作风建设")
    # paragraphs with 作风 … 建设 apart are never "literal"; whatever else is collected says why
    for e in d.excerpts:
        assert e.how in ("literal", "heading", "related")
        if e.how == "heading":
            assert "作风建设" in e.citation.heading


def test_quoted_topics_and_lists_of_topics():
    assert topic_terms("“四风”") == ["四风"]
    assert topic_terms("四风、一岗双责") == ["四风", "一岗双责"]
    assert topic_terms("  ") == []


def test_a_topic_never_mentioned_gives_the_explicit_none(collector):
    for topic in ("足球比赛", "公共租赁住房", "碳达峰"):
        d = build_digest(collector, topic)
        assert d.excerpts == [] and d.absent
        assert d.note().startswith(f"讲话中没有谈到“{topic}”")
        assert d.to_json() == {"topic": topic, "excerpts": [], "note": d.note()}


def test_excerpts_are_verbatim_and_located(collector):
    d = build_digest(collector, "作风建设")
    assert d.excerpts
    for e in d.ordered():
        para = file_paragraphs(e.speech)[e.paragraph - 1]
        body = e.text.removeprefix("…").removesuffix("…")
        assert body in para  # checked against the file, not through the code under test
        assert e.text.startswith("…") == (not para.startswith(body))
        assert e.citation.title and e.date.label
    j = d.to_json()
    assert set(j) == {"topic", "excerpts", "note"}
    assert set(j["excerpts"][0]) >= {"speech", "title", "date", "paragraph", "heading", "text"}


def test_grouped_by_speech_in_date_order_then_by_paragraph(collector):
    d = build_digest(collector, "一岗双责")
    order = [e.speech for e in d.ordered()]
    speeches = list(dict.fromkeys(order))
    assert speeches == ["003_4957c2c23b1f7b8a", "001_ce92dc7b0f296d48", "004_9825695c093ec318",
                        "000_6117c26b33f13efb", "002_d78a8ffa42bed171"]
    for sid in speeches:
        ns = [e.paragraph for e in d.ordered() if e.speech == sid]
        assert ns == sorted(ns)
    assert d.note().startswith(f"共{len(grep('一岗双责'))}段，出自5篇讲话（2022年初（推断）至2023年初（推断））")


def test_speech_filter(collector):
    d = build_digest(collector, "四风", ["002_d78a8ffa42bed171"])
    assert {e.speech for e in d.excerpts} == {"002_d78a8ffa42bed171"}
    assert {e.key for e in d.excerpts} == {k for k in grep("四风") if k.startswith("002_")}


def _ex(speech: str, n: int, text: str) -> Excerpt:
    return Excerpt(Citation(0, speech, f"T{speech}", n, "", text), SpeechDate("2022年初", (2022, 1, 0), True))


def test_near_duplicates_across_speeches_are_kept_once_with_both_sources():
    a = _ex("a", 3, "要坚持不懈纠“四风”树新风，持续巩固拓展落实中央八项规定精神成果。")
    b = _ex("b", 7, "要坚持不懈纠“四风”、树新风，持续巩固拓展落实中央八项规定精神成果！")
    c = _ex("c", 1, "加强意识形态工作，牢牢掌握意识形态工作领导权。")
    same_speech = _ex("a", 9, "要坚持不懈纠“四风”树新风，持续巩固拓展落实中央八项规定精神成果。")
    kept = merge_duplicates([a, b, c, same_speech])
    assert [e.key for e in kept] == ["a§3", "c§1", "a§9"]
    assert [x.key for x in kept[0].also] == ["b§7"]
    assert "又见《Tb》" in kept[0].source()
