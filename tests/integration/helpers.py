"""Running the real `speechqa` command in a subprocess, and waiting for servers."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request


def run(*args, stdin=None, index=None, timeout=900):
    cmd = [sys.executable, "-m", "shell.cli", *args]
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
            log = open(proc.log_path).read()[-3000:] if getattr(proc, "log_path", None) else ""
            raise RuntimeError(f"server exited with {proc.returncode}: {log}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


def start_server(cmd: list[str], log_path, **kw) -> subprocess.Popen:
    """A server process whose output goes to a file: a pipe nobody reads fills up and blocks it."""
    log = open(log_path, "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, text=True, **kw)
    proc.log_path = log_path
    return proc
