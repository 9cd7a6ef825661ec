"""The header of a speech as the file publishes it: title lines, date line, speaker or byline, occasion
and 来源 line, read from the first lines, up to the salutation (同志们：, 各位代表：, 各位家长大家好！) or the
first body paragraph. Also the closing date line (落款) of a document, and dates in ISO form.

Shapes read (those of Chinese official documents and their republications):
- title: one line, or two — a main title plus a subtitle (——纪念…, or a second short line);
  "——在…会议上的讲话" and "——2023年3月5日在…上" are the occasion, not the title;
- date: （2021年2月20日）, ——2023年3月5日在…上, 2022.10.23, 2017年08月22日09:55 来源：…, 二〇一九年一月,
  2020年10月29日上午; a year opening the title (2025年重庆市政府工作报告), never "2019年度…" (the year covered);
- speaker: a name line (习近平, 习　近　平), an office and a name (国务院总理　李克强), 作者：…,
  （中共…理论学习中心组）, or a name opening the title (胡锦涛在…上的讲话).
A name is recognised by jieba's part-of-speech tagger (person name, nr).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from .text import ARABIC_ITEM, H1_MARK, H2_MARK, ITEM, normalize

HEADER_MAX = 8  # lines; a header is never longer
TITLE_MAX = 60  # characters of one title line
BODY_LEN = 60  # a line this long is body text, whatever it ends with

# -- dates ------------------------------------------------------------------------------------------
_YMD = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?"
                  r"|(\d{4})[.\-/](\d{1,2})(?:[.\-/](\d{1,2}))?(?!\d)")
_YEAR = re.compile(r"(\d{4})\s*年(?!度|代|前|以来|来|末|底|初)")
_TIME = r"(?:\s*(?:上午|下午|晚上|晚|凌晨|中午|早上))?(?:\s*\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?)?"
_PLACE = r"\s*(?:[，,、]\s*|于|在)[\u4e00-\u9fff]{2,6}"  # （2021年2月20日，北京）


# A note mark after a title line (树立和践行正确政绩观※, …讲话*, …①, …[1]): it points to a footnote, not
# part of the title.
FOOTNOTE_MARK = re.compile(r"\s*(?:[※*＊\u2460-\u2473]+|[\[［]\d{1,2}[\]］])$")
DATE_LABEL = re.compile(r"^(?:发布时间|发布日期|时间|日期)\s*[:：]\s*")  # 发布时间：2021-02-20


def _valid(y: int, m: int = 1, d: int = 1) -> bool:
    return 1900 <= y <= 2100 and 1 <= m <= 12 and 1 <= d <= 31


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first calendar date (year and month at least) in the text: (ISO, start, end) in normal form."""
    for m in _YMD.finditer(text):
        y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
        if _valid(int(y), int(mo), int(d or 1)):
            iso = f"{int(y):04d}-{int(mo):02d}" + (f"-{int(d):02d}" if d else "")
            return iso, m.start(), m.end()
    return None


def to_iso(text: str) -> str:
    """A date as written (2023年2月1日, 2023-2-1, 二〇二三年二月, 2023年) → 2023-02-01 / 2023-02 / 2023, or ""."""
    norm = _norm(text)
    if found := find_date(norm):
        return found[0]
    m = re.search(r"(?<!\d)(\d{4})(?!\d)", norm)
    return m.group(1) if m and _valid(int(m.group(1))) else ""


def _norm(text: str) -> str:
    return normalize(text).strip()


def date_line(text: str) -> tuple[str, str] | None:
    """(ISO date, what follows it) when the line is a date line: brackets and a leading —— aside, it starts
    with a date, perhaps a time of day or a place, and then nothing, a 来源 or an occasion (在…上)."""
    norm = _norm(text).lstrip("—-－ ").strip()
    bare = re.sub(r"^[（(\[【]\s*(.*?)\s*[）)\]】]$", r"\1", norm)
    norm = DATE_LABEL.sub("", bare)
    found = find_date(norm)
    if not found or found[1] != 0:
        return None
    rest = re.sub(rf"^{_TIME}", "", norm[found[2]:]).strip()
    if bare != _norm(text).lstrip("—-－ ").strip():  # （2024年1月10日…全体会议通过）: a whole line in brackets
        return found[0], rest  # that opens with a date dates the document (题注), whatever it adds
    if re.fullmatch(_PLACE, rest):
        return found[0], ""
    rest = rest.lstrip("，, ")
    if not rest or SOURCE.match(rest) or OCCASION.match(rest):
        return found[0], rest
    return None


