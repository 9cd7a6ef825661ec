"""The 管理 tab (admins only): the speeches with their title, date, speaker, tags, paragraphs and file;
edit the fields, delete (after a confirmation), replace a speech's file. The tab is shown to admins
only, and every handler checks the role again on the server (a hidden tab's events can still be sent)."""
from __future__ import annotations

import logging

import gradio as gr

from ingest.lock import IngestBusy
from ingest.readers import SUPPORTED, IngestError
from admin.library_ops import LibraryError, remove, replace_file, set_meta, speech_rows

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


def _layout(engine) -> dict:
    ui = {}
    with gr.Tab("管理", id="admin", visible=False) as ui["tab"]:
        ui["grid"] = gr.Dataframe(table(engine), headers=HEADERS, interactive=False, elem_id="sq-admin-table")
        ui["pick"] = gr.Dropdown([r[0] for r in table(engine)], label="选择讲话", elem_id="sq-admin-pick")
        with gr.Row():
            ui["fields"] = [gr.Textbox(label=label, elem_id=f"sq-admin-{name}") for name, label in
                            (("title", "标题"), ("date", "日期（如 2023-02-15）"), ("speaker", "讲话人"),
                             ("occasion", "场合"), ("tags", "标签（逗号分隔）"))]
        with gr.Row():
            ui["save"] = gr.Button("保存修改", variant="primary", elem_id="sq-admin-save")
            ui["delete"] = gr.Button("删除讲话", variant="stop", elem_id="sq-admin-delete")
        with gr.Row(visible=False) as ui["confirm_row"]:
            ui["confirm_text"] = gr.Markdown(elem_id="sq-admin-confirm-text")
            ui["confirm"] = gr.Button("确认删除", variant="stop", elem_id="sq-admin-confirm")
            ui["cancel"] = gr.Button("取消", elem_id="sq-admin-cancel")
        with gr.Row():
            ui["file"] = gr.File(label="用新文件替换（编号不变，段落按新文件重新编号）",
                                 file_types=list(SUPPORTED), elem_id="sq-admin-file")
            ui["replace"] = gr.Button("替换", elem_id="sq-admin-replace")
        ui["status"] = gr.Markdown(elem_id="sq-admin-status")
    return ui


class _Handlers:
    def __init__(self, engine) -> None:
        self.engine = engine

    def _who(self, request):
        user = web_user(self.engine, request)
        return user.name if user else None

    def refreshed(self, message: str, stem: str | None = None):
        rows = table(self.engine)
        ids = [r[0] for r in rows]
        return gr.Dataframe(value=rows), gr.Dropdown(choices=ids, value=stem if stem in ids else None), message

    def pick(self, stem, request: gr.Request = None):
        rows = speech_rows(self.engine) if is_admin(self.engine, request) else []
        row = next((r for r in rows if r["speech"] == stem), None)
        if row is None:
            return ["", "", "", "", ""]
        return [row["title"], row["date"] if row["date_basis"] == "given" else "", row["speaker"], row["occasion"],
                ", ".join(row["tags"])]

    def save(self, stem, t, d, s, o, g, request: gr.Request = None):
        if not is_admin(self.engine, request):
            return gr.skip(), gr.skip(), "只有管理员可以修改。"
        if not stem:
            return gr.skip(), gr.skip(), "请先选择讲话。"
        try:
            set_meta(self.engine, stem, self._who(request), title=t or "", date=d or "", speaker=s or "",
                     occasion=o or "", tags=g or "")
        except (LibraryError, IngestBusy) as e:
            return gr.skip(), gr.skip(), esc(str(e))
        return self.refreshed(f"已保存：{esc(stem)}", stem)

    def delete(self, stem, request: gr.Request = None):
        if not stem or not is_admin(self.engine, request):
            return gr.Row(visible=False), "请先选择讲话。" if stem is None else "只有管理员可以删除。"
        sp = self.engine.store.speeches().get(stem)
        return gr.Row(visible=True), f"确认删除《{esc(sp.title if sp else stem)}》（{esc(stem)}）？文件将移入回收站。"

    def confirm(self, stem, request: gr.Request = None):
        if not stem or not is_admin(self.engine, request):
            return gr.Row(visible=False), gr.skip(), gr.skip(), "只有管理员可以删除。"
        try:
            remove(self.engine, [stem], self._who(request))
        except (LibraryError, IngestBusy) as e:
            return gr.Row(visible=False), gr.skip(), gr.skip(), esc(str(e))
        return (gr.Row(visible=False), *self.refreshed(f"已删除：{esc(stem)}"))

    def replace(self, stem, upload, request: gr.Request = None):
        if not is_admin(self.engine, request):
            return gr.skip(), gr.skip(), "只有管理员可以替换。"
        if not stem or not upload:
            return gr.skip(), gr.skip(), "请选择讲话和新文件。"
        try:
            sp = replace_file(self.engine, stem, upload if isinstance(upload, str) else upload.name,
                              self._who(request))
        except (LibraryError, IngestError, IngestBusy) as e:
            return gr.skip(), gr.skip(), esc(str(e))
        except Exception:  # the detail goes to the server log
            log.exception("replace failed")
            return gr.skip(), gr.skip(), "替换出错（详情见服务器日志）"
        return self.refreshed(f"已替换：{esc(stem)}，{len(sp.paragraphs)} 段", stem)

    def load(self, request: gr.Request = None):
        if not is_admin(self.engine, request):
            return gr.Tab(visible=False), gr.skip(), gr.skip()
        rows = table(self.engine)
        return gr.Tab(visible=True), gr.Dataframe(value=rows), gr.Dropdown(choices=[r[0] for r in rows])


def build_admin_tab(engine) -> dict:
    ui, h = _layout(engine), _Handlers(engine)
    grid, pick, status, row = ui["grid"], ui["pick"], ui["status"], ui["confirm_row"]
    pick.change(h.pick, pick, ui["fields"])
    ui["save"].click(h.save, [pick, *ui["fields"]], [grid, pick, status], concurrency_limit=1)
    ui["delete"].click(h.delete, pick, [row, ui["confirm_text"]])
    ui["cancel"].click(lambda: (gr.Row(visible=False), "已取消。"), None, [row, status])
    ui["confirm"].click(h.confirm, pick, [row, grid, pick, status], concurrency_limit=1)
    ui["replace"].click(h.replace, [pick, ui["file"]], [grid, pick, status], concurrency_limit=1)
    return {"on_load": h.load, "load_outputs": [ui["tab"], grid, pick]}
