"""`speechqa serve`: the chat app (Gradio), built by shell.web like app.py."""
from __future__ import annotations

from .common import add_common, add_llm_flags, settings_from


def add(sub) -> None:
    p = sub.add_parser("serve", help="run the chat app (Gradio)")
    p.add_argument("--host", help="address to bind (default 127.0.0.1; env SPEECHQA_HOST)")
    p.add_argument("--port", type=int, help="port (default 7860; env SPEECHQA_PORT)")
    p.add_argument("--root-path", help="URL path prefix when served behind a reverse proxy, e.g. /speechqa "
                   "(env SPEECHQA_ROOT_PATH; see deploy/)")
    add_common(p)
    add_llm_flags(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from shell.web.server import serve

    serve(settings_from(args, host=args.host, port=args.port, root_path=args.root_path))
    return 0
