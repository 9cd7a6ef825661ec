"""`speechqa digest` and `speechqa compare`: output shapes, files, and one-line errors."""
from __future__ import annotations

import json

import docx
import pytest

from shell.cli import main
from tests.digest.conftest import grep


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_digest_json(fake_index, capsys):
    code, out, _ = run(capsys, "digest", "--topic", "一岗双责", "--format", "json", "--index", str(fake_index),
                       "--embeddings", "fake")
    assert code == 0
    j = json.loads(out)
    assert set(j) == {"topic", "excerpts", "note"} and j["topic"] == "一岗双责"
    assert {f"{e['speech']}§{e['paragraph']}" for e in j["excerpts"]} >= grep("一岗双责")
    for e in j["excerpts"]:
        assert {"speech", "title", "date", "paragraph", "heading", "text"} <= set(e)


def test_compare_json_and_docx(fake_index, capsys, tmp_path):
    code, out, _ = run(capsys, "compare", "--topic", "巡察", "--format", "json", "--index", str(fake_index),
                       "--embeddings", "fake")
    assert code == 0
    j = json.loads(out)
    assert set(j) == {"topic", "speeches", "pairs"} and len(j["speeches"]) == 5
    assert sum(s["silent"] for s in j["speeches"]) == 2
    path = tmp_path / "c.docx"
    code, _, _ = run(capsys, "compare", "--topic", "巡察", "--format", "docx", "-o", str(path),
                     "--index", str(fake_index), "--embeddings", "fake")
    assert code == 0 and any("未涉及" in p.text for p in docx.Document(str(path)).paragraphs)


def test_digest_markdown_to_file_and_speech_filter(fake_index, capsys, tmp_path):
    path = tmp_path / "d.md"
    code, out, _ = run(capsys, "digest", "--topic", "四风", "--speech", "002_d78a8ffa42bed171", "-o", str(path),
                       "--index", str(fake_index), "--embeddings", "fake")
    text = path.read_text(encoding="utf-8")
    assert code == 0 and out == "" and text.startswith("# 原文摘编：四风")
    assert text.count("——《") == len({k for k in grep("四风") if k.startswith("002_")})


@pytest.mark.parametrize("argv, message", [
    (["digest", "--topic", "  "], "the topic is empty"),
    (["digest", "--topic", "四风", "--format", "docx"], "--format docx needs -o FILE"),
    (["compare", "--topic", "四风", "--speech", "nope"], "unknown speech: nope"),
    (["compare", "--topic", "四" * 41], "the limit is 40"),
])
def test_bad_input_is_one_line_and_non_zero(fake_index, capsys, argv, message):
    code, out, err = run(capsys, *argv, "--index", str(fake_index), "--embeddings", "fake")
    assert code != 0 and out == ""
    assert message in err and err.count("\n") == 1
