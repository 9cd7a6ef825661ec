"""English questions reach Chinese paragraphs through the paragraphs' English glosses (qa/gloss.py)."""
import numpy as np

from ingest.model import Paragraph
from ingest.pipeline import ingest_paths
from qa.crosslingual import glosses, word_forms
from qa.gloss import GlossIndex


def test_a_dictionary_word_is_glossed_by_its_senses_a_coinage_by_its_characters():
    assert "remind" in glosses("提醒")
    assert {"weather", "vane"} <= glosses("风向标")
    assert "flat" in glosses("躺平族")  # not in the dictionary: 躺 recline, 平 flat, 族 clan
    assert glosses("的") == frozenset()  # a single character alone says too little


def test_question_words_find_the_form_the_glosses_use():
    assert "remind" in word_forms("reminders")
    assert "case" in word_forms("cases")
    assert "lead" in word_forms("leaders")


def test_a_paraphrase_matches_without_equalling_a_dictionary_sense():
    paras = [Paragraph("s", 1, "", "各级党组织要当好“领头雁”，以上率下。"),
             Paragraph("s", 2, "", "严格财务管理制度，规范资金使用。"),
             Paragraph("s", 3, "", "对苗头性问题及时提醒，抓早抓小。")]
    index = GlossIndex(paras)
    lead = index.scores("Who should fly at the head, leading the others?")
    assert int(np.argmax(lead)) == 0
    remind = index.scores("gentle reminders about small problems")
    assert int(np.argmax(remind)) == 2
    assert not index.scores("zzz qqq").any()


def test_an_english_question_reaches_the_chinese_terms_paragraphs(engine, speeches_copy):
    """With the fake embedder the dense side knows no English: the glosses carry these."""
    ingest_paths([speeches_copy], engine.store)
    r = engine.retriever
    top = r.search("What is said about cadres who just lie flat?", k=5)
    assert "躺平族" in top[0].text
    top = r.search("Why are the top leaders called the weather vane of the political climate?", k=5)
    assert "风向标" in top[0].text
    top = r.search("How do the speeches describe tightening the cage that keeps power in check?", k=5)
    assert sum("笼子" in p.text for p in top) >= 3  # four paragraphs use it, in four speeches
    kw = r.keyword_index()
    best = kw.paragraphs[int(np.argmax(r.gloss_index(kw).scores("the weather vane of politics")))]
    assert "风向标" in best.text


def test_a_chinese_question_is_not_glossed(engine, speeches_copy):
    ingest_paths([speeches_copy], engine.store)
    engine.retriever.search("纠治“四风”", k=5)
    assert engine.retriever._gloss is None
