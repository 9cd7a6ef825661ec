"""20 chat sessions at once against the running app (loopback only, bounded, stops by itself):
every one is answered, with its own question and its own sources."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = pytest.mark.e2e

QUESTIONS = {
    "如何控制“三公经费”？": "三公经费",
    "养老资金是怎样监管的？": "养老",
    "怎样落实“一岗双责”？": "一岗双责",
    "如何织密“不能腐”的笼子？": "不能腐",
    "对党支部标准化规范化建设有什么要求？": "标准化",
}
USERS = 20
TIMEOUT = 120


def text(message) -> str:
    """Message content as text (Gradio 6 sends a list of typed parts)."""
    c = message["content"]
    return c if isinstance(c, str) else "".join(part.get("text", "") for part in c)


def test_twenty_concurrent_sessions(app_url):
    from gradio_client import Client

    url, _ = app_url
    items = list(QUESTIONS.items())
    jobs = [items[i % len(items)] for i in range(USERS)]

    def one_user(job):
        question, term = job
        client = Client(url, verbose=False)  # a session of its own
        _, history, md = client.predict(question, [], [], "离线（不需要大模型）", api_name="/ask")
        return question, term, history, md

    with ThreadPoolExecutor(max_workers=USERS) as pool:
        results = list(pool.map(one_user, jobs, timeout=TIMEOUT))
    assert len(results) == USERS
    for question, term, history, md in results:
        users = [text(m) for m in history if m["role"] == "user"]
        assert users == [question]  # only its own turn: no other session's question leaked in
        assert "来源：" in md and term in md
        answer = text([m for m in history if m["role"] == "assistant"][0])
        assert "sq-card" in answer and term in answer
