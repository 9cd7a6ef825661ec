"""The 对比 tab: one column per speech in date order, silent speeches shown as such, 新提法 highlighted,
aligned passages expandable with their character diff, a bar chart of paragraphs per speech, Word download."""
from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from digest.compare import Comparison, compare
from digest.export import compare_docx, compare_markdown

from .access import visible_for
from .chat import speech_choices
from .render import esc, reader_link

BAR_WIDTH = 260  # pixels of the longest bar
ROW = 26  # pixels per bar
LABEL_WIDTH = 150


def chart_svg(c: Comparison) -> str:
    """Paragraphs on the topic per speech, in date order, as an inline SVG bar chart."""
    top = max((col.found for col in c.columns), default=0) or 1
    height = ROW * len(c.columns) + 8
    rows = []
    for i, col in enumerate(c.columns):
        y = 4 + i * ROW
        w = round(BAR_WIDTH * col.found / top)
        rows.append(f'<text x="0" y="{y + 17}" font-size="12">{esc(col.date.display())}</text>'
                    f'<rect class="sq-bar" x="{LABEL_WIDTH}" y="{y + 4}" width="{w}" height="{ROW - 8}" fill="#1a5fb4">'
                    f'<title>{esc(col.speech.title)}</title></rect>'
                    f'<text x="{LABEL_WIDTH + w + 6}" y="{y + 17}" font-size="12">'
                    f'{col.found if col.found else "未涉及"}</text>')
    return (f'<svg class="sq-chart" role="img" aria-label="各篇讲话论及该主题的段落数" width="{LABEL_WIDTH + BAR_WIDTH + 70}" '
            f'height="{height}" xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>')


def diff_html(diff: list[dict]) -> str:
    out = []
    for op in diff:
        if op["op"] == "equal":
            out.append(esc(op["from"]))
            continue
        if op["from"]:
            out.append(f"<del>{esc(op['from'])}</del>")
        if op["to"]:
            out.append(f"<ins>{esc(op['to'])}</ins>")
    return "".join(out)


def _cell(col) -> str:
    if col.silent:
        return '<td class="sq-silent">未涉及</td>'
    parts = []
    if col.new_terms:
        parts.append('<p class="sq-new-terms">新提法：' + "、".join(f'<mark class="sq-new">{esc(t)}</mark>'
                                                               for t in col.new_terms) + "</p>")
    elif col.first:
        parts.append('<p class="sq-meta">（最早一篇，无可比较）</p>')
    for e in col.excerpts:
        parts.append(f'<p class="sq-ex-text">{esc(e.text)}</p><p class="sq-ex-src">§{e.paragraph}'
                     + (f" · {esc(e.citation.heading)}" if e.citation.heading else "")
                     + f' <a class="sq-link" href="{reader_link(e.speech, e.paragraph)}" target="_blank">原文</a></p>')
    if col.found > len(col.excerpts):
        parts.append(f'<p class="sq-meta">共{col.found}段，列出{len(col.excerpts)}段</p>')
    return f'<td>{"".join(parts)}</td>'


def comparison_html(c: Comparison) -> str:
    heads = "".join(
        f'<th title="{esc(col.date.evidence) if col.date.inferred else ""}">{esc(col.speech.title)}'
        f'<br><span class="sq-meta">{esc(col.date.display())}</span></th>' for col in c.columns)
    table = (f'<div class="sq-compare-wrap"><table class="sq-compare"><thead><tr>{heads}</tr></thead>'
             f'<tbody><tr>{"".join(_cell(col) for col in c.columns)}</tr></tbody></table></div>')
    pairs = "".join(
        f'<details class="sq-pair"><summary>【{esc(p.kind)}】《{esc(p.old.title)}》§{p.old.paragraph} → '
        f'《{esc(p.new.title)}》§{p.new.paragraph}</summary><p><strong>前：</strong>{esc(p.old.quote)}</p>'
        f'<p><strong>后：</strong>{esc(p.new.quote)}</p><p class="sq-diff"><strong>差异：</strong>{diff_html(p.diff)}</p>'
        f"</details>" for p in c.pairs)
    spoken = sum(not col.silent for col in c.columns)
    head = f'<p class="sq-meta">{len(c.columns)}篇讲话按日期排列，{spoken}篇论及“{esc(c.topic)}”。</p>'
    tail = f"<h4>前后对照（{len(c.pairs)}处）</h4>{pairs}" if pairs else "<p class='sq-meta'>没有找到前后延续的表述。</p>"
    return head + chart_svg(c) + table + tail


def build_compare_tab(engine) -> dict:
    with gr.Tab("对比", id="compare"):
        with gr.Row():
            topic = gr.Textbox(label="专题，例如：四风、作风建设", elem_id="sq-compare-topic", scale=3)
            speeches = gr.Dropdown(speech_choices(engine), value=None, multiselect=True, label="讲话（可选，默认全部）",
                                   elem_id="sq-compare-speech", scale=2)
        go = gr.Button("对比", variant="primary", elem_id="sq-compare-go")
        result = gr.HTML(elem_id="sq-compare-result")
        files = gr.File(label="下载（Word / Markdown）", file_count="multiple", interactive=False,
                        elem_id="sq-compare-files")

    def run(text: str, ids: list[str] | None, request: gr.Request = None):
        text = (text or "").strip()
        if not text:
            return "<p>请输入专题。</p>", None
        c = compare(engine.collector, text[:40], visible_for(engine, request, ids or None))
        folder = Path(tempfile.mkdtemp(prefix="speechqa-compare-"))
        dx, md = folder / "对比.docx", folder / "对比.md"
        compare_docx(c, dx)
        md.write_text(compare_markdown(c), encoding="utf-8")
        return comparison_html(c), [str(dx), str(md)]

    go.click(run, [topic, speeches], [result, files], concurrency_limit=4)
    topic.submit(run, [topic, speeches], [result, files], concurrency_limit=4)
    return {"speech": speeches}
