"""`speechqa study` on the real index: the contract's JSON, papers, files, and bad input."""
from __future__ import annotations

import csv
import json

import pytest

from qa.citations import verify
from study.checks import check_item
from study.model import StudyItem
from tests.conftest import make_engine
from tests.integration.helpers import run

pytestmark = pytest.mark.integration
ALL = "判断,多选,填空,选择,简答"
FIELDS = {"type", "question", "answer", "options", "citations", "explanation"}


def _item(d: dict) -> StudyItem:
    """The item back from its JSON; a 简答's 采分点 are read from its 解析 ("采分点：a；b。原文：…")."""
    item = StudyItem.from_record(d)
    if item.type == "简答":
        item.points = item.explanation.split("采分点：", 1)[1].split("。原文：", 1)[0].split("；")
    return item


@pytest.mark.parametrize("scope", [("--topic", "四风"), ("--speech", "004_9825695c093ec318"), ()])
def test_study_json_items_pass_their_checks(real_index, scope):
    r = run("study", *scope, "--n", "10", "--types", "简答,填空,选择", "--format", "json", index=real_index)
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    assert len(items) == 10 and len({i["question"] for i in items}) == 10
    assert {i["type"] for i in items} == {"简答", "填空", "选择"}
    speeches = make_engine(real_index, "e5-small").store.speeches()
    for it in items:
        assert set(it) == FIELDS and it["explanation"]
        for c in it["citations"]:
            assert verify(speeches, c["speech"], c["paragraph"], c["quote"]) == c["quote"]
        if it["type"] == "填空":
            assert it["answer"] in it["citations"][0]["quote"] and it["answer"] not in it["question"]
        if it["type"] == "选择":
            term = it["options"]["ABCD".index(it["answer"])][3:]
            assert term in it["citations"][0]["quote"]


def test_thirty_items_of_every_type_pass_their_checks(real_index):
    r = run("study", "--n", "30", "--types", ALL, "--format", "json", index=real_index)
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    assert len(items) == 30 and {i["type"] for i in items} == {"判断", "多选", "填空", "选择", "简答"}
    speeches = make_engine(real_index, "e5-small").store.speeches()
    for d in items:
        assert set(d) == FIELDS
        check_item(_item(d), speeches)


def test_paper_seed_variants_docx_and_xlsx(real_index, tmp_path):
    import docx
    import openpyxl

    quota = "判断=4,单选=3,多选=2,填空=3,简答=1"
    outs = {}
    for name, variant, seed in (("a1", "A", "5"), ("a2", "A", "5"), ("b", "B", "5")):
        r = run("study", "--paper", "--quota", quota, "--seed", seed, "--variant", variant, "--format", "json",
                index=real_index)
        assert r.returncode == 0, r.stderr
        outs[name] = json.loads(r.stdout)
    assert outs["a1"] == outs["a2"] and len(outs["a1"]) == 13
    assert {i["question"] for i in outs["a1"]}.isdisjoint({i["question"] for i in outs["b"]})
    out = tmp_path / "卷.docx"
    r = run("study", "--paper", "--quota", quota, "--seed", "5", "--format", "docx", "-o", str(out), index=real_index)
    assert r.returncode == 0, r.stderr
    body = [p.text for p in docx.Document(str(out)).paragraphs]
    key = [p.text for p in docx.Document(str(tmp_path / "卷-答案.docx")).paragraphs]
    assert any(t.startswith("一、判断题（每题1分") for t in body) and "答案与解析" not in body
    assert "答案与解析" in key and sum(t.startswith("解析：") for t in key) == 13
    xl = tmp_path / "卷.xlsx"
    r = run("study", "--paper", "--quota", quota, "--seed", "5", "--format", "xlsx", "-o", str(xl), index=real_index)
    assert r.returncode == 0, r.stderr
    rows = list(openpyxl.load_workbook(xl).active.iter_rows(values_only=True))
    assert len(rows) == 14 and rows[1][1] == "判断"


def test_study_writes_docx_csv_and_txt(real_index, tmp_path):
    import docx

    out = tmp_path / "tiku.docx"
    r = run("study", "--topic", "一岗双责", "--n", "6", "--format", "docx", "-o", str(out), index=real_index)
    assert r.returncode == 0, r.stderr
    paras = [p.text for p in docx.Document(str(out)).paragraphs]
    assert paras[0] == "学习题库：一岗双责" and "答案与解析" in paras
    out_csv = tmp_path / "anki.csv"
    r = run("study", "--topic", "一岗双责", "--n", "6", "--types", "填空", "--format", "csv", "-o", str(out_csv),
            index=real_index)
    assert r.returncode == 0, r.stderr
    lines = open(out_csv, encoding="utf-8-sig").read().split("\n")
    assert lines[:3] == ["#separator:Comma", "#html:false", "#columns:front,back,source"]
    rows = list(csv.reader(lines[3:]))
    rows = [r for r in rows if r]
    assert len(rows) == 6 and all("____" in row[0] and row[2].startswith("《") for row in rows)
    r = run("study", "--topic", "一岗双责", "--n", "4", "--types", "判断,多选", "--format", "txt", index=real_index)
    assert r.returncode == 0 and "答案:" in r.stdout and "解析:" in r.stdout


@pytest.mark.parametrize("args, message", [
    (("--types", "论述"), "unknown type: 论述"),
    (("--format", "docx"), "--format docx needs -o FILE"),
    (("--format", "xlsx"), "--format xlsx needs -o FILE"),
    (("--n", "0"), "--n must be between 1 and 500"),
    (("--speech", "nope"), "unknown speech: nope"),
    (("--quota", "判断=2"), "--quota and --scores need --paper"),
    (("--paper", "--quota", "论述=2"), "bad quota '论述=2'"),
    (("--paper", "--variant", "Z"), "variant must be one of"),
])
def test_study_bad_input(real_index, args, message):
    r = run("study", *args, index=real_index)
    assert r.returncode == 2 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1
