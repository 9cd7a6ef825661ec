"""The Engine hands out one of each piece: the digest tabs and commands share its collector."""
from digest.collect import Collector


def test_the_collector_is_one_per_engine_and_uses_its_retriever(engine):
    assert isinstance(engine.collector, Collector)
    assert engine.collector is engine.collector and engine.collector.retriever is engine.retriever
    assert not hasattr(engine, "_digest_collector")  # nothing set on the engine from outside


def test_store_health_and_counts_through_public_methods(engine):
    from ingest.pipeline import ingest_paths
    from tests.conftest import SPEECHES

    assert engine.store.count() == 0
    engine.store.health()  # an empty store is healthy
    ingest_paths([SPEECHES], engine.store)
    n = engine.store.count()
    assert n == engine.store.chunk_count() > 0
    engine.store.health()
    first = sorted(engine.store.speeches())[0]
    engine.store.remove_speech(first)
    assert engine.store.count() < n and first not in engine.store.speeches()
