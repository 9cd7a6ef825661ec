"""The 讲话原文 tab: the speech list and a reader that deep links (?speech=&p=) open at a paragraph."""
from __future__ import annotations

import gradio as gr

from .chat import speech_choices
from .access import visible_speeches
from .render import speech_html

MAX_PARAGRAPH_DIGITS = 6  # a longer "p" is not a paragraph number
NOT_OPENED = "链接中的讲话不存在，或您没有阅读它的权限。"


def speech_rows(engine, request=None) -> list[list]:
    return [[s.id, s.title, (s.date + "（推断）") if s.date and s.date_basis == "inferred" else s.date or "", len(s.paragraphs)]
            for s in sorted(visible_speeches(engine, request).values(), key=lambda s: s.id)]


def paragraph_param(value) -> int | None:
    """The p= of a deep link as a paragraph number; anything else (², 5,000 digits, -1) is None."""
    value = str(value or "")
    if not value.isascii() or not value.isdigit() or len(value) > MAX_PARAGRAPH_DIGITS:
        return None
    return int(value)


def build_reader_tab(engine, tabs: gr.Tabs) -> dict:
    with gr.Tab("讲话原文", id="corpus"):
        table = gr.Dataframe(speech_rows(engine), headers=["文件", "标题", "日期", "段落数"],
                             interactive=False, elem_id="sq-table")
        pick = gr.Dropdown(speech_choices(engine), label="选择讲话阅读", elem_id="sq-pick")
        reader = gr.HTML(elem_id="sq-reader")
        target = gr.State(None)  # (speech, paragraph) from a citation link, to highlight

    def open_speech(stem: str | None, target: tuple | None = None, request: gr.Request = None):
        speech = visible_speeches(engine, request).get(stem or "")
        if speech is None:
            return "<p>请选择一篇讲话。</p>"
        return speech_html(speech, target[1] if target and target[0] == stem else None)

    def on_load(request: gr.Request):
        params = dict(request.query_params) if request else {}
        stem = params.get("speech")
        if stem and stem in visible_speeches(engine, request):
            target = (stem, paragraph_param(params.get("p")))
            return gr.Tabs(selected="corpus"), gr.Dropdown(value=stem), open_speech(stem, target, request), target
        if stem:  # one message for missing and not permitted: a link must not reveal what exists
            return gr.Tabs(selected="corpus"), gr.Dropdown(), f"<p>{NOT_OPENED}</p>", None
        return gr.Tabs(), gr.Dropdown(), gr.skip(), None

    pick.change(open_speech, [pick, target], reader)
    return {"table": table, "pick": pick, "reader": reader, "target": target, "on_load": on_load,
            "load_outputs": [tabs, pick, reader, target]}
