"""The Chroma store: chunk vectors (through langchain-chroma) and a speech manifest.

Two collections per embedding backend:
- `<ns>_chunks`: one record per chunk, id derived from content, metadata = speech, paragraph, offsets, key.
- `<ns>_speeches`: one record per speech, the whole parsed speech as JSON. Writing it is the commit point.

Write order (crash safety): chunks first, then the speech record, then stale chunks are deleted.
Readers only trust chunks whose `key` (speech@hash) matches a speech record, so a speech killed part way
through ingest is invisible, and `sweep()` removes what it left behind.

A format record (`~format~`) says which layout wrote the store; an older one is migrated on open, a newer
one is refused rather than misread.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings

from ingest.model import INTERNAL_PREFIX, Chunk, Paragraph, Speech

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
        # The same collection through Chroma's public API, for what LangChain's wrapper does not offer
        # (count, query by vector with metadata only, delete by filter).
        self._chunk_records = client.get_collection(f"{ns}_chunks", embedding_function=None)
        # Speech records (small: title, hash, source…) and paragraph records (one per paragraph, its text)
        # carry no vectors of meaning; a placeholder keeps Chroma from embedding them. Paragraphs are
        # records of their own because Chroma rewrites large records on every write.
        self._speeches = client.get_or_create_collection(f"{ns}_speeches", embedding_function=None)
        self._paragraphs = client.get_or_create_collection(f"{ns}_paragraphs", embedding_function=None)
        self._cache: dict[str, Speech] | None = None
        self._keys: tuple[int, set[str]] | None = None
        self._count: int | None = None
        self._stamp = ""  # the store-wide change stamp the cache was read at
        self._checked = 0.0
        self.version = 0  # bumped whenever the speeches change; derived indexes follow it
        self.format = self._check_format()

    def _check_format(self) -> int:
        """The store's layout version, migrating an older one; a newer one is refused."""
        got = self._speeches.get(ids=[FORMAT_ID], include=["metadatas"])
        found = int(got["metadatas"][0].get("format", 0)) if got["ids"] else None
        if found == FORMAT:
            return found
        if found is not None and found > FORMAT:
            raise StoreError(f"this index was written by a newer speechqa (format {found}; this one reads up "
                             f"to {FORMAT}); upgrade speechqa or use another --index")
        if found is None and self._speeches.count() > 0:
            found = 1  # written before format records existed
        if found is not None:
            self._migrate(found)
        self._speeches.upsert(ids=[FORMAT_ID], documents=[""], embeddings=[_tag(FORMAT_ID)],
                              metadatas=[{"format": FORMAT}])
        return FORMAT

    def _migrate(self, found: int) -> None:
        """Format 1 → 2. Speech ids stay (the stem: what citations and links already use), each speech's
        identity is the source it records, its file name shown beside the title comes from that source,
        and uploads stay where they are. Nothing is dropped: the migration only adds records' new fields."""
        got = self._speeches.get(include=["documents"])
        ids, docs = [], []
        for i, d in zip(got["ids"], got["documents"]):
            if i.startswith(RESERVED):
                continue
            header = json.loads(d)
            header.setdefault("origin", Speech.from_dict({**header, "paragraphs": []}).origin)
            ids.append(i)
            docs.append(json.dumps(header, ensure_ascii=False))
        for n in range(0, len(ids), MIGRATE_BATCH):
            part = ids[n:n + MIGRATE_BATCH]
            self._speeches.update(ids=part, documents=docs[n:n + MIGRATE_BATCH], embeddings=[_tag(i) for i in part])
        log.warning("index format %d upgraded to %d (%d speeches kept)", found, FORMAT, len(ids))

    # -- reading -------------------------------------------------------------------------------------
    def speeches(self) -> dict[str, Speech]:
        """All committed speeches, cached. Other processes' writes (server mode) are noticed within
        STALE_AFTER seconds through a change stamp that every writer bumps."""
        now = time.monotonic()
        if self._cache is not None and now - self._checked > STALE_AFTER:
            self._checked = now
            if self._read_stamp() != self._stamp:
                self._cache = None
        if self._cache is None:
            self._stamp = self._read_stamp()
            self._checked = now
            self._cache = self._read_all()
            self._count = None
            self.version += 1
        return self._cache

    def _read_all(self) -> dict[str, Speech]:
        got = self._speeches.get(include=["documents"])
        speeches = {i: Speech.from_dict(json.loads(d)) for i, d in zip(got["ids"], got["documents"])
                    if not i.startswith(RESERVED)}
        keys = {speech_key(s.id, s.hash): s for s in speeches.values()}
        rows: dict[str, list] = {}
        paras = self._paragraphs.get(include=["documents", "metadatas"])
        for text, m in zip(paras["documents"], paras["metadatas"]):
            if m["key"] in keys:  # other versions are leftovers of an interrupted write
                rows.setdefault(m["speech"], []).append((m["n"], m["heading"], text, m["hx"], m["page"]))
        for sid, sp in speeches.items():
            sp.paragraphs = [Paragraph(sid, n, h, t, hx, None if pg < 0 else pg)
                             for n, h, t, hx, pg in sorted(rows.get(sid, []))]
        return speeches

    def _read_stamp(self) -> str:
        got = self._speeches.get(ids=[STAMP], include=["metadatas"])
        return got["metadatas"][0].get("stamp", "") if got["ids"] else ""

    def _live_keys(self) -> set[str]:
        live = self.speeches()
        if self._keys is None or self._keys[0] != self.version:
            self._keys = (self.version, {speech_key(s.id, s.hash) for s in live.values()})
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
        res = self.query(vector, min(k + 16, total), where)
        keys = self._live_keys()
        return [(m, 1.0 - d) for m, d in zip(res["metadatas"][0], res["distances"][0]) if m.get("key") in keys][:k]

    def _chunk_total(self) -> int:
        # Cached between writes: counting is a round trip that costs as much as a small search.
        if self._count is None:
            self._count = self.count()
        return self._count

    # -- the chunk records, for other layers (never LangChain's private Chroma._collection) --------------
    def count(self) -> int:
        """Chunk records in the collection, committed or not (one round trip)."""
        return self._chunk_records.count()

    def query(self, vector: list[float], n: int, where: dict | None = None) -> dict:
        """Chroma's nearest chunk records to a vector: metadata and distances only, no documents."""
        return self._chunk_records.query(query_embeddings=[vector], n_results=n, where=where,
                                         include=["metadatas", "distances"])

    def delete_speech(self, speech_id: str) -> None:
        """Delete every chunk record of a speech, whatever its version."""
        self._chunk_records.delete(where={"speech": speech_id})

    def health(self) -> None:
        """Raise when the vectors cannot answer a query (a damaged vector segment fails here)."""
        got = self._chunk_records.get(limit=1, include=["embeddings"])
        if len(got["ids"]):
            self._chunk_records.query(query_embeddings=[list(got["embeddings"][0])], n_results=1, include=[])

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
        self._speeches.upsert(ids=[note], documents=[""], embeddings=[_tag(note)],
                              metadatas=[{"pending": True, "new": key, "old": old_key}])
        self._put_paragraphs(speech, key, batch)
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
        header = {k: v for k, v in speech.to_dict().items() if k != "paragraphs"}
        self._speeches.upsert(ids=[speech.id], documents=[json.dumps(header, ensure_ascii=False)],
                              embeddings=[_tag(speech.id)], metadatas=[{"hash": speech.hash, "title": speech.title}])
        if old_key:
            self._delete_version(old_key)
        self._speeches.delete(ids=[note])
        self._changed({speech.id: speech})
        return getattr(self.embeddings, "embedded", 0) - before

    def _put_paragraphs(self, speech: Speech, key: str, batch: int) -> None:
        ids = [record_id(speech.hash, p) for p in speech.paragraphs]
        have = set(self._paragraphs.get(ids=ids, include=[])["ids"]) if ids else set()
        todo = [(i, p) for i, p in zip(ids, speech.paragraphs) if i not in have]
        for n in range(0, len(todo), batch):
            part = todo[n:n + batch]
            self._paragraphs.upsert(
                ids=[i for i, _ in part], documents=[p.text for _, p in part],
                embeddings=[_tag(i) for i, _ in part],
                metadatas=[{"speech": p.speech, "n": p.number, "heading": p.heading, "hx": p.is_heading,
                            "page": p.page if p.page is not None else -1, "key": key} for _, p in part])

    def _delete_version(self, key: str) -> int:
        """Delete one version's chunk and paragraph records; returns how many chunks went."""
        got = self.chunks.get(where={"key": key}, include=[])["ids"]
        if got:
            self.chunks.delete(ids=got)
        self._paragraphs.delete(where={"key": key})
        return len(got)

    def remove_speech(self, speech_id: str) -> None:
        self._speeches.delete(ids=[speech_id])  # invisible from here; its records follow
        self.delete_speech(speech_id)
        self._paragraphs.delete(where={"speech": speech_id})
        self._changed({speech_id: None})

    def sweep(self, full: bool = False) -> int:
        """Finish what an interrupted ingest left: for each pending note, delete the chunks of whichever
        version did not win. `full` also scans every chunk for one that belongs to no speech."""
        notes = self._speeches.get(where={"pending": True}, include=["metadatas"])
        live = {speech_key(s.id, s.hash) for s in self.speeches().values()}
        removed = 0
        for note_id, meta in zip(notes["ids"], notes["metadatas"]):
            loser = meta.get("old") if meta.get("new") in live else meta.get("new")
            if loser:
                removed += self._delete_version(loser)
            self._speeches.delete(ids=[note_id])
        if full:
            got = self.chunks.get(include=["metadatas"])
            orphans = [i for i, m in zip(got["ids"], got["metadatas"]) if m.get("key") not in live]
            if orphans:
                self.chunks.delete(ids=orphans)
                removed += len(orphans)
        if removed:
            self._count = None
        return removed

    def _changed(self, speeches: dict[str, Speech | None]) -> None:
        """Apply a write to the cache (reloading every speech per write would make ingest quadratic) and
        bump the store-wide stamp so that other processes reload."""
        self._stamp = uuid.uuid4().hex
        self._speeches.upsert(ids=[STAMP], documents=[""], embeddings=[_tag(STAMP)], metadatas=[{"stamp": self._stamp}])
        if self._cache is not None:
            for sid, sp in speeches.items():
                if sp is None:
                    self._cache.pop(sid, None)
                else:
                    self._cache[sid] = sp
        self._count = None
        self.version += 1


RESERVED = INTERNAL_PREFIX  # ids of bookkeeping records in the speeches collection start with this
PENDING = "~pending~"
STAMP = "~stamp~"
FORMAT_ID = "~format~"
FORMAT = 2  # 1: before format records (no `origin` in speech records); 2: speech identity by source
MIGRATE_BATCH = 256
log = logging.getLogger("speechqa")
STALE_AFTER = 2.0  # seconds between checks for other processes' writes


def record_id(speech_hash: str, item: Chunk | Paragraph) -> str:
    """A record id within one version of a speech (a chunk by its content id, a paragraph by its
    number). Versions never share records, so writing one cannot disturb the one readers still see."""
    ref = item.id if isinstance(item, Chunk) else f"p{item.number}"
    return hashlib.sha256(f"{speech_hash}\x1f{ref}".encode()).hexdigest()[:24]


def _tag(record_id: str) -> list[float]:
    """A distinct 2-d unit vector for a bookkeeping record: Chroma needs one, and identical vectors
    would make its HNSW graph degenerate."""
    angle = int(hashlib.sha256(record_id.encode()).hexdigest()[:8], 16) / 2**32 * 2 * math.pi
    return [math.cos(angle), math.sin(angle)]
