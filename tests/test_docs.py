"""Every code example in README.md and docs/*.md runs: each ```python block against a small index of the
bundled speeches (fake embedder, a fake chat model where a block asks for an LLM), each `speechqa …` line
of a ```bash block through the CLI's own argument parser."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import ROOT, SPEECHES, make_engine

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^( *)```(python|bash)\n(.*?)^\1```", re.S | re.M)


def blocks(kind: str) -> list[tuple[str, str]]:
    out = []
    for doc in DOCS:
        for m in BLOCK.finditer(doc.read_text(encoding="utf-8")):
            if m.group(2) == kind:
                indent = len(m.group(1))
                code = "\n".join(line[indent:] for line in m.group(3).splitlines())
                out.append((f"{doc.name}:{doc.read_text(encoding='utf-8')[:m.start()].count(chr(10)) + 1}", code))
    return out


def commands(code: str) -> list[list[str]]:
    """The speechqa command lines of a bash block: continuations joined, comments, [optional] parts and
    redirections left out."""
    out = []
    for line in code.replace("\\\n", " ").splitlines():
        line = re.sub(r"\[[^\]]*\]", "", line).strip()
        words = shlex.split(line, comments=True) if line else []
        if words and Path(words[0]).name == "speechqa":
            cut = next((i for i, w in enumerate(words) if w in ("<", ">", "|")), len(words))
            out.append(words[1:cut])
    return out


@pytest.fixture(scope="module")
def doc_root(tmp_path_factory):
    from ingest.pipeline import ingest_paths

    root = tmp_path_factory.mktemp("docs")
    ingest_paths([SPEECHES], make_engine(root / "data" / "index").store)
    return root


@pytest.mark.parametrize("where, code", blocks("python"), ids=[w for w, _ in blocks("python")])
def test_python_example_runs(where, code, doc_root, monkeypatch):
    import langchain_openai
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    monkeypatch.chdir(doc_root)  # the examples open data/index
    monkeypatch.setenv("SPEECHQA_EMBEDDINGS", "fake")
    monkeypatch.setattr(langchain_openai, "ChatOpenAI", lambda **kw: FakeListChatModel(responses=["无法回答。"] * 4))
    exec(compile(code, where, "exec"), {"__name__": "__docs__"})


def test_bash_examples_parse():
    from shell.cli import build_parser

    seen = 0
    for where, code in blocks("bash"):
        for argv in commands(code):
            seen += 1
            try:
                build_parser().parse_args(argv)
            except SystemExit as e:
                pytest.fail(f"{where}: speechqa {' '.join(argv)} does not parse (exit {e.code})")
    assert seen >= 10  # the README and the guides show the commands
