"""When was a speech given? From speeches.toml when it says so; otherwise inferred from the text, with
the sentence that shows it, so the reader can judge the inference (labelled 推断).

The clues, strongest first (years are read in normal form, so 二〇二二年 counts as 2022年):
- a meeting named by a period: "2022年第一季度党建工作例会" → just after that quarter;
- the year a speech plans for: "2023年是…开局之年", "推动2022年…", "2023年…工作要点" → early that year;
- the year a review covers: "汇报了2022年…情况", "2021年，我们…", "一、2021年…取得新成绩" → late that year
  (a "今年N月" then confirms the review is given within that year);
- an event only later speeches can refer to: "学习贯彻党的二十大精神" → not before it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import Speech
from ingest.text import normalize, sentence_spans

EVIDENCE_CHARS = 60  # an evidence sentence longer than this is cut (with …) around the clue
UNKNOWN_KEY = (9999, 99, 99)  # speeches with no date sort last

_QUARTER = re.compile(r"(\d{4})年第([1-4])季度[^。；]{0,30}?(?:例会|会议|推进会|座谈会|汇报会)")
_PLAN = re.compile(r"(\d{4})年(?:是[^。；]{0,40}?(?:开局之年|关键之年|召开之年|之年)(?<!胜利召开之年)"
                   r"|[^。；，]{0,20}?工作要点|度?(?:工作|任务)(?:部署|安排|计划))"
                   r"|(?:推动|推进|做好|部署|谋划)(\d{4})年")
_REVIEW = re.compile(r"(?:汇报了?|回顾|总结了?|分析了?)(\d{4})年|^(\d{4})年[，,]|^[一二三四五六七八九十]、(\d{4})年[^。]{0,20}"
                     r"(?:成绩|成效|回顾|情况)|(\d{4})年(?:以来|来)[，,]")
_THIS_YEAR_MONTH = re.compile(r"今年(\d{1,2})月")
# Events a speech can only mention as past once they have happened: (pattern, year, month, name).
_EVENTS = [(re.compile(r"(?:学习|贯彻|落实)[^。；]{0,10}党的二十大精神|二十大胜利召开"), 2022, 10, "党的二十大")]


@dataclass(frozen=True)
class SpeechDate:
    label: str  # what is shown: "2023-02-15", "2022年初", "2022年4月", "不早于2022年10月", "" (unknown)
    key: tuple[int, int, int]  # for ordering
    inferred: bool
    evidence: str = ""  # the speech's own sentence the inference rests on

    def display(self) -> str:
        if not self.label:
            return "日期不详"
        return f"{self.label}（推断）" if self.inferred else self.label


def _given(date: str) -> SpeechDate | None:
    nums = [int(x) for x in re.findall(r"\d+", normalize(date))]
    if not nums or not 1000 <= nums[0] <= 9999:
        return SpeechDate(date, UNKNOWN_KEY, False) if date.strip() else None
    key = tuple((nums + [0, 0])[:3])
    return SpeechDate(date.strip(), key, False)


def _sentences(speech: Speech):
    """(normal form, original) of every sentence, in order; a heading line is one sentence."""
    for p in speech.paragraphs:
        for s, e in sentence_spans(p.text):
            original = p.text[s:e].strip()
            if original:
                yield normalize(original), original


def _clip(sentence: str, clue: str) -> str:
    if len(sentence) <= EVIDENCE_CHARS:
        return sentence
    at = max(0, sentence.find(clue[:4]) - EVIDENCE_CHARS // 3) if clue else 0
    out = sentence[at:at + EVIDENCE_CHARS]
    return ("…" if at > 0 else "") + out + ("…" if at + EVIDENCE_CHARS < len(sentence) else "")


def _first_year(m: re.Match) -> int:
    return int(next(g for g in m.groups() if g))


_CACHE: dict[tuple[str, str], SpeechDate] = {}  # (content hash, given date) → date; texts do not change
_CACHE_MAX = 100_000


def infer_date(speech: Speech) -> SpeechDate:
    """The speech's date: given in its metadata, or inferred from its text, or unknown."""
    key = (speech.hash, speech.date or "")
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[key] = _given(speech.date or "") or _infer(speech)
    return _CACHE[key]


def _infer(speech: Speech) -> SpeechDate:
    quarter = plan = review = event = None
    month_floor = 0
    for norm, orig in _sentences(speech):
        if quarter is None and (m := _QUARTER.search(norm)):
            quarter = (int(m.group(1)), int(m.group(2)), orig, m.group(0))
        for m in _PLAN.finditer(norm):
            if plan is None or _first_year(m) > plan[0]:
                plan = (_first_year(m), orig, m.group(0))
        for m in _REVIEW.finditer(norm):
            if review is None or _first_year(m) > review[0]:
                review = (_first_year(m), orig, m.group(0))
        if m := _THIS_YEAR_MONTH.search(norm):
            month_floor = max(month_floor, int(m.group(1)))
        for pattern, year, month, _name in _EVENTS:
            if event is None and (m := pattern.search(norm)):
                event = (year, month, orig, m.group(0))
    if quarter:
        year, q, orig, clue = quarter
        year, month = (year + 1, 1) if q == 4 else (year, q * 3 + 1)
        return SpeechDate(f"{year}年{month}月", (year, month, 0), True, _clip(orig, clue))
    if plan and (not review or plan[0] > review[0]):
        return SpeechDate(f"{plan[0]}年初", (plan[0], 1, 0), True, _clip(plan[1], plan[2]))
    if review:
        month = max(month_floor, 12)
        return SpeechDate(f"{review[0]}年末", (review[0], month, 0), True, _clip(review[1], review[2]))
    if event:
        year, month, orig, clue = event
        return SpeechDate(f"不早于{year}年{month}月", (year, month, 0), True, _clip(orig, clue))
    return SpeechDate("", UNKNOWN_KEY, True)


def by_date(speeches: list[Speech]) -> list[tuple[Speech, SpeechDate]]:
    """The speeches with their dates, oldest first (unknown dates last, then by id)."""
    dated = [(s, infer_date(s)) for s in speeches]
    return sorted(dated, key=lambda sd: (sd[1].key, sd[0].id))
