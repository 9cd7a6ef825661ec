from tests.conftest import FakeEmbeddings
from vectorstore.cache import CachedEmbeddings


def test_cache_embeds_each_text_once_across_instances(tmp_path):
    inner = FakeEmbeddings()
    c = CachedEmbeddings(inner, tmp_path / "e.sqlite")
    first = c.embed_documents(["甲", "乙", "甲"])
    assert inner.calls == 2
    c.close()
    c2 = CachedEmbeddings(inner, tmp_path / "e.sqlite")
    again = c2.embed_documents(["乙", "甲", "丙"])
    assert inner.calls == 3  # only 丙 is new
    assert again[0] == first[1] and again[1] == first[0]
