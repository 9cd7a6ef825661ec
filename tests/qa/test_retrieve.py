import numpy as np
import pytest

from qa.chain import HybridRetriever
from qa.retrieve import diversify
from qa.scope import detect_scope
from tests.conftest import bundled_engine


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The bundled speeches in one store for the whole module: every test here only searches."""
    return bundled_engine(tmp_path_factory.mktemp("retrieve"))


def test_results_are_one_per_paragraph_and_ranked(loaded):
    res = loaded.retriever.search("纠治“四风”", k=10)
    keys = [(p.speech, p.paragraph) for p in res]
    assert len(keys) == len(set(keys)) == 10
    assert [p.score for p in res] == sorted((p.score for p in res), reverse=True)
    assert all("四风" in res[i].text for i in range(3))


def test_first_five_are_the_same_whatever_k_asks_for(loaded):
    # Each speech that speaks is guaranteed a place on the first page of ten, in score order, so asking
    # for more results never reorders the first ones.
    for q in ("一岗双责", "主体责任", "政治生态"):
        first = [(p.speech, p.paragraph) for p in loaded.retriever.search(q, k=5)]
        assert first == [(p.speech, p.paragraph) for p in loaded.retriever.search(q, k=10)][:5]
    many = loaded.retriever.search("主体责任", k=10)
    assert len({p.speech for p in many}) == 5  # still every speech that speaks, within the page


def test_restrict_to_speeches(loaded):
    res = loaded.retriever.search("四风", k=5, speeches=["001_ce92dc7b0f296d48"])
    assert res and {p.speech for p in res} == {"001_ce92dc7b0f296d48"}
    assert loaded.retriever.search("四风", k=5, speeches=["nope"]) == []


def test_question_naming_a_speech_is_scoped(loaded):
    speeches = loaded.store.speeches()
    ids, cleaned = detect_scope("在“踔厉奋发 笃行不怠”这篇讲话里，对基层组织建设提出了哪些要求？", speeches)
    assert ids == ["004_9825695c093ec318"]
    assert "踔厉" not in cleaned and "基层组织建设" in cleaned
    assert detect_scope("对基层组织建设提出了哪些要求？", speeches) == (None, "对基层组织建设提出了哪些要求？")
    res = loaded.retriever.search("在“踔厉奋发 笃行不怠”这篇讲话里，对基层组织建设提出了哪些要求？")
    assert {p.speech for p in res} == {"004_9825695c093ec318"}


def test_diversify_brings_every_speaking_speech_into_the_top_k():
    speech_of = ["a", "a", "a", "a", "b", "c"]
    fused = np.array([1.0, 0.9, 0.8, 0.7, 0.6, 0.1])
    order = diversify(speech_of, fused, k=3, limit=10)
    assert order[:3] == [0, 1, 4]  # b speaks (0.6 ≥ 0.4 × 1.0), c does not
    assert sorted(order) == list(range(6))
    assert diversify(speech_of, fused, k=3, limit=10, share=0.9)[:3] == [0, 1, 2]  # b no longer speaks


def test_langchain_retriever_returns_documents_with_citation_metadata(loaded):
    docs = HybridRetriever(retriever=loaded.retriever, k=3).invoke("三会一课")
    assert len(docs) == 3
    assert {"speech", "title", "paragraph", "heading"} <= set(docs[0].metadata)
    assert "三会一课" in docs[0].page_content


def test_empty_question_and_empty_store(engine):
    assert engine.retriever.search("   ") == []
    assert engine.retriever.search("四风") == []
