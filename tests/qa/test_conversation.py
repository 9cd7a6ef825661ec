"""Follow-ups resolved against the conversation (qa.conversation), with a fake answerer: each kind, the
"按…理解" line, orphans, and a self-contained question left as typed."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from ingest.model import Paragraph, Speech
from qa import followup as fu
from qa.conversation import NO_MORE, UNCLEAR, Conversation
from qa.model import Answer, Citation

LIST = "“四个更加自觉”要落实好。一是更加自觉地把政治责任扛起来；二是更加自觉地把严实作风竖起来；三是更加自觉地把纪律规矩挺起来。"
YOUNG = "特别要从严从实加强对年轻干部的教育管理监督，扣好廉洁履职的“第一粒扣子”。"
BOSS = "严格执行加强对一把手和领导班子监督的实施办法。"
OPENING = "今天，我们召开局2022年第一季度党建工作例会暨党风廉政建设推进会，主要任务是总结分析形势。"


def speech(sid, title, texts, speaker=""):
    s = Speech(sid, title, f"/x/{sid}.txt", "h", speaker=speaker)
    s.paragraphs = [Paragraph(sid, i, "", t) for i, t in enumerate(texts, start=1)]
    return s


SPEECHES = {
    "a": speech("a", "在局2022年第一季度党建工作例会暨党风廉政建设推进会上的讲话", ["同志们：", OPENING, LIST, YOUNG]),
    "b": speech("b", "在局党建暨党风廉政建设工作会议上的讲话", ["同志们：", BOSS, "作风建设要常抓不懈。"], speaker="局长"),
    "c": speech("c", "踔厉奋发 笃行不怠", ["同志们：", "年轻干部要经风雨、见世面。"]),
}


def cite(n, sid, para, quote=None):
    return Citation(n, sid, SPEECHES[sid].title, para, "", quote or SPEECHES[sid].paragraphs[para - 1].text)


class FakeAnswerer:
    """Answers from a table (question → citations); records every call."""

    def __init__(self, table=None, llm=None):
        self.table = table or {}
        self.calls = []
        self.llm = llm
        self.retriever = SimpleNamespace(speeches=lambda: SPEECHES, scope=self._scope)

    @staticmethod
    def _scope(q):
        return (["c"], q.replace("踔厉奋发那篇讲话", "")) if "踔厉奋发" in q else (None, q)

    def _answer(self, question, speeches, exclude):
        cites = [c for c in self.table.get(question, [])
                 if (speeches is None or c.speech in speeches) and (c.speech, c.paragraph) not in (exclude or ())]
        if not cites:
            return Answer(question, "讲话中没有谈到这个问题。", abstained=True)
        cites = [Citation(i, c.speech, c.title, c.paragraph, c.heading, c.quote) for i, c in enumerate(cites, 1)]
        return Answer(question, "要点：\n" + "\n".join(f"- {c.quote}[{c.marker}]" for c in cites), cites)

    def stream(self, question, speeches=None, mode=None, history=None, exclude=None):
        if history is not None:
            yield from history.stream(self, question, speeches, mode)
            return
        self.calls.append((question, speeches, exclude))
        answer = self._answer(question, speeches, exclude)
        yield from answer.text.splitlines(keepends=True)
        yield answer

    def ask(self, question, speeches=None, mode=None, history=None, exclude=None):
        return [p for p in self.stream(question, speeches, mode, history, exclude)][-1]


Q_YOUNG = "对年轻干部的教育管理监督有什么要求？"
Q_BOSS = "对一把手的教育管理监督有什么要求？"
Q_LIST = "“四个更加自觉”是哪几个？"
TABLE = {
    Q_YOUNG: [cite(1, "a", 4), cite(2, "c", 2)],
    Q_BOSS: [cite(1, "b", 2)],
    Q_LIST: [cite(1, "a", 3, "“四个更加自觉”要落实好。"), cite(2, "a", 3, "一是更加自觉地把政治责任扛起来；"),
             cite(3, "a", 3, "二是更加自觉地把严实作风竖起来；"), cite(4, "a", 3, "三是更加自觉地把纪律规矩挺起来。")],
    "对作风建设提了什么要求？": [cite(1, "a", 3, "二是更加自觉地把严实作风竖起来；"), cite(2, "b", 3)],
}


def talk(*questions, answerer=None):
    answerer = answerer or FakeAnswerer(TABLE)
    conv = Conversation()
    answers = []
    for q in questions:
        pieces = list(answerer.stream(q, history=conv))
        assert isinstance(pieces[-1], Answer) and "".join(pieces[:-1]) == pieces[-1].text
        answers.append(pieces[-1])
    return conv, answers, answerer


@pytest.mark.parametrize("question,kind", [
    ("那对一把手呢？", "ellipsis"), ("党支部方面呢？", "ellipsis"), ("那关于网络安全呢？", "ellipsis"),
    ("这篇讲话还对作风建设提了什么要求？", "same_speech"), ("同一次会上，对一把手提了什么要求？", "same_speech"),
    ("第二点具体怎么说？", "ordinal"), ("其中第三条展开讲讲", "ordinal"), ("还有吗？", "more"),
    ("其他讲话里呢？", "others"), ("这是在哪次会议上讲的？", "about"), ("什么时候讲的？", "about"),
    ("谁讲的？", "about"), ("这篇讲话题目叫什么？", "about"), ("怎样落实“一岗双责”？", "new"), ("“四个更加自觉”除了政治责任，其他几条是什么？", "new"),
    ("在第一季度推进会上对作风建设提了什么要求？", "new"), ("这方面有什么具体措施？", "refer"),
])
def test_kinds_are_read_from_the_question(question, kind):
    assert fu.classify(question) == kind


def test_ellipsis_puts_the_new_element_in_place_of_the_object():
    conv, (first, second), answerer = talk(Q_YOUNG, "那对一把手呢？")
    assert conv.last.resolved == Q_BOSS and answerer.calls[-1][0] == Q_BOSS
    assert second.text.startswith(f"（按“{Q_BOSS}”理解）\n")
    assert [(c.speech, c.paragraph) for c in second.citations] == [("b", 2)]
    assert not first.text.startswith("（按")  # typed as answered: no line


@pytest.mark.parametrize("previous,new,expected", [
    (Q_YOUNG, "党支部方面呢？", "对党支部的教育管理监督有什么要求？"),
    (Q_YOUNG, "那关于网络安全呢？", "对网络安全有什么要求？"),
    ("班子成员在分管领域要履行哪些责任？", "那一把手呢？", "一把手在分管领域要履行哪些责任？"),
    ("党员干部要怎样加强作风建设？", "那廉洁自律呢？", "党员干部要怎样加强廉洁自律？"),
    ("如何织密“不能腐”的笼子？", "“不想腐”呢？", "如何织密“不想腐”的笼子？"),
])
def test_ellipsis_rewrites(previous, new, expected):
    assert fu.replace_object(previous, fu.element(new), fu.topic_hint(new)) == expected


def test_same_speech_passes_an_explicit_filter_and_says_so():
    conv, (_, a), answerer = talk(Q_BOSS, "这篇讲话还对作风建设提了什么要求？")
    question, speeches, _ = answerer.calls[-1]
    assert question == "对作风建设提了什么要求？" and speeches == ["b"]
    assert a.text.startswith("（按“在《在局党建暨党风廉政建设工作会议上的讲话》中：对作风建设提了什么要求？”理解）")
    assert {c.speech for c in a.citations} == {"b"}


def test_ordinal_gives_the_listed_point_and_its_paragraph_in_full():
    conv, (_, a), answerer = talk(Q_LIST, "第二点具体怎么说？")
    assert len(answerer.calls) == 1  # answered from the last answer, no search
    assert a.text.splitlines()[1] == "第二点：二是更加自觉地把严实作风竖起来；"
    assert [(c.speech, c.paragraph, c.quote) for c in a.citations] == [("a", 3, LIST)]
    assert a.text.startswith("（按“第二点“二是更加自觉地把严实作风竖起来；”的原文”理解）")
    _, (_, _, third, last), _ = talk(Q_LIST, "第二点具体怎么说？", "其中第三条展开讲讲", "最后一点呢？")
    assert "第三条：三是更加自觉地把纪律规矩挺起来。" in third.text and "三是" in last.text.splitlines()[1]


def test_ordinal_without_numbers_counts_the_listed_lines_and_out_of_range_asks():
    _, (_, a, b), _ = talk(Q_YOUNG, "第二点具体怎么说？", "第九点呢？")
    assert [(c.speech, c.paragraph) for c in a.citations] == [("c", 2)]
    assert b.abstained and not b.citations and "请说明" in b.text


def test_more_excludes_what_was_shown_then_says_there_is_no_more():
    conv, (_, more, none), answerer = talk(Q_LIST, "还有吗？", "还有吗？",
                                          answerer=FakeAnswerer({**TABLE, Q_LIST: TABLE[Q_LIST][:2] + TABLE[Q_LIST][2:]}))
    assert answerer.calls[1][0] == Q_LIST and answerer.calls[1][2] == {("a", 3)}
    assert none.abstained and none.text.endswith(NO_MORE) and not none.citations
    assert more.abstained  # every passage of the fake was on paragraph 3


def test_more_lists_passages_not_yet_shown():
    table = {Q_YOUNG: [cite(1, "a", 4), cite(2, "c", 2)]}
    answerer = FakeAnswerer(table)
    conv = Conversation()
    list(answerer.stream(Q_YOUNG, history=conv))
    conv.turns[-1].shown = {("a", 4)}  # as if only the first had been cited
    a = answerer.ask("还有吗？", history=conv)
    assert [(c.speech, c.paragraph) for c in a.citations] == [("c", 2)] and "此前没有引用" in a.text


def test_other_speeches_leave_out_the_speeches_cited():
    answerer = FakeAnswerer({Q_BOSS: [cite(1, "b", 2), cite(2, "a", 4)]})
    conv = Conversation()
    list(answerer.stream(Q_BOSS, history=conv))
    conv.turns[-1].cited = ["b"]  # as if only speech b had been cited
    a = answerer.ask("其他讲话里呢？", history=conv)
    assert answerer.calls[-1][1] == ["a", "c"]
    assert [(c.speech, c.paragraph) for c in a.citations] == [("a", 4)]


def test_about_the_speech_from_its_title_and_opening():
    _, (_, meeting, date, who), _ = talk(Q_BOSS, "这是在哪次会议上讲的？", "什么时候讲的？", "谁讲的？")
    assert "据讲话标题，这是在局党建暨党风廉政建设工作会议上的讲话" in meeting.text and not meeting.abstained
    assert date.abstained and "讲话中没有写明讲话的日期" in date.text and not date.citations
    assert "讲话人：局长" in who.text and not who.abstained
    _, (_, m), _ = talk("第一季度的形势怎么样？", "这是在哪次会议上讲的？",
                        answerer=FakeAnswerer({"第一季度的形势怎么样？": [cite(1, "a", 4)]}))
    assert [(c.paragraph, c.quote) for c in m.citations] == [(2, OPENING)]


def test_the_title_of_the_speech():
    _, (_, a), _ = talk(Q_BOSS, "这篇讲话题目叫什么？")
    assert "题目：《在局党建暨党风廉政建设工作会议上的讲话》" in a.text and not a.abstained


def test_about_a_speech_named_in_the_question_needs_no_history():
    _, (a,), _ = talk("踔厉奋发那篇讲话是谁讲的？")
    assert a.abstained and "讲话中没有写明讲话人" in a.text and "踔厉奋发" in a.text


@pytest.mark.parametrize("orphan", ["还有吗？", "第二点具体怎么说？", "那对一把手呢？", "这篇讲话还讲了什么？",
                                    "其他讲话里呢？", "这是在哪次会议上讲的？"])
def test_a_follow_up_with_nothing_to_follow_asks_what_is_meant(orphan):
    conv, (a,), answerer = talk(orphan)
    assert a.abstained and a.text == UNCLEAR and not a.citations and not a.related
    assert answerer.calls == []


def test_a_self_contained_question_is_not_coloured_by_the_conversation():
    alone = FakeAnswerer(TABLE).ask(Q_LIST)
    _, answers, answerer = talk(Q_YOUNG, "那对一把手呢？", "这篇讲话还对作风建设提了什么要求？", "第二点具体怎么说？",
                                "还有吗？", "谁讲的？", Q_LIST)
    assert answerer.calls[-1] == (Q_LIST, None, None)
    assert answers[-1].text == alone.text and answers[-1].citations == alone.citations


def test_clear_starts_over():
    conv, _, answerer = talk(Q_YOUNG)
    conv.clear()
    assert answerer.ask("那对一把手呢？", history=conv).text == UNCLEAR
