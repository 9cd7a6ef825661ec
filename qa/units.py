"""Structure-aware units: groups of paragraphs a speech lays out as one answer.

- an enumeration: the paragraph that introduces a list (…主要有：, …提出以下要求, a section heading, or
  simply the paragraph before it) with the run of item paragraphs that follows — 一是…二是…, 一要…,
  （一）…（二）…, ——…; a run ends where its marker kind changes or its numbering starts again;
- an outline: the paragraph that announces the speech's parts (讲三点意见, 谈五点建议) with the section
  headings (一、…) that follow it anywhere in the speech.

Retrieval scores a unit by its intro (the question's words sit there; the items seldom repeat them) and,
when it wins, brings its members back whole and in order. Citations stay per paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ingest.model import Speech
from ingest.text import (ARABIC_ITEM, DASH_ITEM, H1_MARK, H2_MARK, ITEM, ORDER_WORDS, ORDINAL_ITEM, OUTLINE,
                         cn_small_number)

MAX_MEMBERS = 8  # a longer run is a section's worth, not one answer
MIN_ITEMS = 2
INTRO_LEAD = 1.15  # a unit comes back whole when its best paragraph scores this many times the best outside it
# The best paragraph may be an item when its intro scores this share of it (dev_structure tune half:
# enumerations 0.906 → 1.000 capped recall@5 at 0.8 and at 0.6, the other kinds unchanged).
INTRO_SHARE = 0.8
# A question that asks for a list (ingest.text.LIST_QUESTION) takes a list whose intro ranks in the top
# LIST_RANKS at LIST_SHARE of the best (dev_structure3 tune half, with search's items-first rule:
# enumerations 0.623 → 0.699 recall@5, alike from 0.8 to 0.9 and from 2 to 5 ranks; the other kinds and
# the dev sets' recall unchanged). An intro ranked there beside its best item: 0.802 → 0.824; any two of
# the top three in one list was tried and dropped, it pulled lists over single-paragraph answers.
LIST_SHARE = 0.85
LIST_RANKS = 3


@dataclass(frozen=True)
class Unit:
    speech: str
    members: tuple[int, ...]  # paragraph numbers, in order
    kind: str  # "enumeration" | "outline"
    intro: bool = True  # members[0] announces the items (an enumeration may have none)

    @property
    def items(self) -> tuple[int, ...]:
        return self.members[1:] if self.intro else self.members


def _marker(text: str) -> tuple[str, int | None] | None:
    """(kind of list marker, its number) of an item paragraph, or None."""
    if DASH_ITEM.match(text):
        return "dash", None
    if m := H2_MARK.match(text):
        digits = re.sub(r"[（()）\s]", "", m.group(0))
        return "sub", int(digits) if digits.isdigit() else cn_small_number(digits)
    if m := ITEM.match(text):
        if m.group(1) is None:
            return "side", None  # 一方面 / 另一方面
        return "item" + text[len(m.group(1))], cn_small_number(m.group(1))
    if m := ORDINAL_ITEM.match(text):
        return "ordinal", cn_small_number(m.group(1))
    if m := ARABIC_ITEM.match(text):
        return "arabic", int(m.group(1))
    word = next((w for w in ORDER_WORDS if text.startswith(w)), None)
    return ("order", ORDER_WORDS[word]) if word else None


def _runs(speech: Speech) -> list[list[int]]:
    """Maximal runs of consecutive item paragraphs of one marker kind, split where numbering restarts."""
    runs: list[list[int]] = []
    prev: tuple[str, int | None] | None = None
    for p in speech.paragraphs:
        mk = None if p.is_heading else _marker(p.text)
        if mk is None or mk[0] == "side":
            prev = None
            continue
        restart = prev is not None and mk[1] is not None and prev[1] is not None and mk[1] <= prev[1]
        if prev is None or mk[0] != prev[0] or restart:
            runs.append([])
        runs[-1].append(p.number)
        prev = mk
    return [r for r in runs if len(r) >= MIN_ITEMS]


def enumerations(speech: Speech) -> list[Unit]:
    units = []
    for run in _runs(speech):
        first = run[0]
        intro = speech.paragraphs[first - 2] if first >= 2 else None
        members = run
        # A heading, a sentence, or a short line that announces it ("我提几点：", not the greeting "同志们：").
        if intro is not None and (intro.is_heading or len(intro.text) > 12
                                  or (len(intro.text) > 5 and intro.text.endswith(("：", ":")))):
            members = [intro.number] + run  # a heading leads its body: 一、强化政治统领… then （一）…（四）
        if len(members) <= MAX_MEMBERS:
            units.append(Unit(speech.id, tuple(members), "enumeration", intro=members is not run))
    return units


def outlines(speech: Speech, announce: re.Pattern = OUTLINE) -> list[Unit]:
    units = []
    for p in speech.paragraphs:
        if p.is_heading or not announce.search(p.text):
            continue
        heads = [q.number for q in speech.paragraphs[p.number:] if q.is_heading and H1_MARK.match(q.text)]
        if len(heads) >= MIN_ITEMS and len(heads) + 1 <= MAX_MEMBERS:
            units.append(Unit(speech.id, (p.number, *heads), "outline"))
        break  # one announcement per speech: the first
    return units


def speech_units(speech: Speech, announce: re.Pattern = OUTLINE) -> list[Unit]:
    return enumerations(speech) + outlines(speech, announce)


class UnitIndex:
    """The units of a corpus in the keyword index's paragraph rows, found by any member."""

    def __init__(self, speeches: dict[str, Speech], position: dict[tuple[str, int], int]) -> None:
        self.units = [u for s in sorted(speeches.values(), key=lambda s: s.id) for u in speech_units(s)
                      if all((u.speech, n) in position for n in u.members)]
        intros: set[int] = set()
        # A unit's member rows, intro first. (A section heading above the intro was tried as a second
        # voice for the unit; the tune halves gained nothing.)
        self._by_member: dict[int, list[np.ndarray]] = {}
        for u in self.units:
            rows = np.array([position[(u.speech, n)] for n in u.members], dtype=np.int64)
            if int(rows[0]) in intros:
                continue  # an intro leads one unit: the first found
            intros.add(int(rows[0]))
            for r in rows:
                self._by_member.setdefault(int(r), []).append(rows)

    def __len__(self) -> int:
        return len(self.units)

    def holding(self, row: int) -> list[np.ndarray]:
        """The member rows (intro first) of every unit this paragraph belongs to."""
        return self._by_member.get(row, [])

    def lead(self, fused: np.ndarray, listing: bool = False) -> list[int]:
        """The rows of the unit that leads the results whole, or []. A unit leads when it holds the best
        paragraph, its intro — where the question's words sit, since the items seldom repeat them — scores
        at least INTRO_SHARE of that best (the intro itself, or an item the question also matches), and
        the unit beats every paragraph outside it by INTRO_LEAD. A question that asks for a list
        (`listing`: 哪几项, 哪些, 三个方面…) takes a list whose intro is among the best LIST_RANKS
        paragraphs and either scores LIST_SHARE of the best, even if another paragraph is better, or
        ranks there beside the list's own item that is best."""
        top = int(np.argmax(fused))
        if fused[top] <= 0:
            return []
        held = [u for u in self.holding(top) if fused[u[0]] >= INTRO_SHARE * fused[top]]
        if held:
            best = max(held, key=lambda u: fused[u[0]])
            outside = fused.copy()
            outside[best] = 0.0
            if fused[top] >= INTRO_LEAD * outside.max():
                return [int(i) for i in best]
        if not listing:
            return []
        n = min(LIST_RANKS, fused.size)
        best_n = np.argpartition(-fused, n - 1)[:n]  # no full sort of a large corpus
        ranked = [int(r) for r in best_n[np.argsort(-fused[best_n], kind="stable")]]
        near = [u for r in ranked for u in self.holding(r)
                if fused[u[0]] >= LIST_SHARE * fused[top] or (top in u and int(u[0]) in ranked)]
        return [int(i) for i in max(near, key=lambda u: fused[u[0]])] if near else []