def title_year(title: str) -> str:
    """A year the title opens with is the speech's year: 2025年重庆市政府工作报告, 在2022年…会上的讲话."""
    norm = _norm(title)
    if found := find_date(norm):
        return found[0]
    m = _YEAR.match(norm) or re.match(r"^在(\d{4})\s*年(?!度|代|前|以来|来|末|底|初)", norm)
    return m.group(1) if m and _valid(int(m.group(1))) else ""


def closing_date(texts: list[str]) -> tuple[str, str]:
    """(ISO, line) of the date line that closes a document (落款: its signing date alone on one of the
    last lines), or ("", "")."""
    for text in texts[-3:][::-1]:
        if (got := date_line(text)) and not got[1] and len(text.strip()) <= 20:
            return got[0], text.strip()
    return "", ""


# -- speakers ---------------------------------------------------------------------------------------
ROLE = re.compile(r"(?:总理|主席|书记|市长|省长|区长|县长|州长|镇长|乡长|部长|厅长|局长|处长|主任|校长|院长|委员|代表|"
                  r"理事长|会长|董事长|总经理|总裁|行长|社长|主编|总编辑|秘书长|常委|组长|政委|司令员|检察长|庭长|"
                  r"所长|馆长|台长|教授|研究员|队长|经理)$")
_NAME_CHARS = re.compile(r"^[\u4e00-\u9fff·]{2,8}$")
BYLINE = re.compile(r"^(?:作者|文|撰文|撰稿|执笔|署名|供稿)\s*[:：/／]\s*(.+)$")
ORG_BYLINE = re.compile(r"^[（(]([^（）()]{4,40}(?:组|委员会|委|中心|部|局|院|室|厅|办公室|研究会|学会|协会|党组|党委|支部))[）)]$")
SOURCE = re.compile(r"^[（(]?\s*(?:来源|稿源|出处|转载自|来自)\s*[:：]\s*(.+?)\s*[）)]?$")
OCCASION = re.compile(r"^在.{2,60}?(?:上|时|中|期间)(?:的(?:讲话|报告|致辞|发言|演讲|总结讲话|主旨演讲|讲话提纲|工作报告))?$")
DATELINE = re.compile(r"^[（(]?\s*(?:新华社|中新社|人民网|本报|央视网)[^。，]{0,20}电\s*[）)]?$")  # 新华社北京4月24日电
TITLE_SPEAKER = re.compile(r"^([\u4e00-\u9fff·]{2,5}?)(?:同志)?(?:在.{2,60}(?:上|时)的(?:讲话|报告|致辞|发言|演讲|工作报告)|[:：])")
# （1月13日下午4点，行政楼会议室）: when and where, without the year — part of the header, no ISO date
MONTH_DAY_LINE = re.compile(r"^[（(]\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号][^（）()]{0,30}[）)]$")
SALUTATION_HEAD = re.compile(r"^(?:各位|尊敬的|亲爱的)|^[^，、,：:！!。]{1,12}们(?:[，、,：:！!]|$)")
_GREETING = re.compile(r"[：:]?\s*(?:大家|你们|各位)?(?:早上|上午|中午|下午|晚上)?好[！!]$")


@functools.lru_cache(maxsize=4096)
def is_name(text: str) -> bool:
    """A person's name (2–4 characters, or with ·): jieba tags it nr, allowing one untagged character."""
    if not _NAME_CHARS.match(text) or len(text.replace("·", "")) > 6:
        return False
    import jieba.posseg  # its model loads on first use only

    tagged = [(w, f) for w, f in jieba.posseg.lcut(text)]
    named = sum(len(w) for w, f in tagged if f.startswith("nr"))
    return named >= 2 and named >= len(text) - 1


def speaker_line(text: str) -> str:
    """The speaker or author a header line names, or ""."""
    line = unicodedata.normalize("NFKC", text).strip()
    if m := BYLINE.match(line):
        return " ".join(m.group(1).split())
    if m := ORG_BYLINE.match(line):
        return m.group(1).strip()
    parts = line.split()
    spaced = len(parts)
    while spaced > 0 and len(parts[spaced - 1]) == 1:
        spaced -= 1
    if len(parts) - spaced > 1:  # 习　近　平, 校长　王　琛: a name spaced out
        parts = parts[:spaced] + ["".join(parts[spaced:])]
    names = re.split(r"[、，,]", parts[-1]) if parts else []
    if not names or not all(is_name(n) for n in names):
        return ""
    if len(parts) == 1 or (len(parts) == 2 and ROLE.search(parts[0]) and len(parts[0]) <= 30):
        return " ".join(parts)
    return ""


def title_speaker(title: str) -> str:
    """胡锦涛在…上的讲话 / 习近平：… — the name the title opens with."""
    m = TITLE_SPEAKER.match(unicodedata.normalize("NFKC", title).strip())
    return m.group(1) if m and is_name(m.group(1)) else ""


