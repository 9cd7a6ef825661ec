"""An LLM rewrite of a follow-up into a standalone question (a history-aware rewrite prompt, LCEL:
prompt | ChatOpenAI | text). The rewrite is kept only when each of its content words comes from the
conversation (earlier questions, how they were understood, the answers shown) or the new question: a
model that brings in a topic of its own would answer a question nobody asked. Otherwise, or when the
endpoint fails, the offline resolver's reading stands.
"""
from __future__ import annotations

import logging
import re

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from ingest.text import normalize, tokenize

log = logging.getLogger(__name__)

HISTORY_TURNS = 4  # earlier turns the model sees
ANSWER_CHARS = 300  # of each earlier answer
MAX_REWRITE = 200

SYSTEM = """你负责改写问题。根据对话记录，把用户最后提出的追问改写成一个不看对话记录也能理解的完整问题。
规则：
1. 补全追问中省略的内容和指代（如“那……呢”“这方面”“它”），保持原问题的问法。
2. 只能使用对话记录和追问中出现过的词语，不要添加新的内容，不要回答问题。
3. 只输出改写后的问题，一行，不要解释。"""

PROMPT = ChatPromptTemplate.from_messages([("system", SYSTEM), ("human", "对话记录：\n{history}\n\n追问：{question}")])
_LEAD = re.compile(r"^(?:改写后的问题|改写|问题)[：:]\s*")


def history_text(turns) -> str:
    lines = []
    for t in turns[-HISTORY_TURNS:]:
        lines.append(f"用户：{t.typed}")
        if t.resolved != t.typed:
            lines.append(f"（理解为：{t.resolved}）")
        lines.append(f"回答：{t.answer.text[:ANSWER_CHARS]}")
    return "\n".join(lines)


def grounded(rewrite: str, sources: str) -> bool:
    """Every content word of the rewrite occurs in the sources (normal form, case folded)."""
    text = normalize(sources).lower()
    words = tokenize(normalize(rewrite))
    return bool(words) and all(w in text for w in words)


def clean(reply: str) -> str:
    line = next((x.strip() for x in reply.splitlines() if x.strip()), "")
    return _LEAD.sub("", line).strip("“”\"' ")


def rewrite(chat, turns, question: str) -> str | None:
    """The model's standalone question, or None (not grounded, unchanged, too long, or the endpoint failed)."""
    history = history_text(turns)
    try:
        reply = (PROMPT | chat | StrOutputParser()).invoke({"history": history, "question": question})
    except Exception as e:  # any endpoint failure: the offline reading is a safe answer
        log.info("rewrite failed: %r", e)
        return None
    out = clean(reply)
    if not out or out == question or len(out) > MAX_REWRITE:
        return None
    sources = question + "\n" + "\n".join(f"{t.typed}\n{t.resolved}\n{t.answer.text}" for t in turns)
    if not grounded(out, sources):
        log.info("rewrite rejected (words from outside the conversation): %s", out)
        return None
    return out
