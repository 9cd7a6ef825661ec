"""What every command shares: the usage error, the common flags, reading questions, opening the engine."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

from qa.answer import MAX_QUESTION_CHARS



class UsageError(Exception):
    """Bad input: printed as one line on stderr, exit status 2."""


def add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", help="where the store lives (default data/index; env SPEECHQA_INDEX)")
    p.add_argument("--chroma-url", help="use a Chroma server instead, e.g. http://127.0.0.1:8000")
    p.add_argument("--embeddings", help="e5-small (default) or sentence-transformers:<path>")


def add_llm_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mode", choices=["offline", "llm"], help="answer mode (default: llm when configured)")
    p.add_argument("--llm-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1 (env SPEECHQA_LLM_URL)")
    p.add_argument("--llm-model", help="model name at that endpoint (env SPEECHQA_LLM_MODEL)")
    p.add_argument("--llm-key", help="API key if the endpoint needs one; prefer env SPEECHQA_LLM_KEY (flags show in ps)")


def questions(arg: str) -> Iterator[str]:
    """The question given, or one question per non-blank line of stdin for '-'."""
    if arg == "-":
        for line in sys.stdin:
            if line.strip():
                yield line.strip()
    else:
        if not arg.strip():
            raise UsageError("the question is empty")
        yield arg


def check_question(q: str) -> None:
    if len(q) > MAX_QUESTION_CHARS:
        raise UsageError(f"the question is {len(q)} characters long; the limit is {MAX_QUESTION_CHARS}")


def settings_from(args, **extra):
    from shell.settings import Settings

    return Settings.load(index=args.index, chroma_url=args.chroma_url, embeddings=args.embeddings,
                         llm_url=getattr(args, "llm_url", None), llm_model=getattr(args, "llm_model", None),
                         llm_key=getattr(args, "llm_key", None), **extra)


def engine_from(args):
    from shell.engine import Engine

    return Engine(settings_from(args))


def require_index(engine) -> None:
    if not engine.store.speeches():
        raise UsageError("the index is empty: run 'speechqa ingest' first")


def check_speeches(engine, names: list[str] | None) -> None:
    if names:
        unknown = [n for n in names if n not in engine.store.speeches()]
        if unknown:
            raise UsageError(f"unknown speech: {', '.join(unknown)} (see 'speechqa stats')")
