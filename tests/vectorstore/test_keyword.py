from ingest.model import Paragraph, Speech
from vectorstore.keyword import KeywordIndex, tokenize


def test_keyword_tokens_keep_quoted_corpus_terms():
    s = Speech("s", "t", "", "h", [Paragraph("s", 1, "", "要落实“三会一课”制度。"), Paragraph("s", 2, "", "别的内容。")])
    idx = KeywordIndex({"s": s})
    assert "三会一课" in tokenize("三会一课怎么落实？")
    scores = idx.scores(tokenize("三会一课"))
    assert scores[0] > 0 and scores[1] == 0
    cov = idx.coverage(tokenize("三会一课 制度 公租房"))  # 公租房 is unknown: left out
    assert cov[0] == 1.0 and cov[1] == 0
    assert 0 < idx.coverage(tokenize("三会一课 内容"))[0] < 1
