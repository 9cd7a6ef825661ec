"""Shared fixtures: a deterministic fake embedder for unit tests; the real model for integration tests."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from vectorstore import embeddings as emb_mod  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SPEECHES = ROOT / "data" / "speeches"
QUESTIONS = ROOT / "eval" / "questions.jsonl"


class FakeEmbeddings(Embeddings):
    """Hashed character bigrams → a unit vector: deterministic, fast, and similar texts stay similar."""

    name = "fake"
    dim = 64

    def __init__(self) -> None:
        self.calls = 0

    def _vec(self, text: str) -> list[float]:
        v = np.zeros(self.dim)
        for a, b in zip(text, text[1:] + " "):
            v[int(hashlib.md5((a + b).encode()).hexdigest(), 16) % self.dim] += 1.0
        n = np.linalg.norm(v)
        return (v / n if n else v + 1 / np.sqrt(self.dim)).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += len(texts)
        return [self._vec(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vec(text)


emb_mod.BACKENDS["fake"] = lambda spec: FakeEmbeddings()


def make_engine(index: Path, embeddings: str = "fake", chroma_url: str = ""):
    from shell.settings import Settings
    from shell.engine import Engine

    return Engine(Settings.load(index=str(index), embeddings=embeddings, chroma_url=chroma_url))


def bundled_engine(root: Path):
    """A store under `root` holding a private copy of the bundled speeches (fake embedder): for the
    module fixtures of tests that only read it."""
    from ingest.pipeline import ingest_paths

    shutil.copytree(SPEECHES, root / "speeches")
    engine = make_engine(root / "index")
    ingest_paths([root / "speeches"], engine.store)
    return engine


@pytest.fixture
def engine(tmp_path):
    """An empty store on a real embedded Chroma, with the fake embedder."""
    return make_engine(tmp_path / "index")


@pytest.fixture
def speeches_copy(tmp_path) -> Path:
    """A private copy of the bundled speeches (tests may change or delete files in it)."""
    dst = tmp_path / "speeches"
    shutil.copytree(SPEECHES, dst)
    return dst


def _ingest_real(index: Path) -> None:
    from ingest.pipeline import ingest_paths

    eng = make_engine(index, embeddings="e5-small")
    reports = ingest_paths([SPEECHES], eng.store)
    assert all(r.status == "added" for r in reports), reports


@pytest.fixture(scope="session")
def real_index(tmp_path_factory) -> Path:
    """The bundled speeches ingested once with the real bundled model (e5-small) into a real Chroma.
    Under pytest-xdist the first worker builds it and each worker gets its own copy (a minute of CPU
    saved per worker; no two processes ever open one Chroma folder)."""
    index = tmp_path_factory.mktemp("real") / "index"
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        _ingest_real(index)
        return index
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp().parent / "real-index"
    with FileLock(str(shared) + ".lock"):
        if not (shared / "built").exists():
            _ingest_real(shared / "index")
            (shared / "built").touch()
    shutil.copytree(shared / "index", index)
    return index


def pytest_collection_modifyitems(config, items):
    """A test that needs the real model's index (directly or through another fixture) is an integration
    test, wherever it lives: `make test-fast` (-m "not integration and not e2e") never loads the model."""
    for item in items:
        if "real_index" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.integration)
