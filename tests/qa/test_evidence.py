"""The semantic test for a focus term the passages do not spell: one sentence must stand out in meaning.
A fake retriever gives exact vectors, so the decision is the rule's, not the model's."""
import numpy as np

from qa.evidence import EvidenceJudge
from qa.model import Passage

SENTENCES = [f"第{i}句讲的是一般性的工作要求。" for i in range(40)]


class FakeRetriever:
    """Sentence i points along axis i with a shared component; a term's vector is given by the test."""

    def __init__(self, term_vectors):
        self.term_vectors = term_vectors

    def embed_documents(self, texts):
        out = []
        for t in texts:
            v = np.full(48, 0.2)
            v[SENTENCES.index(t)] = 1.0
            out.append(v / np.linalg.norm(v))
        return out

    def embed_query(self, text):
        v = np.asarray(self.term_vectors[text], dtype=float)
        return v / np.linalg.norm(v)


def passages():
    return [Passage("s", "t", n + 1, "", "".join(SENTENCES[2 * n:2 * n + 2])) for n in range(20)]


def test_a_term_one_sentence_stands_out_for_counts_as_present():
    standout = np.full(48, 0.2)
    standout[3] = 1.0  # means sentence 3 and nothing else
    judge = EvidenceJudge(FakeRetriever({"墓地": standout}))
    assert judge._unlike(["墓地"], passages()) == []


def test_a_term_every_sentence_is_about_equally_close_to_stays_absent():
    flat = np.full(48, 0.2)
    flat[:40] += np.linspace(0, 0.05, 40)  # the best sentence is only a little above the rest
    judge = EvidenceJudge(FakeRetriever({"防汛": flat}))
    assert judge._unlike(["防汛"], passages()) == ["防汛"]

