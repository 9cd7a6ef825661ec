"""`speechqa study` on the real index: the contract's JSON, files, and bad input."""
from __future__ import annotations

import csv
import json

import pytest

from qa.citations import verify
from tests.conftest import make_engine
from tests.integration.helpers import run

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("scope", [("--topic", "四风"), ("--speech", "004_9825695c093ec318"), ()])
def test_study_json_items_pass_their_checks(real_index, scope):
    r = run("study", *scope, "--n", "10", "--format", "json", index=real_index)
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    assert len(items) == 10 and len({i["question"] for i in items}) == 10
    assert {i["type"] for i in items} == {"简答", "填空", "选择"}
    speeches = make_engine(real_index, "e5-small").store.speeches()
    for it in items:
        assert set(it) == {"type", "question", "answer", "options", "citations"}
        for c in it["citations"]:
            assert verify(speeches, c["speech"], c["paragraph"], c["quote"]) == c["quote"]
        if it["type"] == "填空":
            assert it["answer"] in it["citations"][0]["quote"] and it["answer"] not in it["question"]
        if it["type"] == "选择":
            term = it["options"]["ABCD".index(it["answer"])][3:]
            assert term in it["citations"][0]["quote"]


def test_study_writes_docx_and_csv(real_index, tmp_path):
    import docx

    out = tmp_path / "tiku.docx"
    r = run("study", "--topic", "一岗双责", "--n", "6", "--format", "docx", "-o", str(out), index=real_index)
    assert r.returncode == 0, r.stderr
    paras = [p.text for p in docx.Document(str(out)).paragraphs]
    assert paras[0] == "学习题库：一岗双责" and "参考答案" in paras
    out_csv = tmp_path / "anki.csv"
    r = run("study", "--topic", "一岗双责", "--n", "6", "--types", "填空", "--format", "csv", "-o", str(out_csv),
            index=real_index)
    rows = list(csv.DictReader(open(out_csv, encoding="utf-8-sig")))
    assert len(rows) == 6 and all("____" in row["front"] and row["source"].startswith("《") for row in rows)


@pytest.mark.parametrize("args, message", [
    (("--types", "判断"), "unknown type: 判断"),
    (("--format", "docx"), "--format docx needs -o FILE"),
    (("--n", "0"), "--n must be between 1 and 500"),
    (("--speech", "nope"), "unknown speech: nope"),
])
def test_study_bad_input(real_index, args, message):
    r = run("study", *args, index=real_index)
    assert r.returncode == 2 and message in r.stderr
