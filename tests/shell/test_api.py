"""The HTTP API on a real port (uvicorn, the same FastAPI routes the app mounts), driven by httpx and
by the real `openai` client: keys, roles, restricted tags, search/ask/speeches, upload and delete,
OpenAI chat completions plain and streamed. Real Chroma, fake embedder."""
from __future__ import annotations

import io
import json
import threading
import time

import httpx
import pytest

from shell.api import build_api
from admin.auth import Accounts
from admin.users import Users
from tests.conftest import make_engine
from tests.integration.helpers import free_port

A, B = "000_6117c26b33f13efb", "001_ce92dc7b0f296d48"
QUESTION = "如何织密“不能腐”的笼子？"
UPLOAD = "关于机关食堂管理的讲话\n同志们：\n一、加强管理\n要加强机关食堂的节约管理，杜绝浪费，每周公示菜价。\n"


def serve_in_thread(app):
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from tests.conftest import bundled_engine

    root = tmp_path_factory.mktemp("api")
    engine = bundled_engine(root)
    engine.library.set_meta(A, tags=["内部"])
    engine.library.restrict("内部", ["editor"])
    users = Users(root / "users.json")
    keys = {}
    for name, role in (("admin1", "admin"), ("editor1", "editor"), ("reader1", "reader")):
        users.add(name, role, f"{name}-pw")
        keys[role] = users.new_key(name)
    server, thread, url = serve_in_thread(build_api(engine, Accounts(str(root / "users.json"), "", engine.audit)))
    yield url, keys, engine
    server.should_exit = True
    thread.join(timeout=10)


def call(url, method, path, key=None, **kw):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.request(method, url + path, headers=headers, timeout=60, **kw)


def test_no_or_bad_key_is_401(api):
    url, keys, _ = api
    assert call(url, "POST", "/api/search", json={"question": QUESTION}).status_code == 401
    assert call(url, "POST", "/api/ask", "sq_wrong", json={"question": QUESTION}).status_code == 401
    assert call(url, "GET", "/api/speeches", "sq_wrong").status_code == 401


