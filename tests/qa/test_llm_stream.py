"""The LLM path end to end against a scripted OpenAI-compatible endpoint (a tiny HTTP server on 127.0.0.1
that answers /v1/chat/completions with exact replies, streamed as SSE chunks or in one piece)."""
from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_openai import ChatOpenAI

from ingest.model import Paragraph, Speech
from qa.answer import Question
from qa.chain import build_chain
from qa.evidence import Evidence
from qa.llm import LLMAnswerer, LLMError
from qa.model import Answer, Citation, Passage

P1 = "各单位班子成员要履行“一岗双责”，对分管领域的党风廉政建设切实负起责任。要加强日常监督。"
P2 = "完善制度，织密“不能腐”的笼子。从源头上扎牢制度“笼子”。"
SUPPORTED = "1. 班子成员要履行一岗双责，对分管领域的党风廉政建设切实负起责任。[1]\n"
INVENTED = "2. 要建立党员积分制考核平台，每月通报排名。[2]\n"
QUOTES = "引用：\n[1] “各单位班子成员要履行“一岗双责””\n[2] “建立党员积分制考核平台，每月通报排名”"
MIXED = SUPPORTED + INVENTED + QUOTES
CHUNK = 3  # characters per SSE chunk: points arrive in many pieces, as from a real model
OFFLINE_TEXT = "《讲话甲》谈到这个问题，原文要点如下：\n- 要加强日常监督。[1]"


class Script:
    """What the endpoint answers next, and what it was asked."""

    def __init__(self) -> None:
        self.reply = ""
        self.status = 200
        self.requests: list[dict] = []
        self.gate: threading.Event | None = None  # when set up: hold the stream after the first line
        self.released_by_client = False


