"""组卷: a paper with a quota and a score per type, drawn at random from the checked items of a scope,
fixed by a seed; variants A, B… take different items for the same quotas."""
from __future__ import annotations

from dataclasses import dataclass, field

from ingest.lexicon import CN_DIGITS
from ingest.model import Paragraph, Speech

from .generate import Picker, candidates
from .makers import seeded
from .model import DISPLAY, TYPES, StudyError, StudyItem, canonical_type

ORDER = ("判断", "选择", "多选", "填空", "简答")  # the usual order of an exam paper
SCORES = {"判断": 1, "选择": 1, "多选": 2, "填空": 1, "简答": 5}
CN_NUM = CN_DIGITS
VARIANTS = "ABCDEF"


@dataclass
class Section:
    type: str
    items: list[StudyItem]
    score: float = 0  # per item; 0 when the set is not scored

    def heading(self, index: int) -> str:
        name = f"{CN_NUM[index]}、{DISPLAY.get(self.type, self.type)}题"
        if not self.score:
            return name
        each = f"{self.score:g}"
        return f"{name}（每题{each}分，共{self.score * len(self.items):g}分）"


@dataclass
class Paper:
    title: str
    sections: list[Section] = field(default_factory=list)
    seed: int | None = None
    variant: str = ""
    short: dict[str, int] = field(default_factory=dict)  # types with fewer items than their quota

    @property
    def items(self) -> list[StudyItem]:
        return [it for s in self.sections for it in s.items]

    @property
    def total(self) -> float:
        return sum(s.score * len(s.items) for s in self.sections)

    def numbered(self):
        """(number, section, item) in paper order, numbered through."""
        n = 0
        for s in self.sections:
            for it in s.items:
                n += 1
                yield n, s, it


def as_paper(items: list[StudyItem], title: str) -> Paper:
    """A plain set of items laid out like a paper: grouped by type, unscored."""
    return Paper(title, [Section(t, [it for it in items if it.type == t]) for t in ORDER
                         if any(it.type == t for it in items)])


def parse_quota(text: str, scores: bool = False) -> dict[str, float]:
    """"判断=10,单选=10,多选=5" → {"判断": 10, "选择": 10, "多选": 5} (单选 is 选择)."""
    out: dict[str, float] = {}
    for part in text.replace("，", ",").split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        kind = canonical_type(name)
        try:
            number = float(value) if scores else int(value)
        except ValueError:
            number = -1
        if not sep or kind is None or number < 0 or (not scores and number == 0):
            raise StudyError(f"bad {'score' if scores else 'quota'} '{part.strip()}' (e.g. 判断=10,单选=10,多选=5)")
        out[kind] = number
    if not out:
        raise StudyError("an empty quota")
    return out


def make_paper(speeches: dict[str, Speech], paragraphs: list[Paragraph], quotas: dict[str, int], title: str,
               seed: int = 0, variant: str = "A", scores: dict[str, float] | None = None) -> Paper:
    if variant not in VARIANTS:
        raise StudyError(f"variant must be one of {', '.join(VARIANTS)}")
    v = VARIANTS.index(variant)
    pools = candidates(speeches, paragraphs, list(quotas), seed)
    picker, paper = Picker(speeches), Paper(title, seed=seed, variant=variant)
    for kind in [t for t in ORDER if t in quotas]:
        q = quotas[kind]
        pool = list(pools[kind])
        seeded(seed, "paper", kind).shuffle(pool)
        taken = []
        for item in pool:  # enough for every variant up to this one, none repeated across them
            if len(taken) >= q * (v + 1):
                break
            if picker.take(item):
                taken.append(item)
        mine = taken[q * v:q * (v + 1)]
        if len(mine) < q and len(taken) > len(mine):  # too few for a disjoint variant: reuse the others'
            mine += [it for it in taken[:q * v] if it not in mine][:q - len(mine)]
        if len(mine) < q:
            paper.short[kind] = len(mine)
        if mine:
            paper.sections.append(Section(kind, mine, (scores or {}).get(kind, SCORES[kind])))
    return paper
