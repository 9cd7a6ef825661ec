"""When was a speech given, from its own text: the date its header states, else the date its body
shows, with the sentence that shows it (so a reader can judge the inference).

Order: the header's date line or the year its title opens with; the closing date line (落款); the body.
A year in the body dates the speech only in a sentence that ties it to the speech itself — its meeting
("今天，我们召开…2022年第一季度…例会"), its plan ("2023年是…开局之年", "推动2022年…工作", "宣读了2023年…
工作要点"), or its review of the year ("刚才…汇报了2022年…情况", "一、2021年…取得新成绩"). A year in a
narrative ("1937年，毛泽东同志…", "2016年，中央巡视组…"), "100年前" or "截至2018年末" never dates it.
Years are read in normal form, so 二〇二二年 counts as 2022年.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .header import Header, closing_date, read_header
from .text import normalize, sentence_spans

EVIDENCE_CHARS = 60  # an evidence sentence longer than this is cut (with …) around the clue
UNKNOWN_KEY = (9999, 99, 99)  # speeches with no date sort last

_Y = r"(\d{4})年(?![末底前代])"  # a year, not a point in it (2018年末) nor a decade
# A meeting named by its period: "2022年第一季度党建工作例会" → just after that quarter.
_QUARTER = re.compile(r"(\d{4})年第([1-4])季度[^。；]{0,30}?(?:例会|会议|推进会|座谈会|汇报会)")
# The year a speech plans for: early that year.
_PLAN = re.compile(rf"{_Y}是[^。；]{{0,40}}?之年|{_Y}度?[^。；，、]{{0,20}}?工作要点|{_Y}度?(?:工作|任务)(?:部署|安排|计划)"
                   rf"|(?:推动|推进|做好|部署|谋划|安排){_Y}度?[^。；，、]{{0,12}}?(?:工作|任务)")
# The year a speech reviews: late that year. Said of the work or the situation of the year, or a
# section heading on its results.
_REVIEW = re.compile(rf"(?:汇报了?|回顾|总结了?|分析了?){_Y}度?[^。；]{{0,20}}?(?:工作|情况|成绩|成效)"
                     rf"|^[一二三四五六七八九十]、{_Y}[^。]{{0,20}}(?:成绩|成效|回顾|情况)")
_THIS_YEAR_MONTH = re.compile(r"今年(\d{1,2})月")
# Events a speech can only mention as past once they have happened: (pattern, year, month, name).
_EVENTS = [(re.compile(r"(?:学习|贯彻|落实)[^。；]{0,10}党的二十大精神|二十大胜利召开"), 2022, 10, "党的二十大")]


@dataclass(frozen=True)
class Dated:
    iso: str  # YYYY-MM-DD, YYYY-MM, YYYY, or "" (unknown, or only a lower bound)
    basis: str  # "stated" (header, title, closing line) | "inferred" (body) | "" (unknown)
    label: str  # what is shown: 2023-02-15, 2022年初, 2022年4月, 不早于2022年10月, "" (unknown)
    key: tuple[int, int, int]  # for ordering
    evidence: str = ""  # the speech's own words the date rests on


def iso_key(iso: str) -> tuple[int, int, int]:
    nums = [int(x) for x in re.findall(r"\d+", iso)]
    return tuple((nums + [0, 0])[:3]) if nums else UNKNOWN_KEY


def stated(iso: str, evidence: str = "") -> Dated:
    return Dated(iso, "stated", iso, iso_key(iso), evidence)


def date_of(texts: list[str], header: Header | None = None) -> Dated:
    """The date of a speech whose non-blank lines are `texts`."""
    header = header or read_header(texts)
    if header.date:
        return stated(header.date, header.date_text)
    closing, line = closing_date(texts[header.end:])
    if closing:
        return stated(closing, line)
    return body_date(texts[header.end:])


def _clip(sentence: str, clue: str) -> str:
    if len(sentence) <= EVIDENCE_CHARS:
        return sentence
    at = max(0, sentence.find(clue[:4]) - EVIDENCE_CHARS // 3) if clue else 0
    out = sentence[at:at + EVIDENCE_CHARS]
    return ("…" if at > 0 else "") + out + ("…" if at + EVIDENCE_CHARS < len(sentence) else "")


def _sentences(texts: list[str]):
    """(normal form, original) of every sentence, in order; a heading line is one sentence."""
    for text in texts:
        for s, e in sentence_spans(text):
            original = text[s:e].strip()
            if original:
                yield normalize(original), original


def _year(m: re.Match) -> int:
    return int(next(g for g in m.groups() if g))


def _latest(found, pattern: re.Pattern, norm: str, orig: str):
    for m in pattern.finditer(norm):
        if found is None or _year(m) > found[0]:
            found = (_year(m), orig, m.group(0))
    return found


def body_date(texts: list[str]) -> Dated:
    """The date the body shows (inferred), or unknown."""
    quarter = plan = review = event = None
    month_floor = 0
    for norm, orig in _sentences(texts):
        if quarter is None and (m := _QUARTER.search(norm)):
            quarter = (int(m.group(1)), int(m.group(2)), orig, m.group(0))
        plan = _latest(plan, _PLAN, norm, orig)
        review = _latest(review, _REVIEW, norm, orig)
        if m := _THIS_YEAR_MONTH.search(norm):
            month_floor = max(month_floor, int(m.group(1)))
        for pattern, year, month, _name in _EVENTS:
            if event is None and (m := pattern.search(norm)):
                event = (year, month, orig, m.group(0))
    if quarter:
        year, q, orig, clue = quarter
        year, month = (year + 1, 1) if q == 4 else (year, q * 3 + 1)
        return Dated(f"{year}-{month:02d}", "inferred", f"{year}年{month}月", (year, month, 0), _clip(orig, clue))
    if plan and (not review or plan[0] > review[0]):
        return Dated(str(plan[0]), "inferred", f"{plan[0]}年初", (plan[0], 1, 0), _clip(plan[1], plan[2]))
    if review:
        month = max(month_floor, 12)
        return Dated(str(review[0]), "inferred", f"{review[0]}年末", (review[0], month, 0), _clip(review[1], review[2]))
    if event:  # only a lower bound: shown, never stored as the date
        year, month, orig, clue = event
        return Dated("", "", f"不早于{year}年{month}月", (year, month, 0), _clip(orig, clue))
    return Dated("", "", "", UNKNOWN_KEY)
