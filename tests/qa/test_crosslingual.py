"""English questions: phrases → the Chinese terms the dictionary gives and the corpus uses."""
from ingest.pipeline import ingest_paths
from qa.crosslingual import english_terms, expansions


def test_phrases_are_looked_up_longest_first_and_function_words_skipped():
    terms = {t.english: t.chinese for t in english_terms("What do the speeches require for campus safety?")}
    assert "校园" in terms["campus"] and "安全" in terms["safety"]
    assert "the" not in terms and "speech" not in terms
    sci = {t.english: t.chinese for t in english_terms("measures for science and technology innovation")}
    assert "科技" in sci["science and technology"]  # one sense, not three words


def test_inflected_words_find_their_plain_form():
    assert any(t.english == "report" for t in english_terms("reporting back"))


def test_only_terms_the_corpus_uses_are_added():
    assert expansions("formalism and bureaucratism", "反对形式主义") == ["形式主义"]
    assert english_terms("怎样反对形式主义？") == []  # Chinese questions are not translated


def test_an_english_question_reaches_the_chinese_terms_paragraphs(engine, speeches_copy):
    ingest_paths([speeches_copy], engine.store)
    top = engine.retriever.search("What do the speeches say about formalism and bureaucratism?", k=5)
    assert any("形式主义" in p.text and "官僚主义" in p.text for p in top)
