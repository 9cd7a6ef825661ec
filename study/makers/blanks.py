"""填空: a sentence with one of the speeches' quoted key terms blanked out. 选择 (单选): the same sentence
with three distractors of the same kind (numbered terms with numbered terms, of similar length) drawn from
elsewhere in the corpus, shuffled by the seed, the letter recorded."""
from __future__ import annotations

from collections import Counter

from ingest.model import Paragraph, Speech
from ingest.text import answer_spans, key_terms
from qa.citations import make_citation

from . import seeded
from ..explain import explain
from ..model import BLANK, LETTERS, StudyItem

SENTENCE_LEN = (12, 110)  # a sentence shorter says too little, longer is not one question
POOL = 12  # distractors are drawn from the most used terms of the right shape
CHOICES = 4


def blank_candidates(p: Paragraph, terms: Counter) -> list[tuple[str, str]]:
    """(sentence, term) pairs: a sentence of the paragraph with a key term worth blanking out."""
    out = []
    for s, e in answer_spans(p.text):
        sent = p.text[s:e].strip()
        if not SENTENCE_LEN[0] <= len(sent) <= SENTENCE_LEN[1]:
            continue
        for term in dict.fromkeys(key_terms(sent)):
            if terms.get(term, 0) >= 1 and sent.count(term) == 1:
                out.append((sent, term))
    return out


def shape(term: str) -> str:
    return "num" if term[0] in "一二三四五六七八九十两" else "word"


def alternatives(term: str, terms: Counter, sentence: str) -> list[str]:
    """Key terms of the same kind as `term`, absent from the sentence, most used first."""
    pool = [t for t in terms if t != term and t not in sentence and term not in t and t not in term
            and shape(t) == shape(term) and abs(len(t) - len(term)) <= 1]
    pool.sort(key=lambda t: (-terms[t], t))
    return pool


def distractors(term: str, terms: Counter, sentence: str, rng) -> list[str]:
    pick = alternatives(term, terms, sentence)[:POOL]
    rng.shuffle(pick)
    return pick[:CHOICES - 1]


def make(speech: Speech, paras: list[Paragraph], speeches, corpus, seed) -> tuple[list, list]:
    fills, choices = [], []
    for p in paras:
        for sent, term in blank_candidates(p, corpus.terms):
            q = sent.replace(term, BLANK, 1)
            cite = [make_citation(speeches, 1, p.speech, p.number, sent)]
            fills.append(StudyItem("填空", q, term, [], cite, explain("填空", cite)))
            rng = seeded(seed, p.speech, p.number, sent, term)
            wrong = distractors(term, corpus.terms, sent, rng)
            if len(wrong) == CHOICES - 1:
                opts = [term] + wrong
                rng.shuffle(opts)
                letter = LETTERS[opts.index(term)]
                options = [f"{LETTERS[i]}. {o}" for i, o in enumerate(opts)]
                choices.append(StudyItem("选择", f"下列哪一项填入横线最恰当？\n{q}", letter, options, cite,
                                         explain("选择", cite, f"{letter}（{term}）")))
    return fills, choices
