"""Backup and restore: every speech's source and record in one zip, and an index rebuilt from it.

A backup (`speechqa backup -o FILE`) is a zip holding

    manifest.json           format and version, the speechqa version, when, counts, one entry per speech
                            (id, title, date, speaker, origin, source, hash, paragraphs, kind) and the
                            sha256 of every other file in the zip
    speeches/NNNN.json      the speech record as the store holds it: id, title, date, speaker, source,
                            origin, hash and every paragraph with its heading, heading flag and PDF page
    sources/NNNN/NAME       the file the speech was read from — bundled, ingested or uploaded — byte for
                            byte; when that file is gone or its text has changed since it was ingested,
                            the stored paragraphs one per line instead (`reconstructed` in the manifest),
                            which reproduces the paragraph numbering
    unit/NAME               the unit's files when they exist (shell/backup/unit.py): library.json (metadata
                            edits, tags, restrictions), users.json or .toml (hashes only), audit.jsonl

It is taken under the store's ingest lock, so no ingest or upload runs while it is read: a backup taken
while the app serves is consistent. It is written to a temp file and renamed into place.

Restore (`speechqa restore FILE --index DIR`) checks the whole file first — a zip, our manifest, a
known format version, no unsafe names (absolute, `..`, backslashes), no file missing, extra or
duplicated, every sha256 matching, every record well formed — and refuses with a one-line reason
otherwise, before touching anything. It then builds a new index in a temp folder beside DIR and renames
it into place; DIR must be missing or empty unless `--force` (the old folder is then kept beside it as
DIR.replaced-TIME). Speeches keep their ids, titles, dates, paragraphs and their numbers, headings and
pages: the records are stored as they were, not re-parsed. Embeddings are recomputed (with the
embedding backend of the restoring settings): a backup stays small and independent of the model version
and backend, at the cost of the model's encode time on restore. Sources come back as files: uploads
under DIR/uploads/ as before; other files keep their original path when the same bytes are there (the
same machine), else they go to DIR/sources/NNNN/NAME and the speech's source points there.
"""
from __future__ import annotations

# The package is split by step (common, write, check, rebuild); these are the names the CLI and tests use.
from .check import Backup, describe, read_backup
from .common import FORMAT, MANIFEST, MAX_MEMBER_BYTES, UPLOADS, VERSION, BackupError
from .rebuild import RestoreReport, restore
from .write import BackupReport, backup

__all__ = ["FORMAT", "MANIFEST", "MAX_MEMBER_BYTES", "UPLOADS", "VERSION", "Backup", "BackupError",
           "BackupReport", "RestoreReport", "backup", "describe", "read_backup", "restore"]
