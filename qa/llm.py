"""The LLM answerer: any OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp server, hosted APIs)
through langchain-openai. The model sees numbered passages and must return its answer with [n]
markers followed by verbatim quotes; every quote is checked by qa.citations and a failing one is dropped.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.text import answer_spans

from .citations import CitationError, make_citation
from .model import Answer, Citation, Passage

MAX_PASSAGES = 4
WINDOW = 320  # characters of each paragraph the model sees (around its best matching chunk)

SYSTEM = """你是讲话内容问答助手，只能依据用户给出的编号讲话段落回答，不得使用段落以外的知识。
规则：
1. 用提问所用的语言回答（英文问题用英文回答，引文保持中文原文）。简明地分点列出。
2. 每个要点末尾必须用方括号写出所依据段落的编号，例如 [1] 或 [2]。
3. 全部要点之后，另起一行写“引用：”，再为每个用到的编号写一行：[编号] “从该段落逐字照抄的一句原文”。
4. 如果这些段落不能回答问题，只输出：无法回答

输出格式示例：
1. 要压实主体责任，层层传导压力。[1]
2. 要加强日常监督。[2]
引用：
[1] “层层传导压力”
[2] “要加强日常监督”"""

_QUOTES_HEAD = re.compile(r"\n\s*(?:\*\*)?(?:引用|引文|Quotes?|Citations?)(?:\*\*)?\s*[：:]", re.I)
_QUOTE_LINE = re.compile(r"^\s*[-*]?\s*[\[【](\d+)[\]】]\s*[:：]?\s*[“\"「『]?(.+?)[”\"」』]?\s*$")
_MARK = re.compile(r"[\[【](\d+)[\]】]")
_CANNOT = re.compile(r"无法回答|不能回答|无法从.*?(?:找到|回答)|没有(?:提到|涉及)|cannot (?:be )?answer|not (?:mentioned|addressed)", re.I)


def window(p: Passage, size: int = WINDOW) -> str:
    """The part of a long paragraph the model needs: sentences around the best dense chunk."""
    if len(p.text) <= size:
        return p.text
    center = (p.chunk[0] + p.chunk[1]) // 2 if p.chunk else 0
    spans = answer_spans(p.text)
    s = max(0, min(center - size // 2, len(p.text) - size))
    start = max((a for a, _ in spans if a <= s), default=0)
    end = min((b for _, b in spans if b >= start + size), default=len(p.text))
    return p.text[start:end]


def build_messages(question: str, passages: list[Passage]) -> list[tuple[str, str]]:
    # Bare numbered texts: small models copy titles and headings back instead of answering.
    blocks = [f"[{i}] {window(p)}" for i, p in enumerate(passages, start=1)]
    return [("system", SYSTEM), ("human", "段落：\n\n" + "\n\n".join(blocks) + f"\n\n问题：{question}")]


def parse(raw: str) -> tuple[str, list[tuple[int, str]]]:
    """(answer body, [(passage number, quote)]) from the model's reply."""
    m = _QUOTES_HEAD.search("\n" + raw)
    body, tail = (raw[: m.start()], raw[m.end() - 1:]) if m else (raw, "")
    quotes = []
    for line in tail.splitlines():
        q = _QUOTE_LINE.match(line)
        if q:
            quotes.append((int(q.group(1)), q.group(2).strip().strip("“”\"")))
    return body.strip(), quotes


def _grams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _best_sentence(p: Passage, claim: str) -> tuple[str, float]:
    """The sentence of a passage closest to a claim, and the share of the claim's bigrams it holds."""
    grams = _grams(claim)
    best, share = "", 0.0
    for s, e in answer_spans(p.text):
        sent = p.text[s:e]
        sh = len(grams & _grams(sent)) / len(grams) if grams else 0.0
        if sh > share:
            best, share = sent, sh
    return best, share


GROUNDED = 0.5  # an unmarked claim counts as grounded when a sentence holds half its character bigrams


def _cite(cited: dict, citations: list, speeches: dict, n: int, p: Passage, quote: str) -> bool:
    if n in cited:
        return True
    try:
        c = make_citation(speeches, len(citations) + 1, p.speech, p.paragraph, quote)
    except CitationError:
        return False
    cited[n] = c
    citations.append(c)
    return True


