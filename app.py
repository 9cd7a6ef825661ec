"""The Gradio chat UI: layout and event wiring only. Everything it shows comes from qa/ and ingest/."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import gradio as gr

from ingest.lock import IngestBusy
from ingest.uploads import save_and_ingest
from qa.config import Settings
from qa.engine import Engine
from qa.model import Answer
from qa.export import write_all
from qa.render import answer_markdown, esc, message_html, speech_html, study_html
from qa.study import TYPES, generate, source_paragraphs
from qa.topics import example_questions

MODES = {"离线（不需要大模型）": "offline", "大模型": "llm"}
CSS = """
.sq-card {border:1px solid var(--border-color-primary); border-radius:6px; padding:4px 8px; margin:4px 0}
.sq-card summary {cursor:pointer; font-weight:600}
.sq-para {margin:6px 0; line-height:1.7}
.sq-para mark {background:#ffe58f; padding:0 1px}
.sq-related {border-left:3px solid #aaa; padding-left:8px; margin-top:8px; color:var(--body-text-color-subdued)}
.sq-p {line-height:1.8; margin:6px 0}
.sq-h {font-weight:700}
.sq-hit {background:#fff7d6}
.sq-no {color:#888; font-size:0.85em; margin-right:4px}
.sq-mark {color:#1a5fb4}
"""
# Opening "?speech=STEM&p=N#p-N" shows that paragraph in the reader (citation cards link there).
HEAD = """<script>
(function(){let n=0;const t=setInterval(function(){const h=location.hash;
if(!h||++n>80){clearInterval(t);return;}const el=document.getElementById(h.slice(1));
if(el){el.scrollIntoView({block:'center'});clearInterval(t);}},250);})();
</script>"""


def speech_choices(engine: Engine) -> list[tuple[str, str]]:
    return [(s.title, s.id) for s in sorted(engine.store.speeches().values(), key=lambda s: s.id)]


def speech_rows(engine: Engine) -> list[list]:
    return [[s.id, s.title, s.date or "", len(s.paragraphs)]
            for s in sorted(engine.store.speeches().values(), key=lambda s: s.id)]


def build(engine: Engine) -> gr.Blocks:
    settings = engine.settings
    modes = list(MODES) if engine.llm is not None else list(MODES)[:1]

    def respond(question: str, history: list, selected: list[str], mode_label: str):
        question = (question or "").strip()
        if not question:
            yield "", history, gr.skip()
            return
        history = history + [{"role": "user", "content": question}, {"role": "assistant", "content": "…"}]
        yield "", history, gr.skip()
        answer, text = None, ""
        try:
            for piece in engine.answerer.stream(question, selected or None, MODES.get(mode_label, "offline")):
                if isinstance(piece, Answer):
                    answer = piece
                else:
                    text += piece
                    history[-1] = {"role": "assistant", "content": esc(text)}
                    yield "", history, gr.skip()
        except Exception as e:  # an unreachable LLM, a store error: say so in the chat, keep the session
            history[-1] = {"role": "assistant", "content": esc(f"出错了：{e}")}
            yield "", history, ""
            return
        history[-1] = {"role": "assistant", "content": message_html(answer, engine.store.speeches())}
        yield "", history, answer_markdown(answer)

    def open_speech(stem: str | None, target: tuple | None = None):
        speech = engine.store.speeches().get(stem or "")
        if speech is None:
            return "<p>请选择一篇讲话。</p>"
        return speech_html(speech, target[1] if target and target[0] == stem else None)

    def on_load(request: gr.Request):
        params = dict(request.query_params) if request else {}
        stem = params.get("speech")
        if stem and stem in engine.store.speeches():
            target = (stem, int(params["p"]) if params.get("p", "").isdigit() else None)
            return gr.Tabs(selected="corpus"), gr.Dropdown(value=stem), open_speech(stem, target), target
        return gr.Tabs(), gr.Dropdown(), gr.skip(), None

    def upload(files, progress=gr.Progress()):
        if not files:
            return [["", "未选择文件", ""]], gr.skip(), gr.skip(), gr.skip(), gr.skip()
        paths = [f if isinstance(f, str) else f.name for f in files]
        done = []

        def tick(report):
            done.append(report)
            progress(len(done) / len(paths), desc=f"已处理 {len(done)}/{len(paths)}")

        progress(0, desc="正在导入")
        try:
            reports = save_and_ingest(paths, engine.store, Path(settings.index) / "uploads",
                                      settings.max_upload_bytes, on_file=tick)
        except IngestBusy:
            return [["", "未导入", "另一个导入正在进行，请稍后再试"]], gr.skip(), gr.skip(), gr.skip(), gr.skip()
        names = {"added": "已添加", "updated": "已更新", "renamed": "已更名", "unchanged": "未变化",
                 "duplicate": "重复，未导入", "rejected": "已拒绝"}
        rows = [[Path(r.path).name, names.get(r.status, r.status),
                 r.reason or f"{r.paragraphs} 段，可立即检索"] for r in reports]
        choices = speech_choices(engine)
        return (rows, gr.Dropdown(choices=choices), gr.Dropdown(choices=choices), speech_rows(engine),
                gr.Dropdown(choices=choices))

    def make_study(topic_text: str, speech: str | None, n: float, types: list[str]):
        if not types:
            return "<p>请至少选择一种题型。</p>", None
        speeches = engine.store.speeches()
        paras = source_paragraphs(speeches, engine.retriever, (topic_text or "").strip() or None, speech or None)
        items = generate(speeches, paras, int(n), [t for t in TYPES if t in types])
        if not items:
            return study_html(items), None
        scope = (topic_text or "").strip() or (speeches[speech].title if speech else "全部讲话")
        folder = tempfile.mkdtemp(prefix="speechqa-study-")
        return study_html(items), [str(p) for p in write_all(items, f"学习题库：{scope}", folder)]

    with gr.Blocks(title="讲话问答 speechqa") as demo:
        gr.Markdown("## 讲话问答\n依据讲话原文作答；每条引文都与原文逐字核对，并注明讲话、段落号（§）和所在标题。")
        with gr.Tabs() as tabs:
            with gr.Tab("问答", id="chat"):
                with gr.Row():
                    with gr.Column(scale=4):
                        chat = gr.Chatbot(label="对话", height=560, buttons=["copy"], latex_delimiters=[],
                                          elem_id="sq-chat", placeholder="在下方输入问题，例如：班子成员在分管领域要履行哪些责任？")
                        with gr.Row():
                            box = gr.Textbox(show_label=False, scale=5, elem_id="sq-question", max_length=500,
                                             placeholder="输入问题（中文或英文），按回车提问")
                            send = gr.Button("提问", variant="primary", scale=1, elem_id="sq-send")
                        clear = gr.Button("清空对话", elem_id="sq-clear")
                        with gr.Accordion("复制答案与出处（Markdown）", open=False):
                            md = gr.Textbox(show_label=False, lines=8, buttons=["copy"], elem_id="sq-markdown",
                                            interactive=False)
                    with gr.Column(scale=2):
                        scope = gr.Dropdown(speech_choices(engine), multiselect=True, value=[],
                                            label="检索范围（不选即全部讲话）", elem_id="sq-scope")
                        mode = gr.Radio(modes, value=modes[-1] if engine.llm is not None else modes[0], label="回答方式")
                        gr.Examples(example_questions(engine.store.speeches()), inputs=box, label="示例问题")
            with gr.Tab("讲话原文", id="corpus"):
                table = gr.Dataframe(speech_rows(engine), headers=["文件", "标题", "日期", "段落数"],
                                     interactive=False, elem_id="sq-table")
                pick = gr.Dropdown(speech_choices(engine), label="选择讲话阅读", elem_id="sq-pick")
                reader = gr.HTML(elem_id="sq-reader")
                target = gr.State(None)  # (speech, paragraph) from a citation link, to highlight
            with gr.Tab("学习题库", id="study"):
                with gr.Row():
                    topic = gr.Textbox(label="主题（例如：四风、三会一课；留空则按讲话或全部讲话出题）", elem_id="sq-topic")
                    study_speech = gr.Dropdown(speech_choices(engine), value=None, label="讲话（可选）",
                                               elem_id="sq-study-speech")
                with gr.Row():
                    count = gr.Slider(1, 50, value=10, step=1, label="题目数量")
                    kinds = gr.CheckboxGroup(["简答", "填空", "选择"], value=["简答", "填空", "选择"], label="题型")
                make = gr.Button("生成题目", variant="primary", elem_id="sq-make")
                preview = gr.HTML(elem_id="sq-preview")
                downloads = gr.File(label="下载（Markdown / Anki CSV / Word）", file_count="multiple",
                                    interactive=False, elem_id="sq-downloads")
            with gr.Tab("导入讲话", id="upload"):
                gr.Markdown(f"支持 .txt（UTF-8/GBK/UTF-16）、.md、.docx、.pdf，单个文件不超过 {settings.max_upload_mb} MB。")
                files = gr.File(file_count="multiple", file_types=[".txt", ".md", ".docx", ".pdf"],
                                label="选择文件", elem_id="sq-files")
                go = gr.Button("导入", variant="primary", elem_id="sq-import")
                report = gr.Dataframe(headers=["文件", "结果", "说明"], interactive=False, elem_id="sq-report")

        inputs = [box, chat, scope, mode]
        box.submit(respond, inputs, [box, chat, md], concurrency_limit=8, api_name=False)
        send.click(respond, inputs, [box, chat, md], concurrency_limit=8, api_name="ask")
        clear.click(lambda: ([], ""), None, [chat, md])
        pick.change(open_speech, [pick, target], reader)
        go.click(upload, files, [report, scope, pick, table, study_speech], concurrency_limit=1)
        make.click(make_study, [topic, study_speech, count, kinds], [preview, downloads], concurrency_limit=4)
        demo.load(on_load, None, [tabs, pick, reader, target])
    return demo


def parse_auth(value: str):
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise ValueError("SPEECHQA_AUTH must be 'user:password'")
    return (user, password)


def ensure_index(engine: Engine) -> None:
    """First start: ingest the bundled speeches when the store is empty."""
    if engine.store.speeches():
        return
    from ingest.pipeline import ingest_paths

    folder = Path(engine.settings.speeches_dir)
    if folder.is_dir():
        print(f"index is empty: ingesting {folder}", file=sys.stderr)
        ingest_paths([folder], engine.store)


def serve(settings: Settings, prevent_thread_lock: bool = False):
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    engine = Engine(settings)
    ensure_index(engine)
    engine.answerer.ask("warm up")  # load the model and build the keyword index before the first user
    demo = build(engine)
    demo.queue(default_concurrency_limit=8)
    return demo.launch(server_name=settings.host, server_port=settings.port, auth=parse_auth(settings.auth),
                       max_file_size=f"{settings.max_upload_mb}mb", css=CSS, head=HEAD, show_error=False,
                       prevent_thread_lock=prevent_thread_lock, footer_links=[])


if __name__ == "__main__":
    serve(Settings.load())
