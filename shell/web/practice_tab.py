"""Practice mode of the 学习题库 tab: answer item by item (radio / checkboxes / text), see right or wrong
with the 解析 and a link to the paragraph, a score at the end, an optional mock-exam timer, and a 错题本
kept per browser (or per login) on this machine under `<index>/practice/`."""
from __future__ import annotations

import hashlib
import time
import uuid
from pathlib import Path

import gradio as gr

from study.export import download_folder, to_csv
from study.generate import generate
from study.model import DISPLAY, TRUE, FALSE, TYPES, StudyError, StudyItem
from study.papers import SCORES
from study.practice import WrongBook, grade

from .render import esc, reader_link

MINUTES = (1, 120)


def practice_folder(engine) -> Path:
    return Path(engine.settings.index) / "practice"


# The browser keeps its practice id in localStorage (made once, at random); the 错题本 itself is on the
# server. getRandomValues works on plain http too, unlike crypto.randomUUID.
USER_JS = """(u) => { const k = 'speechqa-practice-user'; let v = localStorage.getItem(k);
if (!v || !/^[0-9a-f]{32}$/.test(v)) { v = Array.from(crypto.getRandomValues(new Uint8Array(16)),
b => b.toString(16).padStart(2, '0')).join(''); localStorage.setItem(k, v); } return v; }"""


def user_of(uid: str, request: gr.Request | None) -> str:
    """A logged-in user (SPEECHQA_AUTH) keeps one 错题本 in every browser; otherwise the browser's id."""
    name = getattr(request, "username", None) if request else None
    if name:
        return "u-" + hashlib.sha256(name.encode()).hexdigest()[:24]
    return uid or ""


def sources_html(item: StudyItem) -> str:
    seen = {(c.speech, c.paragraph): c for c in item.citations}
    return " ".join(f'<a class="sq-link" href="{reader_link(c.speech, c.paragraph)}" target="_blank">'
                    f"在原文中查看《{esc(c.title)}》§{c.paragraph}</a>" for c in seen.values())


def feedback_html(item: StudyItem, g) -> str:
    verdict = "回答正确" if g.correct else f"回答错误。正确答案：{esc(g.expected)}"
    if item.type == "简答":
        verdict += f"（命中采分点 {len(g.hits)}/{len(item.points)}）"
    cls = "sq-ok" if g.correct else "sq-bad"
    return (f'<div class="sq-feedback {cls}"><p><strong>{"✔" if g.correct else "✘"} {verdict}</strong></p>'
            f'<p class="sq-expl">解析：{esc(item.explanation)}</p><p>{sources_html(item)}</p></div>')


def question_html(item: StudyItem, i: int, n: int) -> str:
    kind = DISPLAY.get(item.type, item.type)
    return (f'<div class="sq-pq"><p class="sq-progress">第 {i + 1} / {n} 题 · {esc(kind)}题</p>'
            f'<p>{esc(item.question).replace(chr(10), "<br>")}</p></div>')


def score_html(session: dict) -> str:
    items = [StudyItem.from_record(r) for r in session["items"]]
    got = sum(SCORES[it.type] * share for it, share in zip(items, session["shares"]))
    full = sum(SCORES[it.type] for it in items)
    right = sum(1 for s in session["correct"] if s)
    pct = 100 * got / full if full else 0
    late = "（时间到，未答的题记 0 分）" if session.get("timed_out") else ""
    return (f'<div class="sq-score"><strong>练习结束：得分 {got:g} / {full:g}（{pct:.0f}%），答对 {right} 题，'
            f"答错 {len(items) - right} 题</strong>{late}。答错的题已加入错题本。</div>")


