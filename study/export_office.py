"""Study items as Office files: a printable Word paper with its 答案与解析 (on a page of its own, or as a
separate document), and an Excel sheet with one row per item. Control characters, which XML cannot hold,
are dropped from every cell and paragraph; spreadsheet cells are never formulas."""
from __future__ import annotations

import re

from .explain import sources
from .cells import choice_answer, neutral
from .model import DISPLAY
from .papers import Paper

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
XLSX_HEADER = ["序号", "题型", "题干", "选项", "答案", "解析", "出处", "分值"]
XLSX_WIDTHS = [6, 6, 60, 40, 12, 60, 50, 6]


def clean(text: str) -> str:
    return _CONTROL.sub("", text)


def _answers(doc, paper: Paper) -> None:
    doc.add_heading("答案与解析", level=1)
    for n, _, it in paper.numbered():
        doc.add_paragraph(clean(f"{n}. 答案：{choice_answer(it)}"))
        doc.add_paragraph(clean(f"解析：{it.explanation}"), style="Quote")


def to_docx(paper: Paper, path, answers_path=None) -> None:
    """The paper; its 答案与解析 after a page break, or in `answers_path` when given."""
    import docx
    from docx.enum.text import WD_BREAK

    doc = docx.Document()
    doc.add_heading(clean(paper.title), level=0)
    if paper.total:
        doc.add_paragraph(f"满分 {paper.total:g} 分" + (f"（{paper.variant} 卷）" if paper.variant else ""))
    for i, s in enumerate(paper.sections):
        doc.add_heading(s.heading(i), level=1)
        for n, sec, it in paper.numbered():
            if sec is not s:
                continue
            doc.add_paragraph(clean(f"{n}. {it.question}" + ("（　）" if it.type in ("判断", "选择", "多选") else "")))
            for o in it.options:
                doc.add_paragraph(clean(o), style="List Bullet")
            if it.type == "简答":
                doc.add_paragraph("答：\n\n")
    if answers_path is None:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _answers(doc, paper)
    else:
        key = docx.Document()
        key.add_heading(clean(f"{paper.title} 答案与解析"), level=0)
        _answers(key, paper)
        key.save(str(answers_path))
    doc.save(str(path))


def to_xlsx(paper: Paper, path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "题库"
    ws.append(XLSX_HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for n, s, it in paper.numbered():
        row = [str(n), DISPLAY.get(it.type, it.type), it.question, "\n".join(it.options), choice_answer(it),
               it.explanation, sources(it.citations), f"{s.score:g}" if s.score else ""]
        ws.append([neutral(clean(v)) for v in row])
        for cell in ws[ws.max_row]:
            cell.data_type = "s"  # text, even when it looks like a number or a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, w in enumerate(XLSX_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    wb.save(str(path))
