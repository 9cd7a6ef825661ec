"""The app's safety edges: question length enforced on the server and in the CLI, errors without server
details, deep links with any p=, the bind warning, Gradio's temp-file cleanup, and upload reports."""
from __future__ import annotations

import logging
from types import SimpleNamespace

import gradio as gr
import pytest

from ingest.pipeline import ingest_paths
from qa.model import Answer
from shell.cli import main
from shell.cli.common import MAX_QUESTION_CHARS, UsageError, check_question
from shell.settings import Settings
from shell.web import server
from shell.web.chat import QUESTION_MAX, respond
from shell.web.reader import NOT_OPENED, build_reader_tab, paragraph_param
from shell.web.upload import build_upload_tab

SPEECH = "同志们：\n要严格落实“三会一课”制度。\n第三段内容。\n"
LEAKY = "POST http://user:SECRETKEY@llm.internal:8080/v1 failed reading /srv/speechqa/data/index/x.txt"


class Answerer:
    def __init__(self, error=None):
        self.asked, self.error = [], error

    def stream(self, question, speeches=None, mode="offline"):
        self.asked.append(question)
        if self.error:
            raise self.error
        yield "答"
        yield Answer(question, "答")


def stub_engine(error=None):
    return SimpleNamespace(answerer=Answerer(error), store=SimpleNamespace(speeches=dict))


def test_an_overlong_question_never_reaches_the_answerer():
    engine = stub_engine()
    out = list(respond(engine, "问" * (QUESTION_MAX + 1), [], [], "离线（不需要大模型）"))
    assert engine.answerer.asked == []
    assert f"请控制在 {QUESTION_MAX} 字以内" in out[-1][1][-1]["content"]
    list(respond(engine, "问" * QUESTION_MAX, [], [], "离线（不需要大模型）"))
    assert engine.answerer.asked == ["问" * QUESTION_MAX]


def test_errors_in_the_chat_carry_no_server_details(caplog):
    engine = stub_engine(RuntimeError(LEAKY))
    with caplog.at_level(logging.ERROR, logger="speechqa"):
        out = list(respond(engine, "问题", [], [], "大模型"))
    shown = str(out[-1][1])
    for detail in ("SECRETKEY", "llm.internal", "http", "/srv/"):
        assert detail not in shown
    assert "出错了" in shown
    assert "SECRETKEY" in caplog.text  # the detail is in the server log


def test_cli_refuses_an_overlong_question(tmp_path, capsys):
    from tests.conftest import make_engine

    f = tmp_path / "a.txt"
    f.write_text(SPEECH, encoding="utf-8")
    ingest_paths([f], make_engine(tmp_path / "index").store)
    with pytest.raises(UsageError, match=f"the limit is {MAX_QUESTION_CHARS}"):
        check_question("问" * (MAX_QUESTION_CHARS + 1))
    check_question("问" * MAX_QUESTION_CHARS)
    for cmd in ("ask", "search"):
        code = main([cmd, "问" * 5000, "--index", str(tmp_path / "index"), "--embeddings", "fake"])
        err = capsys.readouterr().err
        assert code == 2 and "5000 characters long; the limit is 500" in err and err.count("\n") == 1


@pytest.mark.parametrize("value", ["²", "9" * 5000, "-1", "", None, "1.5", "٣", "１２", " 3", "3#x"])
def test_deep_link_p_that_is_not_a_paragraph_number_gives_none(value):
    assert paragraph_param(value) is None


def test_deep_link_with_a_hostile_p_opens_the_speech_at_its_start(tmp_path):
    from tests.conftest import make_engine

    f = tmp_path / "a.txt"
    f.write_text(SPEECH, encoding="utf-8")
    engine = make_engine(tmp_path / "index")
    ingest_paths([f], engine.store)
    assert paragraph_param("2") == 2
    with gr.Blocks():
        with gr.Tabs() as tabs:
            tab = build_reader_tab(engine, tabs)
    for p in ("²", "9" * 5000):
        _, _, html, target = tab["on_load"](SimpleNamespace(query_params={"speech": "a", "p": p}))
        assert target == ("a", None) and "三会一课" in html
    _, _, html, target = tab["on_load"](SimpleNamespace(query_params={"speech": "a", "p": "2"}))
    assert target == ("a", 2)
    # A link to a speech that is not there says so, in the words it would use for one not permitted.
    _, _, html, target = tab["on_load"](SimpleNamespace(query_params={"speech": "missing", "p": "2"}))
    assert target is None and NOT_OPENED in html


@pytest.mark.parametrize("host,auth,warned", [("0.0.0.0", "", True), ("192.168.1.5", "", True),
                                              ("0.0.0.0", "u:p", False), ("127.0.0.1", "", False),
                                              ("localhost", "", False)])
def test_serve_warns_on_an_open_address_and_cleans_gradio_temp_files(monkeypatch, capsys, host, auth, warned):
    launched = {}

    class Demo:
        delete_cache = None

        def queue(self, **kw):
            return self

        def launch(self, **kw):
            launched.update(kw, delete_cache=self.delete_cache)

    engine = SimpleNamespace(store=SimpleNamespace(speeches=lambda: {"a": 1}),
                             answerer=SimpleNamespace(ask=lambda q: None))
    monkeypatch.setattr(server, "Engine", lambda settings: engine)
    monkeypatch.setattr(server, "build", lambda engine: Demo())
    server.serve(Settings.load(host=host, auth=auth), prevent_thread_lock=True)
    err = capsys.readouterr().err
    assert ("without a login" in err and "SPEECHQA_AUTH" in err) == warned
    frequency, age = launched["delete_cache"]
    assert 0 < frequency <= age <= 7 * 86400  # Gradio's upload copies are swept, not kept for ever


def upload_tab(engine):
    with gr.Blocks():
        return build_upload_tab(engine)


def test_upload_reports_carry_no_paths_and_errors_stay_in_the_log(tmp_path, monkeypatch, caplog):
    from tests.conftest import make_engine

    engine = make_engine(tmp_path / "index")
    tab = upload_tab(engine)
    private = tmp_path / "private-folder"
    private.mkdir()
    for name in ("a.txt", "b.txt"):
        (private / name).write_text(SPEECH, encoding="utf-8")
    rows = tab["upload"]([str(private / "a.txt"), str(private / "b.txt")], progress=lambda *a, **k: None)[0]
    assert [r[:2] for r in rows] == [["a.txt", "已添加"], ["b.txt", "重复，未导入"]]
    assert "private-folder" not in str(rows) and str(tmp_path) not in str(rows)

    import shell.web.upload as upload_mod

    def broken(*a, **k):
        raise RuntimeError(LEAKY)

    monkeypatch.setattr(upload_mod, "save_and_ingest", broken)
    with caplog.at_level(logging.ERROR, logger="speechqa"):
        rows = tab["upload"]([str(private / "a.txt")], progress=lambda *a, **k: None)[0]
    assert "SECRETKEY" not in str(rows) and "/srv/" not in str(rows) and "SECRETKEY" in caplog.text
