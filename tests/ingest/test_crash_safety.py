"""SIGKILL an ingest part way, at several points, then check the store: every visible speech complete,
nothing half present, and a re-run finishes with no duplicates and no leftovers."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from ingest.pipeline import expand, load_speech
from tests.conftest import ROOT, make_engine

# Real ingest processes killed after fixed delays (about a minute in all): not a unit test. (To do: a
# fake embedder that signals after N chunks, so the kill points are exact and the test fast.)
pytestmark = pytest.mark.integration

SPEC = "python:tests.fake_backend:make_slow"


def start_ingest(folder, index):
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
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


@pytest.mark.parametrize("delay", [0.5, 2.0, 2.6, 3.2, 3.8, 4.6])
def test_killed_ingest_leaves_a_consistent_store(tmp_path, speeches_copy, delay):
    index = tmp_path / "index"
    want = expected(speeches_copy)
    proc = start_ingest(speeches_copy, index)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if index.exists():
        check_consistent(index, want)
    # The re-run completes the job; the killed run's leftovers are swept.
    rerun = start_ingest(speeches_copy, index)
    assert rerun.wait(timeout=300) == 0
    check_consistent(index, want, allow_missing=False)


def test_killed_update_keeps_either_the_old_or_the_new_version(tmp_path, speeches_copy):
    index = tmp_path / "index"
    assert start_ingest(speeches_copy, index).wait(timeout=300) == 0
    old = expected(speeches_copy)
    target = sorted(speeches_copy.glob("*.txt"))[-1]
    target.write_text(target.read_text(encoding="utf-8") + "\n新增的一段总结讲话内容，要求大家认真落实。\n" * 3,
                      encoding="utf-8")
    new = expected(speeches_copy)
    seen_versions = set()
    for delay in (1.8, 2.4, 3.2):
        proc = start_ingest(speeches_copy, index)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        store = make_engine(index, SPEC).store
        sp = store.speeches()[target.stem]
        want = new if sp.hash == new[target.stem][0] else old
        check_consistent(index, want)
        seen_versions.add(sp.hash)
    assert seen_versions and seen_versions <= {old[target.stem][0], new[target.stem][0]}  # never a third
    assert start_ingest(speeches_copy, index).wait(timeout=300) == 0
    check_consistent(index, new, allow_missing=False)
