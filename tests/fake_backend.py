"""Deterministic embedders for tests that run `speechqa` in a subprocess
(`--embeddings python:tests.fake_backend:make_slow`); the slow one takes a few ms per text so that a
test can kill an ingest part way through."""
import time

from tests.conftest import FakeEmbeddings


class SlowEmbeddings(FakeEmbeddings):
    def embed_documents(self, texts):
        time.sleep(0.01 * len(texts))
        return super().embed_documents(texts)


def make_fast():
    return FakeEmbeddings()


def make_slow():
    return SlowEmbeddings()
