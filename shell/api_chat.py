"""POST /v1/chat/completions: the OpenAI chat API over speechqa's answers, so any OpenAI client can ask.

The last user message is the question. The reply's content is the answer with its sources as Markdown
(as the app's 复制答案与出处 box shows it); the reply also carries `citations` [{speech, paragraph,
quote, title}]. With `stream: true` the answer comes as SSE chunks in OpenAI's format — only text that
passed the checks, as the answerer releases it — then the sources, then `data: [DONE]`.
Extra request fields `speeches` and `tags` narrow the speeches searched, as in /api/ask.
The model name is free; "speechqa-offline" asks for the offline answer even when an LLM is configured.
"""
from __future__ import annotations

import json
import logging
import time
import uuid

from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict

from qa.model import Answer

from admin.users import User

log = logging.getLogger("speechqa")
MODEL = "speechqa"


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: str
    content: str | list | None = None


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, max_tokens…: accepted, not used
    model: str = MODEL
    messages: list[Message]
    stream: bool = False
    speeches: list[str] | None = None
    tags: list[str] | None = None


def question_of(req: ChatRequest) -> str:
    for m in reversed(req.messages):
        if m.role == "user":
            if isinstance(m.content, list):  # [{"type": "text", "text": …}, …]
                return "".join(p.get("text", "") for p in m.content if isinstance(p, dict)).strip()
            return (m.content or "").strip()
    raise HTTPException(422, "no user message")


def sources_markdown(answer: Answer) -> str:
    """What follows the answer text: its sources (and 可能相关 after a refusal) as Markdown."""
    from .web.render import answer_markdown

    return answer_markdown(answer)[len(answer.text):]


def citations_json(answer: Answer) -> list[dict]:
    return [{"speech": c.speech, "paragraph": c.paragraph, "quote": c.quote, "title": c.title,
             "heading": c.heading, "marker": c.marker} for c in answer.citations]


def _chunk(cid: str, created: int, model: str, delta: dict, finish=None, **extra) -> str:
    obj = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
           "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
    return f"data: {json.dumps(obj, ensure_ascii=False)}\n\n"


def add_chat_routes(api: FastAPI, engine, caller, scoped) -> None:
    def mode_of(model: str) -> str | None:
        return "offline" if model.endswith("-offline") else None

    @api.get("/v1/models")
    def models(user: User = Depends(caller)) -> dict:
        names = [MODEL, f"{MODEL}-offline"]
        return {"object": "list", "data": [{"id": n, "object": "model", "owned_by": "speechqa"} for n in names]}

    @api.post("/v1/chat/completions")
    def chat(req: ChatRequest, user: User = Depends(caller)):
        question = question_of(req)
        ids = scoped(engine, user, req.speeches, req.tags)
        engine.audit.question(user.name, question, "openai")
        cid, created = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time())
        if req.stream:
            return StreamingResponse(_stream(engine, question, ids, mode_of(req.model), cid, created, req.model),
                                     media_type="text/event-stream")
        try:
            answer = engine.answerer.ask(question, ids, mode_of(req.model))
        except ValueError as e:
            raise HTTPException(422, str(e)) from e
        return {"id": cid, "object": "chat.completion", "created": created, "model": req.model,
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": answer.text + sources_markdown(answer)}}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                "citations": citations_json(answer), "abstained": answer.abstained}


def _stream(engine, question, ids, mode, cid, created, model):
    yield _chunk(cid, created, model, {"role": "assistant", "content": ""})
    answer = None
    try:
        for piece in engine.answerer.stream(question, ids, mode):
            if isinstance(piece, Answer):
                answer = piece
            elif piece:
                yield _chunk(cid, created, model, {"content": piece})
    except Exception as e:  # noqa: BLE001 — the detail goes to the log, a plain reason to the client
        log.exception("streamed answer failed")
        reason = str(e) if isinstance(e, ValueError) else "暂时无法回答这个问题（详情见服务器日志）"
        yield _chunk(cid, created, model, {"content": f"出错了：{reason}"}, "stop")
        yield "data: [DONE]\n\n"
        return
    tail = sources_markdown(answer) if answer is not None else ""
    if tail:
        yield _chunk(cid, created, model, {"content": tail})
    yield _chunk(cid, created, model, {}, "stop", citations=citations_json(answer) if answer else [],
                 abstained=answer.abstained if answer else True)
    yield "data: [DONE]\n\n"
