"""What writing, checking and restoring a backup share: the format's names, its error, and the rules for
names inside the zip."""
from __future__ import annotations

import hashlib

FORMAT = "speechqa-backup"
VERSION = 1
MANIFEST = "manifest.json"
MAX_MEMBER_BYTES = 512 * 1024 * 1024  # no speech source or record comes near this; a zip bomb does
UPLOADS = "uploads"


class BackupError(ValueError):
    """A backup that cannot be written or read; str() is the one-line reason shown to the user."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_member(name: str) -> bool:
    """A relative POSIX name with no way out of the folder it is written into."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    parts = name.split("/")
    return ":" not in parts[0] and all(part not in ("..", ".", "") for part in parts)


def safe_relative(rel: str) -> bool:
    """A safe member name of a file (not a folder)."""
    return safe_member(rel) and not rel.endswith("/")