def wrongbook_html(book: WrongBook | None) -> str:
    items = book.items() if book else []
    if not items:
        return '<p class="sq-wrong-empty">错题本是空的。</p>'
    rows = [f"<p><strong>错题本：{len(items)} 题</strong></p>"]
    for n, it in enumerate(items, 1):
        kind = DISPLAY.get(it.type, it.type)
        opts = "".join(f"<li>{esc(o)}</li>" for o in it.options)
        rows.append(f'<div class="sq-item"><p>{n}. 【{esc(kind)}】{esc(it.question).replace(chr(10), "<br>")}</p>'
                    + (f"<ul>{opts}</ul>" if opts else "")
                    + f"<details><summary>答案与解析</summary><p>答案：{esc(it.answer)}</p>"
                    f'<p class="sq-expl">{esc(it.explanation)}</p><p>{sources_html(it)}</p></details></div>')
    return "\n".join(rows)


def _show(session: dict):
    """Outputs for the current item: question, radio, checkboxes, text, submit, next, feedback."""
    if not session or not session.get("items"):
        return ("<p>没有可练习的题目：请换一个主题、讲话或题型。</p>", gr.update(visible=False),
                gr.update(visible=False), gr.update(visible=False), gr.update(visible=False),
                gr.update(visible=False), "")
    i, records = session["i"], session["items"]
    item = StudyItem.from_record(records[i])
    radio = item.type in ("判断", "选择")
    choices = [TRUE, FALSE] if item.type == "判断" else item.options
    return (question_html(item, i, len(records)),
            gr.update(choices=choices, value=None, visible=radio, interactive=True),
            gr.update(choices=item.options, value=[], visible=item.type == "多选", interactive=True),
            gr.update(value="", visible=item.type in ("填空", "简答"), interactive=True,
                      lines=4 if item.type == "简答" else 1),
            gr.update(visible=True, interactive=True), gr.update(visible=False), "")


class Practice:
    """The practice handlers: sessions live in gr.State, the 错题本 on disk per user."""

    def __init__(self, engine, scope_of):
        self.engine, self.scope_of, self.folder = engine, scope_of, practice_folder(engine)

    def book(self, u: str, request: gr.Request | None = None) -> WrongBook | None:
        try:
            return WrongBook(self.folder, user_of(u, request))
        except StudyError:
            return None

    def begin(self, items: list[StudyItem], is_timed: bool, mins: float) -> tuple:
        s = {"items": [it.to_record() for it in items], "i": 0, "shares": [], "correct": [],
             "deadline": time.time() + 60 * float(mins) if is_timed and items else None}
        return (s, *_show(s), "", gr.Timer(active=bool(s["deadline"])), _clock(s))

    def start_new(self, topic, speech, n, types, seed_v, is_timed, mins, request: gr.Request = None):
        speeches, paras, _ = self.scope_of(self.engine, topic, speech, request)
        items = generate(speeches, paras, int(n), [t for t in TYPES if t in (types or [])], int(seed_v or 0))
        return self.begin(items, is_timed, mins)

    def start_wrong(self, u, is_timed, mins, request: gr.Request):
        b = self.book(u, request)
        return self.begin(b.items() if b else [], is_timed, mins)

    def answer(self, s, r, c, t, u, request: gr.Request):
        if not s or not s.get("items") or s.get("done") or len(s["shares"]) > s["i"]:
            return s, gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        item = StudyItem.from_record(s["items"][s["i"]])
        g = grade(item, c if item.type == "多选" else (r if item.type in ("判断", "选择") else t))
        s["shares"].append(g.share)
        s["correct"].append(g.correct)
        b = self.book(u, request)
        if b:
            b.record(item, g.correct)
        last = s["i"] + 1 >= len(s["items"])
        s["done"] = last
        return (s, feedback_html(item, g), gr.update(interactive=False), gr.update(visible=not last),
                score_html(s) if last else "", wrongbook_html(b))

    @staticmethod
    def advance(s):
        if s and s.get("items") and s["i"] + 1 < len(s["items"]):
            s["i"] += 1
        return (s, *_show(s))

    @staticmethod
    def tick(s):
        if not s or s.get("done") or not s.get("deadline"):
            return s, gr.skip(), gr.skip(), gr.skip(), gr.Timer(active=False)
        if time.time() < s["deadline"]:
            return s, _clock(s), gr.skip(), gr.skip(), gr.skip()
        s["done"], s["timed_out"] = True, True
        s["shares"] += [0.0] * (len(s["items"]) - len(s["shares"]))
        s["correct"] += [False] * (len(s["items"]) - len(s["correct"]))
        return s, "**时间到**", score_html(s), gr.update(interactive=False), gr.Timer(active=False)

    def on_load(self, u, request: gr.Request):
        """The browser's id (from USER_JS; a random one if it sent none) and its 错题本."""
        u = u if self.book(u) else uuid.uuid4().hex
        return u, wrongbook_html(self.book(u, request))

    def export_wrong(self, u, request: gr.Request):
        b = self.book(u, request)
        items = b.items() if b else []
        if not items:
            return None
        path = download_folder() / "错题本-anki.csv"
        path.write_text(to_csv(items), encoding="utf-8-sig")
        return str(path)

    def clear_wrong(self, u, request: gr.Request):
        b = self.book(u, request)
        if b:
            b.clear()
        return wrongbook_html(b)


