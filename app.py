"""The Gradio entry: `python app.py` serves the chat app with settings from SPEECHQA_* variables.
The UI itself is built in shell/web (the same builder `speechqa serve` uses)."""
from __future__ import annotations

from shell.settings import Settings
from shell.web.server import serve

if __name__ == "__main__":
    serve(Settings.load())