# -- the header -------------------------------------------------------------------------------------
def is_salutation(text: str) -> bool:
    """同志们： / 各位代表： / 老师们，同学们…： / 各位领导…：大家好！ / 各位家长大家好！"""
    line = text.strip()
    if len(line) > 50 or "。" in line or not SALUTATION_HEAD.search(line):
        return False
    return line[-1] in "：:" or bool(_GREETING.search(line))


def is_body(text: str) -> bool:
    """A body paragraph or a section heading: the header is over."""
    line = text.strip()
    if len(line) > BODY_LEN or "。" in line or (line[-1:] in "！？!?" and len(line) > 20):
        return True
    return bool(H1_MARK.match(line) or H2_MARK.match(line) or ITEM.match(line) or ARABIC_ITEM.match(line))


@dataclass(frozen=True)
class Header:
    title_lines: tuple[str, ...] = ()  # as published, a subtitle's —— kept
    date: str = ""  # ISO: YYYY-MM-DD, YYYY-MM, YYYY or ""
    date_text: str = ""  # the line the date was read from
    speaker: str = ""
    occasion: str = ""  # 在…上 (from an occasion line or the title)
    source: str = ""  # 来源：…
    end: int = 0  # lines[:end] are the header
    salutation: bool = False  # the header ends at a salutation

    @property
    def title(self) -> str:
        return "——".join(FOOTNOTE_MARK.sub("", t.lstrip("—－-")).strip() for t in self.title_lines)


def _title_line(line: str, titles: list[str], prev_title: bool) -> bool:
    """The first title line, or a second one right after it (a —— subtitle that is not an occasion)."""
    if len(line) > TITLE_MAX:
        return False
    if not titles:
        return not line.startswith("——")
    if not prev_title or len(titles) >= 2:
        return False
    return not OCCASION.match(_norm(line).lstrip("—-－ "))


def read_header(texts: list[str]) -> Header:
    """The header of a speech whose non-blank lines are `texts`."""
    got: dict = {"title_lines": [], "end": 0}
    prev_title = False
    for i, text in enumerate(texts[:HEADER_MAX]):
        line = text.strip()
        if is_salutation(line):
            got["salutation"] = True
            break
        if is_body(line):
            break
        kind = _classify(line, got, i, prev_title)
        if kind is None:
            break
        prev_title = kind == "title"
        got["end"] = i + 1
    titles = got.pop("title_lines")
    if titles and not got.get("date") and (year := title_year(titles[0])):
        got["date"], got["date_text"] = year, titles[0]
    if titles and not got.get("speaker"):
        got["speaker"] = title_speaker(titles[0])
    if titles and not got.get("occasion") and (m := re.search(r"在.{2,60}?(?:上|时)(?=的)", titles[0])):
        got["occasion"] = m.group(0)
    return Header(title_lines=tuple(titles), **got)


def _set_date(got: dict, iso: str, line: str) -> None:
    if not got.get("date"):  # the first date line is the speech's
        got["date"], got["date_text"] = iso, line


def _classify(line: str, got: dict, i: int, prev_title: bool) -> str | None:
    """Record what the header line gives in `got`; its kind, or None when it is no header line."""
    norm = _norm(line)
    if "来源" in norm and (cut := re.search(r"[（(]?\s*来源\s*[:：]", norm)) and cut.start() > 0:
        head, src = norm[:cut.start()].strip(), norm[cut.start():]  # 2017年08月22日09:55 来源：…
        if (d := date_line(head)) and not d[1]:
            _set_date(got, d[0], line)
            got.setdefault("source", m.group(1) if (m := SOURCE.match(src)) else src)
            return "date"
    if m := SOURCE.match(norm):
        got.setdefault("source", m.group(1))
        if found := find_date(m.group(1)):  # 来源：新华网 2021-02-20
            _set_date(got, found[0], line)
        return "source"
    if d := date_line(line):
        _set_date(got, d[0], line)
        if OCCASION.match(d[1]) and "在" in line:
            got.setdefault("occasion", line[line.index("在"):])  # the published words, not the normal form
        return "date"
    if MONTH_DAY_LINE.match(norm):
        return "dateline"
    if line.startswith("——") and OCCASION.match(norm.lstrip("—-－ ")) and got["title_lines"]:
        got.setdefault("occasion", line.lstrip("—-－ "))
        return "occasion"
    if i > 0 and not got.get("speaker") and (who := speaker_line(line)):
        got["speaker"] = who
        return "speaker"
    if DATELINE.match(norm):
        return "dateline"
    if _title_line(line, got["title_lines"], prev_title):
        got["title_lines"].append(line)
        return "title"
    return None
