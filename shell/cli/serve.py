"""`speechqa serve`: the chat app (Gradio), built by shell.web like app.py."""
from __future__ import annotations

from .common import add_common, add_llm_flags, settings_from


def add(sub) -> None:
    p = sub.add_parser("serve", help="run the chat app (Gradio)")
    p.add_argument("--host", help="address to bind (default 127.0.0.1; env SPEECHQA_HOST)")
    p.add_argument("--port", type=int, help="port (default 7860; env SPEECHQA_PORT)")
    add_common(p)
    add_llm_flags(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from shell.web.server import serve

    serve(settings_from(args, host=args.host, port=args.port))
    return 0
