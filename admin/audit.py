"""The audit log: one JSON object per line in `<index>/audit.jsonl` — sign-ins (ok and failed), uploads,
edits, deletions, user and key changes, with the user and the time; questions only when
SPEECHQA_AUDIT_QUESTIONS=1 (they can be sensitive, so they are not kept by default)."""
from __future__ import annotations

import json
import os
import threading
from datetime import datetime, timezone
from pathlib import Path

FILE = "audit.jsonl"
_LOCK = threading.Lock()


def questions_logged() -> bool:
    return os.environ.get("SPEECHQA_AUDIT_QUESTIONS", "") in ("1", "true", "yes")


class AuditLog:
    def __init__(self, index_dir: str | Path) -> None:
        self.path = Path(index_dir) / FILE

    def write(self, event: str, user: str | None, **fields) -> None:
        """Append one line. O_APPEND makes each line whole even with several processes writing."""
        rec = {"time": datetime.now(timezone.utc).isoformat(timespec="seconds"), "event": event,
               "user": user or "-", **{k: v for k, v in fields.items() if v is not None}}
        line = (json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _LOCK:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)

    def question(self, user: str | None, question: str, via: str) -> None:
        if questions_logged():
            self.write("question", user, question=question, via=via)

    def read(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
