"""多选: the points of an enumeration the speeches give (一是…二是…) mixed with real distractors of the same
kind — points of other enumerations elsewhere in the speeches; the answer is the set of letters."""
from __future__ import annotations

from ingest.model import Paragraph, Speech
from qa.citations import fold, make_citation

from . import seeded
from ..corpus import subject_of
from ..explain import explain
from ..model import LETTERS, StudyItem

MAX_RIGHT = 4  # at most this many right options
OPTIONS = 4  # and at least this many options in all (one wrong at the least)
POINT_LEN = (4, 30)  # an option shorter says nothing, a longer one is a sentence, not an option
LEN_RATIO = 2.0  # distractors are of similar length to the right options


def distractor_pool(enum, corpus) -> list[str]:
    """Points of the other enumerations, absent from this paragraph."""
    here = fold(enum.paragraph.text)[0]
    pool = []
    for other in corpus.enumerations:
        if other.paragraph is enum.paragraph:
            continue
        for pt in other.points:
            if POINT_LEN[0] <= len(pt) <= POINT_LEN[1] and fold(pt)[0] not in here and pt not in pool:
                pool.append(pt)
    return pool


def from_enumeration(enum, speech: Speech, speeches, corpus, seed) -> StudyItem | None:
    rng = seeded(seed, "多选", enum.paragraph.speech, enum.paragraph.number)
    subject = subject_of(enum.paragraph, enum.intro)
    right = [(lead, pt) for lead, pt in zip(enum.leads, enum.points) if POINT_LEN[0] <= len(pt) <= POINT_LEN[1]]
    if len(right) < 2 or not subject:
        return None
    if len(right) > MAX_RIGHT:
        keep = sorted(rng.sample(range(len(right)), MAX_RIGHT))
        right = [right[i] for i in keep]
    mean = sum(len(pt) for _, pt in right) / len(right)
    pool = [d for d in distractor_pool(enum, corpus) if mean / LEN_RATIO <= len(d) <= mean * LEN_RATIO]
    wrong_n = max(1, OPTIONS - len(right))
    if len(pool) < wrong_n:
        return None
    wrong = rng.sample(pool, wrong_n)
    opts = [pt for _, pt in right] + wrong
    rng.shuffle(opts)
    answer = "".join(sorted(LETTERS[opts.index(pt)] for _, pt in right))
    p = enum.paragraph
    cites = [make_citation(speeches, i, p.speech, p.number, pt) for i, (_, pt) in enumerate(right, 1)]
    question = f"《{speech.title}》在“{subject}”方面提出的要求有哪些？（多选）"
    return StudyItem("多选", question, answer, [f"{LETTERS[i]}. {o}" for i, o in enumerate(opts)], cites,
                     explain("多选", cites, answer))


def make(speech: Speech, paras: list[Paragraph], speeches, corpus, seed) -> list[StudyItem]:
    wanted = {(p.speech, p.number) for p in paras}
    order = {(p.speech, p.number): i for i, p in enumerate(paras)}
    enums = sorted((e for e in corpus.enumerations if (e.paragraph.speech, e.paragraph.number) in wanted),
                   key=lambda e: order[(e.paragraph.speech, e.paragraph.number)])
    return [it for e in enums if (it := from_enumeration(e, speech, speeches, corpus, seed))]
