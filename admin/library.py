"""The unit's library record, kept with the index in `<index>/library.json`: per-speech overrides of what
the file says (title, date, speaker, occasion), tags, and which users or roles a tag is restricted to.

The store's speeches are read through `LibraryStore`, which applies the overrides to copies of the
records, so every reader (citations, search, digest, compare, study, stats) shows them at once and a
re-ingest of the file never undoes them. Writes are atomic (temp file + rename) and made under the
ingest lock by the commands that change the library.
"""
from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import replace
from pathlib import Path

from ingest.model import Speech
from vectorstore.chroma import Store

FILE = "library.json"
FIELDS = ("title", "date", "speaker", "occasion")
SPEECH_FIELDS = ("title", "date", "speaker")  # the fields a Speech record has; occasion lives here only


def clean_tags(value) -> list[str]:
    """'a, b，c' or a list → ['a', 'b', 'c'] (order kept, duplicates and blanks dropped)."""
    items = value.replace("，", ",").split(",") if isinstance(value, str) else list(value or [])
    return list(dict.fromkeys(t.strip() for t in items if t and t.strip()))


class Library:
    def __init__(self, index_dir: str | Path) -> None:
        self.path = Path(index_dir) / FILE
        self._data: dict = {"speeches": {}, "tags": {}}
        self._seen: tuple | None = None
        self._lock = threading.Lock()

    # -- reading ----------------------------------------------------------------------------------------
    def stamp(self) -> tuple | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def data(self) -> dict:
        """The current record, re-read when the file changed (another process's edit shows at once)."""
        stamp = self.stamp()
        with self._lock:
            if stamp != self._seen:
                raw = json.loads(self.path.read_text(encoding="utf-8")) if stamp else {}
                self._data = {"speeches": raw.get("speeches", {}), "tags": raw.get("tags", {})}
                self._seen = stamp
            return self._data

    def entry(self, stem: str) -> dict:
        return self.data()["speeches"].get(stem, {})

    def tags_of(self, stem: str) -> list[str]:
        return list(self.entry(stem).get("tags", []))

    def all_tags(self) -> list[str]:
        found = {t for e in self.data()["speeches"].values() for t in e.get("tags", [])}
        return sorted(found | set(self.data()["tags"]))

    def with_tags(self, tags: list[str], known: set[str]) -> list[str]:
        """The speeches (of `known`) carrying any of these tags, in id order."""
        wanted = set(tags)
        return sorted(s for s, e in self.data()["speeches"].items()
                      if s in known and wanted & set(e.get("tags", [])))

    def only(self, tag: str) -> list[str]:
        return list(self.data()["tags"].get(tag, {}).get("only", []))

    def may_see(self, stem: str, name: str | None, role: str | None) -> bool:
        """False when one of the speech's tags is restricted to others. Admins see every speech: they
        manage the library (and could lift any restriction)."""
        if role == "admin" or name is None and role is None:
            return True
        for tag in self.tags_of(stem):
            only = self.only(tag)
            if only and name not in only and role not in only:
                return False
        return True

    def apply(self, speeches: dict[str, Speech]) -> dict[str, Speech]:
        """Copies of the overridden records (the others as they are)."""
        over = self.data()["speeches"]
        if not over:
            return speeches
        out = dict(speeches)
        for stem, e in over.items():
            sp = out.get(stem)
            changes = {f: e[f] for f in SPEECH_FIELDS if e.get(f)}
            if changes.get("date"):  # an administrator's date is given, whatever the file stated
                changes["date_basis"] = "given"
            if sp is not None and changes:
                out[stem] = replace(sp, **changes)
        return out

    # -- writing (callers hold the ingest lock) ------------------------------------------------------------
    def _save(self, data: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".library-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, indent=1, sort_keys=True)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _copy(self) -> dict:
        return json.loads(json.dumps(self.data()))

    def set_meta(self, stem: str, **values) -> dict:
        """Set (a non-empty value) or clear (an empty string) overrides; tags replace the speech's tags."""
        data = self._copy()
        e = data["speeches"].setdefault(stem, {})
        for f in FIELDS:
            if values.get(f) is not None:
                if values[f].strip():
                    e[f] = values[f].strip()
                else:
                    e.pop(f, None)
        if values.get("tags") is not None:
            e["tags"] = clean_tags(values["tags"])
            if not e["tags"]:
                del e["tags"]
        if not e:
            del data["speeches"][stem]
        self._save(data)
        return data["speeches"].get(stem, {})

    def forget(self, stem: str) -> None:
        data = self._copy()
        if data["speeches"].pop(stem, None) is not None:
            self._save(data)

    def restrict(self, tag: str, only: list[str]) -> None:
        data = self._copy()
        if only:
            data["tags"][tag] = {"only": list(dict.fromkeys(only))}
        else:
            data["tags"].pop(tag, None)
        self._save(data)


class LibraryStore(Store):
    """The store as every reader sees it: its speeches with the library's overrides applied."""

    def __init__(self, *args, library: Library, **kwargs) -> None:
        self.library = library
        self._view: tuple | None = None  # (store version, library stamp, overridden speeches)
        super().__init__(*args, **kwargs)

    def base_speeches(self) -> dict[str, Speech]:
        """The records as the files gave them, without the library's overrides (what a backup keeps)."""
        return super().speeches()

    def speeches(self) -> dict[str, Speech]:
        base = super().speeches()
        key = (id(base), self.version, self.library.stamp())
        if self._view is None or self._view[:3] != key:
            if self._view is not None and self._view[2] != key[2]:
                self.version += 1  # derived indexes (titles in scope detection) follow an edit
                key = (id(base), self.version, key[2])
            self._view = (*key, self.library.apply(base))
        return self._view[3]


class ScopedRetriever:
    """A retriever that reaches only these speeches, whatever its caller asks for: what a restricted
    user's digest, comparison and study items are drawn through."""

    def __init__(self, retriever, allowed: list[str]) -> None:
        self._inner = retriever
        self.allowed = list(allowed)

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def _limit(self, speeches):
        return self.allowed if speeches is None else [s for s in speeches if s in set(self.allowed)]

    def speeches(self):
        live = self._inner.speeches()
        return {s: live[s] for s in self.allowed if s in live}

    def rank(self, question, speeches=None, k=5, limit=50, detect=True):
        return self._inner.rank(question, self._limit(speeches), k=k, limit=limit, detect=False)

    def search(self, question, k=5, speeches=None):
        return self._inner.search(question, k, self._limit(speeches))

    def corpus_text(self, speeches=None):
        return self._inner.corpus_text(self._limit(speeches))

    def scope(self, question):
        named, cleaned = self._inner.scope(question)
        return (self.allowed if named is None else self._limit(named)), cleaned
