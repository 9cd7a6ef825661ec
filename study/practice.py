"""Practice: grading one answer, and the 错题本 (wrongly answered items) kept per user on this machine as
a JSON file, so it survives page reloads and restarts."""
from __future__ import annotations

import json
import os
import re
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from qa.citations import fold

from .model import LETTERS, StudyError, StudyItem

PASS_SHARE = 0.6  # a 简答 is right when it names this share of its 采分点
_USER = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_QUOTES = "“”\"'「」『』 "


@dataclass
class Grade:
    correct: bool
    share: float  # 0..1 of the item's score
    expected: str  # the right answer, as shown
    hits: list[str]  # 采分点 named (简答)


def _letters(response) -> str:
    if isinstance(response, str):
        response = [response]
    return "".join(sorted({r.strip()[:1] for r in response or [] if r and r.strip()[:1] in LETTERS}))


def grade(item: StudyItem, response) -> Grade:
    """How right a response is: the 判断 word, the letter(s) of 单选/多选 ("A. …" options are fine), the
    filled-in words of 填空 (width and quotes ignored), or the 采分点 a 简答 names."""
    if item.type == "判断":
        ok = (response or "").strip() == item.answer
        return Grade(ok, float(ok), item.answer, [])
    if item.type in ("选择", "多选"):
        ok = _letters(response) == item.answer
        return Grade(ok, float(ok), item.answer, [])
    text = fold((response or "").strip(_QUOTES))[0]
    if item.type == "填空":
        ok = bool(text) and text == fold(item.answer)[0]
        return Grade(ok, float(ok), item.answer, [])
    hits = [p for p in item.points if fold(p)[0] in text]
    share = len(hits) / len(item.points) if item.points else 0.0
    return Grade(share >= PASS_SHARE, share, item.answer, hits)


class WrongBook:
    """One user's 错题本: `<folder>/<user>.json`, written atomically; one lock per process."""

    _lock = threading.Lock()

    def __init__(self, folder: str | Path, user: str):
        if not _USER.match(user or ""):
            raise StudyError("a user id is 8–64 letters, digits, - or _")
        self.path = Path(folder) / f"{user}.json"

    def entries(self) -> list[dict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return data if isinstance(data, list) else []

    def items(self) -> list[StudyItem]:
        out = []
        for e in self.entries():
            try:
                out.append(StudyItem.from_record(e["item"]))
            except (KeyError, TypeError):
                continue  # a damaged entry is skipped, not fatal
        return out

    def _save(self, entries: list[dict]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".wrong-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(entries, f, ensure_ascii=False, indent=1)
        os.replace(tmp, self.path)

    def record(self, item: StudyItem, correct: bool) -> None:
        """A wrong answer adds the item (or counts it again); a right one removes it (mastered)."""
        with self._lock:
            entries = [e for e in self.entries() if isinstance(e, dict) and "item" in e]
            found = next((e for e in entries if e.get("key") == item.key), None)
            if correct:
                if found is None:
                    return
                entries.remove(found)
            elif found:
                found["wrong"] = found.get("wrong", 1) + 1
                found["last"] = time.time()
            else:
                entries.append({"key": item.key, "item": item.to_record(), "wrong": 1, "last": time.time()})
            self._save(entries)

    def clear(self) -> None:
        with self._lock:
            self._save([])
