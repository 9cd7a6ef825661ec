"""The LLM answerer: any OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp server, hosted APIs)
through langchain-openai, run as the LCEL chain of qa.chain. Nothing the model writes reaches the user
unchecked: each sentence is shown only once qa.support found the passage sentence that supports it (its
verified citation). When nothing supported remains — or the model says it cannot answer although the
evidence says the speeches do — the offline answer is shown instead, with a note saying so.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace

from ingest.text import has_cjk

from .chain import MAX_PASSAGES, answer_chain
from .evidence import hedge_text
from .model import Answer

log = logging.getLogger(__name__)

TIMEOUT = 300.0  # seconds: a small local model on two cores takes up to half a minute per answer
MAX_TOKENS = 700


def fallback_note(english: bool) -> str:
    return ("The model's answer could not be checked against the speeches; excerpts from the original follow."
            if english else "大模型的回答未能在原文中核对，以下为原文摘录：")


class LLMError(RuntimeError):
    """The LLM endpoint failed; str() is the reason shown to the user (no address, no key)."""


class LLMAnswerer:
    def __init__(self, url: str, model: str, key: str = "", timeout: float = TIMEOUT) -> None:
        from langchain_openai import ChatOpenAI

        self.url = url
        self.chat = ChatOpenAI(base_url=url, model=model, api_key=key or "not-needed", temperature=0,
                               timeout=timeout, max_retries=1, streaming=True, max_tokens=MAX_TOKENS)

    def stream(self, q, offline) -> Iterator[str | Answer]:
        """q: qa.answer.Question (already judged answerable); offline(q): the extractive Answer.
        Text pieces, each after its check, then the Answer."""
        chain = answer_chain(self.chat, q.text, q.passages[:MAX_PASSAGES], q.speeches, q.idf)
        # The passages mean but do not write what was asked about: said first, as in the offline answer.
        hedge = hedge_text(not has_cjk(q.text), q.evidence) if q.evidence.hedged else ""
        if hedge:
            yield hedge
        answer = None
        for piece in self._guarded(chain.stream({"question": q.text})):
            if "text" in piece:
                yield piece["text"]
            if "answer" in piece:
                answer = piece["answer"]
        assert answer is not None
        if not answer.abstained:
            yield replace(answer, text=hedge + answer.text, hedged=bool(hedge))
            return
        # Nothing the model said could be checked: the speeches' own sentences instead, marked as such.
        off = offline(q)
        if not off.abstained:
            rest = off.text.replace(hedge, "", 1) if hedge else off.text
            off = replace(off, text=hedge + fallback_note(not has_cjk(q.text)) + "\n" + rest, dropped=answer.dropped)
        shown = off.text[len(hedge):] if hedge and not off.abstained else off.text
        for line in shown.splitlines(keepends=True):
            yield line
        yield off

    def _guarded(self, pieces: Iterator[dict]) -> Iterator[dict]:
        """The chain's pieces; endpoint failures become an LLMError with a plain reason (the detail is logged
        at INFO and chained as the cause, so a server log has it and the CLI shows one line)."""
        import httpx
        import openai

        try:
            yield from pieces
        except openai.APIConnectionError as e:  # includes timeouts
            log.info("LLM endpoint %s unreachable: %r", self.url, e)
            raise LLMError("cannot reach the LLM endpoint (timed out or refused; see the log)") from e
        except openai.APIStatusError as e:
            log.info("LLM endpoint %s answered HTTP %s: %s", self.url, e.status_code, e.message)
            raise LLMError(f"the LLM endpoint failed (HTTP {e.status_code})") from e
        except (openai.APIError, httpx.HTTPError) as e:  # httpx: a stream broken off mid-answer
            log.info("LLM endpoint %s failed: %r", self.url, e)
            raise LLMError("the LLM endpoint failed") from e
