"""Example questions from the corpus' own topics: the quoted terms (“四风”, “三会一课”…) that most
speeches use."""
from __future__ import annotations

from collections import Counter

from ingest.model import Speech
from ingest.text import key_terms

def topic_terms(speeches: dict[str, Speech], n: int = 8) -> list[str]:
    """Quoted terms ranked by how many speeches use them, then how often."""
    by_speech: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for s in speeches.values():
        terms = [t for p in s.paragraphs for t in key_terms(p.text)]
        total.update(terms)
        by_speech.update(set(terms))
    ranked = sorted(total, key=lambda t: (-by_speech[t], -total[t], t))
    return [t for t in ranked if by_speech[t] >= 2 or len(speeches) == 1][:n]


def example_questions(speeches: dict[str, Speech], n: int = 6) -> list[str]:
    return [f"讲话对“{t}”提出了哪些要求？" for t in topic_terms(speeches, n)]
