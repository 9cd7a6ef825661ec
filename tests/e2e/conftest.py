"""The running app, shared by the browser and load tests (its own copy of the real index)."""
from __future__ import annotations

import os
import shutil
import sys
from contextlib import contextmanager

import pytest

from pathlib import Path

from tests.conftest import ROOT
from tests.integration.helpers import free_port, start_server, wait_http


ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling hosts this closed network refuses.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright, one per test module."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (make system-deps installs it)", pytrace=False)
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def app_url(real_index, tmp_path_factory):
    index = tmp_path_factory.mktemp("app") / "index"
    shutil.copytree(real_index, index)  # uploads must not change the shared index
    with serve_app(index, index.parent / "app.log") as url:
        yield url, index


@pytest.fixture(scope="module")
def private_app(real_index, tmp_path_factory):
    """An app of its own, over its own copy of the real index, for a test module that changes the library
    (an upload) or refers to a listed answer by number: no other module sees its changes, nor it theirs."""
    index = tmp_path_factory.mktemp("private-app") / "index"
    shutil.copytree(real_index, index)
    with serve_app(index, index.parent / "app.log") as url:
        yield url, index


@contextmanager
def serve_app(index: Path, log: Path, **env_extra: str):
    """`speechqa serve` on a free port of loopback over `index`; yields its URL once it answers."""
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False", **env_extra}
    proc = start_server([sys.executable, "-m", "shell.cli", "serve", "--index", str(index), "--port", str(port)],
                        log, env=env, cwd=ROOT)
    try:
        wait_http(f"http://127.0.0.1:{port}/", timeout=180, proc=proc)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
