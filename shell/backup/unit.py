"""The unit's own files in a backup, beside the speeches: the library record (metadata edits, tags and
tag restrictions), the users file (names, roles, password and key hashes: nothing in the clear) and the
audit log. Stored as `unit/NAME`, listed with their sha256 like every other member; restore puts them
back into the new index folder (the users file as `<index>/users.json` or `.toml`: point
SPEECHQA_USERS at it)."""
from __future__ import annotations

import os
from pathlib import Path

from admin.audit import FILE as AUDIT
from admin.library import FILE as LIBRARY

PREFIX = "unit/"
USERS = ("users.json", "users.toml")


def collect(engine) -> dict[str, bytes]:
    """unit/NAME → bytes, for each of the unit's files that exists."""
    index = Path(engine.settings.index)
    out = {}
    for name in (LIBRARY, AUDIT):
        if (index / name).is_file():
            out[PREFIX + name] = (index / name).read_bytes()
    users = os.environ.get("SPEECHQA_USERS", "")
    if users and Path(users).is_file():
        out[PREFIX + ("users.toml" if users.endswith(".toml") else "users.json")] = Path(users).read_bytes()
    return out


def from_blobs(blobs: dict[str, bytes]) -> dict[str, bytes]:
    allowed = {PREFIX + n for n in (LIBRARY, AUDIT, *USERS)}
    return {k: v for k, v in blobs.items() if k in allowed}


def place(unit: dict[str, bytes], build: Path) -> None:
    for member, blob in unit.items():
        dest = build / member[len(PREFIX):]
        dest.write_bytes(blob)
        if member.endswith(USERS):
            dest.chmod(0o600)
