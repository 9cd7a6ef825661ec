"""Study items out as text: Markdown (the paper, then 答案与解析), Anki CSV, JSON, and the plain-text
import format of the common quiz platforms (问卷星 / 七巧 style: A. options, 答案: and 解析: lines).

Speech text is data, not markup: Markdown escapes what Markdown/HTML would act on, and the CSV neutralises
cells a spreadsheet would run as formulas.
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import tempfile
import time
from pathlib import Path

from .cells import FORMULA_START, choice_answer, neutral  # noqa: F401 — FORMULA_START: kept importable here
from .explain import sources
from .export_office import to_docx, to_xlsx
from .model import DISPLAY
from .papers import Paper, as_paper

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
KEEP_DOWNLOADS = 8  # download folders kept; older ones are removed when a new one is made
DOWNLOAD_TTL = 3600  # seconds


def md_escape(text: str) -> str:
    """Text shown as itself in Markdown: HTML tags and entities, emphasis, links, lists all inert."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)).replace("\n", "  \n")


def _paper(p) -> Paper:
    return p if isinstance(p, Paper) else as_paper(p, "学习题库")


def to_json(items) -> str:
    listed = items.items if isinstance(items, Paper) else items
    return json.dumps([it.to_json() for it in listed], ensure_ascii=False, indent=1)


def to_markdown(items, title: str | None = None) -> str:
    paper = items if isinstance(items, Paper) else as_paper(items, title or "学习题库")
    out = [f"# {md_escape(paper.title)}", ""]
    if paper.total:
        out += [f"满分 {paper.total:g} 分", ""]
    numbers = {}
    for i, s in enumerate(paper.sections):
        out += [f"## {s.heading(i)}", ""]
        for n, sec, it in paper.numbered():
            if sec is s:
                numbers[id(it)] = n
                out.append(f"{n}\\. {md_escape(it.question.replace(chr(10), ' '))}" + ("（　）" if it.type == "判断" else ""))
                out += [f"   - {md_escape(o)}" for o in it.options]
                out.append("")
    out += ["## 答案与解析", ""]
    for n, _, it in paper.numbered():
        out.append(f"{n}\\. 答案：{md_escape(choice_answer(it))}  ")
        out.append(f"   解析：{md_escape(it.explanation)}")
        out.append("")
    return "\n".join(out)


def to_csv(items) -> str:
    """Anki (2.1.55+) imports this as Basic notes with a Source field; the header lines tell it the
    separator, that fields are plain text (no HTML from a speech is ever rendered), and the columns."""
    buf = io.StringIO()
    buf.write("#separator:Comma\n#html:false\n#columns:front,back,source\n")
    w = csv.writer(buf, lineterminator="\n")
    for it in _paper(items).items:
        front = "\n".join([f"【{DISPLAY.get(it.type, it.type)}】{it.question}", *it.options])
        back = f"{choice_answer(it)}\n{it.explanation}"
        w.writerow([neutral(front), neutral(back), neutral(sources(it.citations))])
    return buf.getvalue()


def to_txt(items) -> str:
    """问卷星 / 七巧 style plain text: "1. 题干[单选题]", "A. …" options, "答案:", "解析:", blank lines
    between items; 多选 answers joined by ";", 判断 answered 正确/错误, blanks as ____."""
    out = []
    for n, _, it in _paper(items).numbered():
        kind = DISPLAY.get(it.type, it.type)
        out.append(f"{n}. {it.question.replace(chr(10), ' ')}[{kind}题]")
        out += it.options
        out.append(f"答案:{choice_answer(it, ';')}")
        out.append(f"解析:{it.explanation}")
        out.append("")
    return "\n".join(out)


def download_folder(root: str | Path | None = None) -> Path:
    """A fresh folder for one set of downloads under one root; older ones beyond a few, or older than an
    hour, are removed, so downloads do not pile up in the temp folder."""
    root = Path(root or Path(tempfile.gettempdir()) / "speechqa-study")
    root.mkdir(parents=True, exist_ok=True)
    old = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    now = time.time()
    for i, p in enumerate(old):
        if i >= KEEP_DOWNLOADS - 1 or now - p.stat().st_mtime > DOWNLOAD_TTL:
            shutil.rmtree(p, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix="set-", dir=root))


def write_all(items, title: str, folder) -> list[Path]:
    """The set in every download format in `folder`: .md, Anki .csv, .docx (paper and 答案与解析), .xlsx, .txt."""
    paper = items if isinstance(items, Paper) else as_paper(items, title)
    folder = Path(folder)
    files = {"题库.md": to_markdown(paper), "题库-anki.csv": to_csv(paper), "题库-问卷星.txt": to_txt(paper)}
    out = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8-sig" if name.endswith(".csv") else "utf-8")
        out.append(folder / name)
    to_docx(paper, folder / "题库.docx", folder / "题库-答案与解析.docx")
    to_xlsx(paper, folder / "题库.xlsx")
    return out + [folder / "题库.docx", folder / "题库-答案与解析.docx", folder / "题库.xlsx"]
