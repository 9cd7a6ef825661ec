"""Backup → restore: the same speeches, paragraphs and search results; damaged or foreign files refused
with the target untouched. Real Chroma, fake embedder."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import threading
import time
import zipfile
from pathlib import Path

import pytest

from ingest.lock import IngestBusy, writer_lock
from ingest.pipeline import ingest_paths
from ingest.uploads import save_and_ingest
from shell.backup import BackupError, backup, read_backup, restore
from shell.cli import main
from shell.settings import Settings
from tests.conftest import SPEECHES, make_engine

QUESTIONS = ["如何织密“不能腐”的笼子？", "对年轻干部的教育管理监督有什么要求？", "纠治“四风”", "机关食堂怎样节约管理？"]
UPLOAD = "关于机关食堂管理的讲话\n同志们：\n一、加强管理\n要加强机关食堂的节约管理，杜绝浪费，每周公示菜价。\n"


def settings_for(index: Path) -> Settings:
    return Settings.load(index=str(index), embeddings="fake")


def snapshot(folder: Path) -> dict:
    """Every file under a folder with its size and content hash (to show it was not touched)."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def paragraphs(store) -> dict:
    return {sid: [(p.number, p.heading, p.text, p.is_heading, p.page) for p in s.paragraphs]
            for sid, s in store.speeches().items()}


def results(engine) -> list:
    """The top 2 per question: with the fake embedder the tail is near-ties among unrelated paragraphs,
    which Chroma's approximate index may order differently once rebuilt (seen once in a full CI run)."""
    return [[(p.speech, p.paragraph) for p in engine.retriever.search(q, k=5)[:2]] for q in QUESTIONS]


@pytest.fixture
def populated(engine, speeches_copy, tmp_path):
    """A store with the bundled speeches, an upload, one speech whose file is gone and one whose file
    changed after ingest."""
    return populate(engine, speeches_copy, tmp_path)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One such store and one backup of it, for the tests that only read them (a test that damages the
    backup damages its own copy; one that replaces the store builds its own with `populated`)."""
    root = tmp_path_factory.mktemp("shared-backup")
    speeches = root / "speeches"
    shutil.copytree(SPEECHES, speeches)
    engine, files = populate(make_engine(root / "index"), speeches, root)
    out = root / "speechqa.zip"
    assert backup(engine, out).speeches == 6
    return engine, files, speeches, out


@pytest.fixture
def shared_backup(built) -> Path:
    return built[3]


def populate(engine, speeches_copy: Path, tmp_path: Path):
    ingest_paths([speeches_copy], engine.store)
    up = tmp_path / "食堂讲话.txt"
    up.write_text(UPLOAD, encoding="utf-8")
    (report,) = save_and_ingest([up], engine.store, Path(engine.settings.index) / "uploads")
    assert report.status == "added"
    files = sorted(speeches_copy.glob("*.txt"))
    files[0].unlink()  # gone: its text comes back from the store
    files[1].write_text("完全不同的内容\n", encoding="utf-8")  # changed since it was ingested
    engine.store.refresh()
    return engine, files


@pytest.fixture
def backup_file(populated, tmp_path) -> Path:
    engine, _ = populated
    out = tmp_path / "backups" / "speechqa.zip"
    r = backup(engine, out)
    assert r.speeches == 6 and out.is_file()
    return out


def test_backup_then_restore_gives_the_same_speeches_paragraphs_and_results(built, tmp_path):
    engine, files, _, backup_file = built
    target = tmp_path / "restored" / "index"
    r = restore(backup_file, settings_for(target))
    assert r.index == target.absolute() and r.speeches == 6 and r.replaced is None
    new = make_engine(target)
    old_speeches, new_speeches = engine.store.speeches(), new.store.speeches()
    assert set(new_speeches) == set(old_speeches)
    assert paragraphs(new.store) == paragraphs(engine.store)
    for sid, s in old_speeches.items():
        n = new_speeches[sid]
        assert (n.title, n.date, n.speaker, n.origin, n.hash) == (s.title, s.date, s.speaker, s.origin, s.hash)
    assert new.store.chunk_count() == engine.store.chunk_count()
    assert results(new) == results(engine)
    # sources: the upload is kept under the new index, unchanged files keep their path, and the gone and
    # changed ones come back as their stored paragraphs, one per line
    upload = next(s for s in new_speeches.values() if s.origin == "食堂讲话.txt")
    assert Path(upload.source) == target.absolute() / "uploads" / "食堂讲话.txt"
    assert Path(upload.source).read_text(encoding="utf-8") == UPLOAD
    by_stem = {Path(s.source).stem: s for s in new_speeches.values()}
    for f in files[:2]:
        s = by_stem[f.stem]
        assert Path(s.source).is_relative_to(target.absolute() / "sources")
        assert Path(s.source).read_text(encoding="utf-8").splitlines() == [p.text for p in s.paragraphs]
    for f in files[2:]:
        assert by_stem[f.stem].source == str(f.resolve())
    # no temp folder is left beside the target
    assert [p.name for p in target.parent.iterdir()] == ["index"]


def test_manifest_describes_every_speech(built):
    engine, files, _, backup_file = built
    m = read_backup(backup_file).manifest
    assert (m["format"], m["version"]) == ("speechqa-backup", 1)
    assert m["counts"]["speeches"] == 6 and m["counts"]["reconstructed"] == 2
    assert m["counts"]["paragraphs"] == sum(len(s.paragraphs) for s in engine.store.speeches().values())
    entries = {e["id"]: e for e in m["speeches"]}
    assert set(entries) == set(engine.store.speeches())
    kinds = sorted(e["kind"] for e in entries.values())
    assert kinds == ["file"] * 5 + ["upload"]
    gone = next(e for e in entries.values() if Path(e["source"]).stem == files[0].stem)
    assert gone["reconstructed"] and gone["title"]
    with zipfile.ZipFile(backup_file) as zf:
        for name, digest in m["files"].items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == digest


def test_restored_index_reingests_the_same_files_as_unchanged(built, tmp_path):
    """Ids follow the speeches' sources, so ingesting the same folder again adds nothing."""
    _, _, speeches_copy, backup_file = built
    target = tmp_path / "again"
    restore(backup_file, settings_for(target))
    new = make_engine(target)
    files = sorted(speeches_copy.glob("*.txt"))
    reports = ingest_paths(files[2:], new.store)
    assert [r.status for r in reports] == ["unchanged"] * len(files[2:])


