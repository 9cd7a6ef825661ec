"""Opens the pieces a command or the app needs (store, embeddings, retriever) from Settings, once."""
from __future__ import annotations

import hashlib
import tempfile
from functools import cached_property
from pathlib import Path

from vectorstore.cache import CachedEmbeddings
from vectorstore.chroma import Store, open_client
from vectorstore.embeddings import make_embeddings

from qa.retrieve import Retriever

from .settings import Settings


class Engine:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def store(self) -> Store:
        s = self.settings
        client = open_client(s.index, s.chroma_url or None)
        # The embedding cache stays local even in server mode: it only saves model time.
        emb = CachedEmbeddings(make_embeddings(s.embeddings), Path(s.index) / "embeddings.sqlite", name=s.embeddings)
        if s.chroma_url:
            digest = hashlib.sha256(s.chroma_url.encode()).hexdigest()[:12]
            lock = Path(tempfile.gettempdir()) / f"speechqa-server-{digest}.lock"
        else:
            lock = Path(s.index) / "ingest.lock"
        return Store(client, emb, s.embeddings, lock_path=lock)

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
