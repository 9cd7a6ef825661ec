"""The path prefix setting (--root-path / SPEECHQA_ROOT_PATH) handed to Gradio's root_path."""
from __future__ import annotations

from shell.cli import build_parser
from shell.settings import Settings
from shell.web.server import root_path


def test_prefix_is_normalised():
    assert root_path(Settings.load()) is None  # Gradio's default (GRADIO_ROOT_PATH, else /)
    for given in ("/speechqa", "/speechqa/", "speechqa", " speechqa/ "):
        assert root_path(Settings.load(root_path=given)) == "/speechqa"
    assert root_path(Settings.load(root_path="https://example.org/speechqa/")) == "https://example.org/speechqa"


def test_flag_overrides_environment(monkeypatch):
    monkeypatch.setenv("SPEECHQA_ROOT_PATH", "/from-env")
    assert Settings.load().root_path == "/from-env"
    args = build_parser().parse_args(["serve", "--root-path", "/flag"])
    assert args.root_path == "/flag"
    assert Settings.load(root_path=args.root_path).root_path == "/flag"
