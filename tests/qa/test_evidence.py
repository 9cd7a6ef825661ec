"""The semantic test for a focus term the passages do not spell: one sentence must stand out in meaning.
A fake retriever gives exact vectors, so the decision is the rule's, not the model's."""
import numpy as np

from qa.evidence import HEDGE_Z, EvidenceJudge
from qa.model import Passage
from qa.terms import Term

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


def test_a_term_one_sentence_stands_out_for_is_meant():
    standout = np.full(48, 0.2)
    standout[3] = 1.0  # means sentence 3 and nothing else
    judge = EvidenceJudge(FakeRetriever({"墓地": standout}))
    term = Term(["墓地"])
    judge._meaning([term], passages())
    assert term.meaning >= HEDGE_Z


def test_a_term_every_sentence_is_about_equally_close_to_is_not_meant():
    flat = np.full(48, 0.2)
    flat[:40] += np.linspace(0, 0.05, 40)  # the best sentence is only a little above the rest
    judge = EvidenceJudge(FakeRetriever({"防汛": flat}))
    term = Term(["防汛"])
    judge._meaning([term], passages())
    assert term.meaning < HEDGE_Z



def test_characters_glued_onto_a_word_from_a_phrase_of_the_speeches_are_given_back():
    from qa.terms import _unglued
    from qa.focus import Lexicon

    corpus = Lexicon("管党治党已经从宽松软走向严紧硬。\n抓好党建工作。", [])
    # LAC reads 我们|局管|党|治|党: 管 starts 管党治党, and 局 alone is no topic
    assert _unglued(["局管"], "我们局管党治党的情况", corpus, corpus.text) == []
    # a run is cut only inside a word: 企业|党建 stays though 党建工作 is a phrase of the speeches
    assert _unglued(["企业", "党建"], "非公企业党建工作怎么开展", corpus, corpus.text) == ["企业", "党建"]
    assert _unglued(["河长制"], "河长制工作有什么要求", corpus, corpus.text) == ["河长制"]


def test_a_verb_that_makes_a_dictionary_word_with_its_object_stays_in_the_topic():
    from qa.terms import _frame_verb
    from qa.focus import Lexicon, analyse

    corpus = Lexicon("推动高质量发展，党员要带头。\n加强党员教育管理。", [])
    recruit = analyse("发展党员工作有什么要求？")  # 发展党员 is a term of its own: recruiting members
    assert _frame_verb(recruit.units[0], recruit, corpus)[:2] == ["发展", "党员"]
    frame = analyse("怎样加强党员管理？")  # 加强 frames the question; the topic is 党员管理
    assert _frame_verb(frame.units[0], frame, corpus)[0] != "加强"


class CorpusOnly:
    """A retriever that knows the corpus text only (no embeddings are needed when nothing is unspelt)."""

    def __init__(self, text):
        self.text = text

    def corpus_text(self, speeches=None):
        return self.text

    def speeches(self):
        return {}


def test_the_kind_of_answer_asked_for_must_be_a_word_the_speeches_use():
    from qa.focus import analyse

    text = "党员干部要严格要求自己，落实各项要求。\n党员干部要带头学习。\n要求党员干部廉洁自律。"
    judge = EvidenceJudge(CorpusOnly(text))
    passages_ = [Passage("s", "t", n + 1, "", line) for n, line in enumerate(text.split("\n"))]
    asked = judge.judge(analyse("党员干部有哪些津贴？"), passages_)  # 津贴 is what is asked about
    assert not asked.answerable and asked.missing == ["津贴"]
    assert judge.judge(analyse("对党员干部有哪些要求？"), passages_).answerable  # 要求: a kind they use


class FlatRetriever(CorpusOnly):
    """Every sentence and term alike in meaning: no sentence stands out for an unspelt term."""

    def embed_documents(self, texts):
        return [np.ones(8) / np.sqrt(8) for _ in texts]

    def embed_query(self, text):
        return np.ones(8) / np.sqrt(8)


FILLER = [f"第{i}项工作按计划推进，各单位认真落实。" for i in range(12)]


def test_one_unwritten_phrase_beside_three_written_ones_is_answered_hedged():
    from qa.evidence import hedge_text
    from qa.focus import analyse

    lines = ["领导干部要管好爱人，负起监督责任，爱人要守住廉洁底线。", "廉洁自律是领导干部的基本要求。"] + FILLER
    judge = EvidenceJudge(FlatRetriever("\n".join(lines)))
    found = [Passage("s", "t", n + 1, "", line) for n, line in enumerate(lines)]
    ev = judge.judge(analyse("领导干部的爱人在廉洁方面要负什么责任，家里要怎么做？"), found)
    assert ev.answerable and ev.hedged and ev.missing == ["家里"]
    assert hedge_text(False, ev).startswith("讲话中没有“家里”这一说法，与问题其余内容相关的原文如下")
    # the same unwritten phrase beside one written topic: most of the question is not there
    ev = judge.judge(analyse("领导干部家里的违章建筑怎么拆除？"), found)
    assert not ev.answerable and "违章建筑" in ev.missing


def test_a_word_about_wording_is_neither_a_topic_nor_a_kind_the_speeches_must_use():
    from qa.focus import analyse

    lines = ["纪律和规矩已经从“橡皮泥”变成“铁戒尺”，这说明纪律约束由软变硬。"] + FILLER
    judge = EvidenceJudge(FlatRetriever("\n".join(lines)))
    found = [Passage("s", "t", n + 1, "", line) for n, line in enumerate(lines)]
    for question in ("讲话用什么比喻来说明纪律约束由软变硬？", "对纪律约束由软变硬，讲话是什么提法？"):
        assert judge.judge(analyse(question), found).answerable, question


class WithSpeech(FlatRetriever):
    def __init__(self, text, speech):
        super().__init__(text)
        self.speech = speech

    def speeches(self):
        return {self.speech.id: self.speech}


def test_a_count_need_not_repeat_the_words_that_name_the_document():
    from ingest.model import Paragraph, Speech
    from qa.focus import analyse

    lines = ["2026年吉林省政府工作报告", "粮食总产量达到871.6亿斤，稳居全国第4位。"] + FILLER
    speech = Speech("jl", lines[0], "jl.txt", "h", [Paragraph("jl", n + 1, "", t, is_heading=n == 0)
                                                    for n, t in enumerate(lines)])
    judge = EvidenceJudge(WithSpeech("\n".join(lines), speech))
    found = [Passage("jl", lines[0], n + 1, "", t) for n, t in enumerate(lines)]
    ev = judge.judge(analyse("吉林省粮食总产量是多少？"), found)  # 吉林省 names the report, not the number
    assert ev.answerable, ev


def test_a_count_need_not_repeat_the_place_the_question_names():
    from ingest.model import Paragraph, Speech
    from qa.focus import analyse

    lines = ["忠实践行 奋力推进", "到2027年具体目标：", "全省地区生产总值达到12万亿元，居民人均可支配收入达到8.5万元。", "浙江各地要抓好落实。"] + FILLER
    speech = Speech("zj", lines[0], "zj.txt", "h", [Paragraph("zj", n + 1, "", t, is_heading=n == 0)
                                                    for n, t in enumerate(lines)])
    judge = EvidenceJudge(WithSpeech("\n".join(lines), speech))
    found = [Passage("zj", lines[0], n + 1, "", t) for n, t in enumerate(lines)]
    assert judge.judge(analyse("到2027年，浙江全省地区生产总值的目标是多少？"), found).answerable
