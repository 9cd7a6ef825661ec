"""Comparing speeches on a topic: every speech listed in date order, silent ones named, 新提法 and diffs."""
from __future__ import annotations

from digest.compare import candidate_terms, classify, compare
from tests.digest.conftest import file_paragraphs, grep

DATE_ORDER = ["003_4957c2c23b1f7b8a", "001_ce92dc7b0f296d48", "004_9825695c093ec318",
              "000_6117c26b33f13efb", "002_d78a8ffa42bed171"]


def test_silent_speeches_are_listed_never_dropped(collector):
    r = compare(collector, "巡察")
    assert [c.speech.id for c in r.columns] == DATE_ORDER
    speaking = {k.split("§")[0] for k in grep("巡察")}
    for col in r.columns:
        assert col.silent == (col.speech.id not in speaking), col.speech.id
    j = r.to_json()
    assert set(j) == {"topic", "speeches", "pairs"}
    silent = [s for s in j["speeches"] if s["silent"]]
    assert {s["speech"] for s in silent} == {"003_4957c2c23b1f7b8a", "001_ce92dc7b0f296d48"}
    assert all(s["excerpts"] == [] for s in silent)
    for s in j["speeches"]:
        assert {"speech", "title", "date", "date_inferred", "silent", "excerpts", "new_terms"} <= set(s)
        assert s["date_inferred"] is True


def test_every_speech_gets_the_same_budget(collector):
    from digest.compare import PER_SPEECH

    r = compare(collector, "一岗双责")
    assert all(not c.silent for c in r.columns)  # every speech says 一岗双责
    assert all(len(c.excerpts) <= PER_SPEECH for c in r.columns)
    for c in r.columns:
        assert c.found >= len({k for k in grep("一岗双责") if k.startswith(c.speech.id)})


def test_new_terms_appear_in_no_earlier_speech(collector):
    r = compare(collector, "作风建设")
    earlier = ""
    first = True
    for col in r.columns:
        text = "".join(file_paragraphs(col.speech.id))
        if not col.silent:
            if first:
                assert col.new_terms == [] and col.first
                first = False
            for t in col.new_terms:
                assert t in "".join(e.citation.quote for e in col.excerpts)
                assert t not in earlier, t
        earlier += text
    assert any(col.new_terms for col in r.columns)


def test_candidate_terms_are_quoted_formulations_or_topic_words():
    terms = candidate_terms(["作风"], ["要巩固“作风建设年”成效，整治作风问题。另外要做好“学习强国”推广。"])
    assert "作风建设年" in terms
    assert "学习强国" not in terms  # quoted, but in a sentence that does not name the topic


def test_pairs_are_verbatim_and_point_forward_in_time(collector):
    r = compare(collector, "四风")
    assert r.pairs
    order = {c.speech.id: i for i, c in enumerate(r.columns)}
    for p in r.pairs:
        assert order[p.old.speech] < order[p.new.speech]
        assert p.old.quote in file_paragraphs(p.old.speech)[p.old.paragraph - 1]
        assert p.new.quote in file_paragraphs(p.new.speech)[p.new.paragraph - 1]
        assert "".join(o["from"] for o in p.diff) == p.old.quote
        assert "".join(o["to"] for o in p.diff) == p.new.quote
        j = p.to_json()
        assert set(j) == {"from", "to", "kind", "diff"} and j["kind"] in ("新增", "删去", "改写", "延续")


def test_classify_kinds():
    assert classify("要加强作风建设。", "要加强作风建设。")[0] == "延续"
    assert classify("坚持纠治四风。", "坚持不懈纠治四风顽疾和隐形变异。")[0] == "新增"
    assert classify("坚持不懈纠治四风顽疾和隐形变异。", "坚持纠治四风。")[0] == "删去"
    kind, ops, ratio = classify("以钉钉子的精神纠治四风。", "以驰而不息的精神防止和纠治四风。")
    assert kind == "改写" and 0 < ratio < 1 and any(o["op"] == "replace" for o in ops)


def test_an_absent_topic_leaves_every_speech_silent(collector):
    r = compare(collector, "足球比赛")
    assert len(r.columns) == 5 and all(c.silent for c in r.columns) and r.pairs == []
