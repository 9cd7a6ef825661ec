"""Study items out: Markdown (questions, then the answer key with sources), CSV for Anki
(front, back, source) and a printable Word 题库 (python-docx) with the answer key at the end."""
from __future__ import annotations

import csv
import io
import json

from .items import StudyItem


def _source(item: StudyItem) -> str:
    return "；".join(f"《{c.title}》§{c.paragraph}：“{c.quote}”" for c in item.citations)


def _question_lines(n: int, item: StudyItem) -> list[str]:
    lines = [f"{n}. 【{item.type}】{item.question.replace(chr(10), ' ')}"]
    lines += [f"   {o}" for o in item.options]
    return lines


def to_json(items: list[StudyItem]) -> str:
    return json.dumps([it.to_json() for it in items], ensure_ascii=False, indent=1)


def to_markdown(items: list[StudyItem], title: str) -> str:
    out = [f"# {title}", ""]
    for n, it in enumerate(items, start=1):
        out += _question_lines(n, it) + [""]
    out += ["## 参考答案", ""]
    for n, it in enumerate(items, start=1):
        out.append(f"{n}. {it.answer}")
        out.append(f"   出处：{_source(it)}")
    return "\n".join(out) + "\n"


def to_csv(items: list[StudyItem]) -> str:
    """Anki imports this as Basic notes: front, back, source (a UTF-8 file with a header row)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["front", "back", "source"])
    for it in items:
        front = "\n".join([f"【{it.type}】{it.question}", *it.options])
        w.writerow([front, it.answer, _source(it)])
    return buf.getvalue()


def to_docx(items: list[StudyItem], title: str, path) -> None:
    import docx
    from docx.enum.text import WD_BREAK

    doc = docx.Document()
    doc.add_heading(title, level=0)
    for kind in ("简答", "填空", "选择"):
        group = [(n, it) for n, it in enumerate(items, start=1) if it.type == kind]
        if not group:
            continue
        doc.add_heading({"简答": "一、简答题", "填空": "二、填空题", "选择": "三、选择题"}[kind], level=1)
        for n, it in group:
            doc.add_paragraph(f"{n}. {it.question}")
            for o in it.options:
                doc.add_paragraph(o, style="List Bullet")
            if kind == "简答":
                doc.add_paragraph("答：")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("参考答案", level=1)
    for n, it in enumerate(items, start=1):
        doc.add_paragraph(f"{n}. {it.answer}")
        doc.add_paragraph(f"出处：{_source(it)}", style="Quote")
    doc.save(str(path))


def write_all(items: list[StudyItem], title: str, folder) -> list:
    """The set in every download format, in `folder`: .md, .csv (UTF-8 with BOM, for Excel/Anki), .docx."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    md, cs, dx = folder / "题库.md", folder / "题库-anki.csv", folder / "题库.docx"
    md.write_text(to_markdown(items, title), encoding="utf-8")
    cs.write_text(to_csv(items), encoding="utf-8-sig")
    to_docx(items, title, dx)
    return [md, cs, dx]
