"""A content-hash keyed embedding cache: unchanged text is never embedded twice.

Wraps any LangChain `Embeddings`; vectors live in one SQLite file as float32 blobs. Safe to share between
threads (one connection behind a lock, the in-memory query cache behind its own) and between processes
(SQLite's file locking, waiting up to SQLITE_TIMEOUT for another writer).
"""
from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings


SQLITE_TIMEOUT = 30  # seconds to wait for another process's write


def _key(model: str, kind: str, text: str) -> str:
    return hashlib.sha256(f"{model}\x1f{kind}\x1f{text}".encode()).hexdigest()


class CachedEmbeddings(Embeddings):
    def __init__(self, inner: Embeddings, path: Path | None, name: str = "", query_cache_size: int = 256) -> None:
        self.inner = inner
        self.name = name or getattr(inner, "name", type(inner).__name__)  # part of the cache key
        self._db = None
        self._lock = threading.Lock()
        self._qlock = threading.Lock()  # the query cache is reordered on every hit
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=SQLITE_TIMEOUT)
            self._db.execute("CREATE TABLE IF NOT EXISTS emb (k TEXT PRIMARY KEY, v BLOB)")
            self._db.commit()
        self._queries: OrderedDict[str, list[float]] = OrderedDict()
        self._qmax = query_cache_size
        self.embedded = 0  # texts actually sent to the model (for reports and tests)

    def _get(self, keys: list[str]) -> dict[str, list[float]]:
        if self._db is None or not keys:
            return {}
        found: dict[str, list[float]] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                part = keys[i:i + 500]
                q = f"SELECT k, v FROM emb WHERE k IN ({','.join('?' * len(part))})"
                for k, v in self._db.execute(q, part):
                    found[k] = np.frombuffer(v, dtype=np.float32).tolist()
        return found

    def _put(self, items: dict[str, list[float]]) -> None:
        if self._db is None or not items:
            return
        with self._lock:
            self._db.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?)",
                                 [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()])
            self._db.commit()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        keys = [_key(self.name, "doc", t) for t in texts]
        found = self._get(keys)
        todo = list(dict.fromkeys(k for k in keys if k not in found))
        if todo:
            by_key = dict(zip(keys, texts))
            vecs = self.inner.embed_documents([by_key[k] for k in todo])
            self.embedded += len(todo)
            new = dict(zip(todo, vecs))
            self._put(new)
            found.update(new)
        return [found[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        # Queries are cached in memory only: repeated questions (eval, UI retries) skip the model. The
        # model runs outside the lock, so one slow question does not hold up the others.
        with self._qlock:
            vec = self._queries.get(text)
            if vec is not None:
                self._queries.move_to_end(text)
                return vec
        vec = self.inner.embed_query(text)
        with self._qlock:
            self._queries[text] = vec
            while len(self._queries) > self._qmax:
                self._queries.popitem(last=False)
        return vec

    def clear_query_cache(self) -> None:
        with self._qlock:
            self._queries.clear()

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
