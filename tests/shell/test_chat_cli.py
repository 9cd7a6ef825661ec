"""`speechqa chat --json` over the bundled speeches, with the real model on a real Chroma: every kind of
follow-up in interleaved conversations, each citation verbatim, and a self-contained question after a
long conversation answered exactly as `ask` answers it alone."""
from __future__ import annotations

import json

import pytest

from qa.citations import verify
from tests.conftest import make_engine
from tests.integration.helpers import run

pytestmark = pytest.mark.integration

SELF_CONTAINED = "怎样落实“一岗双责”？"
TURNS = [
    ("young", "对年轻干部的教育管理监督有什么要求？"),
    ("list", "“四个更加自觉”是哪四个？"),
    ("young", "那对一把手呢？"),
    ("orphan", "还有吗？"),
    ("list", "第二点具体怎么说？"),
    ("young", "还有吗？"),
    ("list", "这篇讲话还对作风建设提了什么要求？"),
    ("young", "那关于网络安全呢？"),
    ("list", "这是在哪次会议上讲的？"),
    ("list", "什么时候讲的？"),
    ("young", SELF_CONTAINED),
]
LIST_SPEECH = "001_ce92dc7b0f296d48"


@pytest.fixture(scope="module")
def chat(real_index):
    stdin = "".join(json.dumps({"conversation": c, "question": q}, ensure_ascii=False) + "\n" for c, q in TURNS)
    r = run("chat", "--json", stdin=stdin, index=real_index)
    assert r.returncode == 0, r.stderr
    objs = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(o["conversation"], o["question"]) for o in objs] == TURNS
    return objs


def test_every_citation_is_verbatim(chat, real_index):
    speeches = make_engine(real_index, "e5-small").store.speeches()
    for obj in chat:
        assert {"question", "answer", "abstained", "citations", "conversation", "resolved"} <= set(obj)
        for c in obj["citations"]:
            assert verify(speeches, c["speech"], c["paragraph"], c["quote"]) == c["quote"]


def test_ellipsis_more_and_an_uncovered_topic(chat):
    first, boss, more, cyber = (o for o in chat if o["conversation"] == "young" and o["question"] != SELF_CONTAINED)
    assert boss["resolved"] == "对一把手的教育管理监督有什么要求？" and not boss["abstained"]
    assert boss["answer"].startswith("（按“对一把手的教育管理监督有什么要求？”理解）")
    assert any("一把手" in c["quote"] for c in boss["citations"])
    shown = {(c["speech"], c["paragraph"]) for c in boss["citations"]}
    assert more["resolved"] == boss["resolved"]
    assert more["abstained"] or not shown & {(c["speech"], c["paragraph"]) for c in more["citations"]}
    assert "网络安全" in cyber["resolved"] and cyber["abstained"] and cyber["citations"] == []


def test_ordinal_same_speech_and_about(chat):
    listing, second, style, meeting, date = (o for o in chat if o["conversation"] == "list")
    assert [(c["speech"], c["paragraph"]) for c in second["citations"]] == [(LIST_SPEECH, 22)]
    assert "二是更加自觉地把严实作风竖起来" in second["answer"].splitlines()[1]
    assert second["citations"][0]["quote"].startswith("“打铁还需自身硬”")  # the paragraph in full
    assert style["citations"] and {c["speech"] for c in style["citations"]} == {LIST_SPEECH}
    assert "第一季度党建工作例会暨党风廉政建设推进会" in meeting["answer"]
    assert [(c["speech"], c["paragraph"]) for c in meeting["citations"]] == [(LIST_SPEECH, 2)]
    assert date["abstained"] and "讲话中没有写明讲话的日期" in date["answer"]


def test_an_orphan_follow_up_asks_what_is_meant(chat):
    orphan = next(o for o in chat if o["conversation"] == "orphan")
    assert orphan["abstained"] and orphan["citations"] == [] and "请说明" in orphan["answer"]


def test_a_self_contained_question_after_a_long_conversation_is_answered_as_alone(chat, real_index):
    r = run("ask", SELF_CONTAINED, "--json", index=real_index)
    alone = json.loads(r.stdout)
    late = chat[-1]
    assert late["resolved"] == SELF_CONTAINED and late["kind"] == "new"
    assert (late["answer"], late["citations"]) == (alone["answer"], alone["citations"])


def test_plain_text_output(real_index):
    stdin = '{"conversation": "x", "question": "还有吗？"}\n'
    r = run("chat", stdin=stdin, index=real_index)
    assert r.returncode == 0 and "? [x] 还有吗？" in r.stdout and "请说明您想了解哪方面的内容" in r.stdout


def test_a_bad_line_is_a_usage_error(real_index):
    r = run("chat", "--json", stdin='{"question": "怎样落实“一岗双责”？"}\n', index=real_index)
    assert r.returncode == 2 and "line 1" in r.stderr