def test_search_and_ask_are_the_cli_objects(api):
    url, keys, _ = api
    r = call(url, "POST", "/api/search", keys["reader"], json={"question": QUESTION, "k": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["question"] == QUESTION and len(body["results"]) == 3
    assert set(body["results"][0]) == {"speech", "paragraph", "heading", "text", "score"}
    r = call(url, "POST", "/api/ask", keys["reader"], json={"question": QUESTION, "speeches": [B]})
    ans = r.json()
    assert set(ans) >= {"question", "answer", "abstained", "citations"}
    assert {c["speech"] for c in ans["citations"]} <= {B}


def test_restricted_tag_never_reaches_a_reader(api):
    url, keys, _ = api
    rows = call(url, "GET", "/api/speeches", keys["reader"]).json()
    assert A not in {r["speech"] for r in rows} and len(rows) == 4
    assert A in {r["speech"] for r in call(url, "GET", "/api/speeches", keys["editor"]).json()}
    r = call(url, "POST", "/api/search", keys["reader"], json={"question": "党建工作存在哪些问题？", "k": 20})
    assert A not in {p["speech"] for p in r.json()["results"]}
    assert call(url, "POST", "/api/search", keys["reader"], json={"question": QUESTION, "speeches": [A]}).status_code == 404
    r = call(url, "POST", "/api/search", keys["reader"], json={"question": QUESTION, "tags": ["内部"]})
    assert r.json()["results"] == []
    r = call(url, "POST", "/api/search", keys["editor"], json={"question": "党建工作存在哪些问题？", "tags": ["内部"]})
    assert {p["speech"] for p in r.json()["results"]} == {A}


def test_openai_client_plain_and_streamed(api):
    from openai import OpenAI

    url, keys, _ = api
    client = OpenAI(base_url=url + "/v1", api_key=keys["reader"])
    resp = client.chat.completions.create(model="speechqa", messages=[{"role": "user", "content": QUESTION}])
    content = resp.choices[0].message.content
    cites = resp.model_extra["citations"]
    assert cites and set(cites[0]) >= {"speech", "paragraph", "quote", "title"}
    assert "来源：" in content and cites[0]["quote"] in content and A not in {c["speech"] for c in cites}
    streamed, last = "", None
    for chunk in client.chat.completions.create(model="speechqa", stream=True,
                                                messages=[{"role": "user", "content": QUESTION}]):
        streamed += chunk.choices[0].delta.content or ""
        last = chunk
    assert streamed == content
    assert last.choices[0].finish_reason == "stop" and last.model_extra["citations"] == cites
    bad = OpenAI(base_url=url + "/v1", api_key="sq_nope", max_retries=0)
    from openai import AuthenticationError

    with pytest.raises(AuthenticationError):
        bad.chat.completions.create(model="speechqa", messages=[{"role": "user", "content": QUESTION}])


def test_stream_ends_with_done(api):
    url, keys, _ = api
    with httpx.stream("POST", url + "/v1/chat/completions", headers={"Authorization": f"Bearer {keys['reader']}"},
                      json={"model": "speechqa", "stream": True, "messages": [{"role": "user", "content": QUESTION}]},
                      timeout=60) as r:
        lines = [line for line in r.iter_lines() if line.startswith("data: ")]
    assert lines[-1] == "data: [DONE]"
    assert json.loads(lines[0][6:])["object"] == "chat.completion.chunk"


def test_upload_edit_delete_by_role(api):
    url, keys, engine = api
    files = {"files": ("食堂.txt", io.BytesIO(UPLOAD.encode()), "text/plain")}
    assert call(url, "POST", "/api/speeches", keys["reader"], files=files).status_code == 403
    files = {"files": ("食堂.txt", io.BytesIO(UPLOAD.encode()), "text/plain")}
    r = call(url, "POST", "/api/speeches", keys["editor"], files=files)
    assert r.status_code == 200 and r.json()[0]["status"] == "added"
    sid = r.json()[0]["speech"]
    r = call(url, "POST", "/api/search", keys["reader"], json={"question": "机关食堂每周公示菜价", "k": 1})
    assert r.json()["results"][0]["speech"] == sid
    assert call(url, "PATCH", f"/api/speeches/{sid}", keys["reader"], json={"title": "x"}).status_code == 403
    r = call(url, "PATCH", f"/api/speeches/{sid}", keys["editor"], json={"title": "食堂讲话", "tags": ["后勤"]})
    assert r.status_code == 200 and r.json()["title"] == "食堂讲话"
    assert call(url, "DELETE", f"/api/speeches/{sid}", keys["editor"]).status_code == 403
    assert call(url, "DELETE", f"/api/speeches/{sid}", keys["admin"]).status_code == 200
    assert sid not in {r["speech"] for r in call(url, "GET", "/api/speeches", keys["admin"]).json()}
    assert call(url, "DELETE", f"/api/speeches/{sid}", keys["admin"]).status_code == 404
    events = [e["event"] for e in engine.audit.read()]
    assert "upload" in events and "delete" in events and "edit" in events


def test_without_accounts_only_loopback(tmp_path):
    from fastapi.testclient import TestClient

    engine = make_engine(tmp_path / "index")
    app = build_api(engine, Accounts("", ""))
    assert TestClient(app, client=("127.0.0.1", 5000)).get("/api/speeches").status_code == 200
    assert TestClient(app, client=("10.1.2.3", 5000)).get("/api/speeches").status_code == 403


def test_questions_are_logged_only_when_asked_for(api, monkeypatch):
    url, keys, engine = api
    before = len(engine.audit.read())
    call(url, "POST", "/api/search", keys["reader"], json={"question": "只搜不记"})
    assert [e for e in engine.audit.read()[before:] if e["event"] == "question"] == []
    monkeypatch.setenv("SPEECHQA_AUDIT_QUESTIONS", "1")
    call(url, "POST", "/api/search", keys["reader"], json={"question": "要记下的问题"})
    logged = [e for e in engine.audit.read()[before:] if e["event"] == "question"]
    assert [(e["user"], e["question"]) for e in logged] == [("reader1", "要记下的问题")]


def test_speechqa_auth_admin_signs_in_with_basic_and_failures_are_limited(tmp_path):
    from fastapi.testclient import TestClient

    engine = make_engine(tmp_path / "index")
    app = build_api(engine, Accounts("", "boss:pw", engine.audit))
    client = TestClient(app, client=("10.0.0.7", 5000))
    assert client.get("/api/speeches", auth=("boss", "pw")).status_code == 200
    assert client.get("/api/speeches").status_code == 401
    for _ in range(5):
        assert client.get("/api/speeches", auth=("boss", "bad")).status_code == 401
    assert client.get("/api/speeches", auth=("boss", "pw")).status_code == 401  # limited for the minute
    results = [e["result"] for e in engine.audit.read() if e["event"] == "sign-in"]
    assert results == ["ok"] + ["failed"] * 5 + ["limited"]
