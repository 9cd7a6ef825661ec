"""The `speechqa` command: one module per command, each with `add(subparsers)` and `run(args)`."""
from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from . import ask, backup, chat, compare, digest, evaluate, ingest, llm, restore, search, serve, stats, study  # noqa: E402
from . import extract, meta, remove, replace, speeches, tag, user  # noqa: E402
from .common import UsageError  # noqa: E402

COMMANDS = [ingest, extract, search, ask, chat, study, digest, compare, stats, backup, restore, evaluate, serve,
            llm, speeches, meta, remove, replace, tag, user]


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="speechqa", description="Answer questions over speeches, with exact citations.")
    sub = ap.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.add(sub)
    return ap


def _known_errors() -> tuple:
    from ingest.lock import IngestBusy
    from qa.llm import LLMError
    from vectorstore.chroma import StoreError

    return (StoreError, LLMError, IngestBusy, ValueError, OSError)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as e:
        print(f"speechqa: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # one line for the user; the traceback only when asked for
        if os.environ.get("SPEECHQA_DEBUG"):
            raise
        known = isinstance(e, _known_errors())
        print(f"speechqa: {e}" if known else f"speechqa: error: {e}", file=sys.stderr)
        return 1
