"""The LLM rewrite of a follow-up (qa.followup_llm) against a scripted OpenAI-compatible endpoint: a
rewrite whose words all come from the conversation is used; one that brings in a word from nowhere, or
an endpoint that fails, leaves the offline reading."""
from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer

import pytest

from qa.conversation import Conversation
from qa.followup_llm import grounded
from qa.llm import LLMAnswerer
from tests.qa.test_conversation import Q_BOSS, Q_YOUNG, TABLE, FakeAnswerer
from tests.qa.test_llm_stream import Script, handler_for


@pytest.fixture
def endpoint():
    script = Script()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(script))
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()  # shutdown waits one poll
    script.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    yield script
    server.shutdown()
    server.server_close()


def follow(endpoint, reply, status=200, mode=None):
    endpoint.reply, endpoint.status = reply, status
    answerer = FakeAnswerer({**TABLE, "一把手的教育管理监督有什么要求？": TABLE[Q_BOSS]},
                            llm=LLMAnswerer(endpoint.url, "m", timeout=10))
    conv = Conversation()
    answerer.ask(Q_YOUNG, history=conv)
    answerer.ask("那对一把手呢？", mode=mode, history=conv)
    return conv.last, answerer


def test_a_grounded_rewrite_is_used(endpoint):
    turn, answerer = follow(endpoint, "一把手的教育管理监督有什么要求？")
    assert turn.resolved == "一把手的教育管理监督有什么要求？" == answerer.calls[-1][0]
    assert turn.answer.text.startswith("（按“一把手的教育管理监督有什么要求？”理解）")
    prompt = endpoint.requests[0]["messages"][1]["content"]
    assert Q_YOUNG in prompt and "追问：那对一把手呢？" in prompt


def test_a_rewrite_with_a_word_from_nowhere_is_rejected(endpoint):
    turn, answerer = follow(endpoint, "对一把手的网络安全培训有什么要求？")
    assert len(endpoint.requests) == 1  # the model was asked…
    assert turn.resolved == Q_BOSS == answerer.calls[-1][0]  # …and the offline reading stands


def test_a_failing_endpoint_leaves_the_offline_reading(endpoint):
    turn, _ = follow(endpoint, "", status=500)
    assert turn.resolved == Q_BOSS


def test_offline_mode_does_not_ask_the_model(endpoint):
    turn, _ = follow(endpoint, "一把手的教育管理监督有什么要求？", mode="offline")
    assert endpoint.requests == [] and turn.resolved == Q_BOSS


def test_grounded_checks_every_content_word():
    sources = "对年轻干部的教育管理监督有什么要求？\n那对一把手呢？"
    assert grounded("对一把手的教育管理监督有什么要求？", sources)
    assert not grounded("对一把手的廉洁教育有什么要求？", sources)
    assert not grounded("？", sources)
