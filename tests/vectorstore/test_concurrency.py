"""Several threads (and processes) at once: the query cache and the keyword-index save stay whole."""
from __future__ import annotations

import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ingest.model import Paragraph, Speech
from ingest.text import tokenize
from tests.conftest import FakeEmbeddings
from vectorstore.cache import CachedEmbeddings
from vectorstore.keyword import KeywordIndex


class Yielding(OrderedDict):
    """An OrderedDict that lets other threads run right after each lookup, as a thread switch might."""

    def __contains__(self, key):
        found = super().__contains__(key)
        time.sleep(0.0002)
        return found

    def get(self, key, default=None):
        found = super().get(key, default)
        time.sleep(0.0002)
        return found


def test_query_cache_survives_many_threads(tmp_path):
    c = CachedEmbeddings(FakeEmbeddings(), tmp_path / "e.sqlite", query_cache_size=2)
    c._queries = Yielding()
    texts = [f"问题{i % 4}" for i in range(2000)]
    with ThreadPoolExecutor(12) as pool:
        vecs = list(pool.map(c.embed_query, texts))
    ref = FakeEmbeddings()
    assert all(v == ref.embed_query(t) for v, t in zip(vecs, texts))
    assert len(c._queries) <= 2


def speech(sid: str, n: int) -> Speech:
    s = Speech(sid, "t", "", f"h{sid}{n}")
    s.paragraphs = [Paragraph(sid, i, "", f"要落实“三会一课”制度，第{i}段。") for i in range(1, n + 1)]
    return s


def test_keyword_index_saved_from_many_threads_at_once_is_whole(tmp_path):
    speeches = {"a": speech("a", 40), "b": speech("b", 40)}
    idx = KeywordIndex(speeches)
    path = tmp_path / "keyword" / "keyword-x.npz"
    errors = []

    def save(_):
        try:
            idx.save(path)
        except Exception as e:  # noqa: BLE001 — the test counts every failure
            errors.append(e)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(save, range(64)))
    assert errors == []
    assert [p.name for p in path.parent.iterdir()] == ["keyword-x.npz"]  # no temp files left
    again = KeywordIndex.load(path, speeches)
    toks = tokenize("三会一课")
    assert np.array_equal(again.scores(toks), idx.scores(toks))


def test_saved_keyword_index_holds_no_pickle(tmp_path):
    speeches = {"a": speech("a", 3)}
    path = tmp_path / "k.npz"
    KeywordIndex(speeches).save(path)
    with np.load(path, allow_pickle=False) as z:
        for name in z.files:
            assert z[name].dtype != object, name  # every array loads without pickle
    assert b"pickle" not in path.read_bytes()
