"""Running the real `speechqa` command in a subprocess, and waiting for servers."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request


def run(*args, stdin=None, index=None, timeout=900):
    cmd = [sys.executable, "-m", "qa.cli", *args]
    if index is not None:
        cmd += ["--index", str(index)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env, timeout=timeout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 120.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {proc.stdout.read() if proc.stdout else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout}s")
