"""API load test: N concurrent clients against the HTTP API for S seconds, on this machine only.
Each client loops over /v1/chat/completions, /api/search and /api/ask with the bundled questions;
the run reports requests, errors (any non-200 or exception), and p50/p95/max latency per endpoint.

    python bench/api_load.py --url http://127.0.0.1:7860 [--key sq_…] [--clients 20] [--seconds 60]
    python bench/api_load.py --index data/index          # starts `speechqa serve` on a free port itself
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["如何控制“三公经费”？", "养老资金是怎样监管的？", "怎样落实“一岗双责”？", "如何织密“不能腐”的笼子？",
             "对党支部标准化规范化建设有什么要求？"]
CALLS = [  # (name, path, body of a question)
    ("chat", "/v1/chat/completions", lambda q: {"model": "speechqa", "messages": [{"role": "user", "content": q}]}),
    ("search", "/api/search", lambda q: {"question": q, "k": 5}),
    ("ask", "/api/ask", lambda q: {"question": q}),
]


def loopback_only(url: str) -> None:
    host = urlparse(url).hostname or ""
    if not (host.startswith("127.") or host in ("localhost", "::1")):
        raise SystemExit(f"refused: {host} is not this machine (the load test sends to loopback only)")


def run_load(url: str, key: str | None = None, clients: int = 20, seconds: float = 60.0) -> dict:
    """Run the load; {"requests", "errors", "samples": {name: [seconds…]}, "first_errors": […]}."""
    loopback_only(url)
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    samples: dict[str, list[float]] = {name: [] for name, _, _ in CALLS}
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        i = n
        with httpx.Client(base_url=url.rstrip("/"), headers=headers, timeout=120) as http:
            while time.monotonic() < stop_at:
                name, path, body = CALLS[i % len(CALLS)]
                q = QUESTIONS[(i // len(CALLS)) % len(QUESTIONS)]
                i += 1
                t0 = time.monotonic()
                try:
                    r = http.post(path, json=body(q))
                    ok = r.status_code == 200 and (name != "chat" or r.json()["choices"][0]["message"]["content"])
                    problem = None if ok else f"{name} {r.status_code} {r.text[:80]}"
                except Exception as e:  # noqa: BLE001 — every failure counts as an error
                    problem = f"{name} {type(e).__name__}: {e}"
                with lock:
                    samples[name].append(time.monotonic() - t0)
                    if problem:
                        errors.append(problem)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = sum(len(v) for v in samples.values())
    return {"requests": total, "errors": len(errors), "first_errors": errors[:5], "samples": samples}


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def summary(result: dict, seconds: float, clients: int) -> dict:
    every = [x for v in result["samples"].values() for x in v]
    out = {"clients": clients, "seconds": seconds, "requests": result["requests"], "errors": result["errors"],
           "rps": round(result["requests"] / seconds, 1), "p50_ms": round(1000 * statistics.median(every), 1) if every else 0,
           "p95_ms": round(1000 * pct(every, 0.95), 1), "max_ms": round(1000 * max(every, default=0), 1)}
    out["by_call"] = {name: {"n": len(v), "p50_ms": round(1000 * pct(v, 0.5), 1), "p95_ms": round(1000 * pct(v, 0.95), 1)}
                      for name, v in result["samples"].items()}
    if result["first_errors"]:
        out["first_errors"] = result["first_errors"]
    return out


def own_server(index: str):
    """`speechqa serve` on a copy of the index and a free port; (url, process, folder)."""
    import socket

    folder = Path(tempfile.mkdtemp(prefix="speechqa-load-"))
    shutil.copytree(index, folder / "index")
    (folder / "index" / "ingest.lock").unlink(missing_ok=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    env.pop("SPEECHQA_USERS", None)
    env.pop("SPEECHQA_AUTH", None)
    log = open(folder / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "shell.cli", "serve", "--index", str(folder / "index"),
                             "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/speeches", timeout=5).status_code == 200:
                return url, proc, folder
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(1)
    proc.terminate()
    raise SystemExit(f"the server did not start (see {folder / 'serve.log'})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", help="the running app, e.g. http://127.0.0.1:7860 (loopback only)")
    ap.add_argument("--index", help="start `speechqa serve` on a copy of this index instead")
    ap.add_argument("--key", default=os.environ.get("SPEECHQA_API_KEY"), help="an API key (env SPEECHQA_API_KEY)")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60.0)
    args = ap.parse_args()
    if not args.url and not args.index:
        ap.error("give --url or --index")
    proc = folder = None
    url = args.url
    if not url:
        url, proc, folder = own_server(args.index)
    try:
        result = run_load(url, args.key, args.clients, args.seconds)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(summary(result, args.seconds, args.clients), ensure_ascii=False, indent=1))
    sys.exit(1 if result["errors"] else 0)


if __name__ == "__main__":
    main()
