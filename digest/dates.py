"""When was a speech given? Given in speeches.toml; else stated by the file (its header's date line, the
year its title opens with, its closing date line); else inferred from its body, with the sentence that
shows it, so the reader can judge the inference (labelled 推断). The rules are ingest/dating.py's, so a
speech is dated the same at ingest (Speech.date, Speech.date_basis) and here — and here an index built
before the header was read still gets its header's date.

The body's clues, strongest first (years in normal form, so 二〇二二年 counts as 2022年):
- a meeting named by a period: "2022年第一季度党建工作例会" → just after that quarter;
- the year a speech plans for: "2023年是…开局之年", "推动2022年…工作", "2023年…工作要点" → early that year;
- the year a review covers: "汇报了2022年…情况", "一、2021年…取得新成绩" → late that year;
- an event only later speeches can refer to: "学习贯彻党的二十大精神" → not before it.
A narrative year ("1937年，…", "100年前", "截至2018年末") never dates a speech.
"""
from __future__ import annotations

from dataclasses import dataclass

from ingest.dating import UNKNOWN_KEY, date_of, iso_key
from ingest.model import Speech

__all__ = ["SpeechDate", "infer_date", "by_date", "UNKNOWN_KEY"]


@dataclass(frozen=True)
class SpeechDate:
    label: str  # what is shown: "2023-02-15", "2022年初", "2022年4月", "不早于2022年10月", "" (unknown)
    key: tuple[int, int, int]  # for ordering
    inferred: bool
    evidence: str = ""  # the speech's own words the date rests on
    basis: str = ""  # given | stated | inferred | "" (unknown, or only a lower bound); see _date

    def display(self) -> str:
        if not self.label:
            return "日期不详"
        return f"{self.label}（推断）" if self.inferred else self.label


def _given(date: str) -> SpeechDate:
    key = iso_key(date)
    return SpeechDate(date.strip(), key if 1000 <= key[0] <= 9999 else UNKNOWN_KEY, False, basis="given")


_CACHE: dict[tuple[str, str, str], SpeechDate] = {}  # (content hash, date, basis) → date; texts do not change
_CACHE_MAX = 100_000


def infer_date(speech: Speech) -> SpeechDate:
    """The speech's date: given in its metadata, stated by its text, or inferred from it, or unknown."""
    key = (speech.hash, speech.date or "", speech.date_basis or "")
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = _date(speech)
    return _CACHE[key]


def _date(speech: Speech) -> SpeechDate:
    # "": a record from before date_basis; "document": the file's own properties, not in its text
    if speech.date and speech.date_basis in ("given", "document", ""):
        return _given(speech.date)
    found = date_of([p.text for p in speech.paragraphs])
    inferred = found.basis != "stated"
    return SpeechDate(found.label, found.key, inferred and bool(found.label), found.evidence,
                      found.basis or "")


def by_date(speeches: list[Speech]) -> list[tuple[Speech, SpeechDate]]:
    """The speeches with their dates, oldest first (unknown dates last, then by id)."""
    dated = [(s, infer_date(s)) for s in speeches]
    return sorted(dated, key=lambda sd: (sd[1].key, sd[0].id))
