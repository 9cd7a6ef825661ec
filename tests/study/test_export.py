import csv
import io
import json
from dataclasses import replace

import pytest

from study import export
from study.export_office import to_docx, to_xlsx
from study.papers import as_paper
from tests.study.conftest import items_for

ALL = ("判断", "多选", "填空", "选择", "简答")


@pytest.fixture(scope="module")
def items(world):
    return items_for(world, n=10, types=ALL, topic="三会一课")


def test_markdown_has_questions_then_answers_with_explanations(items):
    md = export.to_markdown(items, "学习题库：三会一课")
    assert md.startswith("# 学习题库：三会一课") and "## 答案与解析" in md
    assert md.count("解析：") == len(items)
    assert md.index("## 答案与解析") > md.index(export.md_escape(items[-1].question.split("\n")[-1])[:10])


def test_markdown_escapes_speech_text(items):
    """Masked names (**局) and HTML in a speech stay text: no bold, no tags, no links."""
    it = items[0]
    hostile = replace(it, question="**局<script>alert(1)</script>[点我](http://x) ____",
                      explanation="原文：**局 <img src=x onerror=alert(1)>")
    md = export.to_markdown([hostile], "t")
    assert "<script>" not in md and "<img" not in md and "](http" not in md
    assert "**局" not in md and "\\*\\*局" in md


def test_anki_csv_is_plain_text_and_formula_safe(items):
    text = export.to_csv(items)
    head = text.splitlines()[:3]
    assert head == ["#separator:Comma", "#html:false", "#columns:front,back,source"]
    rows = list(csv.reader(io.StringIO("\n".join(text.split("\n")[3:]))))
    assert len(rows) == len(items)
    paper = as_paper(items, "t").items
    assert rows[0][1].startswith(export.choice_answer(paper[0])) and "§" in rows[0][2]
    evil = replace(items[0], question="=HYPERLINK(\"http://x\")", answer="@SUM(A1)", options=[])
    row = next(csv.reader(io.StringIO(export.to_csv([evil]).split("\n", 3)[3])))
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
    assert row[1].startswith("'@SUM")
    assert export.neutral("-1") == "'-1" and export.neutral("+x") == "'+x" and export.neutral("正常") == "正常"


def test_plain_text_quiz_format(items):
    txt = export.to_txt(items)
    blocks = [b for b in txt.split("\n\n") if b.strip()]
    assert len(blocks) == len(items)
    for b in blocks:
        lines = b.splitlines()
        assert lines[-2].startswith("答案:") and lines[-1].startswith("解析:")
    multi = next(b for b in blocks if "[多选题]" in b)
    answer = multi.splitlines()[-2][3:]
    assert ";" in answer and all(len(x) == 1 for x in answer.split(";"))
    judge = next(b for b in blocks if "[判断题]" in b)
    assert judge.splitlines()[-2] in ("答案:正确", "答案:错误")
    assert "[单选题]" in txt and "\nA. " in txt


def test_json_keeps_fields_and_gains_explanation(items):
    data = json.loads(export.to_json(items))
    assert all(set(d) == {"type", "question", "answer", "options", "citations", "explanation"} for d in data)
    assert all(d["explanation"] for d in data)


def test_docx_and_xlsx_open_and_survive_control_characters(items, tmp_path):
    import docx
    import openpyxl

    dirty = [replace(items[0], question=items[0].question + "\x01\x0b", explanation=items[0].explanation + "\x1f")]
    paper = as_paper(items + dirty, "学习题库：三会一课\x02")
    to_docx(paper, tmp_path / "p.docx", tmp_path / "p-答案.docx")
    body = [p.text for p in docx.Document(str(tmp_path / "p.docx")).paragraphs]
    key = [p.text for p in docx.Document(str(tmp_path / "p-答案.docx")).paragraphs]
    assert body[0] == "学习题库：三会一课" and "答案与解析" not in body
    assert any(t.startswith("解析：") for t in key) and sum(t.startswith(f"{len(items) + 1}. 答案") for t in key) == 1
    to_docx(paper, tmp_path / "one.docx")  # answers after a page break in the same file
    assert "答案与解析" in [p.text for p in docx.Document(str(tmp_path / "one.docx")).paragraphs]
    to_xlsx(paper, tmp_path / "p.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx").active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:7] == ("序号", "题型", "题干", "选项", "答案", "解析", "出处") and len(rows) == len(items) + 2
    assert {r[1] for r in rows[1:]} >= {"判断", "多选", "单选"}


def test_download_folders_do_not_pile_up(tmp_path):
    made = [export.download_folder(tmp_path) for _ in range(20)]
    left = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert made[-1] in left and len(left) <= export.KEEP_DOWNLOADS


def test_write_all_formats(items, tmp_path):
    files = export.write_all(items, "学习题库", export.download_folder(tmp_path))
    assert {f.suffix for f in files} == {".md", ".csv", ".txt", ".docx", ".xlsx"} and all(f.stat().st_size for f in files)
