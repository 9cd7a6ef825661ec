"""Opens the pieces a command or the app needs (store, embeddings, retriever) from Settings, once."""
from __future__ import annotations

import hashlib
import tempfile
from functools import cached_property
from pathlib import Path

from vectorstore.cache import CachedEmbeddings
from vectorstore.chroma import open_client
from vectorstore.embeddings import make_embeddings

from qa.retrieve import Retriever

from admin.audit import AuditLog
from admin.library import Library, LibraryStore

from .settings import Settings


class Engine:
    accounts = None  # shell.auth.Accounts when the app serves signed-in users (set by serve)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def library(self) -> Library:
        return Library(self.settings.index)

    @cached_property
    def audit(self) -> AuditLog:
        return AuditLog(self.settings.index)

    @cached_property
    def store(self) -> LibraryStore:
        s = self.settings
        client = open_client(s.index, s.chroma_url or None)
        # The embedding cache stays local even in server mode: it only saves model time.
        emb = CachedEmbeddings(make_embeddings(s.embeddings), Path(s.index) / "embeddings.sqlite", name=s.embeddings)
        if s.chroma_url:
            digest = hashlib.sha256(s.chroma_url.encode()).hexdigest()[:12]
            lock = Path(tempfile.gettempdir()) / f"speechqa-server-{digest}.lock"
        else:
            lock = Path(s.index) / "ingest.lock"
        return LibraryStore(client, emb, s.embeddings, lock_path=lock, library=self.library)

    def scope(self, user=None, speeches: list[str] | None = None, tags: list[str] | None = None) -> list[str] | None:
        """The one place that decides which speeches a request may reach: the ones asked for (ids and
        tags), less those whose tags are restricted to other users. None means every speech (and lets a
        question that names a speech scope itself)."""
        live = self.store.speeches()
        chosen = None if speeches is None else [s for s in speeches if s in live]
        if tags:
            tagged = self.library.with_tags(tags, set(live))
            chosen = tagged if chosen is None else [s for s in chosen if s in tagged]
        name, role = (user.name, user.role) if user is not None else (None, None)
        hidden = {s for s in live if not self.library.may_see(s, name, role)}
        if hidden:
            chosen = [s for s in (live if chosen is None else chosen) if s not in hidden]
        return chosen

    @cached_property
    def retriever(self) -> Retriever:
        return Retriever(self.store, Path(self.settings.index) / "keyword")

    @cached_property
    def collector(self):
        """The digest collector (it caches the speeches' normal forms), shared by the digest and compare
        tabs and commands."""
        from digest.collect import Collector

        return Collector(self.retriever)

    @cached_property
    def llm(self):
        """The LLM answerer when an endpoint is configured, else None (offline answers)."""
        s = self.settings
        if not (s.llm_url and s.llm_model):
            return None
        from qa.llm import LLMAnswerer

        return LLMAnswerer(s.llm_url, s.llm_model, s.llm_key)

    @cached_property
    def answerer(self):
        from qa.answer import Answerer

        return Answerer(self.retriever, self.llm)
