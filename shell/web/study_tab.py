"""The 学习题库 tab: make cited study items on a topic or speech, preview them, download them."""
from __future__ import annotations

import tempfile

import gradio as gr

from study.export import write_all
from study.items import TYPES, generate, source_paragraphs

from .chat import speech_choices
from .render import study_html

MAX_ITEMS = 50


def build_study_tab(engine) -> dict:
    with gr.Tab("学习题库", id="study"):
        with gr.Row():
            topic = gr.Textbox(label="主题（例如：四风、三会一课；留空则按讲话或全部讲话出题）", elem_id="sq-topic")
            study_speech = gr.Dropdown(speech_choices(engine), value=None, label="讲话（可选）",
                                       elem_id="sq-study-speech")
        with gr.Row():
            count = gr.Slider(1, MAX_ITEMS, value=10, step=1, label="题目数量")
            kinds = gr.CheckboxGroup(list(TYPES), value=list(TYPES), label="题型")
        make = gr.Button("生成题目", variant="primary", elem_id="sq-make")
        preview = gr.HTML(elem_id="sq-preview")
        downloads = gr.File(label="下载（Markdown / Anki CSV / Word）", file_count="multiple",
                            interactive=False, elem_id="sq-downloads")

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

    make.click(make_study, [topic, study_speech, count, kinds], [preview, downloads], concurrency_limit=4)
    return {"speech": study_speech}
