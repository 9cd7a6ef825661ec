"""`speechqa backup -o FILE`: every speech's source and record, with a manifest, in one zip."""
from __future__ import annotations

from pathlib import Path

from .common import UsageError, add_common, engine_from


def add(sub) -> None:
    p = sub.add_parser("backup", help="write every speech (sources, metadata) and a manifest to a zip file")
    p.add_argument("-o", "--output", required=True, help="the backup file to write, e.g. speechqa-backup.zip")
    p.add_argument("--wait", type=float, default=60.0,
                   help="seconds to wait for a running ingest or upload to finish (default 60)")
    add_common(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from shell.backup import backup

    from .stats import check_index

    engine = engine_from(args)
    check_index(engine.settings)
    if args.wait < 0:
        raise UsageError("--wait must be zero or more seconds")
    r = backup(engine, Path(args.output), wait=args.wait)
    note = f"; {len(r.reconstructed)} rebuilt from the stored text (file gone or changed): " \
           f"{', '.join(r.reconstructed)}" if r.reconstructed else ""
    print(f"backed up {r.speeches} speeches, {r.paragraphs} paragraphs to {r.path} "
          f"({r.bytes / 1e6:.1f} MB){note}")
    return 0
