"""An index written by the previous version opens with this one and is migrated, never emptied; nothing
in the index folder is ever unpickled; a format newer than this code is refused, not misread."""
from __future__ import annotations

import pickle
import sqlite3
import subprocess
import sys
import tarfile

import pytest

from ingest.pipeline import ingest_paths
from ingest.uploads import save_and_ingest
from tests.conftest import ROOT, SPEECHES, make_engine
from vectorstore.chroma import FORMAT, FORMAT_ID, StoreError, _tag
from vectorstore.keyword import signature

PREVIOUS = "75704a5"  # the release before speech identity by source and pickle-free index files
# Its ingest/vectorstore/qa/shell packages, from `git archive 75704a5 ingest vectorstore qa shell | gzip -9n`:
# checked in so the test also runs from a tarball or a shallow clone, which have no history to archive.
RELEASE = ROOT / "tests" / "data" / f"release-{PREVIOUS}.tar.gz"
UPLOAD = "同志们：\n这是通过网页上传的一篇讲话，要落实“三会一课”。\n"

WRITE_OLD_INDEX = """
import importlib.util, sys
from pathlib import Path
old, conftest, index, speeches, upload = map(Path, sys.argv[1:6])
sys.path.insert(0, str(old))
spec = importlib.util.spec_from_file_location("old_conftest", conftest)
conf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(conf)  # registers the fake embedder with the old code
eng = conf.make_engine(index)
from ingest.pipeline import ingest_paths
from ingest.uploads import save_and_ingest
assert all(r.status == "added" for r in ingest_paths([speeches], eng.store))
assert [r.status for r in save_and_ingest([upload], eng.store, index / "uploads")] == ["added"]
eng.retriever.keyword_index()
"""


def old_release(tmp_path):
    tree = tmp_path / "old"
    tree.mkdir()
    with tarfile.open(RELEASE) as tar:
        tar.extractall(tree, filter="data")
    return tree


def test_index_of_the_previous_version_is_migrated_and_keeps_uploads(tmp_path):
    index, upload = tmp_path / "index", tmp_path / "browser" / "upload_x.txt"
    upload.parent.mkdir()
    upload.write_text(UPLOAD, encoding="utf-8")
    tree = old_release(tmp_path)
    subprocess.run([sys.executable, "-c", WRITE_OLD_INDEX, str(tree), str(ROOT / "tests" / "conftest.py"),
                    str(index), str(SPEECHES), str(upload)], cwd=tree, check=True, timeout=300)
    assert list((index / "keyword").glob("keyword-*.pkl"))  # the old artifacts are there

    engine = make_engine(index)
    speeches = engine.store.speeches()
    stems = {f.stem for f in SPEECHES.glob("*.txt")}
    assert set(speeches) == stems | {"upload_x"} and engine.store.format == FORMAT
    up = speeches["upload_x"]
    assert up.origin == "upload_x.txt" and (index / "uploads" / "upload_x.txt").samefile(up.source)
    hits = engine.retriever.search("这是通过网页上传的一篇讲话", k=3)
    assert hits and hits[0].speech == "upload_x"
    assert not list((index / "keyword").glob("*.pkl")) and list((index / "keyword").glob("keyword-*.npz"))
    tables = sqlite3.connect(index / "keyword" / "tokens.sqlite").execute(
        "SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    assert ("tokens",) not in tables  # the pickled rows are gone, unread
    # The same sources are recognised: nothing is added twice, ids stay.
    assert {r.status for r in ingest_paths([SPEECHES], engine.store)} == {"unchanged"}
    (r,) = save_and_ingest([upload], engine.store, index / "uploads")
    assert (r.speech, r.status) == ("upload_x", "unchanged")
    assert len(engine.store.speeches()) == len(stems) + 1


class Payload:
    """Unpickling this creates the marker file: proof that code from the index folder ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_pickles_in_the_index_folder_are_never_loaded(tmp_path):
    index, marker = tmp_path / "index", tmp_path / "pwned"
    engine = make_engine(index)
    ingest_paths([SPEECHES], engine.store)
    kw = index / "keyword"
    kw.mkdir(parents=True, exist_ok=True)
    (kw / f"keyword-{signature(engine.store.speeches())}.pkl").write_bytes(pickle.dumps(Payload(marker)))
    db = sqlite3.connect(kw / "tokens.sqlite")
    db.execute("CREATE TABLE tokens (hash TEXT PRIMARY KEY, data BLOB)")
    db.executemany("INSERT INTO tokens VALUES (?, ?)",
                   [(s.hash, pickle.dumps(Payload(marker))) for s in engine.store.speeches().values()])
    db.commit()
    db.close()
    fresh = make_engine(index)
    assert fresh.retriever.search("三会一课", k=3)
    assert not marker.exists()
    assert not list(kw.glob("*.pkl"))


def test_a_newer_index_format_is_refused(tmp_path):
    index = tmp_path / "index"
    engine = make_engine(index)
    assert engine.store.format == FORMAT
    engine.store._speeches.upsert(ids=[FORMAT_ID], documents=[""], embeddings=[_tag(FORMAT_ID)],
                                  metadatas=[{"format": FORMAT + 1}])
    with pytest.raises(StoreError, match="newer speechqa"):
        make_engine(index).store