def test_restore_into_an_empty_existing_folder(shared_backup, tmp_path):
    backup_file = shared_backup
    target = tmp_path / "empty"
    target.mkdir()
    restore(backup_file, settings_for(target))
    assert len(make_engine(target).store.speeches()) == 6


def test_non_empty_target_is_refused_unless_forced(backup_file, populated, tmp_path):
    engine, _ = populated
    target = Path(engine.settings.index)
    before = snapshot(target)
    with pytest.raises(BackupError, match="is not empty"):
        restore(backup_file, settings_for(target))
    assert snapshot(target) == before
    r = restore(backup_file, settings_for(target), force=True)
    assert r.replaced is not None and snapshot(r.replaced) == before
    assert len(make_engine(target).store.speeches()) == 6


def test_backup_waits_for_a_running_ingest(built, tmp_path):
    engine = built[0]
    lock = engine.store.lock_path
    with writer_lock(lock):
        with pytest.raises(IngestBusy):
            backup(engine, tmp_path / "busy.zip", wait=0)
    assert not (tmp_path / "busy.zip").exists()
    assert not list(tmp_path.glob(".busy.zip*"))  # no partial file left

    held = threading.Event()

    def hold():
        with writer_lock(lock):
            held.set()
            time.sleep(1.0)

    t = threading.Thread(target=hold)
    t.start()
    held.wait()
    r = backup(engine, tmp_path / "later.zip", wait=30)
    t.join()
    assert r.speeches == 6


# -- damaged and foreign files ------------------------------------------------------------------------

