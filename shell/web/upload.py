"""The 导入讲话 tab: upload files, see a report per file; the speech lists elsewhere refresh."""
from __future__ import annotations

import logging
from pathlib import Path

import gradio as gr

from ingest.lock import IngestBusy
from ingest.readers import SUPPORTED
from ingest.uploads import save_and_ingest

from .access import web_user
from .chat import speech_choices
from .reader import speech_rows

log = logging.getLogger("speechqa")
STATUS_NAMES = {"added": "已添加", "updated": "已更新", "renamed": "已更名", "unchanged": "未变化",
                "duplicate": "重复，未导入", "rejected": "已拒绝"}


def note(report) -> str:
    """What the report row says; a speech kept apart from a same-named one says under which id."""
    if report.reason:
        return report.reason
    text = f"{report.paragraphs} 段，可立即检索"
    if report.speech != Path(report.path).stem:
        text += f"（另有同名讲话，本篇编号 {report.speech}）"
    return text


def build_upload_tab(engine) -> dict:
    settings = engine.settings
    with gr.Tab("导入讲话", id="upload"):
        gr.Markdown(f"支持 {'、'.join(SUPPORTED)}（.txt 可为 UTF-8/GBK/UTF-16；扫描件和照片 .jpg/.png 经文字识别），单个文件不超过 {settings.max_upload_mb} MB。")
        files = gr.File(file_count="multiple", file_types=list(SUPPORTED),
                        label="选择文件", elem_id="sq-files")
        go = gr.Button("导入", variant="primary", elem_id="sq-import")
        report = gr.Dataframe(headers=["文件", "结果", "说明"], interactive=False, elem_id="sq-report")

    def upload(files, request: gr.Request = None, progress=gr.Progress()):
        """Report rows, then the refreshed speech list for every dropdown and the table."""
        if not files:
            return [["", "未选择文件", ""]], gr.skip(), gr.skip(), gr.skip(), gr.skip()
        user = web_user(engine, request)
        if user is not None and not user.can("editor"):
            return [["", "未导入", "只有编辑和管理员可以导入讲话"]], gr.skip(), gr.skip(), gr.skip(), gr.skip()
        paths = [f if isinstance(f, str) else f.name for f in files]
        done = []

        def tick(report):
            done.append(report)
            progress(len(done) / len(paths), desc=f"已处理 {len(done)}/{len(paths)}")

        def page(path, n, total):  # a scan is OCR'd page by page, slowly
            progress((len(done) + n / total) / len(paths), desc=f"{Path(path).name}：OCR 第 {n}/{total} 页")

        progress(0, desc="正在导入")
        try:
            reports = save_and_ingest(paths, engine.store, Path(settings.index) / "uploads",
                                      settings.max_upload_bytes, on_file=tick, on_page=page)
        except IngestBusy:
            return [["", "未导入", "另一个导入正在进行，请稍后再试"]], gr.skip(), gr.skip(), gr.skip(), gr.skip()
        except Exception:  # the detail (paths, store errors) goes to the server log, a plain reason here
            log.exception("upload failed")
            return [["", "未导入", "导入出错（详情见服务器日志）"]], gr.skip(), gr.skip(), gr.skip(), gr.skip()
        for r in reports if getattr(engine, "audit", None) else []:
            engine.audit.write("upload", user.name if user else None, file=Path(r.path).name, speech=r.speech,
                               status=r.status, via="app")
        rows = [[Path(r.path).name, STATUS_NAMES.get(r.status, r.status), note(r)] for r in reports]
        choices = speech_choices(engine, request)
        return (rows, gr.Dropdown(choices=choices), gr.Dropdown(choices=choices), speech_rows(engine, request),
                gr.Dropdown(choices=choices))

    return {"files": files, "go": go, "report": report, "upload": upload}
