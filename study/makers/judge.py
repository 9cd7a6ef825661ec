"""判断: a true statement is a verbatim sentence; a false one changes exactly one verifiable element — a
quoted key term or a counted number word — to a real alternative used elsewhere in the speeches. The 解析
quotes the original sentence and names the change."""
from __future__ import annotations

from ingest.model import Paragraph, Speech
from ingest.text import NUMBER_WORD, key_terms, sentence_spans
from qa.citations import make_citation

from . import seeded
from .blanks import SENTENCE_LEN, alternatives
from ..explain import explain
from ..model import FALSE, TRUE, StudyItem

POOL = 6  # a false statement's alternative is drawn from this many candidates
FALSE_SHARE = 0.5


def elements(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the elements a false statement may change: quoted key terms used once in the
    sentence, counted number words used once."""
    out = []
    for term in dict.fromkeys(key_terms(sentence)):
        if sentence.count(term) == 1:
            start = sentence.index(term)
            out.append((start, start + len(term), "term"))
    for m in NUMBER_WORD.finditer(sentence):
        if sentence.count(m.group(0)) == 1:
            out.append((m.start(), m.end(), "number"))
    return out


def number_alternatives(word: str, corpus) -> list[str]:
    m = NUMBER_WORD.fullmatch(word)
    unit = m.group(2) if m else None
    return sorted((w for w in corpus.numbers if w != word and NUMBER_WORD.fullmatch(w).group(2) == unit),
                  key=lambda w: (-corpus.numbers[w], w))


def is_alternative(kind: str, old: str, new: str, corpus) -> bool:
    """new is a real element of the same kind as old, used elsewhere in the speeches."""
    if old == new:
        return False
    if kind == "term":
        return new in corpus.terms
    m_old, m_new = NUMBER_WORD.fullmatch(old), NUMBER_WORD.fullmatch(new)
    return bool(m_old and m_new and m_old.group(2) == m_new.group(2) and new in corpus.numbers)


def falsify(sentence: str, corpus, rng) -> tuple[str, str, str] | None:
    """(statement, original element, replacement) or None when no element has a real alternative."""
    cands = elements(sentence)
    rng.shuffle(cands)
    for start, end, kind in cands:
        old = sentence[start:end]
        alts = (alternatives(old, corpus.terms, sentence) if kind == "term" else number_alternatives(old, corpus))
        alts = [a for a in alts[:POOL] if a not in sentence]
        rng.shuffle(alts)
        for new in alts:
            statement = sentence[:start] + new + sentence[end:]
            if not corpus.occurs(statement):
                return statement, old, new
    return None


def make(speech: Speech, paras: list[Paragraph], speeches, corpus, seed) -> list[StudyItem]:
    out = []
    for p in paras:
        for s, e in sentence_spans(p.text):
            sent = p.text[s:e].strip()
            if not SENTENCE_LEN[0] <= len(sent) <= SENTENCE_LEN[1] or not elements(sent):
                continue
            cite = [make_citation(speeches, 1, p.speech, p.number, sent)]
            rng = seeded(seed, "判断", p.speech, p.number, sent)
            changed = falsify(sent, corpus, rng) if rng.random() < FALSE_SHARE else None
            if changed:
                statement, old, new = changed
                out.append(StudyItem("判断", statement, FALSE, [], cite, explain("判断", cite, FALSE, changed=(old, new))))
            else:
                out.append(StudyItem("判断", sent, TRUE, [], cite, explain("判断", cite, TRUE)))
    return out
