"""The 原文摘编 tab: collect every excerpt on a topic, untick or reorder them, download what remains."""
from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from digest.build import Digest, build_digest
from digest.export import digest_docx, digest_markdown

from .access import visible_for
from .chat import speech_choices
from .render import esc, reader_link

LABEL_CHARS = 36  # characters of an excerpt shown in its checkbox label


def label(n: int, e) -> str:
    text = e.text if len(e.text) <= LABEL_CHARS else e.text[:LABEL_CHARS] + "…"
    return f"{n}. 《{e.citation.title}》§{e.paragraph}：{text}"


def excerpt_html(n: int, e) -> str:
    return (f'<div class="sq-excerpt" data-key="{esc(e.key)}"><p class="sq-ex-text"><span class="sq-no">{n}.</span> '
            f'{esc(e.text)}</p><p class="sq-ex-src">——{esc(e.source())} '
            f'<a class="sq-link" href="{reader_link(e.speech, e.paragraph)}" target="_blank">原文</a></p></div>')


def preview_html(d: Digest | None, chosen: list) -> str:
    if d is None:
        return ""
    head = f'<p class="sq-digest-note">{esc(d.note())}</p>'
    if d.absent:
        return head
    if not chosen:
        return head + "<p>已全部取消勾选：请至少保留一条摘录。</p>"
    kept = f'<p class="sq-meta">保留 {len(chosen)} / {len(d.excerpts)} 条，按下列顺序导出。</p>'
    return head + kept + "".join(excerpt_html(n, e) for n, e in enumerate(chosen, start=1))


def chosen_excerpts(d: Digest | None, order: list[str], keep: list[str]) -> list:
    if d is None:
        return []
    by_key = {e.key: e for e in d.excerpts}
    kept = set(keep or [])
    return [by_key[k] for k in order if k in kept and k in by_key]


def write_files(d: Digest | None, chosen: list) -> list[str] | None:
    if d is None or (not chosen and not d.absent):
        return None
    folder = Path(tempfile.mkdtemp(prefix="speechqa-digest-"))
    md, dx = folder / f"原文摘编-{_safe(d.topic)}.md", folder / f"原文摘编-{_safe(d.topic)}.docx"
    md.write_text(digest_markdown(d, chosen), encoding="utf-8")
    digest_docx(d, dx, chosen)
    return [str(dx), str(md)]


def _safe(name: str) -> str:
    return "".join(ch for ch in name if ch.isalnum())[:20] or "topic"


def views(d: Digest | None, order: list[str], kept: list[str], picked: str | None = None):
    """The checkboxes and the move list in the current order, the preview and the files of what is kept."""
    chosen = chosen_excerpts(d, order, kept)
    by_key = {e.key: e for e in d.excerpts} if d else {}
    choices = [(label(n, by_key[k]), k) for n, k in enumerate(order, start=1)]
    return (gr.update(choices=choices, value=[k for k in order if k in set(kept)]),
            gr.update(choices=choices, value=picked), preview_html(d, chosen), write_files(d, chosen))


def build_digest_tab(engine) -> dict:
    with gr.Tab("原文摘编", id="digest"):
        with gr.Row():
            topic = gr.Textbox(label="专题（按原词查找，并补充论及该主题的段落），例如：作风建设、一岗双责",
                               elem_id="sq-digest-topic", scale=3)
            speeches = gr.Dropdown(speech_choices(engine), value=None, multiselect=True, label="讲话（可选，默认全部）",
                                   elem_id="sq-digest-speech", scale=2)
        go = gr.Button("汇编", variant="primary", elem_id="sq-digest-go")
        with gr.Row():
            with gr.Column(scale=2):
                keep = gr.CheckboxGroup([], value=[], label="保留的摘录（取消勾选即从导出中去掉）",
                                        elem_id="sq-digest-keep")
                with gr.Row():
                    move = gr.Dropdown([], value=None, label="调整顺序：选择一条摘录", elem_id="sq-digest-move", scale=3)
                    up = gr.Button("上移", elem_id="sq-digest-up", scale=1)
                    down = gr.Button("下移", elem_id="sq-digest-down", scale=1)
                files = gr.File(label="下载保留的摘录（Word / Markdown）", file_count="multiple", interactive=False,
                                elem_id="sq-digest-files")
            with gr.Column(scale=3):
                preview = gr.HTML(elem_id="sq-digest-preview")
        state = gr.State(None)  # (Digest, order of excerpt keys)

    def run(text: str, ids: list[str] | None, request: gr.Request = None):
        text = (text or "").strip()
        if not text:
            return (None, gr.update(choices=[], value=[]), gr.update(choices=[], value=None),
                    "<p>请输入专题。</p>", None)
        d = build_digest(engine.collector, text[:40], visible_for(engine, request, ids or None))
        order = [e.key for e in d.ordered()]
        return ((d, order), *views(d, order, order))

    def on_keep(st, kept: list[str], picked):
        d, order = st or (None, [])
        chosen = chosen_excerpts(d, order, kept)
        return preview_html(d, chosen), write_files(d, chosen)

    def shift(step: int):
        def handler(st, kept: list[str], picked: str | None):
            d, order = st or (None, [])
            if picked in order:
                i = order.index(picked)
                j = min(max(i + step, 0), len(order) - 1)
                order = list(order)
                order[i], order[j] = order[j], order[i]
            return ((d, order) if d else st, *views(d, order, kept, picked))
        return handler

    outs = [keep, move, preview, files]
    go.click(run, [topic, speeches], [state, *outs], concurrency_limit=4)
    topic.submit(run, [topic, speeches], [state, *outs], concurrency_limit=4)
    keep.input(on_keep, [state, keep, move], [preview, files])
    up.click(shift(-1), [state, keep, move], [state, *outs])
    down.click(shift(1), [state, keep, move], [state, *outs])
    return {"speech": speeches}
