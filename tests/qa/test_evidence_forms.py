"""Answerability on shapes every corpus has: numbers written in any form answer a number question, and
words that refer to the documents, their speakers or the question's scope are never missing topics.
The texts are written for these tests (no corpus the rules were tuned on)."""
import pytest

from ingest.model import Paragraph, Speech
from qa.evidence import EvidenceJudge, refusal_text
from qa.focus import analyse
from qa.model import Passage


class Corpus:
    """A retriever that knows its speeches' text and records; no embeddings are needed when every
    topic is written in the passages."""

    def __init__(self, speeches: dict[str, list[str]]):
        self.records = {}
        for sid, lines in speeches.items():
            s = Speech(sid, lines[0], f"/x/{sid}.txt", sid)
            s.paragraphs = [Paragraph(sid, n, "", t, n == 1) for n, t in enumerate(lines, start=1)]
            self.records[sid] = s

    def corpus_text(self, speeches=None):
        return "\n".join(p.text for sid, s in self.records.items() if speeches is None or sid in speeches
                         for p in s.paragraphs)

    def speeches(self):
        return self.records

    def embed_documents(self, texts):  # every sentence alike: nothing stands out in meaning
        return [[1.0, 0.0] for _ in texts]

    def embed_query(self, text):
        return [1.0, 0.0]

    def passages(self):
        return [Passage(sid, s.title, p.number, "", p.text) for sid, s in self.records.items()
                for p in s.paragraphs]


REPORT = ["某市人民政府工作报告", "——2031年2月9日在某市第九届人民代表大会第二次会议上", "市长 王某某",
          "各位代表：",
          "今年全市发展的主要预期目标是：地区生产总值增长6.5%左右；城镇新增就业十二万人以上。",
          "全年新建保障性住房3200套，改造老旧小区一百四十个，惠及居民4.6万户。",
          "引进高层次人才1.2万名，技工院校招生规模达到八千余人。",
          "一般公共预算收入完成三百八十亿元，同比增长百分之七。",
          "坚持把就业作为最大的民生，落实援企稳岗政策，帮扶困难群众就业。",
          "对稳就业工作作出部署，提出明确要求。"]


@pytest.fixture
def report():
    corpus = Corpus({"r1": REPORT})
    return EvidenceJudge(corpus), corpus.passages()


@pytest.mark.parametrize("question", [
    "地区生产总值增长的预期目标是多少？",        # 6.5%左右
    "城镇新增就业的目标是多少人？",            # 十二万人以上: a number in characters
    "全年新建保障性住房多少套？",              # 3200套
    "老旧小区改造了多少个？",                 # 一百四十个
    "惠及居民多少户？",                      # 4.6万户: a decimal before 万
    "引进高层次人才多少人？",                 # 1.2万名: 名 counts people as 人 does
    "技工院校招生规模有多少人？",              # 八千余人
    "一般公共预算收入完成了多少亿元？",         # 三百八十亿元
    "一般公共预算收入增长了多少？",            # 百分之七
])
def test_a_number_in_any_form_answers_a_number_question(report, question):
    judge, passages = report
    ev = judge.judge(analyse(question), passages)
    assert ev.answerable, (question, ev)


def test_a_count_the_text_does_not_give_is_still_refused(report):
    judge, passages = report
    ev = judge.judge(analyse("帮扶了多少困难群众就业？"), passages)
    assert not ev.answerable and ev.unstated == "count"


@pytest.mark.parametrize("question", [
    "政府工作报告里对就业提出了什么要求？",     # the document's name
    "市长在报告中对就业怎么部署的？",          # the speaker's role
    "这篇讲话对就业有什么要求？",              # a reference to the document
    "人代会上的报告对就业怎么讲的？",           # the occasion, abbreviated (人代会 ≈ 人民代表大会)
    "第九届人民代表大会第二次会议上，对就业有什么部署？",  # a numbered meeting of the header
])
def test_document_role_and_scope_words_are_never_missing(report, question):
    judge, passages = report
    ev = judge.judge(analyse(question), passages)
    assert ev.answerable, (question, ev.missing)


def test_a_topic_the_text_lacks_is_still_missing_beside_a_role_word(report):
    judge, passages = report
    ev = judge.judge(analyse("市长在报告中对河长制怎么部署的？"), passages)
    assert not ev.answerable and ev.missing == ["河长制"]
    assert refusal_text(False, ev).startswith("讲话中没有出现“河长制”")
