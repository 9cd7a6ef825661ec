"""`speechqa stats` as a health check: exit 0 with the counts, or 1 with a one-line reason when the
index is missing or unreadable; a missing index is never created."""
from __future__ import annotations

import json
import shutil

from ingest.pipeline import ingest_paths
from shell.cli import main
from tests.conftest import SPEECHES


def stats(index, capsys):
    code = main(["stats", "--json", "--index", str(index), "--embeddings", "fake"])
    out = capsys.readouterr()
    return code, out.out, out.err.strip()


def test_healthy_index(engine, capsys):
    ingest_paths([SPEECHES], engine.store)
    code, out, err = stats(engine.settings.index, capsys)
    assert code == 0 and err == ""
    got = json.loads(out)
    assert {k: got[k] for k in ("speeches", "paragraphs", "chunks")} == {
        "speeches": 5, "paragraphs": 119, "chunks": engine.store.chunk_count()}
    rows = {row["speech"]: row for row in got["list"]}
    assert list(rows) == sorted(p.stem for p in SPEECHES.glob("*.txt"))
    assert set(rows["001_ce92dc7b0f296d48"]) == {"speech", "title", "date", "date_basis", "speaker", "paragraphs"}
    assert (rows["001_ce92dc7b0f296d48"]["date"], rows["001_ce92dc7b0f296d48"]["date_basis"]) == ("2022-04", "inferred")
    assert (rows["004_9825695c093ec318"]["date"], rows["004_9825695c093ec318"]["date_basis"]) == (None, None)
    assert rows["004_9825695c093ec318"]["title"].endswith("坚定不移推进全面从严治党向纵深发展")
    assert sum(r["paragraphs"] for r in rows.values()) == 119


def test_stats_lists_a_stated_date_and_speaker(engine, capsys, tmp_path):
    (tmp_path / "a.txt").write_text("在全县大会上的讲话\n（2021年2月20日）\n王建国\n同志们：\n正文。", encoding="utf-8")
    ingest_paths([tmp_path / "a.txt"], engine.store)
    row = json.loads(stats(engine.settings.index, capsys)[1])["list"][0]
    assert row == {"speech": "a", "title": "在全县大会上的讲话", "date": "2021-02-20", "date_basis": "stated",
                   "speaker": "王建国", "paragraphs": 5}


def test_missing_index_fails_and_is_not_created(tmp_path, capsys):
    code, out, err = stats(tmp_path / "nope", capsys)
    assert code == 1 and out == ""
    assert err.startswith("speechqa: no index at") and "\n" not in err
    assert not (tmp_path / "nope").exists()


def test_a_file_or_an_empty_folder_is_not_an_index(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    (tmp_path / "empty").mkdir()
    assert stats(tmp_path / "file", capsys)[0] == 1
    code, _, err = stats(tmp_path / "empty", capsys)
    assert code == 1 and "no chroma.sqlite3" in err


def test_corrupt_store_fails_with_one_line(engine, tmp_path, capsys):
    ingest_paths([SPEECHES], engine.store)
    for name, damage in (("garbage", lambda b: bytes(range(256)) * (len(b) // 256)),
                         ("truncated", lambda b: b[: len(b) // 3])):
        bad = tmp_path / name
        shutil.copytree(engine.settings.index, bad)
        db = bad / "chroma.sqlite3"
        db.write_bytes(damage(db.read_bytes()))
        code, out, err = stats(bad, capsys)
        assert code == 1 and out == "", (name, out)
        assert err.startswith(f"speechqa: cannot read the index at {bad}") and "\n" not in err, err
