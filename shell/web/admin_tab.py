"""The 管理 tab (admins only): the speeches with their title, date, speaker, tags, paragraphs and file;
edit the fields, delete (after a confirmation), replace a speech's file. The tab is shown to admins
only, and every handler checks the role again on the server (a hidden tab's events can still be sent)."""
from __future__ import annotations

import logging

import gradio as gr

from ingest.lock import IngestBusy
from ingest.readers import IngestError
from shell.library_ops import LibraryError, remove, replace_file, set_meta, speech_rows

from .access import web_user
from .render import esc

log = logging.getLogger("speechqa")
HEADERS = ["编号", "标题", "日期", "讲话人", "场合", "标签", "段落数", "文件"]


def is_admin(engine, request) -> bool:
    user = web_user(engine, request)
    return user is None or user.role == "admin"  # no sign-in: the app is the operator's own


def table(engine) -> list[list]:
    return [[r["speech"], r["title"], r["date"], r["speaker"], r["occasion"], ", ".join(r["tags"]),
             r["paragraphs"], r["origin"]] for r in speech_rows(engine)]


def build_admin_tab(engine) -> dict:
    with gr.Tab("管理", id="admin", visible=False) as tab:
        grid = gr.Dataframe(table(engine), headers=HEADERS, interactive=False, elem_id="sq-admin-table")
        pick = gr.Dropdown([r[0] for r in table(engine)], label="选择讲话", elem_id="sq-admin-pick")
        with gr.Row():
            title = gr.Textbox(label="标题", elem_id="sq-admin-title")
            date = gr.Textbox(label="日期（如 2023-02-15）", elem_id="sq-admin-date")
            speaker = gr.Textbox(label="讲话人", elem_id="sq-admin-speaker")
            occasion = gr.Textbox(label="场合", elem_id="sq-admin-occasion")
            tags = gr.Textbox(label="标签（逗号分隔）", elem_id="sq-admin-tags")
        with gr.Row():
            save = gr.Button("保存修改", variant="primary", elem_id="sq-admin-save")
            delete = gr.Button("删除讲话", variant="stop", elem_id="sq-admin-delete")
        with gr.Row(visible=False) as confirm_row:
            confirm_text = gr.Markdown(elem_id="sq-admin-confirm-text")
            confirm = gr.Button("确认删除", variant="stop", elem_id="sq-admin-confirm")
            cancel = gr.Button("取消", elem_id="sq-admin-cancel")
        with gr.Row():
            new_file = gr.File(label="用新文件替换（编号不变，段落按新文件重新编号）", file_types=[".txt", ".md", ".docx", ".pdf"],
                               elem_id="sq-admin-file")
            replace = gr.Button("替换", elem_id="sq-admin-replace")
        status = gr.Markdown(elem_id="sq-admin-status")

    fields = [title, date, speaker, occasion, tags]

    def refreshed(message: str, stem: str | None = None):
        rows = table(engine)
        ids = [r[0] for r in rows]
        return gr.Dataframe(value=rows), gr.Dropdown(choices=ids, value=stem if stem in ids else None), message

    def on_pick(stem, request: gr.Request = None):
        row = next((r for r in speech_rows(engine) if r["speech"] == stem), None) if is_admin(engine, request) else None
        if row is None:
            return ["", "", "", "", ""]
        return [row["title"], row["date"] if row["date_basis"] == "given" else "", row["speaker"], row["occasion"],
                ", ".join(row["tags"])]

    def on_save(stem, t, d, s, o, g, request: gr.Request = None):
        if not is_admin(engine, request):
            return gr.skip(), gr.skip(), "只有管理员可以修改。"
        if not stem:
            return gr.skip(), gr.skip(), "请先选择讲话。"
        user = web_user(engine, request)
        try:
            set_meta(engine, stem, user.name if user else None, title=t or "", date=d or "", speaker=s or "",
                     occasion=o or "", tags=g or "")
        except (LibraryError, IngestBusy) as e:
            return gr.skip(), gr.skip(), esc(str(e))
        return refreshed(f"已保存：{esc(stem)}", stem)

    def on_delete(stem, request: gr.Request = None):
        if not stem or not is_admin(engine, request):
            return gr.Row(visible=False), "请先选择讲话。" if stem is None else "只有管理员可以删除。"
        sp = engine.store.speeches().get(stem)
        name = sp.title if sp else stem
        return gr.Row(visible=True), f"确认删除《{esc(name)}》（{esc(stem)}）？文件将移入回收站。"

    def on_confirm(stem, request: gr.Request = None):
        if not stem or not is_admin(engine, request):
            return gr.Row(visible=False), gr.skip(), gr.skip(), "只有管理员可以删除。"
        user = web_user(engine, request)
        try:
            remove(engine, [stem], user.name if user else None)
        except (LibraryError, IngestBusy) as e:
            return gr.Row(visible=False), gr.skip(), gr.skip(), esc(str(e))
        return (gr.Row(visible=False), *refreshed(f"已删除：{esc(stem)}"))

    def on_replace(stem, upload, request: gr.Request = None):
        if not is_admin(engine, request):
            return gr.skip(), gr.skip(), "只有管理员可以替换。"
        if not stem or not upload:
            return gr.skip(), gr.skip(), "请选择讲话和新文件。"
        user = web_user(engine, request)
        try:
            sp = replace_file(engine, stem, upload if isinstance(upload, str) else upload.name,
                              user.name if user else None)
        except (LibraryError, IngestError, IngestBusy) as e:
            return gr.skip(), gr.skip(), esc(str(e))
        except Exception:  # the detail goes to the server log
            log.exception("replace failed")
            return gr.skip(), gr.skip(), "替换出错（详情见服务器日志）"
        return refreshed(f"已替换：{esc(stem)}，{len(sp.paragraphs)} 段", stem)

    pick.change(on_pick, pick, fields)
    save.click(on_save, [pick, *fields], [grid, pick, status], concurrency_limit=1)
    delete.click(on_delete, pick, [confirm_row, confirm_text])
    cancel.click(lambda: (gr.Row(visible=False), "已取消。"), None, [confirm_row, status])
    confirm.click(on_confirm, pick, [confirm_row, grid, pick, status], concurrency_limit=1)
    replace.click(on_replace, [pick, new_file], [grid, pick, status], concurrency_limit=1)

    def on_load(request: gr.Request = None):
        if not is_admin(engine, request):
            return gr.Tab(visible=False), gr.skip(), gr.skip()
        rows = table(engine)
        return gr.Tab(visible=True), gr.Dataframe(value=rows), gr.Dropdown(choices=[r[0] for r in rows])

    return {"on_load": on_load, "load_outputs": [tab, grid, pick]}
