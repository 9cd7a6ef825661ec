"""简答: an enumeration (一是…二是…) → "在“…”方面提出了哪几点要求？"; a section with sub-sections →
"“…”部分从哪几个方面作了部署？". The answer is the points; the 采分点 are key phrases of each point."""
from __future__ import annotations

import re

from ingest.lexicon import CN_DIGITS
from ingest.model import Paragraph, Speech
from ingest.text import SUB_MARK
from qa.citations import make_citation

from ..corpus import NUMBERED, enumeration_items, point_text, subject_of
from ..explain import explain, key_phrases
from ..model import StudyItem



def _item(question: str, labels: list[str], cites) -> StudyItem:
    points = list(dict.fromkeys(k for lab in labels for k in key_phrases(NUMBERED.sub("", point_text(lab)))))
    return StudyItem("简答", question, "；".join(labels), [], cites, explain("简答", cites, points=points), points)


def enumeration_questions(speech: Speech, paras: list[Paragraph], speeches) -> list[StudyItem]:
    out = []
    for p in paras:
        found = enumeration_items(p)
        if not found:
            continue
        intro, items = found
        subject = subject_of(p, intro)
        if not subject:
            continue
        q = f"《{speech.title}》在“{subject}”方面提出了哪几点要求？"
        cites = [make_citation(speeches, i, p.speech, p.number, lead) for i, (_, lead) in enumerate(items, 1)]
        out.append(_item(q, [lead for _, lead in items], cites))
    return out


def section_questions(speech: Speech, paras: list[Paragraph], speeches) -> list[StudyItem]:
    """A top-level section with sub-sections (（一）…（二）…): name its parts."""
    sections: dict[str, list[Paragraph]] = {}
    for p in speech.paragraphs:
        if not p.is_heading and SUB_MARK.match(p.text) and len(p.heading_path) > 1:
            sections.setdefault(p.heading_path[0], []).append(p)
    wanted = {p.number for p in paras}
    out = []
    for head, subs in sections.items():
        if len(subs) < 2 or not any(s.number in wanted for s in subs):
            continue
        labels = [s.heading_path[1] for s in subs]
        title = re.sub(rf"^[{CN_DIGITS}]+、\s*", "", head)
        q = f"《{speech.title}》“{title}”部分从哪几个方面作了部署？"
        cites = [make_citation(speeches, i, s.speech, s.number, lab) for i, (s, lab) in enumerate(zip(subs, labels), 1)]
        out.append(_item(q, labels, cites))
    return out


def make(speech: Speech, paras: list[Paragraph], speeches, corpus, seed) -> list[StudyItem]:
    return enumeration_questions(speech, paras, speeches) + section_questions(speech, paras, speeches)
