"""Is each topic phrase of a question in the retrieved passages? One check per phrase, by spelling.

A phrase counts as found when it is written in the passages (a compound as one unit, or a close variant:
qa.focus.contains), with a single-character word's dictionary synonyms, or once characters the segmenter
glued onto it from a phrase of the speeches beside it are given back. A phrase that is not found but only
refers to the documents, their speakers or the question's scope (政府工作报告, 纪委书记, 总理; a phrase of
the header of a speech searched: its title, occasion, date or speaker line) is no topic at all.
What is left is absent as written; qa.evidence then asks whether a passage means it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.text import everyday, lexicalized, normalize, without_references

from .crosslingual import synonyms
from .focus import Focus, Lexicon, contains, segment

GLUE_WINDOW = 4  # characters of the question that, read across a unit's edge, may be a phrase of the speeches
HEADER_LINES = 6  # a speech's header is at most its first lines up to the first statement
_STATEMENT = re.compile(r"[。！？!?]")


@dataclass
class Term:
    words: list[str]  # the phrase's core words (generic edges stripped)
    found: bool = False  # written in the passages (or a close variant)
    reference: bool = False  # refers to the documents, speakers or scope: not a topic
    meaning: float = 0.0  # how far the best retrieved sentence stands out in meaning (qa.evidence)

    @property
    def text(self) -> str:
        return "".join(self.words)

    @property
    def absent(self) -> bool:
        return not (self.found or self.reference)


def header_text(speech) -> str:
    """A speech's title and header lines (title, occasion, date, speaker, byline) in normal form: the
    words a question uses to name the document rather than its topic."""
    lines = [speech.title or "", getattr(speech, "speaker", "") or "", str(getattr(speech, "date", "") or "")]
    for p in speech.paragraphs[:HEADER_LINES]:
        if _STATEMENT.search(p.text) or len(p.text) > 80:
            break
        lines.append(p.text)
    return normalize("\n".join(lines)).lower()


def _in_header(term: str, header: str) -> bool:
    """The term as written, or its characters in order within twice its length (全国人大 in
    全国人民代表大会): names are abbreviated, topics are not what a header says."""
    if not term or not header:
        return False
    if term in header:
        return True
    if len(term) < 3:
        return False
    gap = "[^\n]{0,%d}" % len(term)
    return re.search(gap.join(map(re.escape, term)), header) is not None


def check_terms(focus: Focus, corpus: Lexicon, text: str, header: str) -> list[Term]:
    """One Term per topic phrase of the question, checked against the passages' text (normal form,
    lower case) and the header text of the speeches searched."""
    terms = []
    for run in focus.units:
        core = corpus.core(_frame_verb(run, focus, corpus))
        if not core:
            continue
        t = Term(core)
        low = [w.lower() for w in core]
        t.found = contains(text, low) or (len(core) == 1 and any(s in text for s in synonyms(core[0])))
        if not t.found:
            rest = _unglued(core, focus.question.lower(), corpus, text)
            t.found = not rest
            t.words = rest or core
        if not t.found:
            topic = corpus.core(without_references(t.words))
            t.reference = not topic or _in_header(t.text.lower(), header) \
                or contains(text, [w.lower() for w in topic])
            if not t.reference:
                t.words = topic
        terms.append(t)
    return terms


def _unglued(run: list[str], question: str, corpus: Lexicon, text: str) -> list[str]:
    """The run without characters the segmenter glued onto it from a phrase of the speeches next to it:
    in 我们局管党治党 LAC reads 局管, but 管 starts 管党治党. Those characters belong to that phrase; what
    is left is checked again, and a single everyday character is no topic. Only a word is cut, never a
    run at a word boundary (企业|党建 stays though 党建工作 is a phrase of the speeches)."""
    term = "".join(run).lower()
    at = question.find(term)
    if at < 0 or len(term) < 2:
        return run
    # its last k characters, inside its last word (LAC's word boundaries stand), start a phrase
    for k in range(min(len(run[-1]) - 1, GLUE_WINDOW - 1), 0, -1):
        window = question[at + len(term) - k: at + len(term) - k + GLUE_WINDOW]
        if len(window) == GLUE_WINDOW and window in corpus.text:
            rest = term[:-k]
            if (len(rest) == 1 and everyday(rest)) or contains(text, [rest]):
                return []
            return [rest]
    return run


def _frame_verb(run: list[str], focus: Focus, corpus: Lexicon) -> list[str]:
    """A verb the speeches use elsewhere, itself or a dictionary synonym (说明, 保证; 觉得 ≈ 认为), frames
    the question; only one they never use in any form (申请 in 怎样申请公租房) names an action the phrase
    is about and stays part of it, as does one that makes a dictionary word with its object (发展党员:
    recruiting members is a term, not 党员 framed by 发展)."""
    verb = run[0].lower()
    if len(run) > 1 and run[0] in focus.verbs and not lexicalized(run[0] + run[1]) \
            and (corpus.df(verb) or any(corpus.df(s) for s in synonyms(verb))):
        return run[1:]
    return run


def loosely(term: str, lex: Lexicon) -> bool:
    """A quoted phrase may be quoted loosely (“四风问题”): it counts when its words stand together in one
    sentence of the speeches (not merely each somewhere)."""
    words = [w.lower() for w, _ in segment(term) if w.strip()]
    return len(words) >= 2 and contains(lex.text, words)
