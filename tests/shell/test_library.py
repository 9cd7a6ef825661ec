"""Library management on the CLI: speeches, meta, remove (to the trash), replace, --tag collections.
Real Chroma, fake embedder, the bundled speeches in a private copy."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.pipeline import ingest_paths
from admin.audit import AuditLog
from shell.cli import main
from tests.conftest import bundled_engine, make_engine

A, B, C = "000_6117c26b33f13efb", "001_ce92dc7b0f296d48", "003_4957c2c23b1f7b8a"
QUESTION = "如何织密“不能腐”的笼子？"


@pytest.fixture
def index(tmp_path, speeches_copy) -> Path:
    idx = tmp_path / "index"
    ingest_paths([speeches_copy], make_engine(idx).store)
    return idx


@pytest.fixture(scope="module")
def read_index(tmp_path_factory) -> Path:
    """One such index for the tests that only read it."""
    root = tmp_path_factory.mktemp("library")
    bundled_engine(root)
    return root / "index"


def cli(index: Path, *argv) -> int:
    return main([argv[0], *argv[1:], "--index", str(index), "--embeddings", "fake"])


def out_json(capsys, index, *argv):
    capsys.readouterr()
    assert cli(index, *argv) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_speeches_lists_every_field(read_index, capsys):
    (rows,) = out_json(capsys, read_index, "speeches", "--json")
    assert len(rows) == 5
    row = next(r for r in rows if r["speech"] == A)
    assert set(row) >= {"speech", "title", "date", "date_basis", "speaker", "paragraphs", "tags", "origin"}
    assert row["title"].startswith("在2022年党建工作") and row["origin"] == f"{A}.txt"
    assert row["date_basis"] in ("given", "inferred", "unknown") and row["paragraphs"] > 5


def test_meta_overrides_show_everywhere_and_survive_reingest(index, capsys, speeches_copy):
    assert cli(index, "meta", A, "--title", "改过的标题", "--date", "2023-01-05", "--speaker", "张三",
               "--occasion", "汇报会", "--tags", "党建,自查") == 0
    (rows,) = out_json(capsys, index, "speeches", "--json")
    row = next(r for r in rows if r["speech"] == A)
    assert (row["title"], row["date"], row["date_basis"], row["speaker"], row["occasion"], row["tags"]) == \
        ("改过的标题", "2023-01-05", "given", "张三", "汇报会", ["党建", "自查"])
    # citations (search/ask), digest and stats show the new title at once
    (ans,) = out_json(capsys, index, "ask", "党建工作存在哪些问题？", "--speech", A, "--json")
    assert ans["citations"] and {c["title"] for c in ans["citations"]} == {"改过的标题"}
    capsys.readouterr()
    assert cli(index, "digest", "--topic", "党建", "--speech", A, "--format", "json") == 0
    assert "改过的标题" in capsys.readouterr().out
    assert cli(index, "stats") == 0
    assert "改过的标题" in capsys.readouterr().out
    ingest_paths([speeches_copy], make_engine(index).store)  # the file's own title does not come back
    (rows,) = out_json(capsys, index, "speeches", "--json")
    assert next(r for r in rows if r["speech"] == A)["title"] == "改过的标题"
    assert cli(index, "meta", A, "--title", "") == 0  # cleared: the file's title again
    (rows,) = out_json(capsys, index, "speeches", "--json")
    assert next(r for r in rows if r["speech"] == A)["title"].startswith("在2022年")
    assert [e["event"] for e in AuditLog(index).read()].count("edit") == 2


def test_meta_unknown_speech_is_a_usage_error(read_index, capsys):
    assert cli(read_index, "meta", "nope", "--title", "x") == 2
    assert "unknown speech" in capsys.readouterr().err


def test_remove_moves_the_file_to_trash_and_hides_it(index, capsys, speeches_copy):
    assert cli(index, "remove", A) == 0
    assert not (speeches_copy / f"{A}.txt").exists()
    assert list((index / "trash").rglob(f"{A}.txt"))
    (rows,) = out_json(capsys, index, "speeches", "--json")
    assert A not in {r["speech"] for r in rows}
    (res,) = out_json(capsys, index, "search", QUESTION, "-k", "10", "--json")
    assert A not in {r["speech"] for r in res["results"]}
    (ans,) = out_json(capsys, index, "ask", QUESTION, "--json")
    assert A not in {c["speech"] for c in ans["citations"]}
    ingest_paths([speeches_copy], make_engine(index).store)  # the folder no longer brings it back
    assert A not in make_engine(index).store.speeches()
    assert cli(index, "remove", "--empty-trash") == 0
    assert not (index / "trash").exists()
    assert AuditLog(index).read()[0]["event"] == "delete"


def test_replace_keeps_the_id_and_renumbers(index, capsys, tmp_path):
    new = tmp_path / "新版.txt"
    new.write_text("关于机关食堂管理的讲话\n同志们：\n一、加强管理\n要加强机关食堂的节约管理，杜绝浪费。\n",
                   encoding="utf-8")
    assert cli(index, "replace", B, str(new)) == 0
    sp = make_engine(index).store.speeches()[B]
    assert len(sp.paragraphs) == 4 and sp.paragraphs[3].text.startswith("要加强机关食堂") and sp.origin == "新版.txt"
    (res,) = out_json(capsys, index, "search", "机关食堂节约管理", "--speech", B, "--json")
    assert res["results"][0]["paragraph"] == 4
    assert list((index / "trash").rglob(f"{B}.txt"))


def test_tag_collections_filter_every_command(index, capsys):
    assert cli(index, "meta", A, "--tags", "年度") == 0
    assert cli(index, "meta", C, "--tags", "年度,会议") == 0
    (res,) = out_json(capsys, index, "search", QUESTION, "-k", "10", "--tag", "年度", "--json")
    assert {r["speech"] for r in res["results"]} <= {A, C} and res["results"]
    (ans,) = out_json(capsys, index, "ask", QUESTION, "--tag", "会议", "--json")
    assert {c["speech"] for c in ans["citations"]} <= {C}
    capsys.readouterr()
    assert cli(index, "digest", "--topic", "党建", "--tag", "会议", "--format", "json") == 0
    d = json.loads(capsys.readouterr().out)
    assert C in json.dumps(d) and A not in json.dumps(d)
    assert cli(index, "study", "--tag", "会议", "--n", "4", "--format", "json") == 0
    items = json.loads(capsys.readouterr().out)
    assert items and {c["speech"] for it in items for c in it["citations"]} <= {C}
    assert cli(index, "search", QUESTION, "--tag", "没有") == 2


def test_backup_and_restore_keep_users_edits_and_tags(index, capsys, tmp_path, monkeypatch):
    from admin.users import Users

    users = tmp_path / "users.json"
    Users(users).add("王五", "editor", "pw-1")
    monkeypatch.setenv("SPEECHQA_USERS", str(users))
    assert cli(index, "meta", A, "--title", "改过的标题", "--tags", "内部") == 0
    assert cli(index, "tag", "内部", "--only", "王五") == 0
    assert cli(index, "backup", "-o", str(tmp_path / "b.zip")) == 0
    target = tmp_path / "restored"
    assert cli(target, "restore", str(tmp_path / "b.zip")) == 0
    eng = make_engine(target)
    assert eng.store.speeches()[A].title == "改过的标题"
    assert eng.store.base_speeches()[A].title != "改过的标题"  # the record stays the file's
    assert eng.library.tags_of(A) == ["内部"] and eng.library.only("内部") == ["王五"]
    assert Users(target / "users.json").verify("王五", "pw-1") is not None
    assert any(e["event"] == "edit" for e in eng.audit.read())
