"""Server mode: the same commands against a real `chroma run` server (HttpClient)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import SPEECHES
from tests.integration.helpers import free_port, run, start_server, wait_http

pytestmark = pytest.mark.e2e
CHROMA = Path(__import__("sys").executable).parent / "chroma"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    proc = start_server([str(CHROMA), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                        data.parent / "chroma-server.log")
    try:
        wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=60, proc=proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def local(real_index, tmp_path_factory):
    """Local caches (embeddings, keyword index) from the real index: the vectors are not recomputed."""
    folder = tmp_path_factory.mktemp("server-local")
    shutil.copy(real_index / "embeddings.sqlite", folder / "embeddings.sqlite")
    return folder


def srv(url, local, *args, stdin=None):
    return run(*args, "--chroma-url", url, stdin=stdin, index=local)


def test_ingest_search_ask_prune_through_the_server(server, local, tmp_path):
    speeches = tmp_path / "speeches"
    shutil.copytree(SPEECHES, speeches)
    r = srv(server, local, "ingest", str(speeches))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "5 added, 0 unchanged"
    got = json.loads(srv(server, local, "stats", "--json").stdout)
    assert {k: got[k] for k in ("speeches", "paragraphs", "chunks")} == {"speeches": 5, "paragraphs": 119, "chunks": 387}
    assert srv(server, local, "ingest", str(speeches)).stdout.strip().splitlines()[-1] == "0 added, 5 unchanged"

    r = srv(server, local, "search", "如何织密“不能腐”的笼子？", "--json")
    top = json.loads(r.stdout)["results"][0]
    assert (top["speech"], top["paragraph"]) == ("002_d78a8ffa42bed171", 17)

    r = srv(server, local, "ask", "怎样落实“一岗双责”？", "--json")
    obj = json.loads(r.stdout)
    assert not obj["abstained"] and obj["citations"]

    (speeches / "000_6117c26b33f13efb.txt").unlink()
    r = srv(server, local, "ingest", str(speeches), "--prune")
    assert "1 pruned" in r.stdout
    assert json.loads(srv(server, local, "stats", "--json").stdout)["speeches"] == 4


def test_server_down_is_a_clear_error(local):
    url = f"http://127.0.0.1:{free_port()}"
    for cmd in (("stats",), ("search", "四风"), ("ingest", str(SPEECHES))):
        r = srv(url, local, *cmd)
        assert r.returncode == 1
        assert r.stderr.strip() == f"speechqa: cannot reach the Chroma server at {url}: ValueError" or \
            r.stderr.startswith(f"speechqa: cannot reach the Chroma server at {url}")
        assert r.stderr.count("\n") == 1
