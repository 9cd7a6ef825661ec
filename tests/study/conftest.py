import pytest

from ingest.pipeline import ingest_paths


@pytest.fixture(scope="session")
def world(tmp_path_factory):
    """The bundled speeches in a store with the fake embedder: (engine, speeches)."""
    from tests.conftest import SPEECHES, make_engine

    engine = make_engine(tmp_path_factory.mktemp("study") / "index")
    ingest_paths([SPEECHES], engine.store)
    return engine, engine.store.speeches()


def items_for(world, n=10, types=("简答", "填空", "选择"), seed=0, **kw):
    from study.generate import generate, source_paragraphs

    engine, speeches = world
    return generate(speeches, source_paragraphs(speeches, engine.retriever, **kw), n, list(types), seed)
