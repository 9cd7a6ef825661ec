"""The checks on an LLM's reply (no network: the reply text is given)."""
import pytest

from ingest.model import Paragraph, Speech
from qa.llm import build_messages, finish, parse
from qa.model import Passage

P1 = "各单位班子成员要履行“一岗双责”，对分管领域的党风廉政建设切实负起责任。要加强日常监督。"
P2 = "完善制度，织密“不能腐”的笼子。从源头上扎牢制度“笼子”。"


@pytest.fixture
def world():
    s = Speech("a", "讲话甲", "", "h", [Paragraph("a", 1, "", "同志们："), Paragraph("a", 2, "一、责任", P1),
                                     Paragraph("a", 3, "二、制度", P2)])
    passages = [Passage("a", "讲话甲", 2, "一、责任", P1), Passage("a", "讲话甲", 3, "二、制度", P2)]
    return {"a": s}, passages


def test_quotes_are_verified_and_markers_renumbered(world):
    speeches, passages = world
    raw = "1. 要扎牢制度笼子。[2]\n2. 班子成员要履行一岗双责。[1]\n引用：\n[2] “从源头上扎牢制度“笼子”。”\n[1] “各单位班子成员要履行“一岗双责””"
    a = finish("怎样？", raw, passages, speeches, "拒答")
    assert not a.abstained and a.dropped == 0
    assert [(c.marker, c.paragraph) for c in a.citations] == [(1, 3), (2, 2)]
    assert "[1]" in a.text.splitlines()[0] and "[2]" in a.text.splitlines()[1]
    assert "引用" not in a.text


def test_tampered_quote_is_dropped_and_the_answer_says_so(world):
    speeches, passages = world
    raw = "要履行一岗双责。[1]\n要完善制度。[2]\n引用：\n[1] “各单位班子成员要履行“两岗双责””\n[2] “完善制度，织密“不能腐”的笼子。”"
    a = finish("怎样？", raw, passages, speeches, "拒答")
    assert a.dropped == 1
    assert "未能在原文中逐字核对" in a.text
    quotes = {c.paragraph: c.quote for c in a.citations}
    assert quotes[3] == "完善制度，织密“不能腐”的笼子。"
    assert "两岗双责" not in " ".join(quotes.values())  # marker [1] fell back to a verified sentence of §2
    assert quotes[2] in P1


def test_model_that_cannot_answer_abstains(world):
    speeches, passages = world
    a = finish("谁是讲话人？", "无法回答", passages, speeches, "讲话中没有谈到这个问题。")
    assert a.abstained and a.text == "讲话中没有谈到这个问题。" and a.related


def test_nothing_verifiable_abstains(world):
    speeches, passages = world
    a = finish("怎样？", "巴黎是法国的首都。\n引用：\n[7] “巴黎”", passages, speeches, "拒答")
    assert a.abstained and a.citations == []


def test_unmarked_claims_are_tied_to_the_passage_they_repeat(world):
    speeches, passages = world
    a = finish("怎样？", "要加强日常监督，对分管领域的党风廉政建设切实负起责任", passages, speeches, "拒答")
    assert not a.abstained
    assert a.citations[0].paragraph == 2 and a.text.endswith("[1]")


def test_parse_and_prompt():
    body, quotes = parse("答案[1]\n\n**引用：**\n[1] “原文一”\n【2】 \"原文二\"")
    assert body == "答案[1]" and quotes == [(1, "原文一"), (2, "原文二")]
    msgs = build_messages("问题？", [Passage("a", "t", 2, "h", P1)])
    assert msgs[0][0] == "system" and "[1] " + P1 in msgs[1][1] and "问题：问题？" in msgs[1][1]
