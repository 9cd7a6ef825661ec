from ingest.model import Paragraph, Speech
from ingest.text import tokenize
from vectorstore.keyword import KeywordIndex


def test_keyword_tokens_keep_quoted_corpus_terms():
    s = Speech("s", "t", "", "h", [Paragraph("s", 1, "", "要落实“三会一课”制度。"), Paragraph("s", 2, "", "别的内容。")])
    idx = KeywordIndex({"s": s})
    assert "三会一课" in tokenize("三会一课怎么落实？")
    scores = idx.scores(tokenize("三会一课"))
    assert scores[0] > 0 and scores[1] == 0
    cov = idx.coverage(tokenize("三会一课 制度 公租房"))  # 公租房 is unknown: left out
    assert cov[0] == 1.0 and cov[1] == 0
    assert 0 < idx.coverage(tokenize("三会一课 内容"))[0] < 1


def test_scores_match_rank_bm25_with_lucene_idf(tmp_path):
    """The sparse-matrix BM25 gives rank-bm25's scores (Okapi formula, Lucene idf)."""
    import numpy as np
    from rank_bm25 import BM25Okapi

    from tests.conftest import SPEECHES
    from ingest.pipeline import load_speech
    from vectorstore.keyword import speech_tokens

    speeches = {}
    for f in sorted(SPEECHES.glob("*.txt"))[:2]:
        sp, _ = load_speech(f)
        speeches[sp.id] = sp
    idx = KeywordIndex(speeches)
    docs = [toks for sid in sorted(speeches) for _, toks in speech_tokens(speeches[sid])]

    class Lucene(BM25Okapi):
        def _calc_idf(self, nd):
            self.idf = {w: float(np.log(1 + (self.corpus_size - f + 0.5) / (f + 0.5))) for w, f in nd.items()}

    oracle = Lucene(docs)
    for q in ("纠治“四风”的要求", "三会一课 制度 制度", "年轻干部 教育 管理 监督"):
        toks = tokenize(q)
        assert np.allclose(idx.chunk_scores(toks), oracle.get_scores(toks))


def test_index_saves_and_loads(tmp_path):
    s = Speech("s", "t", "", "h", [Paragraph("s", 1, "", "要落实“三会一课”制度。"), Paragraph("s", 2, "", "别的内容。")])
    idx = KeywordIndex({"s": s})
    idx.save(tmp_path / "k.npz")
    again = KeywordIndex.load(tmp_path / "k.npz", {"s": s})
    toks = tokenize("三会一课")
    assert (again.scores(toks) == idx.scores(toks)).all()
    assert again.paragraphs[0] is s.paragraphs[0]
