"""Reading and checking a backup: every check passes before restore touches anything, else one reason."""
from __future__ import annotations

import json
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ingest.model import INTERNAL_PREFIX, Speech

from .unit import from_blobs as unit_files
from .common import (FORMAT, MANIFEST, MAX_MEMBER_BYTES, VERSION, BackupError, safe_member, safe_relative,
                     sha256)


@dataclass
class Backup:
    manifest: dict
    records: list[dict]  # speech records, in manifest order
    sources: list[bytes]  # the source file of each, same order
    unit: dict = field(default_factory=dict)  # unit/NAME → bytes: library, users, audit (shell/backup/unit.py)


def _open_zip(path: Path, label: str) -> zipfile.ZipFile:
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise BackupError(f"{label}: not a speechqa backup (not a readable zip file: {e})") from None


def _check_members(infos: list[zipfile.ZipInfo], label: str) -> list[str]:
    """The member names, once each is known safe to unpack (no escape, no link, no zip bomb)."""
    names = [i.filename for i in infos]
    for i in infos:
        if not safe_member(i.filename) or stat.S_ISLNK(i.external_attr >> 16):
            raise BackupError(f"{label}: refused: unsafe file name in the backup: {i.filename!r}")
        if i.file_size > MAX_MEMBER_BYTES:
            raise BackupError(f"{label}: refused: {i.filename} unpacks to {i.file_size / 1e6:.0f} MB")
    if len(set(names)) != len(names):
        raise BackupError(f"{label}: refused: a file name occurs twice in the backup")
    if MANIFEST not in names:
        raise BackupError(f"{label}: not a speechqa backup (no {MANIFEST})")
    return names


def _read_member(zf: zipfile.ZipFile, name: str, label: str) -> bytes:
    """A member's bytes; a damaged archive is a BackupError, whatever the decompressor raises."""
    try:
        return zf.read(name)
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile) as e:
        raise BackupError(f"{label}: damaged: {name} cannot be read ({e})") from None
    except Exception as e:  # zlib.error and friends
        raise BackupError(f"{label}: damaged: {name} cannot be read ({type(e).__name__})") from None


def _load_manifest(zf: zipfile.ZipFile, label: str) -> dict:
    """The manifest, once it is ours, of a version this code reads, with its file and speech lists."""
    try:
        manifest = json.loads(_read_member(zf, MANIFEST, label).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BackupError(f"{label}: damaged: {MANIFEST} is not valid JSON ({e})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{label}: not a speechqa backup (its {MANIFEST} is not one of ours)")
    version = manifest.get("version")
    if not isinstance(version, int) or version < 1:
        raise BackupError(f"{label}: damaged: {MANIFEST} has no valid format version")
    if version > VERSION:
        raise BackupError(f"{label}: written by a newer speechqa (backup format {version}; this one "
                          f"reads up to {VERSION}); upgrade speechqa to restore it")
    if not isinstance(manifest.get("files"), dict) or not isinstance(manifest.get("speeches"), list):
        raise BackupError(f"{label}: damaged: {MANIFEST} lacks its file list or speech list")
    return manifest


def _read_listed(zf: zipfile.ZipFile, names: list[str], files: dict, label: str) -> dict[str, bytes]:
    """Every listed member's bytes, once the zip holds exactly the listed files, each matching its sha256."""
    extra = sorted(set(names) - set(files) - {MANIFEST})
    missing = sorted(set(files) - set(names))
    if extra:
        raise BackupError(f"{label}: refused: {extra[0]} is not listed in the manifest")
    if missing:
        raise BackupError(f"{label}: damaged: {missing[0]} is listed in the manifest but missing")
    blobs: dict[str, bytes] = {}
    for name, digest in files.items():
        blob = _read_member(zf, name, label)
        if sha256(blob) != digest:
            raise BackupError(f"{label}: damaged: {name} does not match its sha256 in the manifest")
        blobs[name] = blob
    return blobs


def _check_record(e: dict, blob: bytes, label: str) -> dict:
    """The speech record of entry `e`, once it parses as a Speech and agrees with its entry."""
    sid = e["id"]
    try:
        rec = json.loads(blob.decode("utf-8"))
        Speech.from_dict(rec)
        ok = (rec["id"] == sid and isinstance(rec["paragraphs"], list)
              and len(rec["paragraphs"]) == e.get("paragraphs")
              and all(isinstance(p, list) and len(p) == 4 and isinstance(p[1], str) for p in rec["paragraphs"]))
    except Exception:  # noqa: BLE001 — any malformed record
        ok = False
    if not ok:
        raise BackupError(f"{label}: damaged: the record of speech {sid!r} ({e['record']}) is malformed")
    return rec


def _check_entries(entries: list, blobs: dict[str, bytes], label: str) -> tuple[list[dict], list[bytes]]:
    """(records, sources) in manifest order, once every entry is complete, safe and unique."""
    records, sources, seen = [], [], set()
    for n, e in enumerate(entries, start=1):
        where = f"{label}: damaged: speech {n} in {MANIFEST}"
        if not isinstance(e, dict) or not all(isinstance(e.get(k), str) for k in ("id", "record", "file")):
            raise BackupError(f"{where} is incomplete")
        if e["record"] not in blobs or e["file"] not in blobs:
            raise BackupError(f"{where} names a file that is not in the backup")
        sid = e["id"]
        if not sid or sid.startswith(INTERNAL_PREFIX) or "/" in sid or sid in seen:
            raise BackupError(f"{where} has an invalid or repeated id {sid!r}")
        seen.add(sid)
        if e.get("upload_path") and not safe_relative(e["upload_path"]):
            raise BackupError(f"{label}: refused: unsafe upload path {e['upload_path']!r}")
        records.append(_check_record(e, blobs[e["record"]], label))
        sources.append(blobs[e["file"]])
    return records, sources


def read_backup(path: Path) -> Backup:
    """The backup's contents, every check passed; BackupError with the reason otherwise."""
    path = Path(path)
    label = path.name
    with _open_zip(path, label) as zf:
        names = _check_members(zf.infolist(), label)
        manifest = _load_manifest(zf, label)
        blobs = _read_listed(zf, names, manifest["files"], label)
    records, sources = _check_entries(manifest["speeches"], blobs, label)
    counts = manifest.get("counts") or {}
    if counts.get("speeches") != len(records) or counts.get("paragraphs") != sum(len(r["paragraphs"]) for r in records):
        raise BackupError(f"{label}: damaged: the counts in {MANIFEST} do not match its speeches")
    return Backup(manifest, records, sources, unit_files(blobs))


def describe(path: Path) -> str:
    """One paragraph about a backup file, for `restore --check`."""
    b = read_backup(path)
    m = b.manifest
    c = m["counts"]
    return (f"{Path(path).name}: speechqa backup format {m['version']} from speechqa {m.get('speechqa', '?')}, "
            f"{m.get('created', '?')}; {c['speeches']} speeches, {c['paragraphs']} paragraphs, "
            f"{c.get('reconstructed', 0)} reconstructed from the store; every sha256 matches")
