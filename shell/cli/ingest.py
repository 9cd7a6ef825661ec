"""`speechqa ingest [PATHS…]`: add speech files to the store, one report line per file."""
from __future__ import annotations

import sys

from .common import add_common, engine_from


def add(sub) -> None:
    from ingest.readers import SUPPORTED

    p = sub.add_parser("ingest", help=f"add speech files ({' '.join(SUPPORTED)}) to the store")
    p.add_argument("paths", nargs="*", help="files or folders (default: the bundled data/speeches)")
    p.add_argument("--prune", action="store_true", help="remove speeches whose files are gone")
    p.add_argument("--max-mb", type=int, help="size limit per file in MB (default 20)")
    p.add_argument("--show-paragraphs", action="store_true", help="print every paragraph number and its start")
    add_common(p)
    p.set_defaults(run=run)


STATUSES = ("added", "updated", "renamed", "unchanged", "duplicate", "rejected", "pruned")


def _printer(engine, args, bar_ref: list):
    def write(line: str) -> None:
        (bar_ref[0].write if bar_ref else print)(line)

    def on_file(r) -> None:
        line = f"{r.status:9} {r.speech}  {r.paragraphs} paragraphs, {r.chunks} chunks"
        if r.embedded:
            line += f", {r.embedded} embedded"
        if r.reason:
            line = f"{r.status:9} {r.path}: {r.reason}" if r.status == "rejected" else f"{line} ({r.reason})"
        write(line)
        # Paragraph numbers of extracted text (every format but .txt) are printed so citations can be checked.
        extracted = not r.path.lower().endswith(".txt") and r.status in ("added", "updated", "renamed")
        if (args.show_paragraphs or extracted) and r.status not in ("rejected", "pruned", "duplicate"):
            sp = engine.store.speeches().get(r.speech)
            for p in sp.paragraphs if sp else []:
                page = f" (p.{p.page})" if p.page else ""
                write(f"  §{p.number:<3}{page} {p.text[:40]}")

    return on_file


def _page_progress():
    """Per-page progress of an OCR'd scan on stderr: a bar on a terminal, else one line a page."""
    from tqdm import tqdm

    bars: dict = {}

    def on_page(path, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            print(f"OCR {path.name}: page {done}/{total}", file=sys.stderr, flush=True)
            return
        bar = bars.get(path) or bars.setdefault(path, tqdm(total=total, desc=f"OCR {path.name}", unit="page",
                                                              leave=False, file=sys.stderr))
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return on_page


def run(args) -> int:
    from tqdm import tqdm

    from ingest.pipeline import ingest_paths

    engine = engine_from(args)
    settings = engine.settings
    paths = args.paths or [settings.speeches_dir]
    max_bytes = (args.max_mb or settings.max_upload_mb) * 1024 * 1024
    bar_ref: list = []

    def progress(files):
        bar_ref.append(tqdm(files, desc="ingest", unit="file", disable=None, file=sys.stderr))
        return bar_ref[0]

    reports = ingest_paths(paths, engine.store, prune=args.prune, max_bytes=max_bytes,
                           on_file=_printer(engine, args, bar_ref), progress=progress, on_page=_page_progress())
    counts: dict[str, int] = {}
    for r in reports:
        counts[r.status] = counts.get(r.status, 0) + 1
    print(", ".join(f"{counts.get(k, 0)} {k}" for k in STATUSES if counts.get(k) or k in ("added", "unchanged")))
    rejected = [r for r in reports if r.status == "rejected"]
    if rejected:
        if len(rejected) == 1:
            print(f"speechqa: {rejected[0].reason}", file=sys.stderr)
        else:
            print(f"speechqa: {len(rejected)} files rejected (see above)", file=sys.stderr)
        return 1
    return 0
