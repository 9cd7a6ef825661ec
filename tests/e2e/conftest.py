"""The running app, shared by the browser and load tests (its own copy of the real index)."""
from __future__ import annotations

import os
import shutil
import sys

import pytest

from tests.conftest import ROOT
from tests.integration.helpers import free_port, start_server, wait_http


@pytest.fixture(scope="session")
def app_url(real_index, tmp_path_factory):
    index = tmp_path_factory.mktemp("app") / "index"
    shutil.copytree(real_index, index)  # uploads must not change the shared index
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    proc = start_server([sys.executable, "-m", "shell.cli", "serve", "--index", str(index), "--port", str(port)],
                        index.parent / "app.log", env=env, cwd=ROOT)
    try:
        wait_http(f"http://127.0.0.1:{port}/", timeout=180, proc=proc)
        yield f"http://127.0.0.1:{port}/", index
    finally:
        proc.terminate()
        proc.wait(timeout=30)


