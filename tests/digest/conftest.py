"""Indexes of the bundled speeches for the digest tests: the real model (quality) and the fake one (CLI)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SPEECHES, make_engine


@pytest.fixture(scope="session")
def fake_index(tmp_path_factory) -> Path:
    from ingest.pipeline import ingest_paths

    index = tmp_path_factory.mktemp("digest-fake") / "index"
    ingest_paths([SPEECHES], make_engine(index, "fake").store)
    return index


@pytest.fixture(scope="session")
def collector(real_index):
    from digest.collect import Collector

    return Collector(make_engine(real_index, "e5-small").retriever)


def file_paragraphs(stem: str) -> list[str]:
    """Paragraph n of a bundled speech, read straight from its file (the numbering rule in the README:
    the n-th line that is non-empty after stripping whitespace)."""
    lines = (SPEECHES / f"{stem}.txt").read_text(encoding="utf-8-sig").splitlines()
    return [line.strip() for line in lines if line.strip()]


def grep(term: str) -> set[str]:
    """speech§n of every paragraph whose text contains the term, from the files themselves."""
    out = set()
    for f in sorted(SPEECHES.glob("*.txt")):
        for n, text in enumerate(file_paragraphs(f.stem), start=1):
            if term in text:
                out.add(f"{f.stem}§{n}")
    return out