def build_practice(engine, inputs: list, scope_of) -> dict:
    """The 练习 and 错题本 sub-tabs; `inputs` are the tab's topic, speech, count, types and seed."""
    h = Practice(engine, scope_of)
    with gr.Tab("练习", id="practice"):  # hidden parts inside the tab: between tabs they split the tab row
        uid = gr.Textbox("", visible=False, elem_id="sq-uid")
        session = gr.State({})
        with gr.Row():
            timed = gr.Checkbox(False, label="模拟考试计时", elem_id="sq-timed")
            minutes = gr.Slider(*MINUTES, value=10, step=1, label="考试时长（分钟）")
            start = gr.Button("开始练习", variant="primary", elem_id="sq-practice-start")
        clock = gr.Markdown("", elem_id="sq-clock")
        question = gr.HTML(elem_id="sq-pq")
        radio = gr.Radio([], label="选择答案", visible=False, elem_id="sq-pradio")
        check = gr.CheckboxGroup([], label="选择所有正确答案", visible=False, elem_id="sq-pcheck")
        text = gr.Textbox(label="填写答案", visible=False, elem_id="sq-ptext")
        with gr.Row():
            submit = gr.Button("提交", visible=False, elem_id="sq-psubmit")
            nxt = gr.Button("下一题", visible=False, elem_id="sq-pnext")
        feedback = gr.HTML(elem_id="sq-feedback")
        score = gr.HTML(elem_id="sq-score")
        timer = gr.Timer(1, active=False)
    with gr.Tab("错题本", id="wrongbook"):
        wrong = gr.HTML(elem_id="sq-wrongbook")
        with gr.Row():
            again = gr.Button("练习错题", elem_id="sq-wrong-practice")
            export = gr.Button("导出到 Anki", elem_id="sq-wrong-export")
            clear = gr.Button("清空错题本", elem_id="sq-wrong-clear")
        wrong_file = gr.File(label="错题本（Anki CSV）", interactive=False, elem_id="sq-wrong-file")

    shown = [question, radio, check, text, submit, nxt, feedback]
    started = [session, *shown, score, timer, clock]
    start.click(h.start_new, [*inputs[:5], timed, minutes], started, concurrency_limit=4)
    again.click(h.start_wrong, [uid, timed, minutes], started)
    submit.click(h.answer, [session, radio, check, text, uid], [session, feedback, submit, nxt, score, wrong])
    nxt.click(h.advance, session, [session, *shown])
    timer.tick(h.tick, session, [session, clock, score, submit, timer])
    export.click(h.export_wrong, uid, wrong_file)
    clear.click(h.clear_wrong, uid, wrong)
    return {"practice_load": {"fn": h.on_load, "inputs": [uid], "outputs": [uid, wrong], "js": USER_JS}}


def _clock(s: dict) -> str:
    if not s.get("deadline"):
        return ""
    left = max(0, int(s["deadline"] - time.time()))
    return f"**剩余时间 {left // 60:02d}:{left % 60:02d}**"