def rewrite(src: Path, dst: Path, change) -> Path:
    """Copy a backup, letting `change(members: dict[name, bytes])` alter its members."""
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    change(members)
    with zipfile.ZipFile(dst, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return dst


def manifest_edit(fn):
    def change(members):
        m = json.loads(members["manifest.json"])
        fn(m, members)
        members["manifest.json"] = json.dumps(m).encode()
    return change


def first_source(m):
    return m["speeches"][0]["file"]


def tamper_source(members):
    name = next(n for n in members if n.startswith("sources/"))
    members[name] = members[name] + "被篡改".encode()


def traversal(members):
    members["../evil.txt"] = b"x"


def absolute(members):
    members["/tmp/evil.txt"] = b"x"


def extra(members):
    members["sources/9999/extra.txt"] = b"x"


def missing(members):
    del members[next(n for n in members if n.startswith("sources/"))]


def bad_record(members):
    name = next(n for n in members if n.startswith("speeches/"))
    members[name] = b'{"id": "x"}'
    m = json.loads(members["manifest.json"])
    m["files"][name] = hashlib.sha256(members[name]).hexdigest()
    members["manifest.json"] = json.dumps(m).encode()


def traversal_in_manifest(m, members):
    m["speeches"][0]["kind"], m["speeches"][0]["upload_path"] = "upload", "../../etc/evil"


def foreign_manifest(m, members):
    m["format"] = "something-else"


def newer(m, members):
    m["version"] = 99


def no_manifest(members):
    del members["manifest.json"]


CASES = {
    "not a zip": (lambda src, dst: dst.write_bytes(b"PK\x03\x04 this is not a zip" * 10), "not a readable zip"),
    "truncated": (lambda src, dst: dst.write_bytes(src.read_bytes()[: src.stat().st_size // 2]), "not a readable zip"),
    "foreign zip": (lambda src, dst: rewrite(src, dst, no_manifest), "not a speechqa backup (no manifest.json)"),
    "foreign manifest": (lambda src, dst: rewrite(src, dst, manifest_edit(foreign_manifest)), "not one of ours"),
    "newer format": (lambda src, dst: rewrite(src, dst, manifest_edit(newer)), "newer speechqa"),
    "hash mismatch": (lambda src, dst: rewrite(src, dst, tamper_source), "does not match its sha256"),
    "path traversal": (lambda src, dst: rewrite(src, dst, traversal), "unsafe file name"),
    "absolute name": (lambda src, dst: rewrite(src, dst, absolute), "unsafe file name"),
    "unlisted file": (lambda src, dst: rewrite(src, dst, extra), "not listed in the manifest"),
    "missing file": (lambda src, dst: rewrite(src, dst, missing), "missing"),
    "malformed record": (lambda src, dst: rewrite(src, dst, bad_record), "malformed"),
    "traversal in manifest": (lambda src, dst: rewrite(src, dst, manifest_edit(traversal_in_manifest)),
                              "unsafe upload path"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_damaged_or_foreign_file_is_refused_and_the_target_untouched(case, shared_backup, tmp_path):
    make, reason = CASES[case]
    bad = tmp_path / "bad.zip"
    make(shared_backup, bad)
    parent = tmp_path / "targets"
    existing = parent / "existing"
    existing.mkdir(parents=True)
    (existing / "keep.txt").write_text("mine", encoding="utf-8")
    before = snapshot(parent)
    for target, force in ((parent / "new", False), (existing, True)):
        with pytest.raises(BackupError, match=re.escape(reason)) as err:
            restore(bad, settings_for(target), force=force)
        assert "\n" not in str(err.value)
        assert snapshot(parent) == before
        assert sorted(p.name for p in parent.iterdir()) == ["existing"]  # nothing created, no temp left


def test_cli_backup_and_restore(built, tmp_path, capsys):
    engine = built[0]
    out = tmp_path / "cli.zip"
    assert main(["backup", "-o", str(out), "--index", engine.settings.index, "--embeddings", "fake"]) == 0
    assert "backed up 6 speeches" in capsys.readouterr().out
    assert main(["restore", str(out), "--check"]) == 0
    assert "every sha256 matches" in capsys.readouterr().out
    target = tmp_path / "cli-restored"
    assert main(["restore", str(out), "--index", str(target), "--embeddings", "fake"]) == 0
    assert "restored 6 speeches" in capsys.readouterr().out
    # a second restore into the now non-empty folder: refused on one line, exit 1
    assert main(["restore", str(out), "--index", str(target), "--embeddings", "fake"]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and err.startswith("speechqa: ") and "is not empty" in err
    # a foreign file
    foreign = tmp_path / "foreign.zip"
    with zipfile.ZipFile(foreign, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert main(["restore", str(foreign), "--index", str(tmp_path / "x"), "--embeddings", "fake"]) == 1
    assert "not a speechqa backup" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_backup_of_a_missing_index_is_refused(tmp_path, capsys):
    assert main(["backup", "-o", str(tmp_path / "b.zip"), "--index", str(tmp_path / "nope"), "--embeddings", "fake"]) == 1
    assert "no index at" in capsys.readouterr().err
    assert not (tmp_path / "nope").exists() and not (tmp_path / "b.zip").exists()

