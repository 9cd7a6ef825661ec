"""Build the Gradio app from its tabs and serve it. app.py and `speechqa serve` both call `serve`."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import gradio as gr

from admin.auth import Accounts
from shell.engine import Engine
from shell.settings import Settings

from .chat import build_chat_tab
from .compare_tab import build_compare_tab
from .digest_tab import build_digest_tab
from .reader import build_reader_tab
from .study_tab import build_study_tab
from .style import CSS, HEAD
from .upload import build_upload_tab
from .admin_tab import build_admin_tab


def per_user_lists(engine, request: gr.Request):
    from .chat import speech_choices
    from .reader import speech_rows

    choices = speech_choices(engine, request)
    return (gr.Dropdown(choices=choices), gr.Dropdown(choices=choices), speech_rows(engine, request),
            gr.Dropdown(choices=choices), gr.Dropdown(choices=choices), gr.Dropdown(choices=choices))


def build(engine: Engine) -> gr.Blocks:
    accounts = getattr(engine, "accounts", None)
    with gr.Blocks(title="讲话问答 speechqa") as demo:
        gr.Markdown("## 讲话问答\n依据讲话原文作答；每条引文都与原文逐字核对，并注明讲话、段落号（§）和所在标题。")
        with gr.Tabs() as tabs:
            chat = build_chat_tab(engine)
            reader = build_reader_tab(engine, tabs)
            study = build_study_tab(engine)
            digest = build_digest_tab(engine)
            compare = build_compare_tab(engine)
            upload = build_upload_tab(engine)
            admin = build_admin_tab(engine)
        lists = [chat["scope"], reader["pick"], reader["table"], study["speech"], digest["speech"], compare["speech"]]
        upload["go"].click(upload["upload"], upload["files"],
                           [upload["report"], chat["scope"], reader["pick"], reader["table"], study["speech"]],
                           concurrency_limit=1)
        demo.load(reader["on_load"], None, reader["load_outputs"])
        demo.load(**study["practice_load"])
        demo.load(admin["on_load"], None, admin["load_outputs"])
        if accounts is not None and accounts.enabled:  # each user's lists hold only what they may see
            def lists_for(request: gr.Request):
                return per_user_lists(engine, request)

            demo.load(lists_for, None, lists)
    return demo


def login_check(accounts):
    """Gradio's auth callable over the users file and SPEECHQA_AUTH (rate-limited, audited), or None
    when no sign-in is set up."""
    if not accounts.enabled:
        return None
    from admin.auth import CLIENT

    return lambda name, password: accounts.sign_in(name, password, CLIENT.get(), via="app") is not None


def api_kwargs(engine, accounts) -> dict:
    """The HTTP API (shell/api.py) and the client-address middleware, for Gradio's own FastAPI app."""
    from starlette.middleware import Middleware

    from shell.api import build_api
    from admin.auth import ClientAddress

    return {"routes": list(build_api(engine, accounts).routes), "middleware": [Middleware(ClientAddress)]}


def ensure_index(engine: Engine) -> None:
    """First start: ingest the bundled speeches when the store is empty."""
    if engine.store.speeches():
        return
    from ingest.pipeline import ingest_paths

    folder = Path(engine.settings.speeches_dir)
    if folder.is_dir():
        print(f"index is empty: ingesting {folder}", file=sys.stderr)
        ingest_paths([folder], engine.store)


LOOPBACK = ("127.0.0.1", "localhost", "::1")
# Gradio's copies of uploaded files (and of downloads): swept hourly once a day old, not kept for ever.
TEMP_CLEANUP = (3600, 86400)  # (every seconds, older than seconds)


def root_path(settings: Settings) -> str | None:
    """The prefix a reverse proxy serves the app under ("/speechqa"), or None for Gradio's default
    (GRADIO_ROOT_PATH, else "/"). The proxy strips the prefix; Gradio puts it back into its URLs."""
    root = settings.root_path.strip()
    if not root:
        return None
    if not root.startswith(("/", "http://", "https://")):
        root = "/" + root
    return root.rstrip("/")


def exposure_warning(settings: Settings) -> str | None:
    """A one-line warning when the app is reachable from other machines without a login."""
    if settings.auth or os.environ.get("SPEECHQA_USERS") or settings.host in LOOPBACK or settings.host.startswith("127."):
        return None
    return (f"warning: serving on {settings.host} without a login: anyone who can reach this port can "
            "upload files and ask questions; set SPEECHQA_AUTH=user:password or bind 127.0.0.1")


def serve(settings: Settings, prevent_thread_lock: bool = False):
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    warning = exposure_warning(settings)
    if warning:
        print(warning, file=sys.stderr)
    engine = Engine(settings)
    accounts = Accounts.from_env(settings.auth, getattr(engine, "audit", None))
    engine.accounts = accounts
    ensure_index(engine)
    engine.answerer.ask("warm up")  # load the model and build the keyword index before the first user
    demo = build(engine)
    demo.delete_cache = TEMP_CLEANUP  # read when launch() creates the server
    demo.queue(default_concurrency_limit=8)
    return demo.launch(server_name=settings.host, server_port=settings.port, auth=login_check(accounts),
                       max_file_size=f"{settings.max_upload_mb}mb", css=CSS, head=HEAD, show_error=False,
                       prevent_thread_lock=prevent_thread_lock, footer_links=[],
                       root_path=root_path(settings), app_kwargs=api_kwargs(engine, accounts))
