"""The Chroma store: chunk vectors (through langchain-chroma) and a speech manifest.

Two collections per embedding backend:
- `<ns>_chunks`: one record per chunk, id derived from content, metadata = speech, paragraph, offsets, key.
- `<ns>_speeches`: one record per speech, the whole parsed speech as JSON. Writing it is the commit point.

Write order (crash safety): chunks first, then the speech record, then stale chunks are deleted.
Readers only trust chunks whose `key` (speech@hash) matches a speech record, so a speech killed part way
through ingest is invisible, and `sweep()` removes what it left behind.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings

from ingest.model import Chunk, Speech

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402
from chromadb.config import Settings  # noqa: E402
from langchain_chroma import Chroma  # noqa: E402

from .embeddings import backend_slug  # noqa: E402


class StoreError(RuntimeError):
    """The store cannot be opened or reached; str() is the reason shown to the user."""


def open_client(index_dir: str | Path | None = None, chroma_url: str | None = None):
    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        u = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        try:
            client = chromadb.HttpClient(host=u.hostname or "localhost", port=u.port or 8000,
                                         ssl=u.scheme == "https", settings=settings)
            client.heartbeat()
        except Exception as e:
            raise StoreError(f"cannot reach the Chroma server at {chroma_url}: {e.__class__.__name__}") from e
        return client
    path = Path(index_dir or "data/index")
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def speech_key(speech_id: str, speech_hash: str) -> str:
    return f"{speech_id}@{speech_hash}"


class Store:
    def __init__(self, client, embeddings: Embeddings, backend: str, lock_path: Path | None = None) -> None:
        self.client = client
        # Writers take this lock (ingest.lock); per machine, so in server mode it guards this machine only.
        self.lock_path = lock_path or Path(tempfile.gettempdir()) / f"speechqa-{backend_slug(backend)}.lock"
        self.embeddings = embeddings
        ns = "sq_" + backend_slug(backend)
        self.chunks = Chroma(collection_name=f"{ns}_chunks", embedding_function=embeddings, client=client,
                             collection_metadata={"hnsw:space": "cosine"})
        # Speech records carry no vectors of meaning; a 1-d placeholder keeps Chroma from embedding them.
        self._speeches = client.get_or_create_collection(f"{ns}_speeches", embedding_function=None)
        self._cache: dict[str, Speech] | None = None
        self._keys: tuple | None = None
        self._count: int | None = None
        self.version = 0  # bumped on every write; readers rebuild derived indexes when it moves

    # -- reading -------------------------------------------------------------------------------------
    def speeches(self) -> dict[str, Speech]:
        if self._cache is None:
            got = self._speeches.get(include=["documents"])
            self._cache = {i: Speech.from_dict(json.loads(d)) for i, d in zip(got["ids"], got["documents"])
                           if not i.startswith(PENDING)}
        return self._cache

    def _live_keys(self) -> set[str]:
        if self._keys is None or self._keys[0] is not self._cache:
            live = self.speeches()
            self._keys = (live, {speech_key(s.id, s.hash) for s in live.values()})
        return self._keys[1]

    def refresh(self) -> None:
        self._cache = None
        self._count = None

    def chunk_count(self) -> int:
        keys = [speech_key(s.id, s.hash) for s in self.speeches().values()]
        if not keys:
            return 0
        return len(self.chunks.get(where={"key": {"$in": keys}}, include=[])["ids"])

    def dense_search(self, vector: list[float], k: int, speeches: list[str] | None = None):
        """Top-k chunks by cosine similarity: [(metadata, similarity)], only from committed speeches.
        No filter when every speech is allowed (a filter listing thousands of speeches costs more than
        the search); chunks of uncommitted writes are dropped afterwards."""
        live = self.speeches()
        where = None
        if speeches is not None:
            ids = [s for s in speeches if s in live]
            if not ids:
                return []
            where = {"speech": ids[0]} if len(ids) == 1 else {"speech": {"$in": ids}}
        total = self._chunk_total()
        if total == 0:
            return []
        # The collection directly: metadata and distances only, no documents to copy back.
        res = self.chunks._collection.query(query_embeddings=[vector], n_results=min(k + 16, total), where=where,
                                            include=["metadatas", "distances"])
        keys = self._live_keys()
        return [(m, 1.0 - d) for m, d in zip(res["metadatas"][0], res["distances"][0]) if m.get("key") in keys][:k]

    def _chunk_total(self) -> int:
        # Cached between writes: counting is a round trip that costs as much as a small search.
        if self._count is None:
            self._count = self.chunks._collection.count()
        return self._count

    # -- writing -------------------------------------------------------------------------------------
    def put_speech(self, speech: Speech, chunks: list[Chunk], batch: int = 256) -> int:
        """Store a speech and its chunks; returns how many chunk texts had to be embedded.

        Order: a pending note (what is being written and what it replaces), the chunks, the speech
        record (the commit point), the old version's chunks deleted, the note deleted. Every step is a
        lookup by id or by key, so the cost does not grow with the size of the store."""
        key = speech_key(speech.id, speech.hash)
        old = self.speeches().get(speech.id)
        old_key = speech_key(old.id, old.hash) if old is not None and old.hash != speech.hash else ""
        note = PENDING + speech.id
        self._speeches.upsert(ids=[note], documents=[""], embeddings=[[1.0]],
                              metadatas=[{"pending": True, "new": key, "old": old_key}])
        ids = [record_id(speech.hash, c) for c in chunks]
        existing = set(self.chunks.get(ids=ids, include=[])["ids"]) if ids else set()
        todo = [(i, c) for i, c in zip(ids, chunks) if i not in existing]
        before = getattr(self.embeddings, "embedded", 0)
        for n in range(0, len(todo), batch):
            part = todo[n:n + batch]
            self.chunks.add_texts(
                [c.text for _, c in part],
                metadatas=[{"speech": c.speech, "paragraph": c.paragraph, "start": c.start, "end": c.end,
                            "key": key} for _, c in part],
                ids=[i for i, _ in part])
        # Commit point: from here the new version is what readers see.
        self._speeches.upsert(ids=[speech.id], documents=[json.dumps(speech.to_dict(), ensure_ascii=False)],
                              embeddings=[[1.0]], metadatas=[{"hash": speech.hash, "title": speech.title}])
        if old_key:
            self.chunks._collection.delete(where={"key": old_key})
        self._speeches.delete(ids=[note])
        self._touch()
        return getattr(self.embeddings, "embedded", 0) - before

    def remove_speech(self, speech_id: str) -> None:
        self._speeches.delete(ids=[speech_id])  # invisible from here; the chunks follow
        self.chunks._collection.delete(where={"speech": speech_id})
        self._touch()

    def sweep(self, full: bool = False) -> int:
        """Finish what an interrupted ingest left: for each pending note, delete the chunks of whichever
        version did not win. `full` also scans every chunk for one that belongs to no speech."""
        notes = self._speeches.get(where={"pending": True}, include=["metadatas"])
        live = {speech_key(s.id, s.hash) for s in self.speeches().values()}
        removed = 0
        for note_id, meta in zip(notes["ids"], notes["metadatas"]):
            loser = meta.get("old") if meta.get("new") in live else meta.get("new")
            if loser:
                got = self.chunks.get(where={"key": loser}, include=[])["ids"]
                if got:
                    self.chunks.delete(ids=got)
                    removed += len(got)
            self._speeches.delete(ids=[note_id])
        if full:
            got = self.chunks.get(include=["metadatas"])
            orphans = [i for i, m in zip(got["ids"], got["metadatas"]) if m.get("key") not in live]
            if orphans:
                self.chunks.delete(ids=orphans)
                removed += len(orphans)
        if removed or notes["ids"]:
            self._touch()
        return removed

    def _touch(self) -> None:
        self._cache = None
        self._count = None
        self.version += 1


PENDING = "~pending~"


def record_id(speech_hash: str, chunk: Chunk) -> str:
    """A chunk's record id: its content id within this version of the speech. Versions never share
    records, so writing a new version cannot disturb the one readers still see."""
    return hashlib.sha256(f"{speech_hash}\x1f{chunk.id}".encode()).hexdigest()[:24]
