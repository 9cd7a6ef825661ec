"""Deterministic embedders for tests that run `speechqa` in a subprocess
(`--embeddings python:tests.fake_backend:make_slow`): the slow one takes a few ms per text; the killing
one SIGKILLs its own process once SPEECHQA_TEST_KILL_AFTER chunk texts have been embedded, so a crash
test kills an ingest at an exact point instead of after a guessed delay."""
import os
import signal
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


class KillingEmbeddings(FakeEmbeddings):
    def __init__(self, after: int):
        super().__init__()
        self.after, self.done = after, 0

    def embed_documents(self, texts):
        if self.done + len(texts) > self.after:  # this batch would cross the kill point: die before it lands
            os.kill(os.getpid(), signal.SIGKILL)
        self.done += len(texts)
        return super().embed_documents(texts)


def make_killing():
    return KillingEmbeddings(int(os.environ.get("SPEECHQA_TEST_KILL_AFTER", 10**9)))