def finish(question: str, raw: str, passages: list[Passage], speeches: dict, refusal: str) -> Answer:
    body, quotes = parse(raw)
    if not body or _CANNOT.search(body[:40]):
        return Answer(question, refusal, abstained=True, related=passages[:3])
    cited: dict[int, Citation] = {}
    citations: list[Citation] = []
    dropped = 0
    for n, quote in quotes:
        if n in cited or not 1 <= n <= len(passages):
            dropped += not 1 <= n <= len(passages)
            continue
        p = passages[n - 1]
        try:
            c = make_citation(speeches, len(citations) + 1, p.speech, p.paragraph, quote)
        except CitationError:
            dropped += 1
            continue
        cited[n] = c
        citations.append(c)
    # Markers the model used without a quote get the closest sentence of that passage (still verified).
    lines = body.splitlines()
    for line in lines:
        for mk in _MARK.finditer(line):
            n = int(mk.group(1))
            if n not in cited and 1 <= n <= len(passages):
                _cite(cited, citations, speeches, n, passages[n - 1], _best_sentence(passages[n - 1], _MARK.sub("", line))[0])
    if not _MARK.search(body):
        # No markers at all: a claim that repeats a passage closely enough is tied to it; others stay unmarked.
        for k, line in enumerate(lines):
            claim = line.strip(" -*0123456789.、")
            if len(claim) < 8:
                continue
            n, (sent, share) = max(((i, _best_sentence(p, claim)) for i, p in enumerate(passages, start=1)),
                                   key=lambda x: x[1][1])
            if share >= GROUNDED and _cite(cited, citations, speeches, n, passages[n - 1], sent):
                lines[k] = f"{line.rstrip()}[{n}]"
        body = "\n".join(lines)
    if not citations:
        return Answer(question, refusal, abstained=True, related=passages[:3], dropped=dropped)
    text = _MARK.sub(lambda mk: f"[{cited[int(mk.group(1))].marker}]" if int(mk.group(1)) in cited else "", body)
    if dropped:
        text += (f"\n\n（模型给出的 {dropped} 处引用未能在原文中逐字核对，已删除。）" if not question.isascii()
                 else f"\n\n({dropped} quote(s) from the model did not match the speeches verbatim and were dropped.)")
    return Answer(question, text, citations, dropped=dropped)


class LLMError(RuntimeError):
    """The LLM endpoint failed; str() is the reason shown to the user."""


class LLMAnswerer:
    def __init__(self, url: str, model: str, key: str = "", timeout: float = 300.0) -> None:
        from langchain_openai import ChatOpenAI

        self.url = url
        self.chat = ChatOpenAI(base_url=url, model=model, api_key=key or "not-needed", temperature=0,
                               timeout=timeout, max_retries=1, streaming=True, max_tokens=700)

    def stream(self, q, offline) -> Iterator[str | Answer]:
        """q: qa.answer.Question (already judged answerable); offline(q): the extractive Answer."""
        from .answer import refusal_text

        yield from self._stream(q.text, q.passages, q.speeches, refusal_text(q.text, []))

    def _stream(self, question: str, passages: list[Passage], speeches: dict, refusal: str) -> Iterator[str | Answer]:
        passages = passages[:MAX_PASSAGES]
        raw = ""
        shown = 0
        import openai

        try:
            for chunk in self.chat.stream(build_messages(question, passages)):
                raw += chunk.content if isinstance(chunk.content, str) else ""
                # Stream the body only; the quote list after "引用：" is for checking, not for reading.
                m = _QUOTES_HEAD.search("\n" + raw)
                visible = raw[: m.start()] if m else raw[: max(0, len(raw) - 6)]
                if len(visible) > shown:
                    yield visible[shown:]
                    shown = len(visible)
        except openai.APIConnectionError as e:
            raise LLMError(f"cannot reach the LLM at {self.url} ({e.__class__.__name__})") from e
        except openai.APIError as e:
            raise LLMError(f"the LLM at {self.url} failed: {e.message}") from e
        yield finish(question, raw, passages, speeches, refusal)
