"""A chat that follows the conversation: each question and the earlier turns → a standalone question,
then answered exactly like `ask` (same evidence, refusals, citations).

    conv = Conversation()                      # one per browser session / CLI conversation id
    for piece in answerer.stream("那对一把手呢？", history=conv): …   # text pieces, then the Answer
    conv.turns[-1].resolved                    # 对一把手的教育管理监督有什么要求？

What a follow-up is comes from its own words (qa.followup); what it refers to from the earlier turns:
their questions, the standalone question they were answered as, the speeches they were scoped to and
their Answers (cited speeches and paragraphs, the points listed). Earlier turns are never retrieved
again; "还有吗？" re-asks the earlier standalone question with the paragraphs already shown excluded.
With an LLM, an elliptical question may be rewritten by it (qa.followup_llm), kept only when every
content word of the rewrite comes from the conversation. A typed question that differs from what was
answered is shown as "（按“…”理解）" at the top of the answer.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from . import followup as fu
from .followup_answers import about_answer, ordinal_answer, pick_point
from .model import Answer, Citation

UNCLEAR = "请说明您想了解哪方面的内容。"
NO_MORE = "没有更多相关原文。"
SHOWN_MORE = "以下是此前没有引用的原文："
QUERY_KINDS = ("new", "ellipsis", "refer", "same_speech", "more", "others")


@dataclass
class Turn:
    typed: str
    resolved: str  # the standalone question it was answered as (shown when it differs from typed)
    kind: str  # a qa.followup kind, or "unclear"
    answer: Answer
    query: str | None = None  # the question follow-ups build on (what the Answerer was asked)
    scope: list[str] | None = None  # speech ids it was searched in (None: all)
    points: list[Citation] = field(default_factory=list)  # the last listing answer's citations, in order
    shown: set[tuple[str, int]] = field(default_factory=set)  # paragraphs cited for this query so far
    cited: list[str] = field(default_factory=list)  # speech ids cited for this query so far, in order
    subjects: list[str] = field(default_factory=list)  # the speeches this turn's answer is about

    def to_json(self) -> dict:
        return {"question": self.typed, "resolved": self.resolved, "kind": self.kind,
                "scope": self.scope, "answer": self.answer.to_json()}


@dataclass
class Plan:
    """How a question will be answered."""
    kind: str
    resolved: str
    query: str | None = None
    speeches: list[str] | None = None
    exclude: set[tuple[str, int]] = field(default_factory=set)
    answer: Answer | None = None  # answered without the Answerer (about, ordinal, unclear)
    subjects: list[str] | None = None  # the speeches an about-the-speech answer is about


class Conversation:
    """The turns of one conversation, oldest first. The UI keeps one per session; nothing is global."""

    def __init__(self) -> None:
        self.turns: list[Turn] = []

    def clear(self) -> None:
        self.turns.clear()

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None

    def subjects(self) -> list[str]:
        """The speeches the latest turn about any speech was about (a refused turn is about none)."""
        return next((t.subjects for t in reversed(self.turns) if t.subjects), [])

    def stream(self, answerer, question: str, speeches: list[str] | None = None,
               mode: str | None = None) -> Iterator[str | Answer]:
        """Resolve, answer, record the turn. Text pieces, then the Answer (whose text they make up)."""
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        plan = self.plan(answerer, question, speeches, mode)
        note = understood(question, plan.resolved)
        if plan.answer is not None:
            answer = replace(plan.answer, text=note + plan.answer.text)
            yield from _lines(answer)
        elif plan.kind in ("more", "others"):
            found = answerer.ask(plan.query, plan.speeches, mode, exclude=plan.exclude or None)
            answer = (Answer(plan.resolved, note + NO_MORE, abstained=True) if found.abstained
                      else replace(found, text=note + SHOWN_MORE + "\n" + found.text))
            yield from _lines(answer)
        else:
            answer = None
            if note:
                yield note
            for piece in answerer.stream(plan.query, plan.speeches, mode):
                if isinstance(piece, Answer):
                    answer = replace(piece, text=note + piece.text)
                else:
                    yield piece
            yield answer
        self.turns.append(self._record(question, plan, answer, answerer))

    def plan(self, answerer, question: str, speeches: list[str] | None, mode: str | None) -> Plan:
        kind = fu.classify(question)
        last = self.last
        if kind == "new":
            return Plan("new", question, question, speeches)
        if kind == "about":
            return self._about(answerer, question)
        if last is None or last.query is None:
            return _unclear(question)
        if kind == "ordinal":
            return self._ordinal(answerer, question, last)
        if kind == "more":
            return Plan("more", last.query, last.query, last.scope, set(last.shown))
        if kind == "others":
            pool = speeches or sorted(answerer.retriever.speeches())
            seen = set(last.cited) | (set(last.scope) if last.scope and len(last.scope) == 1 else set())
            rest = [s for s in pool if s not in seen]
            if not rest:
                return Plan("others", last.query, answer=Answer(question, NO_MORE, abstained=True))
            return Plan("others", last.query, last.query, rest)
        if kind == "same_speech":
            return self._same_speech(answerer, question, last)
        return self._rewrite(answerer, question, kind, last, mode)

    def _rewrite(self, answerer, question: str, kind: str, last: Turn, mode: str | None) -> Plan:
        """An ellipsis or a reference: the earlier question with the new element, the earlier scope."""
        offline = None
        if kind == "ellipsis":
            offline = fu.replace_object(last.query, fu.element(question), fu.topic_hint(question))
        elif kind == "refer":
            offline = fu.replace_reference(question, last.query)
        llm = getattr(answerer, "llm", None)
        if llm is not None and (mode or "llm") == "llm":
            from .followup_llm import rewrite

            better = rewrite(llm.chat, self.turns, question)
            if better:
                return Plan(kind, better, better, last.scope)
        if not offline:
            return _unclear(question)
        return Plan(kind, offline, offline, last.scope)

    def _same_speech(self, answerer, question: str, last: Turn) -> Plan:
        subjects = self.subjects()
        sid = subjects[0] if subjects else None
        if sid is None:
            return _unclear(question)
        query = fu.without_speech_reference(question)
        title = answerer.retriever.speeches()[sid].title
        return Plan("same_speech", f"在《{title}》中：{query}", query, [sid])

    def _about(self, answerer, question: str) -> Plan:
        # The speech named, else the one(s) the last answer was about. 这是在什么会上讲的 names none,
        # though its 会上 reads as a naming clause to qa.scope.
        named = None if question.startswith(("这", "那", "该", "此")) else answerer.retriever.scope(question)[0]
        targets = named or self.subjects()
        if not targets:
            return _unclear(question)
        what = fu.about_what(question)
        records = answerer.retriever.speeches()
        answer = about_answer(records, targets, what)
        return Plan("about", answer.question, answer=answer, subjects=list(targets))

    def _ordinal(self, answerer, question: str, last: Turn) -> Plan:
        n = fu.ordinal(question)
        point = pick_point(last.points, n, answerer.retriever.speeches())
        if point is None:
            listed = len(last.points)
            text = (f"上一个回答列了{listed}点，请说明您想了解哪一点。" if listed else UNCLEAR)
            return Plan("ordinal", question, answer=Answer(question, text, abstained=True))
        answer = ordinal_answer(answerer.retriever.speeches(), point, fu.ordinal_text(question))
        return Plan("ordinal", answer.question, answer=answer)

    def _record(self, typed: str, plan: Plan, answer: Answer, answerer) -> Turn:
        last = self.last
        query = plan.query if plan.query is not None else (last.query if last and plan.kind != "unclear" else None)
        scope = plan.speeches
        if plan.kind == "new" and scope is None:
            scope = answerer.retriever.scope(plan.query)[0]
        if plan.query is None and last is not None:
            scope = last.scope
        same = last is not None and last.query == query and plan.kind in ("more", "others", "ordinal", "about")
        shown = set(last.shown) if same else set()
        cited = list(last.cited) if same else []
        shown |= {(c.speech, c.paragraph) for c in answer.citations}
        for c in answer.citations:
            if c.speech not in cited:
                cited.append(c.speech)
        listing = plan.kind in QUERY_KINDS and plan.kind not in ("more", "others") and not answer.abstained
        points = list(answer.citations) if listing else (list(last.points) if last else [])
        subjects = list(dict.fromkeys(c.speech for c in answer.citations))
        if plan.subjects is not None:
            subjects = plan.subjects
        elif not subjects and scope and len(scope) == 1:  # scoped to one speech, nothing cited
            subjects = list(scope)
        elif not subjects and plan.query is None and last is not None:  # a request to say what is meant
            subjects = last.subjects
        return Turn(typed, plan.resolved, plan.kind, answer, query, scope, points, shown, cited, subjects)


def understood(typed: str, resolved: str) -> str:
    """The line that says how a question was understood, when that is not as typed."""
    return "" if resolved.strip() == typed.strip() else f"（按“{resolved}”理解）\n"


def _unclear(question: str) -> Plan:
    return Plan("unclear", question, answer=Answer(question, UNCLEAR, abstained=True))


def _lines(answer: Answer) -> Iterator[str | Answer]:
    yield from answer.text.splitlines(keepends=True)
    yield answer
