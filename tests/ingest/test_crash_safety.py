"""SIGKILL an ingest part way, at exact points (a fake embedder kills its own process once N chunks are
embedded), then check the store: every visible speech complete, nothing half present, and a re-run
finishes with no duplicates and no leftovers."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from ingest.pipeline import expand, load_speech
from tests.conftest import ROOT, make_engine

# Real ingest processes (a few seconds each to start): not a unit test.
pytestmark = pytest.mark.integration

SPEC = "python:tests.fake_backend:make_killing"
NEVER = 10**9


def start_ingest(folder, index, kill_after=NEVER):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "SPEECHQA_TEST_KILL_AFTER": str(kill_after)}
    return subprocess.Popen([sys.executable, "-m", "shell.cli", "ingest", str(folder), "--index", str(index),
                             "--embeddings", SPEC], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def expected(folder):
    out = {}
    for f in expand([folder]):
        speech, chunks = load_speech(f)
        out[speech.id] = (speech.hash, len(chunks))
    return out


def check_consistent(index, want, allow_missing=True):
    store = make_engine(index, SPEC).store
    speeches = store.speeches()
    got = store.chunks.get(include=["metadatas"])
    by_key: dict[str, int] = {}
    for m in got["metadatas"]:
        by_key[m["key"]] = by_key.get(m["key"], 0) + 1
    for sid, sp in speeches.items():
        assert (sp.hash, by_key.get(f"{sid}@{sp.hash}", 0)) == want[sid], f"{sid} is half present"
    if not allow_missing:
        assert set(speeches) == set(want)
        assert len(got["ids"]) == sum(n for _, n in want.values()), "leftover or duplicate chunks"
    return set(speeches)


@pytest.mark.parametrize("share", [0.0, 0.2, 0.45, 0.7, 0.95])
def test_killed_ingest_leaves_a_consistent_store(tmp_path, speeches_copy, share):
    index = tmp_path / "index"
    want = expected(speeches_copy)
    total = sum(n for _, n in want.values())
    proc = start_ingest(speeches_copy, index, kill_after=int(share * total))
    assert proc.wait(timeout=300) == -signal.SIGKILL  # it died at the kill point, not before or after
    done = check_consistent(index, want) if index.exists() else set()
    assert done != set(want)  # the kill came before the last speech was committed
    # The re-run completes the job; the killed run's leftovers are swept.
    assert start_ingest(speeches_copy, index).wait(timeout=300) == 0
    check_consistent(index, want, allow_missing=False)


def test_killed_update_keeps_the_old_version(tmp_path, speeches_copy):
    index = tmp_path / "index"
    assert start_ingest(speeches_copy, index).wait(timeout=300) == 0
    old = expected(speeches_copy)
    target = sorted(speeches_copy.glob("*.txt"))[-1]
    target.write_text(target.read_text(encoding="utf-8") + "\n新增的一段总结讲话内容，要求大家认真落实。\n" * 3,
                      encoding="utf-8")
    new = expected(speeches_copy)
    # Only the changed speech is embedded again: killed while its new chunks are embedded, twice over.
    for _ in range(2):
        assert start_ingest(speeches_copy, index, kill_after=0).wait(timeout=300) == -signal.SIGKILL
        sp = make_engine(index, SPEC).store.speeches()[target.stem]
        assert sp.hash == old[target.stem][0]  # the old version, whole
        check_consistent(index, old, allow_missing=False)
    assert start_ingest(speeches_copy, index).wait(timeout=300) == 0
    check_consistent(index, new, allow_missing=False)
