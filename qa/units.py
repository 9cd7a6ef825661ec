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


@dataclass(frozen=True)
class Unit:
    speech: str
    members: tuple[int, ...]  # paragraph numbers, in order
    kind: str  # "enumeration" | "outline"


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
            units.append(Unit(speech.id, tuple(members), "enumeration"))
    return units


def outlines(speech: Speech) -> list[Unit]:
    units = []
    for p in speech.paragraphs:
        if p.is_heading or not OUTLINE.search(p.text):
            continue
        heads = [q.number for q in speech.paragraphs[p.number:] if q.is_heading and H1_MARK.match(q.text)]
        if len(heads) >= MIN_ITEMS and len(heads) + 1 <= MAX_MEMBERS:
            units.append(Unit(speech.id, (p.number, *heads), "outline"))
        break  # one announcement per speech: the first
    return units


def speech_units(speech: Speech) -> list[Unit]:
    return enumerations(speech) + outlines(speech)


@dataclass(frozen=True)
class Held:
    """A unit in keyword-index rows: its members, intro first."""
    rows: np.ndarray

    @property
    def heads(self) -> np.ndarray:
        """The rows that speak for the unit: its intro. (A section heading above the intro was tried as a
        second voice; the tune halves gained nothing and a held-out English question lost a paragraph.)"""
        return self.rows[:1]


class UnitIndex:
    """The units of a corpus in the keyword index's paragraph rows, found by any member."""

    def __init__(self, speeches: dict[str, Speech], position: dict[tuple[str, int], int]) -> None:
        self.units = [u for s in sorted(speeches.values(), key=lambda s: s.id) for u in speech_units(s)
                      if all((u.speech, n) in position for n in u.members)]
        intros: set[int] = set()
        self._by_member: dict[int, list[Held]] = {}
        for u in self.units:
            rows = np.array([position[(u.speech, n)] for n in u.members], dtype=np.int64)
            if int(rows[0]) in intros:
                continue  # an intro leads one unit: the first found
            intros.add(int(rows[0]))
            held = Held(rows)
            for r in rows:
                self._by_member.setdefault(int(r), []).append(held)

    def __len__(self) -> int:
        return len(self.units)

    def holding(self, row: int) -> list[Held]:
        """Every unit this paragraph belongs to."""
        return self._by_member.get(row, [])