def handler_for(script: Script):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            script.requests.append(body)
            reply = script.reply(body) if callable(script.reply) else script.reply
            if self.path != "/v1/chat/completions" or script.status != 200:
                return self._send(script.status or 404, {"error": {"message": "scripted failure"}})
            if not body.get("stream"):
                return self._send(200, {"id": "c1", "object": "chat.completion", "created": 0, "model": "m",
                                        "choices": [{"index": 0, "finish_reason": "stop",
                                                     "message": {"role": "assistant", "content": reply}}],
                                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            first_line = reply.find("\n") + 1
            for i in range(0, len(reply), CHUNK):
                if script.gate is not None and i >= first_line and not script.released_by_client:
                    script.released_by_client = script.gate.wait(timeout=5)
                self._event({"choices": [{"index": 0, "delta": {"content": reply[i:i + CHUNK]},
                                          "finish_reason": None}]})
            self._event({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            self.wfile.write(b"data: [DONE]\n\n")

        def _event(self, obj: dict) -> None:
            obj.update({"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "m"})
            self.wfile.write(f"data: {json.dumps(obj, ensure_ascii=False)}\n\n".encode())
            self.wfile.flush()

        def _send(self, status: int, obj: dict) -> None:
            data = json.dumps(obj, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@pytest.fixture
def endpoint():
    script = Script()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(script))
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)  # shutdown waits one poll
    thread.start()
    script.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    yield script
    server.shutdown()
    server.server_close()


SPEECHES = {"a": Speech("a", "讲话甲", "", "h", [Paragraph("a", 1, "", "同志们："), Paragraph("a", 2, "一、责任", P1),
                                              Paragraph("a", 3, "二、制度", P2)])}
PASSAGES = [Passage("a", "讲话甲", 2, "一、责任", P1), Passage("a", "讲话甲", 3, "二、制度", P2)]


def question(text: str = "怎样落实责任？") -> Question:
    return Question(text, text, None, PASSAGES, Evidence(True), {}, SPEECHES)


def offline(q: Question) -> Answer:
    return Answer(q.text, OFFLINE_TEXT, [Citation(1, "a", "讲话甲", 2, "一、责任", "要加强日常监督。")])


def run(endpoint, reply: str, text: str = "怎样落实责任？") -> tuple[list[str], Answer]:
    endpoint.reply = reply
    pieces = list(LLMAnswerer(endpoint.url, "m").stream(question(text), offline))
    assert isinstance(pieces[-1], Answer) and all(isinstance(p, str) for p in pieces[:-1])
    assert "".join(pieces[:-1]) == pieces[-1].text  # what streamed is exactly the final answer
    return pieces[:-1], pieces[-1]


def test_invented_point_never_reaches_the_screen(endpoint):
    pieces, a = run(endpoint, MIXED)
    for invented in ("积分制", "考核平台", "通报排名"):
        assert not any(invented in p for p in pieces) and invented not in a.text
    assert pieces[0] == SUPPORTED.rstrip("\n")  # the supported point, renumbered marker [1]
    assert [(c.marker, c.paragraph, c.quote) for c in a.citations] == [
        (1, 2, "各单位班子成员要履行“一岗双责”，对分管领域的党风廉政建设切实负起责任。")]
    assert a.dropped == 1 and "模型回答中有 1 句无法在原文中核对，已删除" in a.text
    assert not any("引用" in p for p in pieces)
    assert "[1] " + P1 in endpoint.requests[0]["messages"][1]["content"]


def test_a_point_is_shown_as_soon_as_it_is_checked(endpoint):
    # The endpoint holds the rest of its reply until the client has shown the first point.
    endpoint.gate = threading.Event()
    endpoint.reply = SUPPORTED + "2. 要加强日常监督。[1]\n" + QUOTES
    stream = LLMAnswerer(endpoint.url, "m").stream(question(), offline)
    first = next(stream)
    endpoint.gate.set()
    rest = list(stream)
    assert first == SUPPORTED.rstrip("\n") and endpoint.released_by_client
    assert rest[0] == "\n2. 要加强日常监督。[2]" and rest[-1].dropped == 0


def test_marker_without_quote_list_attaches_only_when_supported(endpoint):
    pieces, a = run(endpoint, "1. 要加强日常监督。[1]\n2. 要推进乡村振兴战略。[1]")
    assert a.text == "1. 要加强日常监督。[1]\n\n（模型回答中有 1 句无法在原文中核对，已删除。）"
    assert [c.quote for c in a.citations] == ["要加强日常监督。"]


def test_model_that_cannot_answer_falls_back_to_the_offline_answer(endpoint):
    pieces, a = run(endpoint, "无法回答")
    assert a.text == "大模型的回答未能在原文中核对，以下为原文摘录：\n" + OFFLINE_TEXT
    assert not a.abstained and a.citations[0].quote == "要加强日常监督。"


def test_nothing_supported_falls_back_with_the_note(endpoint):
    pieces, a = run(endpoint, "1. 要建立党员积分制考核平台。[2]\n2. 巴黎是法国的首都。[1]\n引用：\n[2] “积分制”")
    assert a.text.startswith("大模型的回答未能在原文中核对，以下为原文摘录：\n") and a.dropped == 2
    assert not any("积分制" in p or "巴黎" in p for p in pieces)


def test_english_question_falls_back_with_an_english_note(endpoint):
    pieces, a = run(endpoint, "The speeches require a points-based rating system. [1]", "What is required?")
    assert a.text.startswith("The model's answer could not be checked against the speeches")


def test_endpoint_failure_is_a_plain_llm_error(endpoint):
    endpoint.status = 500
    with pytest.raises(LLMError) as e:
        run(endpoint, MIXED)
    assert "127.0.0.1" not in str(e.value) and "HTTP 500" in str(e.value)


def test_unreachable_endpoint_is_a_plain_llm_error():
    with pytest.raises(LLMError) as e:
        list(LLMAnswerer("http://127.0.0.1:9/v1", "m", key="sk-secret", timeout=5).stream(question(), offline))
    assert "127.0.0.1" not in str(e.value) and "sk-secret" not in str(e.value)


class Fixed(BaseRetriever):
    """A LangChain retriever returning the two passages as HybridRetriever's Documents."""

    def _get_relevant_documents(self, query, *, run_manager):
        return [Document(p.text, metadata={"speech": p.speech, "title": p.title, "paragraph": p.paragraph,
                                           "heading": p.heading, "score": 1.0, "chunk": None}) for p in PASSAGES]


def test_build_chain_invoke_and_stream_without_streaming_model(endpoint):
    endpoint.reply = MIXED
    chat = ChatOpenAI(base_url=endpoint.url, model="m", api_key="x", streaming=False, max_retries=0)
    chain = build_chain(Fixed(), chat, speeches=SPEECHES, idf={})
    out = chain.invoke({"question": "怎样落实责任？"})
    assert out["answer"].text == out["text"] and "积分制" not in out["text"]
    assert out["citations"] == [{"speech": "a", "paragraph": 2, "marker": 1, "title": "讲话甲", "heading": "一、责任",
                                 "quote": "各单位班子成员要履行“一岗双责”，对分管领域的党风廉政建设切实负起责任。"}]
    pieces = [p["text"] for p in chain.stream({"question": "怎样落实责任？"}) if "text" in p]
    assert pieces and not any("积分制" in p for p in pieces)
    assert not endpoint.requests[-1].get("stream")


def test_build_chain_over_the_hybrid_retriever(endpoint, engine, speeches_copy):
    from ingest.pipeline import ingest_paths
    from ingest.text import sentence_spans
    from qa.chain import HybridRetriever

    ingest_paths([speeches_copy], engine.store)

    def reply(body: dict) -> str:  # restate the first sentence of passage [1], invent a point for [2]
        passage = re.search(r"\[1\] (.+)", body["messages"][1]["content"]).group(1)
        s, e = sentence_spans(passage)[0]
        return f"1. {passage[s:e]}[1]\n" + INVENTED

    endpoint.reply = reply
    retriever = HybridRetriever(retriever=engine.retriever, k=5)
    docs = retriever.invoke("如何织密“不能腐”的笼子？")
    assert docs and {"speech", "paragraph", "title", "heading", "chunk"} <= set(docs[0].metadata)
    chat = ChatOpenAI(base_url=endpoint.url, model="m", api_key="x", streaming=True, max_retries=0)
    out = build_chain(retriever, chat).invoke({"question": "如何织密“不能腐”的笼子？"})
    c = out["answer"].citations
    assert len(c) == 1 and (c[0].speech, c[0].paragraph) == (docs[0].metadata["speech"], docs[0].metadata["paragraph"])
    assert c[0].quote in docs[0].page_content and "积分制" not in out["text"] and out["answer"].dropped == 1


def test_answerer_in_llm_mode_falls_back_to_its_own_offline_answer(endpoint, engine, speeches_copy):
    from ingest.pipeline import ingest_paths
    from qa.answer import Answerer
    from qa.citations import verify

    ingest_paths([speeches_copy], engine.store)
    endpoint.reply = "无法回答"
    answerer = Answerer(engine.retriever, LLMAnswerer(endpoint.url, "m"))
    pieces = list(answerer.stream("如何织密“不能腐”的笼子？", mode="llm"))
    a = pieces[-1]
    assert "".join(pieces[:-1]) == a.text and a.text.startswith("大模型的回答未能在原文中核对，以下为原文摘录：\n")
    assert a.text[len("大模型的回答未能在原文中核对，以下为原文摘录：\n"):] == answerer.ask("如何织密“不能腐”的笼子？", mode="offline").text
    speeches = engine.store.speeches()
    assert a.citations and all(verify(speeches, c.speech, c.paragraph, c.quote) == c.quote for c in a.citations)
