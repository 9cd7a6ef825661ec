from ingest.model import Paragraph, Speech
from ingest.text import tokenize
from vectorstore.keyword import KeywordIndex


def test_keyword_tokens_keep_quoted_corpus_terms():
    s = Speech("s", "t", "", "h", [Paragraph("s", 1, "", "要落实“三会一课”制度。"), Paragraph("s", 2, "", "别的内容。")])
    idx = KeywordIndex({"s": s})
    cut = idx.tokenizer.tokenize
    assert "三会一课" in cut("三会一课怎么落实？")
    scores = idx.scores(cut("三会一课"))
    assert scores[0] > 0 and scores[1] == 0
    cov = idx.coverage(cut("三会一课 制度 公租房"))  # 公租房 is unknown: left out
    assert cov[0] == 1.0 and cov[1] == 0
    assert 0 < idx.coverage(cut("三会一课 内容"))[0] < 1


def _one_speech(sid: str, text: str) -> dict[str, Speech]:
    return {sid: Speech(sid, "t", "", sid, [Paragraph(sid, 1, "", text)])}


def test_a_question_is_cut_the_same_whatever_else_the_process_indexed(tmp_path):
    """Two indexes in one process: each cuts with its own terms; jieba's shared dictionary is untouched."""
    question = "三会一课怎么落实？"
    alone = KeywordIndex(_one_speech("a", "抓好党建工作。")).tokenizer.tokenize(question)
    other = KeywordIndex(_one_speech("b", "落实“三会一课”要求。"))  # teaches its tokenizer 三会一课
    again = KeywordIndex(_one_speech("a", "抓好党建工作。")).tokenizer.tokenize(question)
    assert "三会一课" in other.tokenizer.tokenize(question)
    assert "三会一课" not in alone and again == alone
    assert tokenize(question) == alone  # the module-level function: the general dictionary only
    # a saved and reloaded index keeps its own terms
    other.save(tmp_path / "kw.npz")
    assert "三会一课" in KeywordIndex.load(tmp_path / "kw.npz", _one_speech("b", "落实“三会一课”要求。")).tokenizer.tokenize(question)


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
    docs = [toks for sid in sorted(speeches) for _, toks in speech_tokens(speeches[sid], idx.tokenizer)]

    class Lucene(BM25Okapi):
        def _calc_idf(self, nd):
            self.idf = {w: float(np.log(1 + (self.corpus_size - f + 0.5) / (f + 0.5))) for w, f in nd.items()}

    oracle = Lucene(docs)
    for q in ("纠治“四风”的要求", "三会一课 制度 制度", "年轻干部 教育 管理 监督"):
        toks = idx.tokenizer.tokenize(q)
        assert np.allclose(idx.chunk_scores(toks), oracle.get_scores(toks))


def test_index_saves_and_loads(tmp_path):
    s = Speech("s", "t", "", "h", [Paragraph("s", 1, "", "要落实“三会一课”制度。"), Paragraph("s", 2, "", "别的内容。")])
    idx = KeywordIndex({"s": s})
    idx.save(tmp_path / "k.npz")
    again = KeywordIndex.load(tmp_path / "k.npz", {"s": s})
    toks = tokenize("三会一课")
    assert (again.scores(toks) == idx.scores(toks)).all()
    assert again.paragraphs[0] is s.paragraphs[0]
