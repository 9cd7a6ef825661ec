"""Files uploaded through the app: kept under the index folder (so `--prune` knows they still exist)
and ingested like any other file. A rejected upload leaves nothing behind."""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .pipeline import FileReport, ingest_paths
from .readers import DEFAULT_MAX_BYTES


def save_and_ingest(paths: list[str | Path], store, upload_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES,
                    on_file: Callable[[FileReport], None] | None = None) -> list[FileReport]:
    upload_dir.mkdir(parents=True, exist_ok=True)
    reports: list[FileReport] = []
    with tempfile.TemporaryDirectory(dir=upload_dir, prefix=".incoming-") as tmp:
        staged = []
        for src in map(Path, paths):
            if src.is_file() and src.stat().st_size <= max_bytes:
                dst = Path(tmp) / src.name
                shutil.copyfile(src, dst)
                staged.append(dst)
            else:
                staged.append(src)  # the reader rejects it with its usual reason
        for path, report in zip(staged, ingest_paths(staged, store, max_bytes=max_bytes)):
            if path.parent == Path(tmp) and report.status not in ("rejected", "duplicate"):
                final = upload_dir / path.name
                path.replace(final)
                sp = store.speeches().get(report.speech)
                if sp is not None:  # it was read from the staging copy: record where it lives now
                    sp.source = str(final.resolve())
                    store.put_speech(sp, [])
            report.path = path.name
            reports.append(report)
            if on_file:
                on_file(report)
    return reports
