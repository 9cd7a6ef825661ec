"""The 学习题库 tab: make cited study items (or a paper) on a topic or speech, preview and download them;
the practice mode with its 错题本 sits below (practice_tab.py)."""
from __future__ import annotations

import gradio as gr

from admin.library import ScopedRetriever
from study.export import download_folder, write_all
from study.generate import generate, source_paragraphs
from study.model import StudyError, TYPES
from study.papers import make_paper, parse_quota

from .access import visible_for
from .chat import speech_choices
from .practice_tab import build_practice
from .render import esc, study_html

MAX_ITEMS = 50
MAX_SEED = 10 ** 6


def _scope(engine, topic_text, speech, request=None):
    retriever = engine.retriever
    allowed = visible_for(engine, request)
    if allowed is not None:  # a restricted user's items come only from the speeches they may see
        retriever = ScopedRetriever(retriever, allowed)
    speeches = retriever.speeches()
    speech = speech if speech in speeches else None
    topic = (topic_text or "").strip() or None
    paras = source_paragraphs(speeches, retriever, topic, speech or None)
    return speeches, paras, topic or (speeches[speech].title if speech in speeches else "全部讲话")


def build_study_tab(engine) -> dict:
    with gr.Tab("学习题库", id="study"):
        with gr.Row():
            topic = gr.Textbox(label="主题（例如：四风、三会一课；留空则按讲话或全部讲话出题）", elem_id="sq-topic")
            study_speech = gr.Dropdown(speech_choices(engine), value=None, label="讲话（可选）",
                                       elem_id="sq-study-speech")
        with gr.Row():
            count = gr.Slider(1, MAX_ITEMS, value=10, step=1, label="题目数量", elem_id="sq-count")
            kinds = gr.CheckboxGroup(list(TYPES), value=list(TYPES), label="题型（选择即单选）", elem_id="sq-kinds")
            seed = gr.Number(0, precision=0, minimum=0, maximum=MAX_SEED, label="随机种子（同一种子出同一套题）")
        with gr.Tab("出题与下载"):
            with gr.Row():
                quota = gr.Textbox(label="组卷题量（可选，例如 判断=10,单选=10,多选=5,填空=5,简答=2）",
                                   elem_id="sq-quota")
                variant = gr.Radio(["A", "B"], value="A", label="试卷", elem_id="sq-variant")
            make = gr.Button("生成题目", variant="primary", elem_id="sq-make")
            preview = gr.HTML(elem_id="sq-preview")
            downloads = gr.File(label="下载（Markdown / Anki CSV / 问卷星文本 / Word 试卷与答案 / Excel）",
                                file_count="multiple", interactive=False, elem_id="sq-downloads")
        practice = build_practice(engine, [topic, study_speech, count, kinds, seed], _scope)

    def make_study(topic_text: str, speech: str | None, n: float, types: list[str], seed_v, quota_text: str,
                   variant_v: str, request: gr.Request = None):
        if not types:
            return "<p>请至少选择一种题型。</p>", None
        speeches, paras, scope = _scope(engine, topic_text, speech, request)
        seed_i = int(seed_v or 0)
        if (quota_text or "").strip():
            try:
                paper = make_paper(speeches, paras, parse_quota(quota_text), f"试卷：{scope}（{variant_v}卷）",
                                   seed_i, variant_v or "A")
            except StudyError as e:
                return f"<p>{esc(str(e))}</p>", None
            items, doc = paper.items, paper
        else:
            items = generate(speeches, paras, int(n), [t for t in TYPES if t in types], seed_i)
            doc = items
        if not items:
            return study_html(items), None
        return study_html(items), [str(p) for p in write_all(doc, f"学习题库：{scope}", download_folder())]

    make.click(make_study, [topic, study_speech, count, kinds, seed, quota, variant], [preview, downloads],
               concurrency_limit=4)
    return {"speech": study_speech, **practice}
